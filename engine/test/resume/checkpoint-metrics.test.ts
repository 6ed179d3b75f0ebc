import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MetricsRecorder } from '../../src/metrics/metrics.ts';
import { compactCurve, restoreMetrics, saveMetrics } from '../../src/kernel/checkpoint-metrics.ts';

const sample = fc.record({
  dt: fc.integer({ min: 0, max: 3_600_000 }),
  equity: fc.double({ min: 1, max: 1e6, noNaN: true }),
  exposure: fc.double({ min: 0, max: 1e6, noNaN: true }),
});

function feed(
  recorder: MetricsRecorder,
  samples: readonly { dt: number; equity: number; exposure: number }[],
  t0: number,
): number {
  let t = t0;
  for (const s of samples) {
    t += s.dt;
    recorder.sample(t, s.equity, s.exposure);
  }
  return t;
}

describe('checkpointed metrics', () => {
  it('continue with the same drawdown, exposure, fees and round trips as an uninterrupted recorder', () => {
    fc.assert(
      fc.property(
        fc.array(sample, { maxLength: 40 }),
        fc.array(sample, { maxLength: 40 }),
        (before, after) => {
          const whole = new MetricsRecorder('1000', 0);
          whole.recordFill('0.1234567890123', '0.5');
          whole.recordRoundTrip('-2.5');
          const t = feed(whole, before, 0);
          const saved = JSON.parse(JSON.stringify(saveMetrics(whole, compactCurve(whole)))) as ReturnType<
            typeof saveMetrics
          >;
          const resumed = restoreMetrics(saved);
          for (const recorder of [whole, resumed]) {
            feed(recorder, after, t);
            recorder.recordFill('0.0000000000001', '0');
          }

          const [a, b] = [whole.summarize('1100'), resumed.summarize('1100')];
          expect(saved.curve.ts.length).toBeLessThanOrEqual(3);
          // The two float ratios are rounded to 6 places after sums in another order: equal to ~1e-5.
          expect({ ...b, exposurePct: 0, maxDrawdownPct: 0 }).toEqual({
            ...a,
            exposurePct: 0,
            maxDrawdownPct: 0,
          });
          expect(b.exposurePct).toBeCloseTo(a.exposurePct, 4);
          expect(b.maxDrawdownPct).toBeCloseTo(a.maxDrawdownPct, 4);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('read only the samples added since the previous checkpoint of the same recorder', () => {
    const recorder = new MetricsRecorder('100', 0);
    recorder.sample(10, 120, 50);
    const first = compactCurve(recorder);
    recorder.sample(20, 60, 60);

    expect(first.equity).toEqual([120, 120, 120]);
    expect(compactCurve(recorder).equity).toEqual([120, 60, 120]);
  });
});
