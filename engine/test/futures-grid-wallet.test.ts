// Futures Grid through the real kernel + paper exchange: the ledger's liquidation price uses the bot's
// isolated wallet WB = investment − fees ± realised ± funding, as grid-family.md §5.3 and §5.7 specify.
import { describe, expect, it } from '@jest/globals';
import { dec } from '../src/core/decimal.ts';
import type { Dec } from '../src/core/decimal.ts';
import { parseOhlcvCsv } from '../src/adapters/feeds/columns.ts';
import { readAllEvents, runBacktest } from '../src/backtest/backtest.ts';
import type { BarSeries } from '../src/ports/feed.ts';
import type { EventPayloads, HistoryEvent } from '../src/model/events.ts';
import type { StrategyDefinition } from '../src/kernel/strategy.ts';
import { futuresGridStrategy } from '../src/strategies/futures-grid/index.ts';
import { aMarket, barsOf } from './builders.ts';

/** The §5.7 market: step 0.01, MMR 0.5 %, cum 0, fee 0.1 % in quote (maker and taker). */
const perp = aMarket('BTC/USDT:USDT', {
  precision: { price: '0.01', amount: '0.01' },
  limits: { amount: { min: '0.01' }, cost: { min: '5' }, leverage: { min: '1', max: '125' } },
  maker: '0.001',
  taker: '0.001',
  maintenanceMarginRate: '0.005',
});

/** Example F: lines 100, 125, 150, 175, 200, investment 1000 isolated. */
const exampleF = (overrides: Record<string, unknown>) => ({
  direction: 'LONG',
  lowPrice: '100',
  highPrice: '200',
  gridCount: 4,
  gridMode: 'arithmetic',
  investment: '1000',
  leverage: 3,
  liquidationBufferPct: '5',
  ...overrides,
});

type Snapshot = EventPayloads['PositionSnapshot'];

/**
 * §5.3 sizes the larger side to exactly investment·leverage, while the risk gate also holds back each
 * opening order's fee, so the bot gets a cushion on top of its investment. Its isolated wallet stays the
 * investment it declares (setLeverage `wallet`), so WB and LP are the document's.
 */
const CUSHION = '10';
const fundedGrid: StrategyDefinition<unknown, unknown> = {
  ...(futuresGridStrategy as StrategyDefinition<unknown, unknown>),
  budget: () => ({ quote: dec('1000').plus(CUSHION).toFixed() }),
};

async function backtest(series: BarSeries, params: unknown) {
  const result = await runBacktest({
    strategy: fundedGrid,
    params,
    market: perp,
    series,
    balances: { USDT: '5000' },
  });
  const events = await readAllEvents(result.store, result.botKey, result.runId);
  return { result, events, snapshots: snapshotsOf(events) };
}

function snapshotsOf(events: readonly HistoryEvent[]): Snapshot[] {
  return events.flatMap((e) => (e.type === 'PositionSnapshot' ? [e.data] : []));
}

/** The isolated wallet WB a snapshot shows: free quote plus posted margin, less the cushion outside it. */
const walletOf = (s: Snapshot): Dec =>
  dec(s.quote)
    .plus(s.margin ?? '0')
    .minus(CUSHION)
    .toFixed();

/** The snapshot right after the position reached `contracts` on `side`. */
function at(snapshots: readonly Snapshot[], side: 'buy' | 'sell', contracts: string): Snapshot {
  const found = snapshots.find((s) => s.side === side && dec(s.contracts ?? '0').eq(contracts));
  if (!found) throw new Error(`no ${side} position of ${contracts}: ${JSON.stringify(snapshots)}`);
  return found;
}

const near = (actual: Dec | undefined, expected: string, digits = 7): void => {
  expect(actual).toBeDefined();
  expect(dec(actual!).minus(expected).abs().toNumber()).toBeLessThan(10 ** -digits);
};

const liquidationOf = (events: readonly HistoryEvent[]) =>
  events.find((e) => e.type === 'AuditEvent' && e.data.action === 'liquidation');

