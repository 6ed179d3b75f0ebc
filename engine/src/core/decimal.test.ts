import { describe, expect, it } from '@jest/globals';
import type { Decimal } from 'decimal.js';
import fc from 'fast-check';
import {
  abs,
  add,
  cmp,
  D,
  dec,
  div,
  eq,
  gt,
  gte,
  isDec,
  isNeg,
  isZero,
  lt,
  lte,
  max,
  min,
  mul,
  neg,
  pow,
  str,
  sub,
  sum,
  toNumber,
  toPlaces,
  toStep,
  type DecimalValue,
  type StepRounding,
} from './decimal.ts';
import { fastAdd, fastMul, fastToStep } from './decimal-fast.ts';

const decimalText = fc
  .tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 8 }))
  .map(([units, scale]) => str(dec(units).dividedBy(dec(10n ** BigInt(scale)))));

describe('decimal arithmetic', () => {
  it('keeps decimal text exact where floats drift', () => {
    expect(add('0.1', '0.2')).toBe('0.3');
    expect(mul('1.1', '1.1')).toBe('1.21');
    expect(sub('0.3', '0.1')).toBe('0.2');
  });

  it('writes canonical text with no exponent and no trailing zeros', () => {
    expect(str('1.500')).toBe('1.5');
    expect(str('-0')).toBe('0');
    expect(str('1e-9')).toBe('0.000000001');
    expect(str('12e20')).toBe('1200000000000000000000');
  });

  it('rejects numbers that would lose precision and text that is not a number', () => {
    expect(() => dec(0.1)).toThrow(/precision/);
    expect(() => dec('abc')).toThrow();
    expect(() => dec('Infinity')).toThrow(/finite/);
    expect(isDec('1.25')).toBe(true);
    expect(isDec('1.2.5')).toBe(false);
  });

  it('rounds to tick and lot steps by the requested direction', () => {
    expect(toStep('30123.456', '0.01', 'floor')).toBe('30123.45');
    expect(toStep('30123.451', '0.01', 'ceil')).toBe('30123.46');
    expect(toStep('0.123456789', '0.00001', 'floor')).toBe('0.12345');
    expect(toStep('-1.005', '0.01', 'floor')).toBe('-1.01');
    expect(toStep('2.5', '1', 'nearest')).toBe('2');
    expect(() => toStep('1', '0', 'floor')).toThrow(/step/);
  });

  it('is exact for add/sub round trips (property)', () => {
    fc.assert(fc.property(decimalText, decimalText, (a, b) => sub(add(a, b), b) === str(a)));
  });

  it('commutes and associates for addition and multiplication (property)', () => {
    fc.assert(
      fc.property(decimalText, decimalText, decimalText, (a, b, c) => {
        return (
          add(a, b) === add(b, a) &&
          mul(a, b) === mul(b, a) &&
          add(add(a, b), c) === add(a, add(b, c)) &&
          mul(mul(a, b), c) === mul(a, mul(b, c))
        );
      }),
    );
  });

  it('floors onto the step grid never above the value and within one step (property)', () => {
    const step = fc.constantFrom('0.01', '0.1', '0.00001', '1', '0.5');
    fc.assert(
      fc.property(decimalText, step, (v, s) => {
        const floored = toStep(v, s, 'floor');
        return (
          cmp(floored, v) <= 0 && cmp(sub(v, floored), s) < 0 && str(div(floored, s)).indexOf('.') === -1
        );
      }),
    );
  });

  it('sums and powers exactly', () => {
    expect(sum(['0.1', '0.2', '0.3'])).toBe('0.6');
    expect(sum([])).toBe('0');
    expect(pow('1.05', 3)).toBe('1.157625');
  });
});

// The reference: the decimal.js-only code path decimal.ts had before its fast path, kept here verbatim
// in spirit (parse every operand with decimal.js, write the result with toFixed).
const ref = (text: string): DecimalValue => {
  const d = new D(text.trim());
  if (!d.isFinite()) throw new RangeError(`dec(): ${text} is not a finite decimal`);
  return d;
};
const refStr = (d: DecimalValue): string => (d.isZero() ? '0' : d.toFixed());
const refRounding = (mode: StepRounding): Decimal.Rounding =>
  mode === 'floor' ? D.ROUND_FLOOR : mode === 'ceil' ? D.ROUND_CEIL : D.ROUND_HALF_EVEN;
