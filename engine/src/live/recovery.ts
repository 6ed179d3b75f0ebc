/**
 * Restart recovery of one resumed run, in the order of dca-twap-risk.md §8.4, against any exchange
 * port (paper or live). It runs in recovery mode: the kernel's reactions (a re-placed order after a
 * NotPlaced, say) only queue as commands, and nothing is sent until the venue has been reconciled.
 */
import { decodeClientOrderId } from '../core/ids.ts';
import type { Fill, OrderSnapshot } from '../model/orders.ts';
import type { ExchangePort } from '../ports/exchange.ts';
import type { BotKernel } from '../kernel/bot-kernel.ts';
import type { PendingCancelState } from '../kernel/checkpoint.ts';
import type { OrderRecord } from '../kernel/order-book.ts';

/** Fills are looked up from this long before the checkpoint (§8.4 step 7: cursor − 10 min). */
const FILL_LOOKBACK_MS = 10 * 60_000;

/** What recovery found, for the audit trail. */
export interface RecoveryReport {
  tracked: number;
  resolved: number;
  notPlaced: number;
  orphansCancelled: number;
  fillsApplied: number;
  cancelsResent: number;
}

/** True when a client order id is one of this bot's (our namespace prefix and bot short id). */
export function ownedBy(ns: string, bot: number): (clientOrderId: string) => boolean {
  return (id) => {
    const parts = decodeClientOrderId(id);
    return parts !== undefined && parts.ns === ns && parts.bot === bot;
  };
}

/**
 * Reconciles the kernel's live orders with the venue: known and open → tracked (fills applied, each
 * trade id once); known but absent from open orders → `fetchOrder` and its final state applied, or
 * NotPlaced when the venue never saw it (an intent stored before a crash); open orders with our prefix
 * that the run does not know (orphans) → cancelled. Then unconfirmed cancels are sent again.
 */
export async function recoverRun(
  kernel: BotKernel,
  exchange: ExchangePort,
  mine: (clientOrderId: string) => boolean,
  checkpointTs: number,
  pendingCancels: readonly PendingCancelState[],
): Promise<RecoveryReport> {
  const symbol = kernel.options.market.symbol;
  const report: RecoveryReport = {
    ...{ tracked: 0, resolved: 0, notPlaced: 0 },
    ...{ orphansCancelled: 0, fillsApplied: 0, cancelsResent: 0 },
  };
  const open = new Map((await exchange.fetchOpenOrders(symbol)).map((o) => [o.clientOrderId, o]));
  const trades = await exchange.fetchMyTrades(symbol, checkpointTs - FILL_LOOKBACK_MS);
  for (const record of kernel.book.liveOrders()) {
    const known = open.get(record.clientOrderId);
    const snapshot = known ?? (await exchange.fetchOrder(record.clientOrderId, symbol));
    if (!snapshot) {
      absent(kernel, record);
      report.notPlaced++;
      continue;
    }
    report.fillsApplied += applyVenueState(kernel, record, snapshot, trades);
    if (known) report.tracked++;
    else report.resolved++;
  }
  for (const order of open.values()) {
    if (!mine(order.clientOrderId) || kernel.book.byClientOrderId(order.clientOrderId)) continue;
    await exchange.cancelOrder(order.clientOrderId, symbol);
    report.orphansCancelled++;
  }
  for (const pending of pendingCancels) {
    if (!kernel.book.live(pending.key)) continue;
    kernel.flow.cancel(pending.key);
    if (pending.then) kernel.flow.place(pending.then);
    report.cancelsResent++;
  }
  return report;
}

/** The venue does not know the order: it never left (write-ahead intent) or is gone; a new attempt may follow. */
function absent(kernel: BotKernel, record: OrderRecord): void {
  if (record.status !== 'Unknown') kernel.flow.onUnknown(record, 'not at the venue after a restart');
  kernel.flow.onNotPlaced(record);
}

/** Applies what the venue knows about an order the run knows; returns the fills newly applied. */
function applyVenueState(
  kernel: BotKernel,
  record: OrderRecord,
  snapshot: OrderSnapshot,
  trades: readonly Fill[],
): number {
  // Sent before the crash but its acknowledgement never stored: record it now (not a second submit).
  if (record.status === 'PendingSubmit' || record.status === 'Unknown') kernel.onPlaced(record, snapshot);
  let applied = 0;
  for (const fill of trades) {
    if (fill.clientOrderId !== record.clientOrderId || record.tradeIds.has(fill.tradeId)) continue;
    kernel.flow.onFill(fill);
    applied++;
  }
  if (snapshot.status !== 'Open' && snapshot.status !== 'PartiallyFilled') kernel.flow.onOrder(snapshot);
  return applied;
}
