/**
 * The exact fast path behind decimal.ts: plain decimal text with a small mantissa, done in integer
 * arithmetic on doubles instead of decimal.js.
 *
 * Why it is exact: an operand `-?digits(.digits)?` is held as `mantissa / 10^scale` with
 * |mantissa| ≤ Number.MAX_SAFE_INTEGER and scale ≤ 22 (10^22 is the largest power of ten a double
 * holds exactly). Every step is an operation on two exact integers whose true result is an integer;
 * a double operation rounds to nearest, and rounding is monotonic, so if the computed result is
 * ≤ MAX_SAFE_INTEGER in magnitude the true result is too, is representable, and was not rounded at
 * all. Any step that leaves the safe range makes the function return `undefined` and the caller
 * falls back to decimal.js. Results have at most 16 significant digits, so decimal.js (40 digits)
 * would not round them either: both paths yield the same value, and `format` writes decimal.js's
 * canonical text for it. Anything that is not plain text (instances, bigints, numbers, signs, spaces,
 * exponents, `.5`, `1.`) is left to decimal.js, which keeps its parsing and its errors.
 */

/** How a value is brought onto a step grid. */
export type StepRounding = 'floor' | 'ceil' | 'nearest';

/** A parsed operand: value = mantissa / 10^scale, mantissa a safe integer. */
export interface Fixed {
  mantissa: number;
  scale: number;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SCALE = 22;
/** 10^0 … 10^22, built by exact multiplication (Math.pow is not guaranteed to be correctly rounded). */
const POW10: number[] = [1];
for (let i = 1; i <= MAX_SCALE; i++) POW10.push(POW10[i - 1]! * 10);

// Scratch operands, reused so that an operation allocates nothing but its result text.
const left: Fixed = { mantissa: 0, scale: 0 };
const right: Fixed = { mantissa: 0, scale: 0 };

/** Parses plain decimal text (`-?\d+(\.\d+)?`) into `out`; false when it is not plain or too big. */
function parse(text: unknown, out: Fixed): boolean {
  if (typeof text !== 'string') return false;
  const length = text.length;
  const start = length > 0 && text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  if (start >= length) return false;
  let mantissa = 0;
  let scale = -1; // -1 until the decimal point is seen
  for (let i = start; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      if (scale >= 0) scale++;
    } else if (code === 46 /* . */ && scale < 0 && i > start && i < length - 1) {
      scale = 0;
    } else {
      return false;
    }
  }
  // Once the running mantissa passes MAX_SAFE it can only grow, so this one check suffices.
  if (mantissa > MAX_SAFE || scale > MAX_SCALE) return false;
  out.mantissa = start === 1 ? -mantissa : mantissa;
  out.scale = scale < 0 ? 0 : scale;
  return true;
}

/** Parses both operands into the scratch registers. */
function parseBoth(a: unknown, b: unknown): boolean {
  return parse(a, left) && parse(b, right);
}

/** Multiplies x's mantissa by 10^(scale − x.scale) when the result stays safe. */
function rescale(x: Fixed, scale: number): boolean {
  const mantissa = x.mantissa * POW10[scale - x.scale]!;
  if (Math.abs(mantissa) > MAX_SAFE) return false;
  x.mantissa = mantissa;
  x.scale = scale;
  return true;
}

/** Brings both operands to the larger scale; false when that would leave the safe range. */
function align(a: Fixed, b: Fixed): boolean {
  if (a.scale < b.scale) return rescale(a, b.scale);
  if (b.scale < a.scale) return rescale(b, a.scale);
  return true;
}

/**
 * Decimal digits of a safe non-negative integer. `String()` of a double above 2^31 goes through
 * V8's general double printer; printing two halves below 10^8 (small integers) is several times
 * faster. The split is exact: m / 10^8 < 2^27, where half an ulp is < 10^-8, while a non-integer
 * m / 10^8 is ≥ 10^-8 from the next integer, so the floor is never rounded across one.
 */
function digitsOf(m: number): string {
  if (m < 2 ** 31) return String(m);
  const high = Math.floor(m / 1e8);
  return String(high) + String(m - high * 1e8).padStart(8, '0');
}

/**
 * Canonical text of mantissa / 10^scale, as decimal.js `toFixed` writes it (`-0` → `0`). Trailing
 * zeros are dropped from the digit text rather than by dividing: `%` on doubles is slow.
 */
