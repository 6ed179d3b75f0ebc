import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { compareDecimalText, numberText } from './decimal-text.ts';
import { decimalBoundError } from './keywords.ts';

/** Decimal text for `units / 10^scale`, written with optional redundant zeros. */
function text(units: bigint, scale: number, padInt: number, padFrac: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  const body = `${'0'.repeat(padInt)}${int}${scale > 0 || padFrac > 0 ? `.${frac}${'0'.repeat(padFrac)}` : ''}`;
  return `${negative ? '-' : ''}${body}`;
}

const decimal = fc.record({
  units: fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
  scale: fc.integer({ min: 0, max: 8 }),
  padInt: fc.integer({ min: 0, max: 2 }),
  padFrac: fc.integer({ min: 0, max: 2 }),
});

describe('compareDecimalText', () => {
  it('orders decimal texts exactly as their values, whatever the zeros and scale', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const common = 8;
        const va = a.units * 10n ** BigInt(common - a.scale);
        const vb = b.units * 10n ** BigInt(common - b.scale);
        const expected = va < vb ? -1 : va > vb ? 1 : 0;

        const actual = compareDecimalText(
          text(a.units, a.scale, a.padInt, a.padFrac),
          text(b.units, b.scale, b.padInt, b.padFrac),
        );

        expect(actual).toBe(expected);
      }),
    );
  });

  it('treats -0 and 0 as equal and handles a leading point', () => {
    expect(compareDecimalText('-0.000', '0')).toBe(0);
    expect(compareDecimalText('.5', '0.50')).toBe(0);
    expect(compareDecimalText('-.5', '0')).toBe(-1);
  });

  it('writes tiny schema bounds without exponent notation', () => {
    expect(numberText(1e-7)).toBe('0.0000001');
    expect(numberText(0.1)).toBe('0.1');
  });
});

describe('decimalBoundError', () => {
  it('names the violated bound', () => {
    expect(decimalBoundError('0', { exclusiveMinimum: 0 })?.message).toBe('must be > 0');
    expect(decimalBoundError('50.000000001', { maximum: 50 })?.keyword).toBe('maximum');
    expect(decimalBoundError('0.1', { minimum: 0.1, exclusiveMaximum: 1 })).toBeUndefined();
  });
});
