/**
 * The part of a paper venue one bot depends on, kept in its checkpoint: its open orders with their
 * reservations, its share of the account balances (what its fills changed: the ledger against its
 * starting budget) and, on a perpetual, its position. A restarted engine rebuilds each paper account
 * from the manifest balances plus every resumed bot's share.
 */
import { dec, str, type Dec } from '../core/decimal.ts';
import type { BotKernel } from '../kernel/bot-kernel.ts';
import type { PaperCounters, PaperExchange, PaperOrder } from '../adapters/paper/exchange.ts';
import type { LinearPosition } from '../strategies/shared/futures.ts';

/** One bot's slice of a paper venue. */
export interface PaperSlice {
  readonly orders: readonly PaperOrder[];
  readonly counters: PaperCounters;
  /** Net balance change per asset caused by the bot's fills. */
  readonly deltas: Readonly<Record<string, Dec>>;
  readonly position?: LinearPosition;
}

/** The bot's slice of `exchange` now. */
export function paperSliceOf(
  kernel: BotKernel,
  exchange: PaperExchange,
  mine: (clientOrderId: string) => boolean,
): PaperSlice {
  const { market, budget } = kernel.options;
  const ledger = kernel.ledger;
  const { orders, counters } = exchange.openOrdersOf(mine);
  if (ledger.futures) {
    const wallet = dec(ledger.quote).plus(ledger.margin).minus(budget.quote);
    return {
      orders,
      counters,
      deltas: { [market.settle ?? market.quote]: str(wallet) },
      position: ledger.position,
    };
  }
  const deltas = {
    [market.quote]: str(dec(ledger.quote).minus(budget.quote)),
    [market.base]: str(dec(ledger.base).minus(budget.base ?? '0')),
  };
  return { orders, counters, deltas };
}

/** Puts a bot's slice back into a freshly opened paper venue. */
export function restorePaperSlice(exchange: PaperExchange, symbol: string, slice: PaperSlice): void {
  exchange.balances.restoreShare(slice.deltas, symbol, slice.position);
  exchange.restoreOrders(slice.orders, slice.counters);
}
