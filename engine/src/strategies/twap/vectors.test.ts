// Test vectors TWAP-1 and TWAP-1P of strategies/dca-twap-risk.md §4.7 (exact: quantities are rounded).
import { describe, it, expect } from '@jest/globals';
import { add, div, mul, sum } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import { aCtx, aMarket, ev, places, Runner } from '../dca/test-builders.ts';
import { aTwapParams } from './test-builders.ts';
import { twapStrategy } from './index.ts';
import type { TwapParams, TwapState } from './index.ts';
import { sliceTimes } from './schedule.ts';

const MIN = 60_000;
const ASKS = [
  '60000',
  '60020',
  '60040',
  '60060',
  '60150',
  '60120',
  '60080',
  '60050',
  '60030',
  '60010',
  '59990',
  '59970',
];
const market = aMarket({ precision: { price: '0.01', amount: '0.0001' } });

interface Outcome {
  readonly qty: string[];
  readonly filled: Dec;
  readonly cost: Dec;
  readonly run: Runner<TwapParams, TwapState>;
}

/** Runs the 12 slices at the table's asks; each child fills fully at the ask unless `partial` says otherwise. */
function execute(params: TwapParams, partial: Record<number, Dec> = {}): Outcome {
  const run = new Runner(twapStrategy, params, aCtx(market));
  const qty: string[] = [];
  ASKS.forEach((ask, i) => {
    const t = i * 5 * MIN;
    const intents = i === 0 ? run.send(ev.start(ask, t)) : run.send(ev.price(ask, t), ev.timer(t));
    const child = places(intents)[0];
    if (!child) {
      qty.push('paused');
      return;
    }
    qty.push(child.qty!);
    const part = partial[i];
    if (part === undefined) {
      run.send(ev.fill(child.key, ask, child.qty!, { ts: t, fee: '0' }));
      return;
    }
    const retry = places(
      run.send(
        ev.fill(child.key, ask, part, { ts: t, fee: '0', partial: true }),
        ev.closed(child.key, 'expired', t, part),
      ),
    )[0]!;
    run.send(ev.closed(retry.key, 'expired', t));
  });
  run.send(ev.timer(55 * MIN + 60_000));
  return { qty, filled: run.state.filled, cost: run.state.cost, run };
}

const q = (...values: string[]): string[] => values.map((v) => (v === '-' ? 'paused' : v));

describe('TWAP-1 schedule', () => {
  it('places 12 startAligned slices 5 minutes apart from t = 0 to 55 min', () => {
    expect(sliceTimes(aTwapParams(), 0, 'seed')).toEqual(Array.from({ length: 12 }, (_, i) => i * 5 * MIN));
  });

  it('sends the first slice immediately as an IOC limit at the ask with nominal 0.0833', () => {
    const run = new Runner(twapStrategy, aTwapParams(), aCtx(market));

    const intents = run.send(ev.start('60000'));

    expect(places(intents)).toEqual([
      {
        type: 'place',
        key: 'slice:0:0',
        role: 'slice',
        idx: 0,
        side: 'buy',
        qty: '0.0833',
        orderType: 'limit',
        price: '60000',
        timeInForce: 'IOC',
      },
    ]);
  });
});

describe('TWAP-1 catch-up modes', () => {
  it('baseline without a limit fills 1.0000 for 60043.3160', () => {
    const out = execute(aTwapParams({ priceProtection: { limitPrice: null } }));

    expect(out.qty).toEqual(
      q(
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0834',
        '0.0834',
        '0.0834',
        '0.0834',
      ),
    );
    expect(out.filled).toBe('1');
    expect(out.cost).toBe('60043.316');
    expect(out.run.state.phase).toBe('Completed');
  });

  it('redistribute pauses #4 and #5 and spreads the missed quantity: 1.0000 for 60024.4350', () => {
    const out = execute(aTwapParams());

    expect(out.qty).toEqual(
      q(
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0833',
        '-',
        '-',
        '0.1111',
        '0.1111',
        '0.1111',
        '0.1111',
        '0.1112',
        '0.1112',
      ),
    );
    expect(out.cost).toBe('60024.435');
    expect(out.run.state.phase).toBe('Completed');
  });

  it('nextSlice catches up in one capped slice of 0.2499: 1.0000 for 60034.1410', () => {
    const out = execute(aTwapParams({ catchUp: { mode: 'nextSlice' } }));

    expect(out.qty).toEqual(
      q(
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0833',
        '-',
        '-',
        '0.2499',
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0837',
      ),
    );
    expect(out.filled).toBe('1');
    expect(out.cost).toBe('60034.141');
  });

  it('none forfeits the paused 0.1666 and ends Expired with 0.8334 at an average of 60024.9736', () => {
    const out = execute(aTwapParams({ catchUp: { mode: 'none' } }));

    expect(out.qty).toEqual(
      q(
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0833',
        '-',
        '-',
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0833',
        '0.0837',
      ),
    );
    expect(out.filled).toBe('0.8334');
    expect(out.cost).toBe('50024.813');
    expect(Number(div(out.cost, out.filled)).toFixed(4)).toBe('60024.9736');
    expect(out.run.state.phase).toBe('Expired');
    expect(out.run.log.at(-1)).toMatchObject({ type: 'transition', to: 'Expired', terminal: true });
  });
});

describe('TWAP-1P partial IOC fill', () => {
  it('redistributes the unfilled 0.0511 of slice #7 over the remaining slices: 1.0000 at 60021.8810', () => {
    const out = execute(aTwapParams(), { 7: '0.06' });
    const retries = places(out.run.log).filter((p) => p.key === 'slice:7:1');

    expect(retries.map((p) => p.qty)).toEqual(['0.0511']);
    expect(out.qty.slice(8)).toEqual(['0.1239', '0.1239', '0.1239', '0.124']);
    expect(out.filled).toBe('1');
    expect(Number(div(out.cost, out.filled)).toFixed(4)).toBe('60021.8810');
  });
});

describe('TWAP slices sum to the total exactly', () => {
  it.each([
    ['redistribute', '0.7777', 7],
    ['nextSlice', '3.3333', 9],
    ['none', '1.2345', 11],
  ])('%s with total %s over %d slices', (mode, total, count) => {
    const params = aTwapParams({
      totalQuantity: total,
      slices: { count },
      durationSec: 60 * count,
      priceProtection: { limitPrice: null },
      catchUp: { mode },
    });
    const run = new Runner(twapStrategy, params, aCtx(market));
    const sent: Dec[] = [];

    for (let i = 0; i < count; i++) {
      const intents = i === 0 ? run.send(ev.start('100', 0)) : run.send(ev.timer(i * MIN));
      const child = places(intents)[0]!;
      sent.push(child.qty!);
      run.send(ev.fill(child.key, '100', child.qty!, { fee: '0', ts: i * MIN }));
    }

    expect(sum(sent)).toBe(add(total, '0'));
    expect(mul(run.state.filled, '1')).toBe(add(total, '0'));
    expect(run.state.phase).toBe('Completed');
  });
});
