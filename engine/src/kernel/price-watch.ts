/**
 * The prices a bot must hear about (bot-kernel.ts): its strategy's wake levels and, when the run
 * simulates liquidation, its position's liquidation price. The bar walk asks it where the price path
 * must stop for this bot and which price bands it may skip.
 */
import type { Dec } from '../core/decimal.ts';
import type { BotLedger } from './ledger.ts';
import { liquidationStopF, nearer } from './positions.ts';
import { WakeLevels } from './wake.ts';

/** The stop levels and quiet bands of one bot. */
export class PriceWatch {
  /** The strategy's current wake request. */
  readonly wake = new WakeLevels();
  private readonly ledger: BotLedger;
  private readonly simulateLiquidation: boolean;

  constructor(ledger: BotLedger, simulateLiquidation: boolean) {
    this.ledger = ledger;
    this.simulateLiquidation = simulateLiquidation;
  }

  /** The nearest price below the current one the path must stop at for this bot (NaN for none). */
  stopBelowF(): number {
    return nearer(this.liquidationStop(true), this.wake.stopBelowF, true);
  }

  /** The nearest price above the current one the path must stop at for this bot (NaN for none). */
  stopAboveF(): number {
    return nearer(this.liquidationStop(false), this.wake.stopAboveF, false);
  }

  private liquidationStop(down: boolean): number {
    return this.simulateLiquidation ? liquidationStopF(this.ledger, down) : Number.NaN;
  }

  /**
   * True when no price within [lowF, highF] would reach this bot: no wake level (trailing ones included)
   * and no liquidation price inside the range. Strict float comparisons decide it exactly, since the
   * float image of a decimal never reorders two decimals (a tie falls back to the full walk).
   */
  quietWithin(lowF: number, highF: number): boolean {
    const { belowF, aboveF } = this.wake;
    if (!(Number.isNaN(belowF) || belowF < lowF) || !(Number.isNaN(aboveF) || aboveF > highF)) return false;
    const qtyF = this.ledger.qtyF;
    if (!this.simulateLiquidation || qtyF === 0) return true;
    const lp = this.ledger.liquidationF;
    return Number.isNaN(lp) || (qtyF > 0 ? lp < lowF : lp > highF);
  }

  /** The open price band inside which no price reaches this bot (as `quietWithin` decides it). */
  quietBand(): { below: number; above: number } {
    const { belowF, aboveF } = this.wake;
    let below = Number.isNaN(belowF) ? Number.NEGATIVE_INFINITY : belowF;
    let above = Number.isNaN(aboveF) ? Number.POSITIVE_INFINITY : aboveF;
    const qtyF = this.ledger.qtyF;
    const lp = this.ledger.liquidationF;
    if (this.simulateLiquidation && qtyF !== 0 && !Number.isNaN(lp)) {
      if (qtyF > 0) below = Math.max(below, lp);
      else above = Math.min(above, lp);
    }
    return { below, above };
  }

  /** The decimal price of the level `stopBelowF`/`stopAboveF` returned. */
  stopDec(level: number): Dec {
    const lp = this.ledger.liquidation;
    if (lp !== undefined && level === this.ledger.liquidationF) return lp;
    return this.wake.levelOf(level) ?? String(level);
  }
}
