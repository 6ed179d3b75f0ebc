import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CurveRecorder, type EquityLineF } from './curve.ts';
import { exposurePct, maxDrawdownPct } from './metrics.ts';

const MINUTE = 60_000;

/** A recording step: one sample, or a quiet run over bars of the series on one equity line. */
type Step =
  | { readonly kind: 'sample'; readonly equity: number; readonly exposure: number }
  | { readonly kind: 'run'; readonly bars: number; readonly line: EquityLineF };

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('sample' as const),
    equity: finite,
    exposure: fc.double({ min: 0, max: 1e6, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant('run' as const),
    bars: fc.integer({ min: 0, max: 40 }),
    line: fc.record({ offset: finite, slope: fc.double({ min: -5, max: 5, noNaN: true }), entry: finite }),
  }),
);

/** Closes of a series long enough for any run, with minute timestamps (some repeated: zero-weight samples). */
function series(closes: readonly number[]): { ts: Float64Array; close: Float64Array } {
  const ts = Float64Array.from(
    closes,
    (_, i) => Math.floor(i / 3) * 3 * MINUTE + (i % 3 === 2 ? 0 : i) * MINUTE,
  );
  return { ts, close: Float64Array.from(closes) };
}

/** Records `steps` into a recorder, and the same samples one by one into a plain list. */
function record(initial: number, steps: readonly Step[], closes: readonly number[]) {
  const { ts, close } = series(closes);
  const recorder = new CurveRecorder(initial, 0);
  const plain = { ts: [] as number[], equity: [] as number[], exposure: [] as number[] };
  let bar = 0;
  let t = 0;
  for (const s of steps) {
    if (s.kind === 'sample') {
      t += MINUTE;
      recorder.sample(t, s.equity, s.exposure);
      plain.ts.push(t);
      plain.equity.push(s.equity);
      plain.exposure.push(s.exposure);
      continue;
    }
    const to = Math.min(close.length, bar + s.bars);
    recorder.sampleRun(ts, close, bar, to, MINUTE, s.line);
    for (let i = bar; i < to; i++) {
      const c = close[i]!;
      plain.ts.push(ts[i]! + MINUTE);
      plain.equity.push(s.line.offset + s.line.slope * (c - s.line.entry));
      plain.exposure.push(Math.abs(s.line.slope * c));
    }
    bar = to;
  }
  return { recorder, plain };
}

describe('CurveRecorder', () => {
  it('writes out exactly the samples recorded one by one and as quiet runs, in order', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 30 }),
        fc.array(fc.double({ min: 1, max: 1e5, noNaN: true }), { minLength: 400, maxLength: 400 }),
        (steps, closes) => {
          const { recorder, plain } = record(1000, steps, closes);
          const curve = recorder.curve();
          expect(Array.from(curve.ts)).toEqual(plain.ts);
          expect(Array.from(curve.equity)).toEqual(plain.equity);
          expect(Array.from(curve.exposure)).toEqual(plain.exposure);
        },
      ),
    );
  });

  it('folds the same max drawdown and exposure, bit for bit, as the passes over the written curve', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 1e6, noNaN: true }),
        fc.array(step, { maxLength: 30 }),
        fc.array(fc.double({ min: 1, max: 1e5, noNaN: true }), { minLength: 400, maxLength: 400 }),
        (initial, steps, closes) => {
          const { recorder, plain } = record(initial, steps, closes);
          const { worst, weighted, total, count, lastTs } = recorder.folds();
          const curve = { ...plain, start: 0 };
          expect(Math.round(worst * 100 * 1e6) / 1e6).toBe(maxDrawdownPct(initial, plain.equity));
          expect(total === 0 ? 0 : Math.round((weighted / total) * 100 * 1e6) / 1e6).toBe(exposurePct(curve));
          expect(count).toBe(plain.ts.length);
          expect(lastTs).toBe(plain.ts.at(-1) ?? 0);
        },
      ),
    );
  });

  it('extends the written curve from where the last call left off', () => {
    const { ts, close } = series([100, 110, 90, 95, 120]);
    const recorder = new CurveRecorder(100, 0);
    recorder.sampleRun(ts, close, 0, 2, MINUTE, { offset: 0, slope: 1, entry: 0 });
    const first = Array.from(recorder.curve().equity);
    recorder.sample(10 * MINUTE, 50, 0);
    recorder.sampleRun(ts, close, 2, 5, MINUTE, { offset: 10, slope: 2, entry: 100 });

    expect(first).toEqual([100, 110]);
    expect(Array.from(recorder.curve().equity)).toEqual([100, 110, 50, -10, 0, 50]);
    expect(recorder.folds().worst).toBeCloseTo((110 - -10) / 110, 12);
  });
});
