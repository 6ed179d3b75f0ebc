/**
 * The checks the paper venue makes before it accepts an order, and whether an accepted order takes
 * liquidity at once: each refusal is a definite rejection with the venue's code (DESIGN §6.1); and how
 * the venue's synchronous calls become the port's promises.
 */
import type { OrderRequest } from '../../model/orders.ts';
import { ExchangeRejectedError } from '../../ports/exchange.ts';
import type { PaperOrder } from './paper-order.ts';

/** Throws the rejection of a request the venue cannot take now (`live`: an order with the same client id). */
export function assertPlaceable(
  request: OrderRequest,
  live: PaperOrder | undefined,
  hasPrice: boolean,
): void {
  if (live && (live.snapshot.status === 'Open' || live.snapshot.status === 'PartiallyFilled')) {
    throw new ExchangeRejectedError(
      'duplicate-client-order-id',
      `paper: order ${request.clientOrderId} is already open`,
    );
  }
  if (!hasPrice) throw new ExchangeRejectedError('no-price', `paper: no price yet for ${request.symbol}`);
  if (request.type === 'limit' && request.price === undefined) {
    throw new ExchangeRejectedError(
      'missing-price',
      `paper: limit order ${request.clientOrderId} has no price`,
    );
  }
}

/**
 * True when the request trades at once at path price `pathF`: a market order, or a limit buy at or above
 * it (sell at or below; `limitF` is the limit's float image). A post-only one that would is rejected.
 */
export function takesAtOnce(request: OrderRequest, limitF: number, pathF: number): boolean {
  const marketable =
    request.type === 'market' || (request.side === 'buy' ? limitF >= pathF : limitF <= pathF);
  if (marketable && request.postOnly === true) {
    throw new ExchangeRejectedError(
      'post-only-would-take',
      `paper: post-only ${request.clientOrderId} would take liquidity`,
    );
  }
  return marketable;
}

/** The port's promise of a synchronous venue call: its result, or its error as a rejection. */
export function promised<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