function format(mantissa: number, scale: number): string {
  if (mantissa === 0) return '0';
  const magnitude = Math.abs(mantissa);
  // Integers and short fractions above 1 print fastest as integer digits (below); long mantissas
  // (running balances and sums) and values below 1 (quantities) as the float text of the value, when
  // that is provably the same text (measured: ~25 % faster for those, ~40 % slower for the others).
  const floatText = magnitude >= 2 ** 31 || (scale > 0 && (magnitude >= 1e7 || magnitude < POW10[scale]!));
  if (floatText && magnitude < 1e15 && scale >= 0 && (scale <= 6 || magnitude >= POW10[scale - 6]!)) {
    // At most 15 significant digits and at least 1e-6: the quotient of two exact doubles is the double
    // nearest the value; that decimal is the only one of ≤ 15 digits within half an ulp of it, so the
    // shortest round-trip text JavaScript writes is its digits, in plain notation from 1e-6 up.
    return String(mantissa / POW10[scale]!);
  }
  const negative = mantissa < 0;
  const digits = digitsOf(negative ? -mantissa : mantissa);
  const sign = negative ? '-' : '';
  if (scale <= 0) return scale === 0 ? sign + digits : sign + digits + '0'.repeat(-scale);
  const intLength = digits.length - scale; // ≤ 0 when the value is below 1
  let end = digits.length;
  while (end > intLength && digits.charCodeAt(end - 1) === 48 /* 0 */) end--;
  if (end === intLength) return sign + digits.slice(0, intLength);
  if (intLength > 0) return `${sign}${digits.slice(0, intLength)}.${digits.slice(intLength, end)}`;
  return `${sign}0.${'0'.repeat(-intLength)}${digits.slice(0, end)}`;
}

/** A safe result as text, or undefined when the double computation may have rounded. */
function formatSafe(mantissa: number, scale: number): string | undefined {
  return Math.abs(mantissa) <= MAX_SAFE ? format(mantissa, scale) : undefined;
}

/** Canonical text of plain decimal text. */
export function fastStr(a: unknown): string | undefined {
  return parse(a, left) ? format(left.mantissa, left.scale) : undefined;
}

/** a + sign·b (sign is 1 for add, −1 for sub). */
export function fastAdd(a: unknown, b: unknown, sign: 1 | -1): string | undefined {
  if (!parseBoth(a, b) || !align(left, right)) return undefined;
  return formatSafe(left.mantissa + sign * right.mantissa, left.scale);
}

/** a · b. */
export function fastMul(a: unknown, b: unknown): string | undefined {
  if (!parseBoth(a, b)) return undefined;
  return formatSafe(left.mantissa * right.mantissa, left.scale + right.scale);
}

/** −1, 0 or 1 as a is below, equal to or above b. */
export function fastCmp(a: unknown, b: unknown): -1 | 0 | 1 | undefined {
  if (!parseBoth(a, b) || !align(left, right)) return undefined;
  return left.mantissa < right.mantissa ? -1 : left.mantissa > right.mantissa ? 1 : 0;
}

/** The sign of a (0 for zero and `-0`). */
export function fastSign(a: unknown): -1 | 0 | 1 | undefined {
  if (!parse(a, left)) return undefined;
  return left.mantissa < 0 ? -1 : left.mantissa > 0 ? 1 : 0;
}

/** −a, or |a| when `absolute` is set. */
export function fastNeg(a: unknown, absolute: boolean): string | undefined {
  if (!parse(a, left)) return undefined;
  const mantissa = absolute ? Math.abs(left.mantissa) : -left.mantissa;
  return format(mantissa, left.scale);
}

/** Sum of a list of plain decimal texts. */
export function fastSum(values: readonly unknown[]): string | undefined {
  let total = 0;
  let scale = 0;
  for (const value of values) {
    if (!parse(value, right)) return undefined;
    left.mantissa = total;
    left.scale = scale;
    if (!align(left, right)) return undefined;
    total = left.mantissa + right.mantissa;
    scale = left.scale;
    if (Math.abs(total) > MAX_SAFE) return undefined;
  }
  return format(total, scale);
}

/**
 * value / step rounded to an integer by `mode`, times step. decimal.js first divides to 40
 * significant digits; with safe integers V and T a non-integer V/T is at least 1/T > 1e-16 away
 * from any integer and a non-half at least 1/(2T) from any half, far beyond that rounding error,
 * so rounding the exact quotient (as done here) picks the same integer.
 */
