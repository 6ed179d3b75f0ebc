/** The ccxt exchange adapter: the exchange port over a real ccxt client (imported by path, not from the engine index). */
export { CcxtExchange, type CcxtExchangeOptions, type Schedule } from './exchange.ts';
export { createCcxtClient, asCcxtNumber, type CcxtClient, type CcxtClientOptions } from './client.ts';
export { classifyCcxtError, retryAfterMs, type CallKind } from './errors.ts';
export { exactDec, toCcxtMarket, ccxtMarketId } from './convert.ts';
export {
  venueClientOrderId,
  compactFromVenueId,
  VENUE_ID_RULES,
  type VenueIdRule,
  type VenueIdKind,
} from './venue-ids.ts';
