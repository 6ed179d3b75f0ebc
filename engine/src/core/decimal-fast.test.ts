import { describe, expect, it } from '@jest/globals';
import { add, cmp, dec, div, mul, neg, str, sub, sum, toPlaces, toStep } from './decimal.ts';

describe('fast path edges', () => {
  it('stays exact across the 2^53 boundary by falling back', () => {
    expect(add('9007199254740991', '1')).toBe('9007199254740992');
    expect(sub('-9007199254740991', '2')).toBe('-9007199254740993');
    expect(mul('94906267', '94906267')).toBe('9007199515875289');
    expect(mul('-9490626.7', '94906.267')).toBe('-900719951587.5289');
  });

  it('prints mantissas on both sides of each 10^8 boundary', () => {
    for (const m of [2 ** 31, 99_999_999_999, 100_000_000_000, 100_000_000_001, 9_007_199_200_000_000]) {
      expect([str(String(m)), neg(String(m)), mul(String(m), '0.001')]).toEqual([
        String(m),
        `-${m}`,
        `${String(m).slice(0, -3)}.${String(m).slice(-3)}`.replace(/\.?0+$/, ''),
      ]);
    }
  });

  it('falls back when aligning scales would overflow', () => {
    expect(add('9007199254740991', '0.1')).toBe('9007199254740991.1');
    expect(cmp('9007199254740991', '9007199254740990.9')).toBe(1);
    expect(sum(['0.000000000000001', '900719925474099'])).toBe('900719925474099.000000000000001');
  });

  it('writes zero as 0 whatever the sign or scale', () => {
    expect(add('0.1', '0.2')).toBe('0.3');
    expect(sub('1.50', '1.5')).toBe('0');
    expect(mul('-0.5', '0')).toBe('0');
    expect(neg('0')).toBe('0');
    expect([str('-0'), str('-0.000'), str(-0)]).toEqual(['0', '0', '0']);
    expect(toStep('-0.001', '0.01', 'ceil')).toBe('0');
  });

  it('rounds half to even and lets a long tail break the tie', () => {
    expect([toPlaces('2.5', 0), toPlaces('3.5', 0), toPlaces('-2.5', 0)]).toEqual(['2', '4', '-2']);
    expect(toPlaces('2.50000000000000000000000000001', 0)).toBe('3');
    expect(toStep('0.000332195121951219512195121951219512195', '0.00001', 'floor')).toBe('0.00033');
    expect(toStep('-0.000332195121951219512195121951219512195', '0.00001', 'floor')).toBe('-0.00034');
    expect(toStep('7.5', '0.5', 'nearest')).toBe('7.5');
    expect(toStep('7.75', '0.5', 'nearest')).toBe('8');
  });

  it('keeps decimal.js rounding the quotient to 40 digits before it floors onto the step', () => {
    const nines44 = `0.${'9'.repeat(44)}`;

    expect(toStep(nines44, '1', 'floor')).toBe('1');
    expect(toPlaces(nines44, 0, 'floor')).toBe('0');
  });

  it('divides exactly when the quotient terminates and to 40 digits otherwise', () => {
    expect([div('1', '8'), div('100', '0.01'), div('-7.5', '2.5')]).toEqual(['0.125', '10000', '-3']);
    expect(div('1', '3')).toBe('0.3333333333333333333333333333333333333333');
    expect(() => div('5', '0.00')).toThrow(/division by zero/);
  });

  it('returns one shared decimal.js instance per parsed text and stays right past the cache bound', () => {
    expect(dec('30123.45')).toBe(dec('30123.45'));

    for (let i = 0; i < 10_000; i++) expect(dec(`${i}.5`).toFixed()).toBe(`${i}.5`);

    expect(dec(' 1.50 ').toFixed()).toBe('1.5');
    expect(() => dec('NaN')).toThrow(/finite/);
  });
});