const refToStep = (v: string, s: string, mode: StepRounding): string => {
  if (ref(s).lessThanOrEqualTo(0)) throw new RangeError(`toStep(): step must be > 0, was ${str(s)}`);
  return refStr(ref(v).dividedBy(ref(s)).toDecimalPlaces(0, refRounding(mode)).times(ref(s)));
};

/** The value or the error message of a call, so that both results and failures must agree. */
const outcome = (f: () => unknown): unknown => {
  try {
    return { value: f() };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
/** Plain text `-?digits(.digits)?`: short (fast path), long (fallback), with leading and trailing zeros. */
const plain = (intMax: number, fracMax: number) =>
  fc
    .tuple(fc.constantFrom('', '', '-'), digits(1, intMax), fc.option(digits(1, fracMax), { nil: undefined }))
    .map(([sign, int, frac]) => `${sign}${int}${frac === undefined ? '' : `.${frac}`}`);
/** Integers near ±2^53 at a random scale: the edge of the safe-integer range. */
const nearSafeLimit = fc
  .tuple(
    fc.bigInt({ min: 2n ** 53n - 50n, max: 2n ** 53n + 50n }),
    fc.integer({ min: 0, max: 23 }),
    fc.boolean(),
  )
  .map(([units, scale, negative]) => {
    const text = units.toString().padStart(scale + 1, '0');
    const cut = text.length - scale;
    return `${negative ? '-' : ''}${text.slice(0, cut)}${scale > 0 ? `.${text.slice(cut)}` : ''}`;
  });
/** Values at the edges of the float-text fast format: around 10^7, 2^31, 15 significant digits and 1e-6. */
const formatEdge = fc
  .tuple(
    fc.oneof(
      fc.bigInt({ min: 10n ** 15n - 50n, max: 10n ** 15n + 50n }),
      fc.bigInt({ min: 1n, max: 2000n }),
      fc.bigInt({ min: 2n ** 31n - 50n, max: 2n ** 31n + 50n }),
      fc.bigInt({ min: 10n ** 7n - 50n, max: 10n ** 7n + 50n }),
      fc.bigInt({ min: 2n ** 31n, max: 10n ** 12n }),
      fc.bigInt({ min: 999_999_999_999_900n, max: 999_999_999_999_999n }),
      fc.bigInt({ min: 10n ** 15n, max: 2n ** 53n - 1n }),
    ),
    fc.integer({ min: 0, max: 22 }),
    fc.boolean(),
  )
  .map(([units, scale, negative]) => {
    const text = units.toString().padStart(scale + 1, '0');
    const cut = text.length - scale;
    return `${negative ? '-' : ''}${text.slice(0, cut)}${scale > 0 ? `.${text.slice(cut)}` : ''}`;
  });
/** Text decimal.js accepts that is not plain: signs, spaces, exponents, bare points. */
const oddText = fc.oneof(
  plain(4, 4).map((t) => ` ${t} `),
  plain(4, 4).map((t) => `+${t.replace('-', '')}`),
  fc.tuple(plain(3, 3), fc.integer({ min: -30, max: 30 })).map(([t, e]) => `${t}e${e}`),
  digits(1, 5).map((d) => `.${d}`),
  digits(1, 5).map((d) => `${d}.`),
  fc.constantFrom('-0', '0.000', '-0.0', '00', '1E+3'),
);
/** Just under an integer with more nines than decimal.js's 40 digits: its division rounds up. */
const manyNines = fc.integer({ min: 36, max: 46 }).map((n) => `0.${'9'.repeat(n)}`);
const decimalInput = fc.oneof(
  { arbitrary: plain(6, 6), weight: 6 },
  { arbitrary: plain(20, 30), weight: 2 },
  { arbitrary: manyNines, weight: 1 },
  { arbitrary: nearSafeLimit, weight: 2 },
  { arbitrary: formatEdge, weight: 2 },
  { arbitrary: oddText, weight: 2 },
);
const stepInput = fc.oneof(
  fc.constantFrom('1', '0.1', '0.01', '0.00001', '0.5', '0.25', '5', '10', '0.0003', '2.5'),
  plain(3, 6),
  fc.constantFrom('0', '-0.01', '1e-2'),
);
const mode = fc.constantFrom<StepRounding>('floor', 'ceil', 'nearest');
const runs = { numRuns: 10_000 };

describe('the fast path matches decimal.js byte for byte', () => {
  it('agrees on add, sub, mul and div (property)', () => {
    fc.assert(
      fc.property(decimalInput, decimalInput, (a, b) => {
        expect(outcome(() => add(a, b))).toEqual(outcome(() => refStr(ref(a).plus(ref(b)))));
        expect(outcome(() => sub(a, b))).toEqual(outcome(() => refStr(ref(a).minus(ref(b)))));
        expect(outcome(() => mul(a, b))).toEqual(outcome(() => refStr(ref(a).times(ref(b)))));
        const quotient = () => {
          if (ref(b).isZero()) throw new RangeError('div(): division by zero');
          return refStr(ref(a).dividedBy(ref(b)));
        };
        expect(outcome(() => div(a, b))).toEqual(outcome(quotient));
      }),
      runs,
    );
  });

  it('agrees on every comparison, min and max (property)', () => {
    fc.assert(
      fc.property(decimalInput, decimalInput, (a, b) => {
        const c = ref(a).comparedTo(ref(b));
        expect([cmp(a, b), eq(a, b), lt(a, b), lte(a, b), gt(a, b), gte(a, b)]).toEqual([
          c,
          c === 0,
          c < 0,
          c <= 0,
          c > 0,
          c >= 0,
        ]);
        expect(min(a, b)).toBe(refStr(c <= 0 ? ref(a) : ref(b)));
        expect(max(a, b)).toBe(refStr(c >= 0 ? ref(a) : ref(b)));
      }),
      runs,
    );
  });

  it('agrees on str, neg, abs, isZero, isNeg and toNumber (property)', () => {
    fc.assert(
      fc.property(decimalInput, (a) => {
        const d = ref(a);
        expect([str(a), neg(a), abs(a)]).toEqual([refStr(d), refStr(d.negated()), refStr(d.abs())]);
        expect([isZero(a), isNeg(a)]).toEqual([d.isZero(), d.isNegative() && !d.isZero()]);
        expect(Object.is(toNumber(a), d.toNumber())).toBe(true);
      }),
      runs,
    );
  });

  it('agrees on sum (property)', () => {
    fc.assert(
      fc.property(fc.array(decimalInput, { maxLength: 6 }), (values) => {
        expect(sum(values)).toBe(refStr(values.reduce((s, v) => s.plus(ref(v)), new D(0))));
      }),
      runs,
    );
  });

  it('agrees on toStep, including its errors (property)', () => {
    fc.assert(
      fc.property(decimalInput, stepInput, mode, (v, s, m) => {
        expect(outcome(() => toStep(v, s, m))).toEqual(outcome(() => refToStep(v, s, m)));
      }),
      runs,
    );
  });

  it('agrees on toPlaces, including its errors (property)', () => {
    const places = fc.oneof(fc.integer({ min: 0, max: 25 }), fc.constantFrom(-1, 2.5));
    fc.assert(
      fc.property(decimalInput, places, mode, (v, p, m) => {
        const expected = () => refStr(ref(v).toDecimalPlaces(p, refRounding(m)));
        expect(outcome(() => toPlaces(v, p, m))).toEqual(outcome(expected));
      }),
      runs,
    );
  });

  it('takes the fast path for most generated cases and the fallback for the rest', () => {
    const pairs = fc.sample(fc.tuple(decimalInput, decimalInput, stepInput), 2_000);

    const fastAdds = pairs.filter(([a, b]) => fastAdd(a, b, 1) !== undefined).length;
    const fastMuls = pairs.filter(([a, b]) => fastMul(a, b) !== undefined).length;
    const fastSteps = pairs.filter(([a, , s]) => fastToStep(a, s, 'floor') !== undefined).length;

    for (const count of [fastAdds, fastMuls, fastSteps]) {
      expect(count).toBeGreaterThan(pairs.length * 0.2);
      expect(count).toBeLessThan(pairs.length * 0.9);
    }
  });
});
