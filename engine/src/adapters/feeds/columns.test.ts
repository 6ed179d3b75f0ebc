import { describe, expect, it } from '@jest/globals';
import { ColumnarBars, parseOhlcvCsv } from './columns.ts';

const HEADER = 'timestamp,open,high,low,close,volume';

describe('columnar bars close text', () => {
  it('gives the close of every bar as the bar itself holds it, source text kept where floats would differ', () => {
    const series = parseOhlcvCsv(
      `${HEADER}\n0,10,12,9,11.50,1\n60000,4410,4413,4400,4412.123456789012345,2\n120000,0.00000002,0.00000002,0.00000001,0.00000001,3\n`,
    );

    const closes = [0, 1, 2].map((i) => series.closeText(i));

    expect(closes).toEqual([0, 1, 2].map((i) => series.bar(i).close));
    expect(closes).toEqual(['11.5', '4412.123456789012345', '0.00000001']);
  });

  it('formats the close from the float column when the series keeps no text', () => {
    const column = (...values: number[]) => Float64Array.from(values);
    const series = new ColumnarBars({
      ts: column(0, 60000),
      open: column(1, 2),
      high: column(1, 2),
      low: column(1, 2),
      close: column(101.25, 1e-7),
      volume: column(1, 1),
    });

    expect([series.closeText(0), series.closeText(1)]).toEqual([series.bar(0).close, series.bar(1).close]);
    expect(series.closeText(0)).toBe('101.25');
  });
});
