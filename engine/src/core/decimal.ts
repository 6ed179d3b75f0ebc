/**
 * Exact decimal arithmetic for money and quantities.
 *
 * Values cross module boundaries and live in serialisable state as canonical decimal strings
 * (`Dec`). Arithmetic goes through decimal.js with 40 significant digits, which is far beyond any
 * price or quantity an exchange accepts, so the only rounding that changes a value is the explicit
 * rounding to tick and lot size when an order is sent.
 */
import { Decimal as DecimalJs } from 'decimal.js';

/** A decimal number as canonical text: no exponent, no trailing zeros, `-0` normalised to `0`. */
export type Dec = string;

/** The decimal.js constructor configured for the engine. */
export const D = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -40,
  toExpPos: 40,
});
/** A decimal.js instance of the engine's configuration. */
export type DecimalValue = InstanceType<typeof D>;

/** Anything that converts exactly to a decimal. Numbers are accepted only when they are integers. */
export type DecLike = Dec | DecimalValue | bigint;

/** Parses a decimal, throwing on anything that is not a finite decimal number. */
export function dec(value: DecLike | number): DecimalValue {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`dec(): non-integer number ${value} would lose precision; pass decimal text`);
    }
    return new D(value);
  }
  if (typeof value === 'bigint') return new D(value.toString());
  const parsed = typeof value === 'string' ? new D(value.trim()) : value;
  if (!parsed.isFinite()) throw new RangeError(`dec(): ${String(value)} is not a finite decimal`);
  return parsed;
}

/** Canonical text of a decimal: `1.50` → `1.5`, `-0` → `0`, never an exponent. */
export function str(value: DecLike | number): Dec {
  const d = dec(value);
  if (d.isZero()) return '0';
  return d.toFixed();
}

/** True when the text is a finite decimal number (plain or exponent notation). */
export function isDec(text: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim());
}

export const add = (a: DecLike, b: DecLike): Dec => str(dec(a).plus(dec(b)));
export const sub = (a: DecLike, b: DecLike): Dec => str(dec(a).minus(dec(b)));
export const mul = (a: DecLike, b: DecLike): Dec => str(dec(a).times(dec(b)));
/** Division to the engine's precision (40 significant digits, half-even). */
export const div = (a: DecLike, b: DecLike): Dec => {
  const divisor = dec(b);
  if (divisor.isZero()) throw new RangeError('div(): division by zero');
  return str(dec(a).dividedBy(divisor));
};
export const neg = (a: DecLike): Dec => str(dec(a).negated());
export const abs = (a: DecLike): Dec => str(dec(a).abs());
export const cmp = (a: DecLike, b: DecLike): -1 | 0 | 1 => dec(a).comparedTo(dec(b)) as -1 | 0 | 1;
export const eq = (a: DecLike, b: DecLike): boolean => dec(a).equals(dec(b));
export const lt = (a: DecLike, b: DecLike): boolean => dec(a).lessThan(dec(b));
export const lte = (a: DecLike, b: DecLike): boolean => dec(a).lessThanOrEqualTo(dec(b));
export const gt = (a: DecLike, b: DecLike): boolean => dec(a).greaterThan(dec(b));
export const gte = (a: DecLike, b: DecLike): boolean => dec(a).greaterThanOrEqualTo(dec(b));
export const isZero = (a: DecLike): boolean => dec(a).isZero();
export const isNeg = (a: DecLike): boolean => dec(a).isNegative() && !dec(a).isZero();
export const min = (a: DecLike, b: DecLike): Dec => (lte(a, b) ? str(a) : str(b));
export const max = (a: DecLike, b: DecLike): Dec => (gte(a, b) ? str(a) : str(b));
/** Sum of decimals; `0` for an empty list. */
export const sum = (values: readonly DecLike[]): Dec =>
  str(values.reduce<DecimalValue>((s, v) => s.plus(dec(v)), new D(0)));
/** a^n for an integer exponent (geometric grids, step and volume scales). */
export const pow = (a: DecLike, n: number): Dec => str(dec(a).pow(n));
/** n-th root, to the engine's precision (geometric grid ratio). */
export const root = (a: DecLike, n: number): Dec => str(dec(a).pow(new D(1).dividedBy(n)));

/** How a value is brought onto a step grid. */
export type StepRounding = 'floor' | 'ceil' | 'nearest';

/**
 * Rounds a value to a multiple of `step` (a tick or lot size such as `0.01`).
 * `floor` and `ceil` are towards −∞ and +∞; `nearest` is half-even.
 */
export function toStep(value: DecLike, step: DecLike, mode: StepRounding): Dec {
  const s = dec(step);
  if (s.lessThanOrEqualTo(0)) throw new RangeError(`toStep(): step must be > 0, was ${str(step)}`);
  const q = dec(value).dividedBy(s);
  const rounding = mode === 'floor' ? D.ROUND_FLOOR : mode === 'ceil' ? D.ROUND_CEIL : D.ROUND_HALF_EVEN;
  return str(q.toDecimalPlaces(0, rounding).times(s));
}

/** Rounds to a number of decimal places (half-even unless told otherwise). */
export function toPlaces(value: DecLike, places: number, mode: StepRounding = 'nearest'): Dec {
  const rounding = mode === 'floor' ? D.ROUND_FLOOR : mode === 'ceil' ? D.ROUND_CEIL : D.ROUND_HALF_EVEN;
  return str(dec(value).toDecimalPlaces(places, rounding));
}

/** A float approximation for charts and fast comparisons; never for money arithmetic. */
export const toNumber = (a: DecLike): number => dec(a).toNumber();
