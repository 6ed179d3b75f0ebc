/**
 * Exact decimal arithmetic for money and quantities.
 *
 * Values cross module boundaries and live in serialisable state as canonical decimal strings
 * (`Dec`). Arithmetic goes through decimal.js with 40 significant digits, which is far beyond any
 * price or quantity an exchange accepts, so the only rounding that changes a value is the explicit
 * rounding to tick and lot size when an order is sent.
 *
 * Most operands are short plain text (prices, quantities): those take the exact integer fast path
 * in decimal-fast.ts, which gives byte-identical results; everything else goes through decimal.js.
 */
import { Decimal as DecimalJs } from 'decimal.js';
import {
  fastAdd,
  fastCmp,
  fastDiv,
  fastMul,
  fastNeg,
  fastSign,
  fastStr,
  fastSum,
  fastToNumber,
  fastToPlaces,
  fastToStep,
  type StepRounding,
} from './decimal-fast.ts';

export type { StepRounding } from './decimal-fast.ts';

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

/**
 * Texts parsed before, with their instances. decimal.js instances are immutable (no method changes
 * its receiver, and the engine never assigns to their fields), so sharing one per text is safe.
 * Bounded by clearing: the hot texts (prices, steps, balances) come back within a few bars.
 */
const parsedTexts = new Map<string, DecimalValue>();
const PARSED_TEXTS_LIMIT = 4096;

/** Parses a decimal, throwing on anything that is not a finite decimal number. */
export function dec(value: DecLike | number): DecimalValue {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`dec(): non-integer number ${value} would lose precision; pass decimal text`);
    }
    return new D(value);
  }
  if (typeof value === 'bigint') return new D(value.toString());
  if (typeof value !== 'string') {
    if (!value.isFinite()) throw new RangeError(`dec(): ${String(value)} is not a finite decimal`);
    return value;
  }
  let parsed = parsedTexts.get(value);
  if (parsed === undefined) {
    parsed = new D(value.trim());
    if (!parsed.isFinite()) throw new RangeError(`dec(): ${value} is not a finite decimal`);
    if (parsedTexts.size >= PARSED_TEXTS_LIMIT) parsedTexts.clear();
    parsedTexts.set(value, parsed);
  }
  return parsed;
}

/** Canonical text of a decimal: `1.50` → `1.5`, `-0` → `0`, never an exponent. */
export function str(value: DecLike | number): Dec {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value); // String(-0) is '0'
  const fast = fastStr(value);
  if (fast !== undefined) return fast;
  const d = dec(value);
  if (d.isZero()) return '0';
  return d.toFixed();
}

/** True when the text is a finite decimal number (plain or exponent notation). */
export function isDec(text: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim());
}

/** a + b. */
export const add = (a: DecLike, b: DecLike): Dec => fastAdd(a, b, 1) ?? str(dec(a).plus(dec(b)));
/** a − b. */
export const sub = (a: DecLike, b: DecLike): Dec => fastAdd(a, b, -1) ?? str(dec(a).minus(dec(b)));
/** a × b. */
export const mul = (a: DecLike, b: DecLike): Dec => fastMul(a, b) ?? str(dec(a).times(dec(b)));
/** Division to the engine's precision (40 significant digits, half-even). */
export const div = (a: DecLike, b: DecLike): Dec => {
  const fast = fastDiv(a, b);
  if (fast !== undefined) return fast;
  const divisor = dec(b);
  if (divisor.isZero()) throw new RangeError('div(): division by zero');
  return str(dec(a).dividedBy(divisor));
};
/** −a. */
export const neg = (a: DecLike): Dec => fastNeg(a, false) ?? str(dec(a).negated());
/** |a|. */
export const abs = (a: DecLike): Dec => fastNeg(a, true) ?? str(dec(a).abs());
/** −1, 0 or 1 as a is below, equal to or above b. */
export const cmp = (a: DecLike, b: DecLike): -1 | 0 | 1 =>
  fastCmp(a, b) ?? (dec(a).comparedTo(dec(b)) as -1 | 0 | 1);
/** a = b in value (`1.50` equals `1.5`). */
export const eq = (a: DecLike, b: DecLike): boolean => cmp(a, b) === 0;
/** a < b. */
export const lt = (a: DecLike, b: DecLike): boolean => cmp(a, b) < 0;
/** a ≤ b. */
export const lte = (a: DecLike, b: DecLike): boolean => cmp(a, b) <= 0;
/** a > b. */
export const gt = (a: DecLike, b: DecLike): boolean => cmp(a, b) > 0;
/** a ≥ b. */
export const gte = (a: DecLike, b: DecLike): boolean => cmp(a, b) >= 0;
/** −1, 0 or 1 by the sign of a; `-0` is 0. */
const sign = (a: DecLike): -1 | 0 | 1 => {
  const fast = fastSign(a);
  if (fast !== undefined) return fast;
  const d = dec(a);
  return d.isZero() ? 0 : d.isNegative() ? -1 : 1;
};
/** a = 0 (including `-0`). */
export const isZero = (a: DecLike): boolean => sign(a) === 0;
/** a < 0 (`-0` is not negative). */
export const isNeg = (a: DecLike): boolean => sign(a) < 0;
/** The smaller of a and b, as canonical text. */
export const min = (a: DecLike, b: DecLike): Dec => (lte(a, b) ? str(a) : str(b));
/** The larger of a and b, as canonical text. */
export const max = (a: DecLike, b: DecLike): Dec => (gte(a, b) ? str(a) : str(b));
/** Sum of decimals; `0` for an empty list. */
export const sum = (values: readonly DecLike[]): Dec =>
  fastSum(values) ?? str(values.reduce<DecimalValue>((s, v) => s.plus(dec(v)), new D(0)));
/** a^n for an integer exponent (geometric grids, step and volume scales). */
export const pow = (a: DecLike, n: number): Dec => str(dec(a).pow(n));
/** n-th root, to the engine's precision (geometric grid ratio). */
export const root = (a: DecLike, n: number): Dec => str(dec(a).pow(new D(1).dividedBy(n)));

/** The decimal.js rounding mode of a step rounding. */
const roundingOf = (mode: StepRounding): DecimalJs.Rounding =>
  mode === 'floor' ? D.ROUND_FLOOR : mode === 'ceil' ? D.ROUND_CEIL : D.ROUND_HALF_EVEN;

/**
 * Rounds a value to a multiple of `step` (a tick or lot size such as `0.01`).
 * `floor` and `ceil` are towards −∞ and +∞; `nearest` is half-even.
 */
export function toStep(value: DecLike, step: DecLike, mode: StepRounding): Dec {
  const fast = fastToStep(value, step, mode);
  if (fast !== undefined) return fast;
  const s = dec(step);
  if (s.lessThanOrEqualTo(0)) throw new RangeError(`toStep(): step must be > 0, was ${str(step)}`);
  const q = dec(value).dividedBy(s);
  return str(q.toDecimalPlaces(0, roundingOf(mode)).times(s));
}

/** Rounds to a number of decimal places (half-even unless told otherwise). */
export function toPlaces(value: DecLike, places: number, mode: StepRounding = 'nearest'): Dec {
  return fastToPlaces(value, places, mode) ?? str(dec(value).toDecimalPlaces(places, roundingOf(mode)));
}

/** A float approximation for charts and fast comparisons; never for money arithmetic. */
export const toNumber = (a: DecLike): number => fastToNumber(a) ?? dec(a).toNumber();
