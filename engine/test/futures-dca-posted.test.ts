// DCA Futures through the real kernel + paper exchange: the ledger's liquidation price uses the margin
// posted by filled legs, M (dca-twap-risk.md §3.3.4), reproducing DCA-FUT-1 (§3.7).
import { describe, expect, it } from '@jest/globals';
import { dec } from '../src/core/decimal.ts';
import type { Dec } from '../src/core/decimal.ts';
import { readAllEvents, runBacktest } from '../src/backtest/backtest.ts';
import type { EventPayloads } from '../src/model/events.ts';
import { dcaFuturesStrategy } from '../src/strategies/dca-futures/index.ts';
import { aDcaFuturesParams } from '../src/strategies/dca-futures/test-builders.ts';
import { aMarket, barsOf } from './builders.ts';

/** DCA-FUT-1's contract: MMR 0.5 %, cum 0, fee 0.05 %; quantities floor to 1e-10 (the vector rounds none). */
const perp = aMarket('BTC/USDT:USDT', {
  precision: { price: '0.01', amount: '0.0000000001' },
  limits: { amount: { min: '0.0000000001' }, cost: { min: '1' }, leverage: { min: '1', max: '125' } },
  maker: '0.0005',
  taker: '0.0005',
  maintenanceMarginRate: '0.005',
});

/** Base at 100, then the path reaches SO1 98, SO2 95, SO3 90.5 and finally `low`. */
async function ladderTo(low: number) {
  const result = await runBacktest({
    strategy: dcaFuturesStrategy,
    // The guard would close the deal just before liquidation; at 0 the liquidation itself is observed.
    params: aDcaFuturesParams({ safetyOrders: { maxActive: 3 }, liquidation: { emergencyDistancePct: '0' } }),
    market: perp,
    series: barsOf([
      [100, 100, 100, 100],
      [100, 100, 97.9, 98],
      [98, 98, 94.9, 95],
      [95, 95, 90.4, 90.5],
      [90.5, 90.5, low, low],
    ]),
    balances: { USDT: '100' },
  });
  const events = await readAllEvents(result.store, result.botKey, result.runId);
  const snapshots = events.flatMap((e) => (e.type === 'PositionSnapshot' ? [e.data] : []));
  return { result, events, snapshots };
}

/** Equal to the vector's 10 dp within what flooring each leg's quantity to 1e-10 moves it (< 1e-8). */
const near = (actual: Dec | undefined, expected: string): void => {
  expect(actual).toBeDefined();
  expect(dec(actual!).minus(expected).abs().toNumber()).toBeLessThan(1e-8);
};

const opened = (snapshots: readonly EventPayloads['PositionSnapshot'][]) =>
  snapshots.filter((s) => s.side === 'buy');

describe('DCA Futures ledger per dca-twap-risk §3.7 (posted legs M)', () => {
  it('DCA-FUT-1: LP 80.4020100503 → 79.5898685346 → 77.9528990958 → 75.2690307465 with M 10 → 20 → 40 → 80', async () => {
    const { snapshots } = await ladderTo(88);

    const legs = opened(snapshots);
    expect(legs).toHaveLength(4);
    ['10', '20', '40', '80'].forEach((m, k) => near(legs[k]!.margin, m));
    near(legs[0]!.liquidationPrice, '80.4020100503');
    near(legs[1]!.liquidationPrice, '79.5898685346');
    near(legs[2]!.liquidationPrice, '77.9528990958');
    near(legs[3]!.liquidationPrice, '75.2690307465');
    near(legs[3]!.entryPrice, '93.6158569910');
  });

  it('liquidates below LP_3 and loses the posted margin M = 80, not the bot wallet, as event, transition and metrics', async () => {
    const { result, events } = await ladderTo(70);

    const liquidation = events.find((e) => e.type === 'AuditEvent' && e.data.action === 'liquidation');
    const details = (liquidation?.data as { details?: Record<string, string> } | undefined)?.details;
    expect(details?.['marginModel']).toBe('postedLegs');
    near(details?.['liquidationPrice'], '75.2690307465');
    // Lost: exactly the posted margin the formula used (≈ 80), the wallet outside it is kept.
    expect(details?.['loss']).toBe(details?.['walletBalance']);
    near(details?.['loss'], '80');
    const transitions = events.flatMap((e) => (e.type === 'StateTransition' ? [e.data.to] : []));
    expect(transitions).toContain('LIQUIDATED');
    expect(result.metrics.liquidations).toBe(1);
    near(result.metrics.liquidationLoss, details?.['loss'] ?? 'missing');
    // The wallet keeps what was never posted: 100 − 80 − entry fees 0.05 % of 400.
    near(result.metrics.finalEquity, '19.8');
  });
});
