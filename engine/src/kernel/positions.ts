/**
 * What the kernel records about a run: PositionSnapshot, MetricsSnapshot and SignalReceived payloads,
 * and the paper model of a liquidation (an isolated position whose mark crosses its liquidation price
 * loses the balance that backed it: its posted margin or its whole isolated wallet, per margin model).
 */
import { abs, gte, isNeg, isZero, lte, mul, sub, type Dec } from '../core/decimal.ts';
import type { EventPayloads } from '../model/events.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { maintenanceMargin, notional } from '../strategies/shared/futures.ts';
import type { BotLedger, MarginModel } from './ledger.ts';

/** The PositionSnapshot payload of a ledger at `mark`. */
export function positionSnapshot(
  ledger: BotLedger,
  symbol: string,
  mark: Dec | undefined,
): EventPayloads['PositionSnapshot'] {
  const base = { symbol, base: ledger.base, quote: ledger.quote };
  if (!ledger.futures) return base;
  const { qty, entryPrice } = ledger.position;
  return {
    ...base,
    side: isZero(qty) ? 'flat' : isNeg(qty) ? 'sell' : 'buy',
    entryPrice,
    contracts: abs(qty),
    margin: ledger.margin,
    unrealizedPnl: mark === undefined ? '0' : mul(qty, sub(mark, entryPrice)),
    ...(ledger.liquidation === undefined ? {} : { liquidationPrice: ledger.liquidation }),
  };
}

/** The float level below (long) or above (short) the price where the position would be liquidated. */
export function liquidationStopF(ledger: BotLedger, down: boolean): number {
  if (down ? ledger.qtyF > 0 : ledger.qtyF < 0) return ledger.liquidationF;
  return Number.NaN;
}

/** What a liquidation did. */
export interface Liquidation {
  readonly qty: Dec;
  readonly entryPrice: Dec;
  readonly liquidationPrice: Dec;
  readonly mark: Dec;
  readonly loss: Dec;
  /** Which balance backed the position (and was lost). */
  readonly marginModel: MarginModel;
  /** The balance the formula used (WB or posted M) when the mark crossed. */
  readonly walletBalance: Dec;
  /** Maintenance margin `Q·LP·MMR` at the liquidation price: equity there, kept by the venue. */
  readonly maintenanceMargin: Dec;
}

/** Liquidates the ledger's position when `mark` has crossed its liquidation price. */
export function liquidateIfCrossed(ledger: BotLedger, mark: Dec): Liquidation | undefined {
  const lp = ledger.liquidation;
  const lpF = ledger.liquidationF;
  if (lp === undefined || Number.isNaN(lpF)) return undefined;
  // Asked at every price step. Float images keep the order of the decimals (rounding is monotonic), so
  // a mark whose float is strictly on the safe side is exactly on it; the decimals decide the rest.
  const markF = Number(mark);
  if (ledger.qtyF > 0 ? markF > lpF : markF < lpF) return undefined;
  const crossed = ledger.qtyF > 0 ? lte(mark, lp) : gte(mark, lp);
  if (!crossed) return undefined;
  const { qty, entryPrice } = ledger.position;
  const { marginModel } = ledger;
  const walletBalance = ledger.walletBalance();
  const maintenance = maintenanceMargin(notional(qty, lp), { mmr: ledger.mmr });
  const loss = ledger.liquidate();
  return {
    ...{ qty, entryPrice, liquidationPrice: lp, mark, loss, marginModel, walletBalance },
    maintenanceMargin: maintenance,
  };
}

/** Picks the nearer of two stop levels on the side the price moves to (NaN = none). */
export function nearer(a: number, b: number, down: boolean): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return down ? Math.max(a, b) : Math.min(a, b);
}

/** Metrics as a flat record for the MetricsSnapshot event. */
export function metricsRecord(m: Metrics): Readonly<Record<string, Dec | number>> {
  return { ...m };
}

/** The SignalReceived payload: accepted unless there is a `reason` to refuse it. */
export function signalRecord(
  source: string,
  action: string,
  reason: string | undefined,
  idempotencyKey: string | undefined,
): EventPayloads['SignalReceived'] {
  return {
    source,
    accepted: reason === undefined,
    action,
    ...(reason === undefined ? {} : { reason }),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  };
}
