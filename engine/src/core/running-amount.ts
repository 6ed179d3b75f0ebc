/**
 * An exact running amount (a balance, a reservation, a running sum) changed by every fill or order. Its
 * text is written out only when read: a long running total costs far more to format than to change, and
 * in a backtest it changes on every fill but is read far less often.
 *
 * The amount is kept as decimal-fast's fixed form (a safe integer count of 10^-scale units) while it
 * fits, where adding and comparing are exact integer operations (see decimal-fast.ts for why); anything
 * else (too many digits, exponent text) goes through the engine's decimals, with the same canonical
 * result.
 */
import { add, cmp, sub, type Dec } from './decimal.ts';
import { alignFixed, formatFixed, parseFixed, POW10, type Fixed } from './decimal-fast.ts';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

// Scratch operands, reused so that a change or comparison allocates nothing.
const left: Fixed = { mantissa: 0, scale: 0 };
const right: Fixed = { mantissa: 0, scale: 0 };

/** An exact amount that changes often and is read rarely. */
export class RunningAmount {
  /** The amount as mantissa / 10^scale; the mantissa is NaN while the amount is held only as text. */
  private readonly fixed: Fixed = { mantissa: 0, scale: 0 };
  /** The canonical text, or undefined until it is next read. */
  private text: Dec | undefined = '0';

  constructor(initial: Dec = '0') {
    this.set(initial);
  }

  /** The amount as canonical decimal text. */
  value(): Dec {
    this.text ??= formatFixed(this.fixed.mantissa, this.fixed.scale);
    return this.text;
  }

  /**
   * The amount as a float, the same one `Number(value())` gives: mantissa and 10^scale (scale ≤ 22) are
   * both exact doubles and IEEE division is correctly rounded, so the quotient is the double nearest the
   * exact value, as `Number` of the text is.
   */
  toNumber(): number {
    const { mantissa, scale } = this.fixed;
    return Number.isNaN(mantissa) ? Number(this.value()) : mantissa / POW10[scale]!;
  }

  /** Sets the amount to canonical decimal text. */
  set(text: Dec): void {
    this.text = text;
    if (!parseFixed(text, this.fixed)) this.fixed.mantissa = Number.NaN;
  }

  /** Adds `amount` (`sign` 1) or subtracts it (−1). */
  change(amount: Dec, sign: 1 | -1): void {
    if (this.loadInto(left) && parseFixed(amount, right) && alignFixed(left, right)) {
      // A sum beyond 2^53 in magnitude may have been rounded: those go to the decimals below.
      const mantissa = left.mantissa + sign * right.mantissa;
      if (Math.abs(mantissa) <= MAX_SAFE) {
        this.fixed.mantissa = mantissa;
        this.fixed.scale = left.scale;
        this.text = undefined;
        return;
      }
    }
    this.set(sign === 1 ? add(this.value(), amount) : sub(this.value(), amount));
  }

  /** True when this amount is below `other`. */
  lessThan(other: RunningAmount): boolean {
    if (this.loadInto(left) && other.loadInto(right) && alignFixed(left, right))
      return left.mantissa < right.mantissa;
    return cmp(this.value(), other.value()) < 0;
  }

  /** This amount less `other`, as canonical text (one text written, none read). */
  minus(other: RunningAmount): Dec {
    if (this.loadInto(left) && other.loadInto(right) && alignFixed(left, right)) {
      const mantissa = left.mantissa - right.mantissa;
      if (Math.abs(mantissa) <= MAX_SAFE) return formatFixed(mantissa, left.scale);
    }
    return sub(this.value(), other.value());
  }

  /** True when this amount less `other` is below `amount` (exact; nothing is written out). */
  differenceBelow(other: RunningAmount, amount: Dec): boolean {
    if (this.loadInto(left) && other.loadInto(right) && alignFixed(left, right)) {
      left.mantissa -= right.mantissa;
      if (Math.abs(left.mantissa) <= MAX_SAFE && parseFixed(amount, right) && alignFixed(left, right))
        return left.mantissa < right.mantissa;
    }
    return cmp(this.minus(other), amount) < 0;
  }

  /** Copies the fixed form into a scratch operand; false while the amount is held only as text. */
  private loadInto(out: Fixed): boolean {
    out.mantissa = this.fixed.mantissa;
    out.scale = this.fixed.scale;
    return !Number.isNaN(out.mantissa);
  }
}
