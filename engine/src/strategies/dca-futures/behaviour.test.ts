// DCA Futures behaviour beyond DCA (§3.3–§3.5): pump/dump guards, liquidation guard, liquidation, F-rules.
import { describe, it, expect } from '@jest/globals';
import { aCtx, aPerpMarket, ev, placed, places, Runner } from '../dca/test-builders.ts';
import { dcaFuturesStrategy } from './index.ts';
import { aDcaFuturesParams } from './test-builders.ts';

const market = aPerpMarket({
  maintenanceMarginRate: '0.005',
  limits: { amount: {}, cost: {}, leverage: { max: '10' } },
});
const SEC = 1000;

describe('DCA Futures guards', () => {
  it('defers the deal start after a pump in the entry direction until it has been calm for holdSec', () => {
    const params = aDcaFuturesParams({
      start: { mode: 'price', price: { triggerPrice: '104' } },
      pumpProtection: { enabled: true, windowSec: 60, maxMovePct: '3', holdSec: 120 },
    });
    const run = new Runner(dcaFuturesStrategy, params, aCtx(market));
    run.send(ev.start('100', 0), ev.bar('100', 0));

    const pumped = run.send(ev.price('104', 30 * SEC));

    expect(places(pumped)).toHaveLength(0);
    expect(run.state.blockedReason).toBe('pumpGuard');
    expect(run.state.guards.pumpUntil).toBe(150 * SEC);
  });

  it('stops placing new safety orders during a dump and resumes after holdSec', () => {
    const params = aDcaFuturesParams({
      dumpProtection: { enabled: true, windowSec: 60, maxMovePct: '1.5', holdSec: 120 },
    });
    const run = new Runner(dcaFuturesStrategy, params, aCtx(market));
    run.send(ev.start('100', 0), ev.bar('100', 0), ev.fill('deal1:base', '100', '0.5', { ts: 0 }));
    run.send(ev.price('98', 10 * SEC));

    const duringDump = run.send(ev.fill('deal1:so:1', '98', '0.5102040816', { ts: 10 * SEC }));
    const after = run.send(ev.timer(130 * SEC));

    expect(places(duringDump).map((p) => p.key)).toEqual([]);
    expect(placed(after, 'deal1:so:2').price).toBe('95');
  });
});

describe('DCA Futures liquidation', () => {
  it('closes the deal reduce-only when the mark comes within emergencyDistancePct of the liquidation price', () => {
    const run = new Runner(
      dcaFuturesStrategy,
      aDcaFuturesParams({ leverage: '10', safetyOrders: { maxCount: 0 } }),
      aCtx(market),
    );
    run.send(ev.start('100'), ev.fill('deal1:base', '100', '1'));
    const guard = run.wake!.below!;

    const intents = run.send(ev.price(guard));

    expect(placed(intents, 'deal1:close:0')).toMatchObject({
      orderType: 'market',
      reduceOnly: true,
      side: 'sell',
      qty: '1',
    });
    expect(run.state.deal!.closeReason).toBe('liquidationGuard');
  });

  it('halts the bot when the exchange liquidates the position', () => {
    const run = new Runner(dcaFuturesStrategy, aDcaFuturesParams(), aCtx(market));
    run.send(ev.start('100'), ev.fill('deal1:base', '100', '0.5'));

    const intents = run.send({ type: 'liquidated', ts: 1, price: '80', loss: '10' });

    expect(run.last?.roundTrips).toEqual([{ pnl: '-10' }]);
    expect(intents.at(-1)).toMatchObject({ type: 'transition', to: 'Halted', terminal: true });
  });
});

describe('DCA Futures validation', () => {
  const codes = (overrides: unknown): string[] =>
    dcaFuturesStrategy
      .validate(aDcaFuturesParams(overrides), market, '100')
      .map((i) => `${i.path}:${i.code}:${i.severity ?? 'error'}`);

  it('F1: rejects leverage above the market maximum', () => {
    expect(codes({ leverage: '20' })).toContain('leverage:dca-futures-leverage-out-of-range:error');
  });

  it('F2 with cross margin is advisory only', () => {
    const wide = { ...market, limits: { ...market.limits, leverage: { max: '125' } } };
    const severities = (marginMode: string): (string | undefined)[] =>
      dcaFuturesStrategy
        .validate(aDcaFuturesParams({ leverage: '20', marginMode }), wide, '100')
        .filter((i) => i.code === 'dca-futures-liquidation-before-ladder')
        .map((i) => i.severity);

    expect(severities('cross')).toEqual(['warning', 'warning', 'warning']);
    expect(severities('isolated')).toEqual([undefined, undefined, undefined]);
  });

  it('F3: rejects a budget below the margin plus opening and closing fees', () => {
    expect(codes({ budget: { maxQuote: '80.39' } })).toContain(
      'budget.maxQuote:dca-futures-budget-below-margin:error',
    );
    expect(codes({ budget: { maxQuote: '80.4' } })).toEqual([]);
  });

  it('F4: rejects a spot market', () => {
    const issues = dcaFuturesStrategy.validate(aDcaFuturesParams(), { ...market, type: 'spot' }, '100');

    expect(issues.map((i) => i.code)).toContain('dca-futures-market-not-linear');
  });
});
