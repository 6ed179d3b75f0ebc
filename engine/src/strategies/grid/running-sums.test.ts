import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { add, dec, str, sub, type Dec } from '../../core/decimal.ts';
import { carry, runningSum } from './running-sums.ts';

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
});
