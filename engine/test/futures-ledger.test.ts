import { describe, expect, it } from '@jest/globals';
import { dec } from '../src/core/decimal.ts';
import { datasetPath, findDataset } from '../src/adapters/feeds/datasets.ts';
import { loadBarsFile } from '../src/adapters/feeds/files.ts';
import { parseOhlcvCsv } from '../src/adapters/feeds/columns.ts';
import { readAllEvents, runBacktest } from '../src/backtest/backtest.ts';
import type { HistoryEvent } from '../src/model/events.ts';
import type { StrategyDefinition } from '../src/kernel/strategy.ts';
import { aMarket, barsOf } from './builders.ts';
import { leveragedLong } from './toy-strategies.ts';
import { futuresGridStrategy } from '../src/strategies/futures-grid/index.ts';
import { liquidationPrice } from '../src/strategies/shared/futures.ts';

const perp = aMarket('BTC/USDT:USDT', { limits: { amount: { min: '0.001' }, cost: { min: '5' } } });
const strategy = leveragedLong as StrategyDefinition<unknown, unknown>;

async function backtest(rows: Parameters<typeof barsOf>[0], params: unknown) {
  const result = await runBacktest({
    strategy,
    params,
    market: perp,
    series: barsOf(rows),
    balances: { USDT: '1000' },
  });
  return { result, events: await readAllEvents(result.store, result.botKey, result.runId) };
}

const find = (events: HistoryEvent[], type: HistoryEvent['type']) => events.filter((e) => e.type === type);

