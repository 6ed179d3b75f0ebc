/**
 * Loop slots (§4.3): `L_k = E·(1 + k·d)` (linear) or `E·(1+d)^k` (geometric) for `k ≠ 0`; buys only below the
 * entry (k < 0), sells only above (k > 0). A slot is valid inside `[lowPrice, highPrice]` and while fewer than
 * `maxLevels` distinct slots have been tracked.
 */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { LoopParams } from './params.ts';

/** The price of slot `k` around entry `entry`. */
export function slotPrice(
  p: Pick<LoopParams, 'orderDistancePct' | 'latticeMode'>,
  entry: Dec,
  k: number,
): Dec {
  const d = dec(p.orderDistancePct).dividedBy(100);
  const raw =
    p.latticeMode === 'linear' ? dec(entry).times(d.times(k).plus(1)) : dec(entry).times(d.plus(1).pow(k));
  return str(raw.toSignificantDigits(28));
}

/** Whether slot `k` lies inside the bounds (ignoring the level cap). */
export function inBounds(p: LoopParams, entry: Dec, k: number): boolean {
  if (k === 0) return false;
  const price = dec(slotPrice(p, entry, k));
  return (
    price.greaterThan(0) &&
    price.greaterThanOrEqualTo(p.lowPrice) &&
    (p.highPrice === undefined || price.lessThanOrEqualTo(p.highPrice))
  );
}

/** Every in-bounds slot on one side, nearest to the entry first, up to `limit` of them. */
export function boundedSlots(p: LoopParams, entry: Dec, side: 'buy' | 'sell', limit: number): number[] {
  const out: number[] = [];
  const dir = side === 'buy' ? -1 : 1;
  for (let n = 1; out.length < limit && n <= limit + 1; n++)
    if (inBounds(p, entry, dir * n)) out.push(dir * n);
  return out;
}

/** The vacant slot of `window` to fill next: nearest to or farthest from the entry (§4.2 `gapFillOrder`). */
export function pickGap(
  window: readonly number[],
  occupied: ReadonlySet<number>,
  order: LoopParams['gapFillOrder'],
): number | undefined {
  const vacant = window.filter((k) => !occupied.has(k)).sort((a, b) => Math.abs(a) - Math.abs(b));
  return order === 'nearestToEntry' ? vacant[0] : vacant.at(-1);
}
