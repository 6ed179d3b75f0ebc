/**
 * Venue client order ids (strategies/dca-twap-risk.md §8.2). The engine's compact id (17 lowercase
 * base36 characters) fits most venues' client-id fields as it is; venues with a fixed format get an id
 * derived deterministically from it, so a restarted engine computes the same venue id for the same
 * logical order and can look it up instead of sending it again.
 */
import { createHash } from 'node:crypto';

/** Which client-id field of a venue an id is for: regular orders, or algo (TWAP) orders. */
export type VenueIdKind = 'order' | 'algo';

/** A venue's rule for client order ids: what the field accepts, for tests and for a guard before sending. */
export interface VenueIdRule {
  readonly field: string;
  readonly pattern: RegExp;
  readonly maxLength: number;
  /** Exact length, where the venue requires one. */
  readonly length?: number;
}

/** Ids the engine sends: its compact ids, and any id the caller chose that every venue's charset allows. */
const ENGINE_ID = /^[0-9A-Za-z_-]{1,36}$/;

/** The constraints of §8.2's table, by ccxt exchange id and kind. */
export const VENUE_ID_RULES: Readonly<Record<string, VenueIdRule>> = {
  'binance:order': { field: 'newClientOrderId', pattern: /^[.A-Z:/a-z0-9_-]{1,36}$/, maxLength: 36 },
  'binanceusdm:order': { field: 'newClientOrderId', pattern: /^[.A-Z:/a-z0-9_-]{1,36}$/, maxLength: 36 },
  'binance:algo': { field: 'clientAlgoId', pattern: /^[0-9a-zA-Z]{32}$/, maxLength: 32, length: 32 },
  'binanceusdm:algo': { field: 'clientAlgoId', pattern: /^[0-9a-zA-Z]{32}$/, maxLength: 32, length: 32 },
  'bybit:order': { field: 'orderLinkId', pattern: /^[0-9A-Za-z_-]{1,36}$/, maxLength: 36 },
  'okx:order': { field: 'clOrdId', pattern: /^[0-9A-Za-z]{1,32}$/, maxLength: 32 },
  'okx:algo': { field: 'algoClOrdId', pattern: /^[0-9A-Za-z]{1,32}$/, maxLength: 32 },
  // Gate: `t-` prefix and at most 28 bytes after it.
  'gate:order': { field: 'text', pattern: /^t-[0-9A-Za-z_.-]{1,28}$/, maxLength: 30 },
  'kraken:order': { field: 'cl_ord_id', pattern: /^[\x20-\x7e]{1,18}$/, maxLength: 18 },
  'hyperliquid:order': { field: 'cloid', pattern: /^0x[0-9a-f]{32}$/, maxLength: 34, length: 34 },
  'alpaca:order': { field: 'client_order_id', pattern: /^.{1,48}$/, maxLength: 48 },
};

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The client order id to send to a venue for a compact id: the compact id itself where it fits, else
 * the venue's derived form (Hyperliquid `0x` + 32 hex of SHA-256, Binance algo compact + 15 hex, Gate `t-`).
 */
export function venueClientOrderId(venue: string, compactId: string, kind: VenueIdKind = 'order'): string {
  if (!ENGINE_ID.test(compactId)) {
    throw new RangeError(`venue client id: "${compactId}" is not a client order id (1-36 of [0-9A-Za-z_-])`);
  }
  const id = derive(venue, compactId, kind);
  const rule = VENUE_ID_RULES[`${venue}:${kind}`];
  if (rule && !rule.pattern.test(id)) {
    throw new RangeError(
      `venue client id: ${id} does not fit ${venue} ${rule.field} (${rule.pattern.source})`,
    );
  }
  return id;
}

function derive(venue: string, compactId: string, kind: VenueIdKind): string {
  if (venue === 'hyperliquid') return `0x${sha256Hex(compactId).slice(0, 32)}`;
  if (venue === 'gate') return `t-${compactId}`;
  if (kind === 'algo' && (venue === 'binance' || venue === 'binanceusdm')) {
    return compactId + sha256Hex(compactId).slice(0, 15);
  }
  return compactId;
}

/**
 * The compact id a venue id was derived from, when that can be read back from the id itself; undefined
 * for hashed forms (Hyperliquid) and for ids that are not ours. Hashed forms are mapped by the adapter.
 */
export function compactFromVenueId(
  venue: string,
  venueId: string,
  kind: VenueIdKind = 'order',
): string | undefined {
  let candidate: string | undefined = venueId;
  if (venue === 'hyperliquid') candidate = undefined;
  else if (venue === 'gate') candidate = venueId.startsWith('t-') ? venueId.slice(2) : undefined;
  else if (kind === 'algo' && (venue === 'binance' || venue === 'binanceusdm'))
    candidate = venueId.slice(0, 17);
  if (candidate === undefined || !ENGINE_ID.test(candidate)) return undefined;
  return derive(venue, candidate, kind) === venueId ? candidate : undefined;
}