function roundTo(value: Fixed, step: Fixed, mode: StepRounding): string | undefined {
  // Keep the step as given: aligning may rescale it, and the result is a multiple of the original.
  const stepMantissa = step.mantissa;
  const stepScale = step.scale;
  if (stepMantissa <= 0 || !align(value, step)) return undefined;
  const v = value.mantissa;
  const t = step.mantissa;
  const remainder = v % t; // exact for doubles; takes the sign of v
  let quotient = (v - remainder) / t; // an exact integer: v − remainder is a multiple of t
  if (remainder !== 0) {
    const away = remainder < 0 ? -1 : 1;
    if (mode === 'floor') {
      if (remainder < 0) quotient -= 1;
    } else if (mode === 'ceil') {
      if (remainder > 0) quotient += 1;
    } else {
      const twice = 2 * Math.abs(remainder); // doubling is exact
      if (twice > t || (twice === t && quotient % 2 !== 0)) quotient += away;
    }
  }
  return formatSafe(quotient * stepMantissa, stepScale);
}

/**
 * Long plain text cut to `places + 2` fraction digits without changing how it rounds to `places`
 * decimals: every rounding decision point (multiples of 10^−places and their halves) lies on the
 * 10^−(places+1) grid, and writing any nonzero dropped tail as one `1` digit (a sticky digit) keeps
 * the value strictly inside the same interval of that grid. Text with a non-digit in the tail is
 * returned unchanged, so `parse` still rejects it.
 */
function cutForRounding(text: string, places: number): string {
  const dot = text.indexOf('.');
  const keep = dot + 2 + places; // index just after the (places + 1)-th fraction digit
  if (dot < 0 || text.length <= keep + 1) return text;
  let sticky = false;
  for (let i = keep; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return text;
    if (code !== 48) sticky = true;
  }
  return sticky ? `${text.slice(0, keep)}1` : text.slice(0, keep);
}

/** Digits from the first nonzero one on (an upper bound on decimal.js's significant digits). */
function significantDigits(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57 && (count > 0 || code !== 48)) count++;
  }
  return count;
}

/** value rounded onto a multiple of step (step > 0; otherwise undefined so decimal.js reports it). */
export function fastToStep(value: unknown, step: unknown, mode: StepRounding): string | undefined {
  if (!parse(step, right)) return undefined;
  if (parse(value, left)) return roundTo(left, right, mode);
  // Long value text (a 40-digit quotient, say) on a power-of-ten step: decimal.js's division by the
  // step is then a digit shift, exact for up to 40 significant digits, so this is rounding to places.
  if (right.mantissa !== 1 || typeof value !== 'string' || significantDigits(value) > 40) return undefined;
  return fastToPlaces(value, right.scale, mode);
}

/** value rounded to `places` decimal places (decimal.js rounds these exactly, whatever the length). */
export function fastToPlaces(value: unknown, places: number, mode: StepRounding): string | undefined {
  if (typeof value !== 'string' || !Number.isInteger(places) || places < 0 || places > MAX_SCALE) {
    return undefined;
  }
  if (!parse(cutForRounding(value, places), left)) return undefined;
  right.mantissa = 1;
  right.scale = places;
  return roundTo(left, right, mode);
}

/**
 * a / b when the quotient terminates within a safe mantissa: a quotient of at most 16 significant
 * digits is also exact at decimal.js's 40 digits. Others (1/3, …) go to decimal.js.
 */
export function fastDiv(a: unknown, b: unknown): string | undefined {
  if (!parseBoth(a, b) || right.mantissa === 0) return undefined;
  // ma / mb terminates iff the part of mb coprime to 10 divides ma; checking that first keeps
  // non-terminating quotients (most of them) from trying every k below.
  let coprime = Math.abs(right.mantissa);
  while (coprime % 2 === 0) coprime /= 2;
  while (coprime % 5 === 0) coprime /= 5;
  if (left.mantissa % coprime !== 0) return undefined;
  // a / b = (ma · 10^k / mb) / 10^(sa + k − sb): find the smallest k that makes the division exact.
  for (let k = 0; k <= MAX_SCALE; k++) {
    const numerator = left.mantissa * POW10[k]!;
    if (Math.abs(numerator) > MAX_SAFE) return undefined;
    if (numerator % right.mantissa === 0) {
      return format(numerator / right.mantissa, left.scale + k - right.scale);
    }
  }
  return undefined;
}

/** A float of plain decimal text: `Number` rounds correctly, as decimal.js `toNumber` does. */
export function fastToNumber(a: unknown): number | undefined {
  return typeof a === 'string' && parse(a, left) ? Number(a) : undefined;
}

// The same parse, align and format for exact running amounts (core/running-amount.ts).
export { align as alignFixed, format as formatFixed, parse as parseFixed, POW10 };
