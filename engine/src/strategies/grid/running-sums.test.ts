import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { add, dec, str, sub, type Dec } from '../../core/decimal.ts';
import { formatFixed } from '../../core/decimal-fast.ts';
import { carry, fixedText, runningSum } from './running-sums.ts';

/** Decimal text of `count` units of 10^-places (canonical), through and beyond the safe-integer range. */
const anAmount = fc
  .tuple(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), fc.integer({ min: 0, max: 12 }))
  .map(([count, places]) => str(dec(count).dividedBy(dec(10).pow(places))));

describe('running sums carried from fill to fill', () => {
  it('give the very texts add and sub give, also when another state’s text comes in between', () => {
    const step = fc.tuple(anAmount, fc.boolean(), fc.option(anAmount, { nil: undefined }));
    fc.assert(
      fc.property(anAmount, fc.array(step, { maxLength: 30 }), (start, steps) => {
        const sum = runningSum();
        let text: Dec = start;

        for (const [amount, plus, foreign] of steps) {
          // A foreign text stands for another bot's state, or one restored or edited in between.
          const from = foreign ?? text;
          text = carry(sum, from, amount, plus ? 1 : -1);

          expect(text).toBe(plus ? add(from, amount) : sub(from, amount));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('read a text it did not write, exponent notation included, before carrying it', () => {
    const sum = runningSum();

    expect(carry(sum, '10.5', '0.25', 1)).toBe('10.75');
    expect(carry(sum, '1e-7', '0.1', 1)).toBe('0.1000001');
    expect(carry(sum, '0.1000001', '0.0000001', -1)).toBe('0.1');
  });

  it('write a sum as the decimal fast path writes it, at every scale and around 2^31', () => {
    const whole = fc.oneof(fc.integer({ min: 0, max: 2 ** 32 }), fc.constantFrom(0, 1, 2 ** 31 - 1, 2 ** 31));
    const aMantissa = fc
      .tuple(whole, fc.integer({ min: 0, max: 10 ** 9 - 1 }), fc.integer({ min: 0, max: 22 }), fc.boolean())
      .map(([w, fraction, scale, negative]) => {
        // Up to 6 places of the whole and up to 12 of the fraction, so that the long scales end in zeros or not.
        const mantissa =
          w * 10 ** Math.min(scale, 6) +
          (fraction % 10 ** Math.min(scale, 6)) * 10 ** Math.max(0, scale - 12);
        return { mantissa: negative ? -mantissa : mantissa, scale };
      })
      .filter(({ mantissa }) => Math.abs(mantissa) <= Number.MAX_SAFE_INTEGER);
    fc.assert(
      fc.property(aMantissa, ({ mantissa, scale }) => {
        expect(fixedText(mantissa, scale)).toBe(formatFixed(mantissa, scale));
      }),
      { numRuns: 2000 },
    );
    expect(fixedText(123_000, 3)).toBe('123');
    expect(fixedText(-5, 9)).toBe('-0.000000005');
    expect(fixedText(355_383_104_330, 8)).toBe('3553.8310433');
    expect(fixedText(35_538_310_433_000, 12)).toBe('35.538310433');
    expect(fixedText(35_538_310_433_001, 12)).toBe('35.538310433001');
  });
});
