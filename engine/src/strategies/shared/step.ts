/**
 * Builds a reducer step's result. Strategies collect closed round trips as `roundTrip` items while they
 * work; the kernel reads them from `StrategyResult.roundTrips` (metrics: realised PnL, win rate), so they
 * are moved there and never reach the order flow as intents.
 */
import type { Intent, RoundTrip, StrategyResult, Wake } from '../../kernel/strategy.ts';

/** The step result with round trips split out of the intents. */
export function stepResult<S>(
  state: S,
  intents: readonly Intent[],
  wake: Wake | undefined,
): StrategyResult<S> {
  let roundTrips: RoundTrip[] | undefined;
  for (const intent of intents) {
    if (intent.type !== 'roundTrip') continue;
    // A literal sized for the usual one round trip rather than an empty list grown by a push.
    if (roundTrips === undefined) roundTrips = [{ pnl: intent.pnl }];
    else roundTrips.push({ pnl: intent.pnl });
  }
  // Most steps close no round trip: their intents then go out as they are, with no copy.
  const rest = roundTrips ? intents.filter((intent) => intent.type !== 'roundTrip') : intents;
  if (wake === undefined) return roundTrips ? { state, intents: rest, roundTrips } : { state, intents: rest };
  return roundTrips ? { state, intents: rest, wake, roundTrips } : { state, intents: rest, wake };
}
