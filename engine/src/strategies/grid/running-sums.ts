/**
 * The grid's running sums (base and quote held, realised profit): decimal text in the state, changed on
 * every fill. Adding a small amount to a long text parses both and writes the sum; here the exact amount
 * behind the text last written (a core RunningAmount) is carried over to the next fill, so only the small
 * amount is parsed.
 */
import type { Dec } from '../../core/decimal.ts';
import { RunningAmount } from '../../core/running-amount.ts';

/**
 * One running sum: the text it last returned and the exact amount that text is. A derived cache, not
 * state: when the text handed in is not the one last returned (another bot, a restored checkpoint, a state
 * edited in between) the amount is read from the text first, so the result never depends on it.
 */
export interface RunningSum {
  text: Dec | undefined;
  readonly amount: RunningAmount;
}

/** A running sum with nothing carried yet. */
export const runningSum = (): RunningSum => ({ text: undefined, amount: new RunningAmount() });

/** `text + change` (`sign` 1) or `text − change` (−1) as canonical text, exactly as `add`/`sub` give it. */
export function carry(sum: RunningSum, text: Dec, change: Dec, sign: 1 | -1): Dec {
  if (sum.text !== text) sum.amount.set(text);
  sum.amount.change(change, sign);
  sum.text = sum.amount.value();
  return sum.text;
}