describe('futures ledger: isolated linear perpetual (grid-family §5.3, dca-twap-risk §3.3)', () => {
  it('posts notional / leverage as margin and marks the position to the bar price', async () => {
    const { result } = await backtest(
      [
        [100, 101, 99, 100],
        [100, 106, 99, 105],
      ],
      { leverage: '10', qty: '1' },
    );

    // Wallet 1000 − margin 10 − taker fee 0.05; equity at 105 = 989.95 + 10 + 1·(105 − 100).
    expect(result.metrics.finalEquity).toBe('1004.95');
    expect(result.metrics.fees).toBe('0.05');
    expect(result.metrics.liquidations).toBe(0);
  });

  it('liquidates a long when the mark reaches (Q·avg − M) / (Q·(1 − MMR)) and loses the whole isolated margin, as events and a metric', async () => {
    const { result, events } = await backtest(
      [
        [100, 101, 99, 100],
        [100, 100, 85, 88],
        [88, 120, 87, 119],
      ],
      { leverage: '10', qty: '1' },
    );

    const liquidation = find(events, 'AuditEvent').find(
      (e) => e.type === 'AuditEvent' && e.data.action === 'liquidation',
    );
    const lp = dec('90').dividedBy('0.996');
    expect(liquidation?.data).toEqual(
      expect.objectContaining({
        details: expect.objectContaining({
          qty: '1',
          entryPrice: '100',
          loss: '10',
          liquidationPrice: lp.toFixed(),
        }),
      }),
    );
    expect(
      find(events, 'StateTransition').map((e) => (e.type === 'StateTransition' ? e.data.to : '')),
    ).toContain('LIQUIDATED');
    const lastPosition = find(events, 'PositionSnapshot').at(-1);
    expect(lastPosition?.data).toEqual(
      expect.objectContaining({ side: 'flat', contracts: '0', margin: '0' }),
    );
    expect(result.metrics.liquidations).toBe(1);
    expect(result.metrics.liquidationLoss).toBe('10');
    // The rally after the liquidation does not help: the position is gone.
    expect(result.metrics.finalEquity).toBe('989.95');
    expect(result.phase).toBe('LIQUIDATED');
  });

  it('liquidates a short when the mark rises to (Q·avg + M) / (Q·(1 + MMR))', async () => {
    const { result, events } = await backtest(
      [
        [100, 101, 99, 100],
        [100, 112, 99, 111],
      ],
      { leverage: '10', qty: '1', side: 'sell' },
    );

    const liquidation = find(events, 'AuditEvent').find(
      (e) => e.type === 'AuditEvent' && e.data.action === 'liquidation',
    );
    expect(liquidation?.data).toEqual(
      expect.objectContaining({
        details: expect.objectContaining({ liquidationPrice: dec('110').dividedBy('1.004').toFixed() }),
      }),
    );
    expect(result.metrics.liquidationLoss).toBe('10');
  });

  it('liquidates a 10× long opened on May 1 2021 during the May 2021 crash in the bundled 5-minute data', async () => {
    const series = await loadBarsFile(datasetPath(findDataset('BTC/USDT:USDT', '5m')!));
    const result = await runBacktest({
      strategy,
      params: { leverage: '10', qty: '0.1' },
      market: aMarket('BTC/USDT:USDT'),
      series,
      balances: { USDT: '10000' },
    });
    const events = await readAllEvents(result.store, result.botKey, result.runId);

    const liquidation = events.find((e) => e.type === 'AuditEvent' && e.data.action === 'liquidation');
    expect(liquidation).toBeDefined();
    expect(new Date(liquidation!.ts).toISOString() < '2021-05-20').toBe(true);
    expect(result.metrics.liquidations).toBe(1);
    // Margin posted = 0.1 × entry / 10; the market entry is the first open ceiled to the 0.1 tick.
    const entry = result.trades[0]!.price;
    expect(dec(entry).minus(series.bar(0).open).abs().lessThan('0.1')).toBe(true);
    expect(result.metrics.liquidationLoss).toBe(dec('0.1').times(entry).dividedBy(10).toFixed());
  });

  it('liquidates a 5× LONG futures grid (52000–60000) in the May 2021 crash at the LP of its isolated wallet, losing the whole wallet', async () => {
    const series = await loadBarsFile(datasetPath(findDataset('BTC/USDT:USDT', '5m')!));
    const market = aMarket('BTC/USDT:USDT');
    const params = {
      direction: 'LONG',
      ...{ lowPrice: '52000', highPrice: '60000', gridCount: 8, gridMode: 'arithmetic' },
      ...{ investment: '1000', leverage: 5 },
    };
    const grid = futuresGridStrategy as StrategyDefinition<unknown, unknown>;
    // The grid itself is valid: its worst-case LP is below the range with the 5 % buffer.
    expect(grid.validate(grid.normalizeParams(params), market, String(series.bar(0).open))).toEqual([]);
    const result = await runBacktest({ strategy: grid, params, market, series, balances: { USDT: '1000' } });
    const events = await readAllEvents(result.store, result.botKey, result.runId);

    const liquidation = events.find((e) => e.type === 'AuditEvent' && e.data.action === 'liquidation');
    expect(liquidation).toBeDefined();
    expect(new Date(liquidation!.ts).toISOString() < '2021-05-20').toBe(true);
    const d = (liquidation!.type === 'AuditEvent' ? liquidation.data.details : undefined) as Record<
      string,
      string
    >;
    expect(d['marginModel']).toBe('isolatedWallet');
    const position = { qty: d['qty']!, entryPrice: d['entryPrice']! };
    expect(d['liquidationPrice']).toBe(
      liquidationPrice(d['walletBalance']!, position, { mmr: market.maintenanceMarginRate! }),
    );
    // The whole isolated wallet (1000 − fees ± realised grid pairs) is lost, more than the posted margin.
    expect(d['loss']).toBe(d['walletBalance']);
    const posted = find(events, 'PositionSnapshot')
      .filter((e) => e.seq < liquidation!.seq)
      .at(-1);
    expect(dec(d['loss']!).greaterThan(posted?.type === 'PositionSnapshot' ? posted.data.margin! : '0')).toBe(
      true,
    );
    expect(result.metrics.liquidations).toBe(1);
    expect(dec(result.metrics.liquidationLoss).minus(d['loss']!).abs().lessThan('1e-9')).toBe(true);
    expect(result.phase).toBe('LIQUIDATED');
  });

  it('pays funding from a data column on the position: a long pays close · qty · rate at a positive rate', async () => {
    const csv =
      'timestamp,open,high,low,close,volume,fundingRate\n0,100,101,99,100,1,\n60000,100,101,99,100,1,0.001\n120000,100,101,99,100,1,\n';
    const result = await runBacktest({
      strategy,
      params: { leverage: '10', qty: '1' },
      market: perp,
      series: parseOhlcvCsv(csv),
      balances: { USDT: '1000' },
    });
    const events = await readAllEvents(result.store, result.botKey, result.runId);

    const funding = events.filter((e) => e.type === 'AuditEvent' && e.data.action === 'funding');
    expect(funding.map((e) => (e.type === 'AuditEvent' ? e.data.reason : ''))).toEqual([
      'funding rate 0.001: -0.1 to margin',
    ]);
    // 1000 − taker fee 0.05 − funding 0.1, flat mark.
    expect(result.metrics.finalEquity).toBe('999.85');
  });
});