describe('futures grid ledger per grid-family §5.7 (isolated wallet WB)', () => {
  it('F2/F3: a 3× LONG shows LP_now 56.2461465 after the initial buy and 79.4153539 after the buy at 125', async () => {
    const { snapshots } = await backtest(
      barsOf([
        [140, 140, 140, 140],
        [140, 140, 125, 125],
      ]),
      exampleF({}),
    );

    const initial = at(snapshots, 'buy', '11.88');
    expect(walletOf(initial)).toBe('998.3368');
    near(initial.liquidationPrice, '56.2461465');
    const afterBuy = at(snapshots, 'buy', '17.82');
    expect(afterBuy.entryPrice).toBe('135');
    expect(walletOf(afterBuy)).toBe('997.5943');
    near(afterBuy.liquidationPrice, '79.4153539');
  });

  it('F5 NEUTRAL 3×: the worst short (both sells fill) is Q 16 @ 187.5, WB 997, LP 248.5696517', async () => {
    const { snapshots } = await backtest(
      barsOf([
        [140, 140, 140, 140],
        [140, 200, 140, 200],
      ]),
      exampleF({ direction: 'NEUTRAL' }),
    );

    const short = at(snapshots, 'sell', '16');
    expect(short.entryPrice).toBe('187.5');
    expect(walletOf(short)).toBe('997');
    near(short.liquidationPrice, '248.5696517');
  });

  it('F5 NEUTRAL 3×: the worst long (both buys fill) is Q 16 @ 112.5, WB 998.2, LP 50.3643216', async () => {
    const { snapshots } = await backtest(
      barsOf([
        [140, 140, 140, 140],
        [140, 140, 100, 100],
      ]),
      exampleF({ direction: 'NEUTRAL' }),
    );

    const long = at(snapshots, 'buy', '16');
    expect(long.entryPrice).toBe('112.5');
    expect(walletOf(long)).toBe('998.2');
    near(long.liquidationPrice, '50.3643216');
  });

  it('NEUTRAL is one net one-way position (§5.3): short above the start, closed and flipped long below, WB carrying the realised pairs', async () => {
    const { snapshots } = await backtest(
      barsOf([
        [140, 140, 140, 140],
        [140, 200, 140, 200],
        [200, 200, 100, 100],
      ]),
      exampleF({ direction: 'NEUTRAL' }),
    );

    const sides = snapshots.map((s) => `${s.side ?? ''} ${s.contracts ?? ''}`);
    expect(sides).toEqual(['sell 8', 'sell 16', 'sell 8', 'flat 0', 'buy 8', 'buy 16']);
    // Pairs (sell 175, buy 150) and (sell 200, buy 175) realise 8·25 each (400); fees are 0.1 % of
    // every fill: 8·(175 + 200 + 175 + 150 + 125 + 100)·0.001 = 7.4. WB = 1000 + 400 − 7.4.
    const long = snapshots.at(-1)!;
    expect(walletOf(long)).toBe('1392.6');
    // LP = (WB − Q·EP) / (Q·MMR − Q) with Q 16, EP 112.5.
    near(long.liquidationPrice, dec('1392.6').minus(1800).dividedBy(dec(16).times('-0.995')).toFixed());
  });

  it('funding from the data column changes WB and moves LP_now (Appendix D.9): a short receives 16·200·0.001', async () => {
    const csv = [
      'timestamp,open,high,low,close,volume,fundingRate',
      '0,140,140,140,140,10,',
      '60000,140,200,140,200,10,',
      '120000,200,200,200,200,10,0.001',
    ].join('\n');
    const { events, snapshots } = await backtest(parseOhlcvCsv(csv), exampleF({ direction: 'NEUTRAL' }));

    const funding = events.filter((e) => e.type === 'AuditEvent' && e.data.action === 'funding');
    expect(funding).toHaveLength(1);
    const after = snapshots.at(-1)!;
    expect(walletOf(after)).toBe('1000.2');
    // (WB + Q·EP) / (Q·(1 + MMR)) with WB 997 + 3.2.
    near(after.liquidationPrice, dec('1000.2').plus(3000).dividedBy('16.08').toFixed());
    expect(dec(after.liquidationPrice!).greaterThan(at(snapshots, 'sell', '16').liquidationPrice!)).toBe(
      true,
    );
  });

  it('liquidates a 3× LONG at LP_worst 84.7122693 losing the whole isolated wallet 997.0003 (not the posted margin), as event, transition and metrics', async () => {
    const { result, events, snapshots } = await backtest(
      barsOf([
        [140, 140, 140, 140],
        [140, 140, 100, 100],
        [100, 100, 80, 80],
        [80, 150, 80, 150],
      ]),
      exampleF({}),
    );

    const worst = at(snapshots, 'buy', '23.76');
    expect(walletOf(worst)).toBe('997.0003');
    near(worst.liquidationPrice, '84.7122693');
    const liquidation = liquidationOf(events);
    expect(liquidation?.data).toEqual(
      expect.objectContaining({
        details: expect.objectContaining({
          marginModel: 'isolatedWallet',
          walletBalance: '997.0003',
          loss: '997.0003',
          liquidationPrice: worst.liquidationPrice,
        }),
      }),
    );
    // The posted margin (notional / 3 = 999.9) is not what this model loses.
    expect(worst.margin).toBe('999.9');
    const transitions = events.flatMap((e) => (e.type === 'StateTransition' ? [e.data.to] : []));
    expect(transitions).toContain('LIQUIDATED');
    expect(result.metrics.liquidations).toBe(1);
    expect(result.metrics.liquidationLoss).toBe('997.0003');
    // Nothing of the isolated wallet is left (only the cushion outside it), and the rally cannot bring it back.
    expect(result.metrics.finalEquity).toBe(CUSHION);
    expect(snapshots.at(-1)).toEqual(expect.objectContaining({ side: 'flat', margin: '0' }));
  });
});
