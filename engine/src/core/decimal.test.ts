import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { add, cmp, div, dec, isDec, mul, pow, str, sub, sum, toStep } from './decimal.ts';

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
