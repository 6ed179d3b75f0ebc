import { describe, expect, it } from '@jest/globals';
import { parseOhlcvCsv } from '../src/adapters/feeds/columns.ts';
import { DATASETS, datasetPath, findDataset } from '../src/adapters/feeds/datasets.ts';
import { loadBarsFile } from '../src/adapters/feeds/files.ts';
import { ReplayFeed } from '../src/adapters/feeds/replay.ts';

const HEADER = 'timestamp,open,high,low,close,volume';

describe('CSV bar feed', () => {
  it('keeps the exact decimal text of every value, trailing zeros removed, and floats for the hot path', () => {
    const series = parseOhlcvCsv(
      `${HEADER}\n1000,4410.0,4412.123456789012345,4400.5,4401,0.00000001\n2000,4401,4402,4400,4401.5,12\n`,
    );

    expect(series.bar(0)).toEqual({
      ts: 1000,
      open: '4410',
      high: '4412.123456789012345',
      low: '4400.5',
      close: '4401',
      volume: '0.00000001',
    });
    expect([series.length, series.close[1], series.timeframeMs]).toEqual([2, 4401.5, 1000]);
  });

  it('reads an optional funding rate column and leaves bars without one unset', () => {
    const series = parseOhlcvCsv(`${HEADER},fundingRate\n0,1,1,1,1,1,0.0001\n60000,1,1,1,1,1,\n`);

    expect(series.bar(0).fundingRate).toBe('0.0001');
    expect(series.bar(1).fundingRate).toBeUndefined();
  });

  it('names the line of a malformed row, a timestamp that goes back and an impossible candle', () => {
    expect(() => parseOhlcvCsv('ts,o,h,l,c,v\n', 'x.csv')).toThrow(/x\.csv:1: header/);
    expect(() => parseOhlcvCsv(`${HEADER}\n1,1,1,1,1,1\n2,1,1,x,1,1\n`, 'x.csv')).toThrow(
      'x.csv:3: column low is not a number',
    );
    expect(() => parseOhlcvCsv(`${HEADER}\n2,1,1,1,1,1\n1,1,1,1,1,1\n`, 'x.csv')).toThrow(
      /x\.csv:3: timestamp 1 is not after/,
    );
    expect(() => parseOhlcvCsv(`${HEADER}\n1,5,4,1,2,1\n`, 'x.csv')).toThrow(/x\.csv:2: high\/low/);
  });

  it('bundles every registered data set, readable and time-ordered, with perpetuals replaying spot candles', async () => {
    for (const dataset of DATASETS) {
      const series = await loadBarsFile(datasetPath(dataset));
      expect(series.length).toBeGreaterThan(1000);
    }
    expect(findDataset('BTC/USDT:USDT', '5m')?.file).toBe(findDataset('BTC/USDT', '5m')?.file);
    expect(findDataset('BTC/USDT')?.timeframe).toBe('1m');
    expect(findDataset('DOGE/USDT')).toBeUndefined();
  });
});

describe('replay feed', () => {
  const series = parseOhlcvCsv(
    `${HEADER}\n0,1,1,1,1,1\n60000,2,2,2,2,1\n120000,3,3,3,3,1\n180000,4,4,4,4,1\n`,
  );

  it('paces bars by their spacing divided by the speed-up, starting at `from`', async () => {
    const waits: number[] = [];
    const feed = new ReplayFeed(series, {
      symbol: 'X/Y',
      from: 60_000,
      speed: 60,
      sleep: (ms) => Promise.resolve(void waits.push(ms)),
    });

    const closes: string[] = [];
    for await (const bar of feed.bars()) closes.push(bar.close);

    expect(closes).toEqual(['2', '3', '4']);
    expect(waits).toEqual([1000, 1000]);
    expect(feed.last).toEqual({ ts: 180_000, close: '4' });
  });

  it('replays without waiting at unlimited speed and stops when aborted', async () => {
    const abort = new AbortController();
    const feed = new ReplayFeed(series, {
      symbol: 'X/Y',
      sleep: () => Promise.reject(new Error('must not wait')),
    });

    const seen: number[] = [];
    for await (const bar of feed.bars(abort.signal)) {
      seen.push(bar.ts);
      if (seen.length === 2) abort.abort();
    }

    expect(seen).toEqual([0, 60_000]);
  });
});
