/**
 * Conversions between ccxt's unified structures and the engine's, keeping decimals exact.
 *
 * How exactness is kept: the adapter sets `client.number = String`, so ccxt's parsers hand the venue's
 * own decimal text through (`"0.01000000"`), which `exactDec` canonicalises (`"0.01"`). Should a
 * number arrive anyway, it is accepted only when its shortest round-trip text has ≤ 15 significant
 * digits — every such decimal survives the trip through a double unchanged — and refused otherwise.
 */
import { isDec, str, type Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Fill, Liquidity, OrderSnapshot, OrderStatus, OrderType, Side } from '../../model/orders.ts';
import type { Balances } from '../../ports/exchange.ts';

/** The fields of a ccxt order the adapter reads (values are decimal text once `number = String`). */
export interface CcxtOrder {
  readonly id?: string | undefined;
  readonly clientOrderId?: string | undefined;
  readonly symbol?: string | undefined;
  readonly type?: string | undefined;
  readonly side?: string | undefined;
  readonly price?: unknown;
  readonly amount?: unknown;
  readonly filled?: unknown;
  readonly status?: string | undefined;
  readonly timestamp?: number | undefined;
  readonly lastUpdateTimestamp?: number | undefined;
  readonly info?: unknown;
}

/** The fields of a ccxt trade the adapter reads. */
export interface CcxtTrade {
  readonly id?: string | undefined;
  readonly order?: string | undefined;
  readonly symbol?: string | undefined;
  readonly timestamp?: number | undefined;
  readonly side?: string | undefined;
  readonly takerOrMaker?: string | undefined;
  readonly price?: unknown;
  readonly amount?: unknown;
  readonly fee?: { readonly cost?: unknown; readonly currency?: string | undefined } | undefined;
}

/** The fields of a ccxt balance the adapter reads. */
export interface CcxtBalance {
  readonly free?: unknown;
  readonly used?: unknown;
}

/** Exact decimal text of a value ccxt returned; throws (naming the field) when exactness cannot be shown. */
export function exactDec(value: unknown, field: string): Dec {
  if (typeof value === 'string' && isDec(value)) return str(value);
  if (typeof value === 'number' && Number.isFinite(value)) {
    const text = String(value);
    const digits = text.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '');
    if (digits.length <= 15) return str(text);
    throw new RangeError(`ccxt ${field}: float ${text} has more than 15 significant digits; exact text lost`);
  }
  throw new RangeError(`ccxt ${field}: expected a decimal, got ${JSON.stringify(value)}`);
}

/** ccxt's market id for an engine market on a venue (`BTCUSDT`, `BTC-USDT`, `BTC-USDT-SWAP`). */
export function ccxtMarketId(info: MarketInfo): string {
  if (info.venue === 'okx')
    return info.type === 'swap' ? `${info.base}-${info.quote}-SWAP` : `${info.base}-${info.quote}`;
  return `${info.base}${info.quote}`;
}

/**
 * A ccxt unified market for `setMarkets` from shipped metadata, so no `loadMarkets` round trip is
 * needed (FACTS.md). `info.orderTypes` is what ccxt's Binance checks before sending an order type.
 */
