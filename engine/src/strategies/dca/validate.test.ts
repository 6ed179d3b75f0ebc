// DCA validation rules (§2.5): each must-be-rejected case names its param path and a stable code.
import { describe, it, expect } from '@jest/globals';
import { MARKETS } from '../../markets/venues.ts';
import { dcaStrategy } from './index.ts';
import { aDcaParams, aMarket } from './test-builders.ts';

const codes = (overrides: unknown, price?: string, market = aMarket()): string[] =>
  dcaStrategy.validate(aDcaParams(overrides), market, price).map((i) => `${i.path}:${i.code}`);
const errors = (overrides: unknown, price?: string, market = aMarket()): string[] =>
  dcaStrategy
    .validate(aDcaParams(overrides), market, price)
    .filter((i) => i.severity !== 'warning')
    .map((i) => `${i.path}:${i.code}`);

describe('DCA validation', () => {
  it('accepts the worked example DCA-SPOT-1', () => {
    expect(errors({}, '100')).toEqual([]);
  });

  it('V1: rejects a budget below base + all safety orders + fee headroom (80 < 80.08)', () => {
    expect(errors({ budget: { maxQuote: '80' } })).toEqual([
      'budget.maxQuote:dca-budget-below-required-funds',
    ]);
    expect(errors({ budget: { maxQuote: '80.08' } })).toEqual([]);
  });

  it('V2: rejects orders below the market minimum notional after rounding', () => {
    const btc = MARKETS.find((m) => m.venue === 'binance' && m.symbol === 'BTC/USDT')!;

    expect(errors({ baseOrder: { size: '4' } }, '60000', btc)).toContain(
      'baseOrder.size:dca-below-min-notional',
    );
    expect(errors({}, '60000', btc)).toEqual([]);
  });

  it('V3: rejects a long ladder deeper than 95 %', () => {
    expect(errors({ safetyOrders: { maxCount: 10, deviationPct: '20', stepScale: '1' } })).toContain(
      'safetyOrders.deviationPct:dca-deviation-too-deep',
    );
  });

  it('V4: rejects maxActive above maxCount', () => {
    expect(errors({ safetyOrders: { maxActive: 4 } })).toContain(
      'safetyOrders.maxActive:dca-max-active-exceeds-count',
    );
  });

  it('V5: rejects a trailing deviation that is not below the take profit', () => {
    expect(errors({ takeProfit: { pct: '1', trailing: { enabled: true, deviationPct: '1' } } })).toContain(
      'takeProfit.trailing.deviationPct:dca-trailing-deviation-not-below-take-profit',
    );
  });

  it('V6: warns (does not reject) when the stop loss fires before the last safety order', () => {
    const issues = dcaStrategy.validate(aDcaParams({ stopLoss: { pct: '3' } }), aMarket());

    expect(issues.map((i) => [i.code, i.severity])).toEqual([
      ['dca-stop-loss-before-last-safety-order', 'warning'],
    ]);
  });

  it('V7: rejects a take profit that does not cover two fees', () => {
    expect(errors({ takeProfit: { pct: '0.2' } })).toContain('takeProfit.pct:dca-take-profit-below-fees');
    expect(codes({ takeProfit: { pct: '0.25' } })).toContain('takeProfit.pct:dca-take-profit-thin');
  });

  it('V10: requires a secret for webhook starts and a supported RSI timeframe', () => {
    expect(errors({ start: { mode: 'webhook' } })).toContain(
      'start.webhook.secretRef:dca-webhook-secret-required',
    );
    expect(errors({ start: { mode: 'indicator', indicator: { timeframe: '2h' } } })).toContain(
      'start.indicator:dca-indicator-unsupported',
    );
  });

  it('rejects custom levels whose deviations do not increase', () => {
    const custom = [
      { deviationPct: '2', size: '10' },
      { deviationPct: '2', size: '10' },
    ];

    expect(errors({ safetyOrders: { customLevels: custom, maxActive: 1 } })).toContain(
      'safetyOrders.customLevels.1.deviationPct:dca-custom-levels-not-increasing',
    );
  });

  it('rejects a deal timeout between 1 and 59 seconds and a futures market', () => {
    expect(errors({ deal: { timeoutSec: 30 } })).toContain('deal.timeoutSec:dca-out-of-range');
    expect(errors({}, undefined, aMarket({ type: 'swap' }))).toContain(':dca-market-not-spot');
  });
});
