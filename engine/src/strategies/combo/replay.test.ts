// State stays plain JSON: Combo, TWAP and DCA Futures continue identically after a JSON round trip mid-run.
import { describe, it, expect } from '@jest/globals';
import type { StrategyDefinition, StrategyEvent } from '../../kernel/strategy.ts';
import { aCtx, aMarket, aPerpMarket, ev, Runner } from '../dca/test-builders.ts';
import { dcaFuturesStrategy } from '../dca-futures/index.ts';
import { aDcaFuturesParams } from '../dca-futures/test-builders.ts';
import { twapStrategy } from '../twap/index.ts';
import { aTwapParams } from '../twap/test-builders.ts';
import { comboStrategy } from './index.ts';
import { aComboParams } from './test-builders.ts';

function replays<P, S>(
  def: StrategyDefinition<P, S>,
  params: P,
  market: ReturnType<typeof aMarket>,
  events: StrategyEvent[],
  cut: number,
): void {
  const a = new Runner(def, params, aCtx(market));
  const b = new Runner(def, params, aCtx(market));
  a.send(...events.slice(0, cut));
  b.send(...events.slice(0, cut));
  b.state = JSON.parse(JSON.stringify(b.state)) as S;

  const ra = a.send(...events.slice(cut));
  const rb = b.send(...events.slice(cut));

  expect(rb).toEqual(ra);
  expect(b.state).toEqual(a.state);
  expect(b.wake).toEqual(a.wake);
}

describe('JSON state round trip', () => {
  it('Combo continues identically', () => {
    const events = [
      ev.start('100'),
      ev.fill('deal1:base', '100', '2'),
      ev.fill('deal1:so:1', '80', '2'),
      ev.fill('deal1:exit:1', '94.5', '1'),
      ev.price('99'),
      ev.fill('deal1:re:1', '90', '1'),
    ];
    replays(comboStrategy, aComboParams(), aPerpMarket(), events, 3);
  });

  it('TWAP continues identically', () => {
    const events = [
      ev.start('60000', 0),
      ev.fill('slice:0:0', '60000', '0.0833'),
      ev.price('60150', 300_000),
      ev.timer(300_000),
      ev.price('60000', 600_000),
      ev.timer(600_000),
    ];
    replays(
      twapStrategy,
      aTwapParams({ randomization: { sizePct: '10', seed: 'r' } }),
      aMarket({ precision: { price: '0.01', amount: '0.0001' } }),
      events,
      2,
    );
  });

  it('DCA Futures continues identically', () => {
    const events = [
      ev.start('100'),
      ev.fill('deal1:base', '100', '0.5'),
      ev.bar('99', 1, { fundingRate: '0.0001' }),
      ev.fill('deal1:so:1', '98', '0.5102040816'),
      ev.price('101'),
    ];
    replays(dcaFuturesStrategy, aDcaFuturesParams(), aPerpMarket(), events, 2);
  });
});