export function toCcxtMarket(info: MarketInfo): Record<string, unknown> {
  const swap = info.type === 'swap';
  const num = (value: Dec | undefined): number | undefined =>
    value === undefined ? undefined : Number(value);
  const id = ccxtMarketId(info);
  return {
    id,
    symbol: info.symbol,
    base: info.base,
    quote: info.quote,
    settle: info.settle,
    baseId: info.base,
    quoteId: info.quote,
    settleId: info.settle,
    type: info.type,
    spot: !swap,
    margin: false,
    swap,
    future: false,
    option: false,
    contract: swap,
    linear: swap ? info.linear === true : undefined,
    inverse: swap ? info.linear !== true : undefined,
    contractSize: swap ? num(info.contractSize ?? '1') : undefined,
    active: true,
    precision: { price: num(info.precision.price), amount: num(info.precision.amount) },
    limits: {
      amount: { min: num(info.limits.amount.min), max: num(info.limits.amount.max) },
      price: { min: num(info.limits.price?.min), max: num(info.limits.price?.max) },
      cost: { min: num(info.limits.cost.min), max: num(info.limits.cost.max) },
      leverage: { min: num(info.limits.leverage?.min), max: num(info.limits.leverage?.max) },
    },
    maker: num(info.maker),
    taker: num(info.taker),
    info: { symbol: id, orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'] },
  };
}

const TERMINAL_STATUS: Readonly<Record<string, OrderStatus>> = {
  closed: 'Filled',
  canceled: 'Cancelled',
  cancelled: 'Cancelled',
  expired: 'Expired',
  rejected: 'Rejected',
};

function orderStatus(status: string | undefined, filled: Dec): OrderStatus {
  if (status === 'open') return filled === '0' ? 'Open' : 'PartiallyFilled';
  const terminal = status === undefined ? undefined : TERMINAL_STATUS[status];
  if (terminal === undefined) throw new RangeError(`ccxt order status: unexpected "${String(status)}"`);
  return terminal;
}

function side(value: string | undefined, where: string): Side {
  if (value === 'buy' || value === 'sell') return value;
  throw new RangeError(`${where}: unexpected side "${String(value)}"`);
}

function orderType(value: string | undefined, where: string): OrderType {
  if (value === 'limit' || value === 'market') return value;
  throw new RangeError(`${where}: unsupported order type "${String(value)}"`);
}

/**
 * An OrderSnapshot from a ccxt order. `clientOrderId` is the engine's id (the caller maps venue ids);
 * Binance's cancel response names the new cancel request `clientOrderId` and the order's own id
 * `origClientOrderId`, so callers read `venueClientId` first.
 */
export function toSnapshot(order: CcxtOrder, clientOrderId: string, now: EpochMs): OrderSnapshot {
  const where = `ccxt order ${clientOrderId}`;
  const filled = order.filled === undefined ? '0' : exactDec(order.filled, `${where} filled`);
  const type = orderType(order.type, where);
  const price =
    type === 'limit' && order.price !== undefined ? exactDec(order.price, `${where} price`) : undefined;
  return {
    clientOrderId,
    ...(order.id === undefined ? {} : { exchangeOrderId: order.id }),
    symbol: order.symbol ?? '',
    side: side(order.side, where),
    type,
    ...(price === undefined ? {} : { price }),
    amount: exactDec(order.amount, `${where} amount`),
    filled,
    status: orderStatus(order.status, filled),
    ts: order.lastUpdateTimestamp ?? order.timestamp ?? now,
  };
}

/** The venue client id of a ccxt order (Binance cancel responses carry it as `origClientOrderId`). */
export function venueClientId(order: CcxtOrder): string | undefined {
  const info = order.info as { origClientOrderId?: unknown } | undefined;
  const orig = info?.origClientOrderId;
  return typeof orig === 'string' && orig !== '' ? orig : order.clientOrderId;
}

/** A Fill from a ccxt trade, for the order whose engine client id is `clientOrderId`. */
export function toFill(trade: CcxtTrade, clientOrderId: string, now: EpochMs): Fill {
  const where = `ccxt trade ${String(trade.id)}`;
  if (trade.id === undefined) throw new RangeError(`${where}: trade has no id`);
  const liquidity: Liquidity = trade.takerOrMaker === 'maker' ? 'maker' : 'taker';
  return {
    tradeId: trade.id,
    clientOrderId,
    ts: trade.timestamp ?? now,
    side: side(trade.side, where),
    price: exactDec(trade.price, `${where} price`),
    qty: exactDec(trade.amount, `${where} amount`),
    fee: trade.fee?.cost === undefined ? '0' : exactDec(trade.fee.cost, `${where} fee`),
    feeAsset: trade.fee?.currency ?? '',
    liquidity,
  };
}

/** Free and used amounts per asset from a ccxt balance, exact; assets with nothing at all are left out. */
export function toBalances(balance: CcxtBalance): Balances {
  const free = (balance.free ?? {}) as Record<string, unknown>;
  const used = (balance.used ?? {}) as Record<string, unknown>;
  const out: Record<string, { free: Dec; used: Dec }> = {};
  for (const asset of Object.keys(free).sort()) {
    const f = exactDec(free[asset] ?? '0', `balance ${asset} free`);
    const u = exactDec(used[asset] ?? '0', `balance ${asset} used`);
    if (f !== '0' || u !== '0') out[asset] = { free: f, used: u };
  }
  return out;
}
