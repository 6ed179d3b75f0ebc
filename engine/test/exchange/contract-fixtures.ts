/** The contract suite's types and builders: harness shapes, the starting venue, orders and balance reads. */
import type { Dec } from '../../src/core/decimal.ts';
import type { OrderRequest } from '../../src/model/orders.ts';
import type { Balances, ExchangePort } from '../../src/ports/exchange.ts';

/** A running venue under test. */
export interface ExchangeHarness {
  readonly port: ExchangePort;
  /** A trade prints at `price`: the venue's last price moves there, crossing resting orders. */
  trade(price: Dec): Promise<void>;
  /** Resolves once every update for what happened so far has been delivered to subscribers. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** How a venue starts. */
export interface HarnessSetup {
  readonly symbol: string;
  readonly balances: Readonly<Record<string, Dec>>;
  readonly price: Dec;
  readonly maker: Dec;
  readonly taker: Dec;
}

/** An implementation of the port with the differences it is allowed to have. */
export interface ContractSubject {
  readonly name: string;
  /** Which asset pays a spot fee: the asset the fill delivers (Binance, paper default) or the quote. */
  readonly spotFeeAsset: 'received' | 'quote';
  start(setup: HarnessSetup): Promise<ExchangeHarness>;
}

/** The venue every case starts from: fees differ by liquidity so the right rate is visible. */
export const SETUP: HarnessSetup = {
  symbol: 'BTC/USDT',
  balances: { USDT: '10000', BTC: '1' },
  price: '30000',
  maker: '0.001',
  taker: '0.002',
};

let counter = 0;
/** A fresh compact client order id (17 base36 characters) per order. */
export function nextId(): string {
  counter += 1;
  return `tt0000100001b${counter.toString(36).padStart(3, '0')}0`;
}

/** A limit order request on the suite's market. */
export function limit(side: 'buy' | 'sell', price: Dec, amount: Dec, id = nextId()): OrderRequest {
  return { clientOrderId: id, symbol: SETUP.symbol, side, type: 'limit', price, amount };
}

/** A market order request on the suite's market. */
export function market(side: 'buy' | 'sell', amount: Dec): OrderRequest {
  return { clientOrderId: nextId(), symbol: SETUP.symbol, side, type: 'market', amount };
}

/** What a balance holds of an asset (nothing when the venue does not list it). */
export const held = (b: Balances, asset: string) => b[asset] ?? { free: '0', used: '0' };
/** Free amount of an asset. */
export const free = (b: Balances, asset: string): Dec => held(b, asset).free;
/** Amount of an asset reserved by open orders. */
export const used = (b: Balances, asset: string): Dec => held(b, asset).used;
