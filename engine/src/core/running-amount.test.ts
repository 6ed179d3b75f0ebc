import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { add, dec, lt, str, sub, type Dec } from './decimal.ts';
import { RunningAmount } from './running-amount.ts';

/** Decimal text of `count` units of 10^-places (canonical). */
const units = (count: bigint, places: number): Dec => str(dec(count).dividedBy(dec(10).pow(places)));
const anAmount = fc
  .tuple(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), fc.integer({ min: 0, max: 14 }))
  .map(([count, places]) => units(count, places));

describe('running amount', () => {
  it('adds and subtracts exactly like the engine decimals, through and beyond the safe-integer range', () => {
    fc.assert(
      fc.property(anAmount, fc.array(fc.tuple(anAmount, fc.boolean()), { maxLength: 30 }), (start, steps) => {
        const running = new RunningAmount(start);
        let expected = start;

        for (const [amount, plus] of steps) {
          running.change(amount, plus ? 1 : -1);
          expected = plus ? add(expected, amount) : sub(expected, amount);
        }

        expect(running.value()).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('compares like the engine decimals', () => {
    fc.assert(
      fc.property(anAmount, anAmount, anAmount, (a, b, c) => {
        const left = new RunningAmount(a);
        const right = new RunningAmount(b);
        right.change(c, 1);

        expect(left.lessThan(right)).toBe(lt(a, add(b, c)));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same float as Number of its text, and the same difference and comparison as the decimals', () => {
    fc.assert(
      fc.property(anAmount, anAmount, anAmount, (a, b, c) => {
        const left = new RunningAmount(a);
        left.change(b, 1);
        const right = new RunningAmount(c);

        expect(Object.is(left.toNumber(), Number(add(a, b)))).toBe(true);
        expect(left.minus(right)).toBe(sub(add(a, b), c));
        expect(left.differenceBelow(right, a)).toBe(lt(sub(add(a, b), c), a));
      }),
      { numRuns: 500 },
    );
  });

  it('takes exponent text and writes canonical text back', () => {
    const running = new RunningAmount('100.5');

    running.change('1e-3', -1);
    running.change('0.0005', 1);
    running.change('-100', 1);

    expect(running.value()).toBe('0.4995');
    running.change('0.4995', -1);
    expect(running.value()).toBe('0');
  });

  it('keeps working exactly once the amount is held only as text', () => {
    const running = new RunningAmount('1e-30');

    running.change('0.5', 1);

    expect(running.value()).toBe(add('1e-30', '0.5'));
    expect(running.toNumber()).toBe(0.5);
    expect(running.minus(new RunningAmount('0.5'))).toBe(sub(add('1e-30', '0.5'), '0.5'));
    expect(running.differenceBelow(new RunningAmount('0.5'), '1e-29')).toBe(true);
    expect(running.differenceBelow(new RunningAmount('0.5'), '1e-30')).toBe(false);
  });
});
