/** The scan behind the bar walk's skipping of quiet bars (driver.ts `skipQuiet`). */
import type { BarSeries } from '../../ports/feed.ts';

/**
 * The first bar from `first` (before `end`) whose range reaches `below` or `above` or whose time
 * reaches `timer`: a tight loop of its own over the float columns, so it is optimised on its own
 * rather than as part of the larger walk.
 */
export function firstLoud(
  series: BarSeries,
  first: number,
  end: number,
  below: number,
  above: number,
  timer: number,
): number {
  const { ts, low, high } = series;
  let i = first;
  if (timer === Number.POSITIVE_INFINITY) {
    while (i < end && low[i]! > below && high[i]! < above) i++;
  } else {
    while (i < end && low[i]! > below && high[i]! < above && ts[i]! < timer) i++;
  }
  return i;
}
