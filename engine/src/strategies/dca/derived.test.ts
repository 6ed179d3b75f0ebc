// The params-derived values of the DCA reducer: computed once per params object, and always exactly the
// values of the per-event formulas they replace.
import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { add, dec, div, mul, pow, sub, sum } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import { derived, derivedLast } from './derived.ts';
import { moveReaches } from './guards.ts';
import {
  ladderNotionals,
  paramsStopLoss,
  paramsTakeProfit,
  paramsTrailingStop,
  planLadder,
  requiredFunds,
  requiredMargin,
  stopLossPrice,
  takeProfitPrice,
  trailingStopPrice,
} from './ladder.ts';
import type { DcaParams } from './params.ts';
import { aDcaParams } from './test-builders.ts';
import { normalizeDcaFuturesParams } from '../dca-futures/params.ts';

const decimal = (lo: number, hi: number, places = 2): fc.Arbitrary<string> =>
  fc
    .integer({ min: Math.round(lo * 10 ** places), max: Math.round(hi * 10 ** places) })
    .map((n) => div(String(n), String(10 ** places)));

/** The ladder exactly as §2.3.1 states it, recomputed from params on every call (the reference). */
function referenceLadder(p: DcaParams, p0: Dec, scale: Dec): { price: Dec; size: Dec; deviation: Dec }[] {
  const so = p.safetyOrders;
  const s = p.direction === 'long' ? '1' : '-1';
  const out: { price: Dec; size: Dec; deviation: Dec }[] = [];
  let total = '0';
  let previous = p0;
  for (let k = 1; k <= so.maxCount; k++) {
    const step = mul(div(so.deviationPct, '100'), pow(so.stepScale, k - 1));
    total = add(total, step);
    const price =
      so.deviationBase === 'fromPrevious'
        ? mul(previous, sub('1', mul(s, step)))
        : mul(p0, sub('1', mul(s, total)));
    previous = price;
    out.push({ price, size: mul(mul(so.size, pow(so.volumeScale, k - 1)), scale), deviation: total });
  }
  return out;
}

const ladderParams = fc.record({
  direction: fc.constantFrom('long', 'short'),
  deviationPct: decimal(0.1, 5),
  stepScale: decimal(0.5, 2),
  volumeScale: decimal(0.5, 2),
  size: decimal(1, 500),
  maxCount: fc.integer({ min: 0, max: 8 }),
  deviationBase: fc.constantFrom('fromBase', 'fromPrevious'),
  sizeUnit: fc.constantFrom('quote', 'base', 'percentOfBudget'),
});

describe('derived values', () => {
  it('computes a value once per params object and again for other params', () => {
    const params = aDcaParams();
    let calls = 0;
    const compute = (): number => ++calls;

    const first = derived(params, 'x', compute);
    const again = derived(params, 'x', compute);
    const other = derived(aDcaParams(), 'x', compute);

    expect([first, again, other]).toEqual([1, 1, 2]);
  });

  it('recomputes a last-input value only when its input changes', () => {
    const params = aDcaParams();
    const seen: string[] = [];
    const twice = (input: string): string =>
      derivedLast(params, 'twice', input, () => {
        seen.push(input);
        return mul(input, '2');
      });

    const values = [twice('1'), twice('1'), twice('3'), twice('1')];

    expect(values).toEqual(['2', '2', '6', '2']);
    expect(seen).toEqual(['1', '3', '1']);
  });

  it('plans the same ladder as the §2.3.1 formulas, at any reinvest scale', () => {
    fc.assert(
      fc.property(ladderParams, decimal(1, 100000), fc.constantFrom('1', '1.25', '0.8'), (g, p0, scale) => {
        const params = aDcaParams({ direction: g.direction, safetyOrders: { ...g, maxActive: 1 } });

        const planned = planLadder(params, p0, scale);
        const plannedAgain = planLadder(params, p0, scale);

        const expected = referenceLadder(params, p0, scale);
        expect(planned.map(({ price, size, deviation }) => ({ price, size, deviation }))).toEqual(expected);
        expect(plannedAgain).toEqual(planned);
      }),
    );
  });

  it('needs the same funds and margin as the summed notionals, at every price of the same params', () => {
    fc.assert(
      fc.property(ladderParams, decimal(1, 100000), decimal(1, 100000), (g, p0, p1) => {
        const params = aDcaParams({ safetyOrders: { ...g, maxActive: 1 }, budget: { maxQuote: '900' } });
        const futures = normalizeDcaFuturesParams({ ...params, leverage: '3' });
        for (const price of [p0, p1]) {
          const spot = { leverage: '1', maxQuote: '900' };
          const leveraged = { leverage: '3', maxQuote: '900' };

          const funds = requiredFunds(params, price, '0.001');
          const margin = requiredMargin(futures, price);

          expect(funds).toBe(mul(sum(ladderNotionals(params, price, spot)), '1.001'));
          expect(margin).toBe(div(sum(ladderNotionals(futures, price, leveraged)), '3'));
        }
      }),
    );
  });

  it('prices TP, SL and trailing stops exactly as the per-call formulas', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('long', 'short'),
        decimal(0, 20),
        decimal(0, 20),
        decimal(0.01, 100000, 6),
        (direction, pct, deviationPct, ref) => {
          const params = aDcaParams({
            direction,
            takeProfit: { pct, trailing: { enabled: true, deviationPct } },
            stopLoss: { pct },
          });

          expect(paramsTakeProfit(params, ref)).toBe(takeProfitPrice(ref, direction, pct));
          expect(paramsStopLoss(params, ref)).toBe(stopLossPrice(ref, direction, pct));
          expect(paramsTrailingStop(params, ref)).toBe(trailingStopPrice(ref, direction, deviationPct));
        },
      ),
    );
  });
});

describe('pump/dump move check', () => {
  const exact = (price: Dec, ref: Dec, direction: 1 | -1, max: Dec): boolean =>
    dec(price).dividedBy(dec(ref)).minus(1).times(direction).times(100).greaterThanOrEqualTo(dec(max));

  it('agrees with the exact decimal comparison, near ties included', () => {
    fc.assert(
      fc.property(
        decimal(0.0001, 100000, 4),
        decimal(0, 10, 3),
        fc.constantFrom<1 | -1>(1, -1),
        fc.constantFrom('0', '1e-30', '-1e-30', '1e-12', '-1e-12', '0.01', '-0.01'),
        (ref, max, direction, nudge) => {
          // A price exactly at the threshold, then nudged by a relative amount below float resolution.
          const atTie = mul(ref, add('1', mul(String(direction), div(max, '100'))));
          const price = mul(atTie, add('1', nudge));

          expect(moveReaches(price, ref, direction, max)).toBe(exact(price, ref, direction, max));
        },
      ),
    );
  });

  it('falls back to decimals for values floats cannot hold', () => {
    const huge = '1' + '0'.repeat(400);

    expect(moveReaches(mul(huge, '1.05'), huge, 1, '5')).toBe(true);
    expect(moveReaches(mul(huge, '1.04'), huge, 1, '5')).toBe(false);
  });
});
