/**
 * The price levels and timer a strategy asked to be woken at (`Wake`), with float images of the levels
 * for the bar walk: a level is parsed only when it changes, and a tie between float images is decided
 * with the exact decimals.
 */
import { gt, gte, lt, lte, type Dec } from '../core/decimal.ts';
import type { Wake } from './strategy.ts';

/** A strategy's current wake request. */
export class WakeLevels {
  private wake: Wake | undefined;
  /** Float images of the levels (NaN when none). */
  belowF = Number.NaN;
  aboveF = Number.NaN;
  /** Counts changes of the price levels. */
  version = 0;

  /** Replaces the request (a step's `wake`; absent = none). */
  set(wake: Wake | undefined): void {
    if (
      wake?.below !== this.wake?.below ||
      wake?.above !== this.wake?.above ||
      wake?.trail !== this.wake?.trail
    )
      this.version++;
    // Strategies usually return the same levels step after step: parse a level only when it changed.
    if (wake?.below !== this.wake?.below)
      this.belowF = wake?.below === undefined ? Number.NaN : Number(wake.below);
    if (wake?.above !== this.wake?.above)
      this.aboveF = wake?.above === undefined ? Number.NaN : Number(wake.above);
    this.wake = wake;
  }

  /**
   * True when `price` reaches a level: at or below `below`, or at or above `above`; strictly beyond a
   * level marked `trail` (the strategy has already seen a price equal to its extreme).
   */
  due(price: Dec, priceF: number): boolean {
    const wake = this.wake;
    if (wake === undefined) return false;
    const hitBelow =
      priceF < this.belowF ||
      (priceF === this.belowF && (wake.trail === 'below' ? lt(price, wake.below!) : lte(price, wake.below!)));
    const hitAbove =
      priceF > this.aboveF ||
      (priceF === this.aboveF && (wake.trail === 'above' ? gt(price, wake.above!) : gte(price, wake.above!)));
    return hitBelow || hitAbove;
  }

  /** The `below` level the bar walk stops at (NaN when none, or when it trails an extreme). */
  get stopBelowF(): number {
    return this.wake?.trail === 'below' ? Number.NaN : this.belowF;
  }

  /** The `above` level the bar walk stops at (NaN when none, or when it trails an extreme). */
  get stopAboveF(): number {
    return this.wake?.trail === 'above' ? Number.NaN : this.aboveF;
  }

  /** The exact level whose float image is `levelF`, if it is one of ours. */
  levelOf(levelF: number): Dec | undefined {
    if (levelF === this.belowF) return this.wake?.below;
    if (levelF === this.aboveF) return this.wake?.above;
    return undefined;
  }

  /** Whether the strategy wants `bar` events (it does unless its wake says `bars: false`). */
  get bars(): boolean {
    return this.wake?.bars !== false;
  }

  /** The whole current request (checkpoints save it; `set` restores it). */
  get request(): Wake | undefined {
    return this.wake;
  }

  /** The requested timer, if any. */
  get timer(): { readonly ts: number; readonly name: string } | undefined {
    return this.wake?.at;
  }

  /** Forgets the timer once delivered (the levels stay). */
  clearTimer(): void {
    if (this.wake?.at === undefined) return;
    const { at: _delivered, ...rest } = this.wake;
    this.wake = rest;
  }
}
