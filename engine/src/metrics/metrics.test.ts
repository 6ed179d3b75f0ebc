import { describe, expect, it } from '@jest/globals';
import { exposurePct, maxDrawdownPct, MetricsRecorder, summarize } from './metrics.ts';

describe('metrics (DESIGN §6.2) on a hand-computed series', () => {
  // Initial equity 100; bar-close equity 110, 99, 121, 88; position values 55, 0, 60.5, 88.
  const curve = {
    ts: [60_000, 120_000, 180_000, 240_000],
    equity: [110, 99, 121, 88],
    exposure: [55, 0, 60.5, 88],
    start: 0,
  };
  const metrics = summarize({
    initialEquity: '100',
    finalEquity: '88',
    curve,
    fees: '0.3',
    slippage: '0.05',
    trades: 6,
    roundTripPnls: ['5', '-2', '3'],
  });

  it('totalPnl is final minus initial equity and totalPnlPct is relative to the initial equity', () => {
    expect(metrics.totalPnl).toBe('-12');
    expect(metrics.totalPnlPct).toBe('-12');
  });

  it('maxDrawdownPct is the largest fall from the running peak: (121 − 88) / 121 = 27.272727 %', () => {
    expect(metrics.maxDrawdownPct).toBe(27.272727);
  });

  it('realizedPnl sums closed round trips and winRate counts the profitable ones: 6 and 2 / 3', () => {
    expect(metrics.realizedPnl).toBe('6');
    expect(metrics.winRate).toBe(0.666667);
    expect(metrics.roundTrips).toBe(3);
  });

  it('exposurePct is the time-weighted mean of |position value| / equity: (0.5 + 0 + 0.5 + 1) / 4 = 50 %', () => {
    expect(metrics.exposurePct).toBe(50);
  });

  it('passes fees, slippage and the fill count through unchanged', () => {
    expect([metrics.fees, metrics.slippage, metrics.trades]).toEqual(['0.3', '0.05', 6]);
  });

  it('weighs exposure samples by the time they cover (a gap in the data counts for its length)', () => {
    expect(exposurePct({ ts: [60_000, 180_000], equity: [100, 100], exposure: [100, 25], start: 0 })).toBe(
      50,
    );
  });

  it('measures drawdown from the initial equity when the curve never rises above it', () => {
    expect(maxDrawdownPct(200, [150, 180, 100])).toBe(50);
  });

  it('reports a win rate of 0 and no realized PnL when no round trip closed', () => {
    const none = summarize({
      initialEquity: '10',
      finalEquity: '10',
      curve: { ts: [], equity: [], exposure: [], start: 0 },
      fees: '0',
      slippage: '0',
      trades: 0,
      roundTripPnls: [],
    });
    expect([none.winRate, none.realizedPnl, none.maxDrawdownPct, none.exposurePct]).toEqual([0, '0', 0, 0]);
  });

  it('the recorder computes the same metrics from samples fed one by one, beyond its initial buffer', () => {
    const recorder = new MetricsRecorder('100', 0);
    for (let i = 0; i < 3000; i++) recorder.sample((i + 1) * 60_000, 100, 0);
    curve.ts.forEach((t, i) => recorder.sample(3000 * 60_000 + t, curve.equity[i]!, curve.exposure[i]!));
    ['5', '-2', '3'].forEach((p) => recorder.recordRoundTrip(p));

    const m = recorder.summarize('88');

    expect([m.maxDrawdownPct, m.realizedPnl, m.winRate, m.totalPnl]).toEqual([
      27.272727,
      '6',
      0.666667,
      '-12',
    ]);
    expect(m.exposurePct).toBeCloseTo((2 / 3004) * 100, 5);
  });
});
