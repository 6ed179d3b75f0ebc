/**
 * An exact running amount (a balance total or reservation) changed by every fill and order. Its text is
 * written out only when read: a long running total costs far more to format than to change, and in a
 * backtest it is changed on every fill but read only when an order is checked against it.
 *
 * The amount is kept as an integer count of 10^-scale units while that count is a safe integer, where
 * adding and comparing are exact integer operations; anything else (too many digits, exponent text)
 * goes through the engine's decimals, with the same canonical result.
 */
import { add, cmp, sub, type Dec } from '../../core/decimal.ts';

const MAX_SCALE = 22;
/** 10^0 … 10^22, each exact as a double. */
const POW10: number[] = [1];
for (let i = 1; i <= MAX_SCALE; i++) POW10.push(POW10[i - 1]! * 10);

/** Scratch result of `parsePlain`, reused so a change allocates nothing. */
const operand = { units: 0, scale: 0 };

/** Parses plain decimal text (`-?\d+(\.\d+)?`) of a safe integer count of units into `operand`. */
function parsePlain(text: string): boolean {
  const length = text.length;
  const start = length > 0 && text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  if (start >= length) return false;
  let units = 0;
  let scale = -1; // -1 until the decimal point is seen
  for (let i = start; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      units = units * 10 + (code - 48);
      if (scale >= 0) scale++;
    } else if (code === 46 /* . */ && scale < 0 && i > start && i < length - 1) scale = 0;
    else return false;
  }
  // The running count only grows, so once past the safe range it stays past it: one check suffices.
  if (units > Number.MAX_SAFE_INTEGER || scale > MAX_SCALE) return false;
  operand.units = start === 1 ? -units : units;
  operand.scale = scale < 0 ? 0 : scale;
  return true;
}

/** Canonical text of units / 10^scale: no trailing zeros, no exponent, `0` for zero. */
function formatUnits(units: number, scale: number): Dec {
  if (units === 0) return '0';
  const digits = String(Math.abs(units)); // a safe integer prints in plain digits
  const sign = units < 0 ? '-' : '';
  if (scale === 0) return sign + digits;
  const padded = digits.length <= scale ? '0'.repeat(scale - digits.length + 1) + digits : digits;
  const point = padded.length - scale;
  let end = padded.length;
  while (end > point && padded.charCodeAt(end - 1) === 48 /* 0 */) end--;
  return end === point
    ? sign + padded.slice(0, point)
    : `${sign}${padded.slice(0, point)}.${padded.slice(point, end)}`;
}

/** An exact amount that changes often and is read rarely. */
export class RunningAmount {
  /** The count of 10^-scale units; NaN while the amount is held only as text. */
  private units = 0;
  private scale = 0;
  /** The canonical text, or undefined until it is next read. */
  private text: Dec | undefined = '0';

  constructor(initial: Dec = '0') {
    this.set(initial);
  }

  /** The amount as canonical decimal text. */
  value(): Dec {
    this.text ??= formatUnits(this.units, this.scale);
    return this.text;
  }

  /** Sets the amount to canonical decimal text. */
  set(text: Dec): void {
    this.text = text;
    if (parsePlain(text)) {
      this.units = operand.units;
      this.scale = operand.scale;
    } else this.units = Number.NaN;
  }

  /** Adds `amount` (`sign` 1) or subtracts it (−1). */
  change(amount: Dec, sign: 1 | -1): void {
    if (!Number.isNaN(this.units) && parsePlain(amount)) {
      let units = this.units;
      let other = operand.units;
      const scale = Math.max(this.scale, operand.scale);
      units *= POW10[scale - this.scale]!;
      other *= POW10[scale - operand.scale]!;
      const result = units + sign * other;
      // A product or sum beyond 2^53 is not a safe integer even when rounded, so this is exactness.
      if (Number.isSafeInteger(units) && Number.isSafeInteger(other) && Number.isSafeInteger(result)) {
        this.units = result;
        this.scale = scale;
        this.text = undefined;
        return;
      }
    }
    this.set(sign === 1 ? add(this.value(), amount) : sub(this.value(), amount));
  }

  /** True when this amount is below `other`. */
  lessThan(other: RunningAmount): boolean {
    if (Number.isNaN(this.units) || Number.isNaN(other.units)) return cmp(this.value(), other.value()) < 0;
    const scale = Math.max(this.scale, other.scale);
    const a = this.units * POW10[scale - this.scale]!;
    const b = other.units * POW10[scale - other.scale]!;
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return cmp(this.value(), other.value()) < 0;
    return a < b;
  }
}
