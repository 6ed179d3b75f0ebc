/**
 * Rounding to a market's tick or lot by reading the text (requests.ts): most intents already name a
 * price and quantity on the step (strategies round their levels themselves), and such a value rounds to
 * itself. Reading that off canonical text spares the parse, rounding and re-formatting of `toStep`, and
 * gives the same text, since `toStep` writes canonical text and a canonical text is the only one of its
 * value.
 */
import { toStep, type Dec, type StepRounding } from '../core/decimal.ts';

const MINUS = 45;
const POINT = 46;
const ZERO = 48;
const ONE = 49;
const NINE = 57;

/** Fraction places of a step 1, 0.1, 0.01, … (every tick and lot of the shipped markets), else -1. */
export function powerOfTenPlaces(step: Dec): number {
  if (step === '1') return 0;
  const last = step.length - 1;
  if (last < 2 || !step.startsWith('0.') || step.charCodeAt(last) !== ONE) return -1;
  for (let i = 2; i < last; i++) if (step.charCodeAt(i) !== ZERO) return -1;
  return last - 1;
}

/**
 * Fraction digits of `value` when it is canonical decimal text as `str` writes it (optional `-`, no
 * leading zeros, no trailing fraction zeros, no exponent, not `-0`), else -1.
 */
export function canonicalFractionDigits(value: Dec): number {
  const start = value.charCodeAt(0) === MINUS ? 1 : 0;
  let i = start;
  while (i < value.length && value.charCodeAt(i) >= ZERO && value.charCodeAt(i) <= NINE) i++;
  const intDigits = i - start;
  if (intDigits === 0 || (intDigits > 1 && value.charCodeAt(start) === ZERO)) return -1;
  if (i === value.length) return start === 1 && value === '-0' ? -1 : 0;
  if (value.charCodeAt(i) !== POINT || i === value.length - 1) return -1;
  const point = i;
  for (i = point + 1; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < ZERO || c > NINE) return -1;
  }
  // A canonical fraction ends in a non-zero digit.
  return value.charCodeAt(value.length - 1) === ZERO ? -1 : value.length - 1 - point;
}

/** `toStep(value, step, mode)`, returning `value` itself when its text is canonical and on the step. */
export function onStep(value: Dec, step: Dec, mode: StepRounding): Dec {
  const places = powerOfTenPlaces(step);
  if (places >= 0) {
    const digits = canonicalFractionDigits(value);
    if (digits >= 0 && digits <= places) return value;
  }
  return toStep(value, step, mode);
}

/** Whether canonical decimal text (as `toStep` and `str` write it) names a value above zero. */
export function isPositiveCanonical(value: Dec): boolean {
  return value !== '0' && value.charCodeAt(0) !== MINUS;
}
