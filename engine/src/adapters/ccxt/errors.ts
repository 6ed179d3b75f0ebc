/**
 * Classifies ccxt errors once, at the edge, into the exchange port's three classes by what the caller
 * does next (STYLE.md): rejected (definite, becomes an event), unknown (look the order up, never resend)
 * and transient (certainly changed nothing; retry later, honouring `Retry-After`).
 */
import {
  AuthenticationError,
  BadRequest,
  DDoSProtection,
  DuplicateOrderId,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidOrder,
  NetworkError,
  OnMaintenance,
  OperationRejected,
  OrderImmediatelyFillable,
  OrderNotFound,
  RateLimitExceeded,
  RequestTimeout,
} from 'ccxt';
import { ExchangeRejectedError, ExchangeTransientError, ExchangeUnknownError } from '../../ports/exchange.ts';

/** What kind of call failed: only calls that may change venue state can have an unknown outcome. */
export type CallKind = 'create' | 'cancel' | 'read';

/** One of the port's error classes. */
export type PortError = ExchangeRejectedError | ExchangeUnknownError | ExchangeTransientError;

/** Parses an HTTP `Retry-After` value (seconds, or an HTTP date relative to `now`) into milliseconds. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The stable rejection code of a definite ccxt failure. */
function rejectionCode(error: Error): string | undefined {
  if (error instanceof InsufficientFunds) return 'insufficient-balance';
  if (error instanceof OrderNotFound) return 'order-not-found';
  if (error instanceof DuplicateOrderId || /Duplicate order sent/i.test(error.message)) {
    return 'duplicate-client-order-id';
  }
  // The paper exchange's code for the same refusal, so strategies see one vocabulary.
  if (error instanceof OrderImmediatelyFillable) return 'post-only-would-take';
  if (error instanceof InvalidOrder) return 'invalid-order';
  if (error instanceof BadRequest) return 'bad-request';
  if (error instanceof AuthenticationError) return 'authentication';
  // The venue refused the operation outright (market closed, too many open orders, …).
  if (error instanceof OperationRejected) return 'operation-rejected';
  return undefined;
}

/**
 * Maps an error thrown by a ccxt call to the port's classes. `where` names the call for the message
 * (ccxt messages carry the venue's response body, never our credentials); `retryAfter` is the
 * `Retry-After` header of the failed response, if the client kept it.
 */
export function classifyCcxtError(
  error: unknown,
  kind: CallKind,
  where: string,
  retryAfter?: number,
): PortError {
  if (!(error instanceof Error))
    return new ExchangeUnknownError(`${where}: non-error thrown: ${String(error)}`);
  const message = `${where}: ${error.constructor.name}: ${error.message}`;
  if (
    error instanceof RateLimitExceeded ||
    error instanceof DDoSProtection ||
    error instanceof OnMaintenance ||
    error instanceof ExchangeNotAvailable
  ) {
    return new ExchangeTransientError(message, retryAfter === undefined ? {} : { retryAfterMs: retryAfter });
  }
  if (error instanceof RequestTimeout || error instanceof NetworkError) {
    // A read that timed out changed nothing; a create or cancel may have reached the matching engine.
    return kind === 'read' ? new ExchangeTransientError(message) : new ExchangeUnknownError(message);
  }
  const code = rejectionCode(error);
  if (code !== undefined) return new ExchangeRejectedError(code, message);
  // Anything else (a venue 5xx "unknown error", an unparsable body): never assume it did not happen.
  return kind === 'read' ? new ExchangeTransientError(message) : new ExchangeUnknownError(message);
}
