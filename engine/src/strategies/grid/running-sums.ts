/**
 * The grid's running sums (base and quote held, realised profit): decimal text in the state, changed on
 * every fill. Adding a small amount to a long text parses both and writes the sum; here the exact amount
 * behind the text last written is carried over to the next fill, so only the small amount is parsed.
 */
import { add, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import { alignFixed, formatFixed, parseFixed, POW10 } from '../../core/decimal-fast.ts';
import type { Fixed } from '../../core/decimal-fast.ts';

/**
 * One running sum: the text it last returned and the exact amount that text is (decimal-fast's fixed form;
 * mantissa NaN when the text is not in it). A derived cache, not state: when the text handed in is not the
 * one last returned (another bot, a restored checkpoint, a state edited in between) the amount is read
 * from the text first, so the result never depends on it.
 */
export interface RunningSum {
  text: Dec | undefined;
  readonly fixed: Fixed;
}

/** A running sum with nothing carried yet. */
export const runningSum = (): RunningSum => ({ text: undefined, fixed: { mantissa: Number.NaN, scale: 0 } });

const amount: Fixed = { mantissa: 0, scale: 0 };

/**
 * `text + amount` (`sign` 1) or `text − amount` (−1) as canonical text, exactly as `add`/`sub` give it:
 * the same exact integer form as the decimal fast path, which falls back to the engine's decimals where
 * that path does, so both write the same value in the same canonical text.
 */
export function carry(sum: RunningSum, text: Dec, change: Dec, sign: 1 | -1): Dec {
  const fixed = sum.fixed;
  if (sum.text !== text && !parseFixed(text, fixed)) fixed.mantissa = Number.NaN;
  let next: Dec | undefined;
  if (!Number.isNaN(fixed.mantissa) && parseFixed(change, amount) && alignFixed(fixed, amount)) {
    const mantissa = fixed.mantissa + sign * amount.mantissa;
    if (Math.abs(mantissa) <= Number.MAX_SAFE_INTEGER) {
      fixed.mantissa = mantissa;
      next = fixedText(mantissa, fixed.scale);
    }
  }
  if (next === undefined) {
    next = sign === 1 ? add(text, change) : sub(text, change);
    if (!parseFixed(next, fixed)) fixed.mantissa = Number.NaN;
  }
  sum.text = next;
  return next;
}

/**
 * `formatFixed(mantissa, scale)` for a safe mantissa. A running sum has an integer part below 2^31 and a
 * fraction of at most 9 significant places (its scale may be larger, the places beyond being zeros): those
 * print fastest as two small integers. A quotient of exact integers below 2^53 is correctly rounded and
 * never rounds across an integer (a non-integer quotient is ≥ 1/divisor from one, more than half its ulp),
 * so each `Math.floor` below is the exact integer part, and the products and differences are exact.
 */
export function fixedText(mantissa: number, scale: number): Dec {
  const magnitude = Math.abs(mantissa);
  if (scale < 1) return formatFixed(mantissa, scale);
  const unit = POW10[scale]!;
  const whole = Math.floor(magnitude / unit);
  let fraction = magnitude - whole * unit;
  let places = scale;
  if (places > 9) {
    // The places beyond the ninth must be zeros: dropped in one division, else the general path writes them.
    const dropped = POW10[places - 9]!;
    const kept = Math.floor(fraction / dropped);
    if (kept * dropped !== fraction) return formatFixed(mantissa, scale);
    fraction = kept;
    places = 9;
  }
  if (whole >= 2 ** 31) return formatFixed(mantissa, scale);
  const sign = mantissa < 0 ? '-' : '';
  if (fraction === 0) return whole === 0 ? '0' : sign + String(whole);
  // Below 10^9 now, so an int32 (`| 0` is exact): trailing zeros go by integer, not float, remainders.
  let rest = fraction | 0;
  while (rest % 10 === 0) {
    rest = (rest / 10) | 0;
    places--;
  }
  const digits = String(rest);
  const head = `${sign}${whole}.`;
  const zeros = places - digits.length;
  return zeros > 0 ? head + ZEROS[zeros]! + digits : head + digits;
}

/** `'0'.repeat(n)` for n < 9, the most leading zeros a fraction of 9 places can have. */
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000'];
