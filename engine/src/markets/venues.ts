/**
 * Market metadata shipped with the project, in ccxt's unified market shape (precision as tick sizes),
 * for the paper venue and a few real venues' BTC/ETH markets. Validation (minimum notional and
 * precision) and the paper exchange read it; live adapters load markets from the venue instead.
 * Values are the venues' published filters for these markets (spot tick/lot/min-notional, and linear
 * perpetual tick/lot/min-notional, max leverage and first-tier maintenance margin rate).
 */
import type { MarketInfo } from '../model/market.ts';

type Row = Omit<
  MarketInfo,
  'venue' | 'symbol' | 'base' | 'quote' | 'type' | 'settle' | 'linear' | 'contractSize'
>;

function spot(venue: string, symbol: string, row: Row): MarketInfo {
  const [base, quote] = symbol.split('/') as [string, string];
  return { venue, symbol, base, quote, type: 'spot', ...row };
}

function perp(venue: string, symbol: string, row: Row): MarketInfo {
  const [pair, settle] = symbol.split(':') as [string, string];
  const [base, quote] = pair.split('/') as [string, string];
  return { venue, symbol, base, quote, settle, type: 'swap', linear: true, contractSize: '1', ...row };
}

const binanceSpotBtc: Row = {
  precision: { price: '0.01', amount: '0.00001' },
  limits: {
    amount: { min: '0.00001', max: '9000' },
    price: { min: '0.01', max: '1000000' },
    cost: { min: '5' },
  },
  maker: '0.001',
  taker: '0.001',
};
const binanceSpotEth: Row = {
  precision: { price: '0.01', amount: '0.0001' },
  limits: {
    amount: { min: '0.0001', max: '9000' },
    price: { min: '0.01', max: '1000000' },
    cost: { min: '5' },
  },
  maker: '0.001',
  taker: '0.001',
};
const binancePerpBtc: Row = {
  precision: { price: '0.1', amount: '0.001' },
  limits: {
    amount: { min: '0.001', max: '1000' },
    price: { min: '556.8', max: '4529764' },
    cost: { min: '100' },
    leverage: { min: '1', max: '125' },
  },
  maker: '0.0002',
  taker: '0.0005',
  maintenanceMarginRate: '0.004',
};
const binancePerpEth: Row = {
  precision: { price: '0.01', amount: '0.001' },
  limits: {
    amount: { min: '0.001', max: '10000' },
    price: { min: '39.86', max: '306177' },
    cost: { min: '20' },
    leverage: { min: '1', max: '125' },
  },
  maker: '0.0002',
  taker: '0.0005',
  maintenanceMarginRate: '0.004',
};
const paperStock: Row = {
  precision: { price: '0.01', amount: '1' },
  limits: { amount: { min: '1' }, price: { min: '0.01' }, cost: { min: '1' } },
  maker: '0',
  taker: '0',
};

/** Every market the project ships metadata for. */
export const MARKETS: readonly MarketInfo[] = [
  // The paper venue mirrors Binance's filters so paper results transfer to a real account.
  spot('paper', 'BTC/USDT', binanceSpotBtc),
  spot('paper', 'ETH/USDT', binanceSpotEth),
  perp('paper', 'BTC/USDT:USDT', binancePerpBtc),
  perp('paper', 'ETH/USDT:USDT', binancePerpEth),
  { ...spot('paper', 'SPY/USD', paperStock), calendar: 'XNYS' },
  { ...spot('paper', 'AAPL/USD', paperStock), calendar: 'XNYS' },
  spot('binance', 'BTC/USDT', binanceSpotBtc),
  spot('binance', 'ETH/USDT', binanceSpotEth),
  perp('binanceusdm', 'BTC/USDT:USDT', binancePerpBtc),
  perp('binanceusdm', 'ETH/USDT:USDT', binancePerpEth),
  spot('bybit', 'BTC/USDT', {
    precision: { price: '0.01', amount: '0.000001' },
    limits: { amount: { min: '0.000048', max: '71.73956243' }, cost: { min: '1' } },
    maker: '0.001',
    taker: '0.001',
  }),
  spot('bybit', 'ETH/USDT', {
    precision: { price: '0.01', amount: '0.00001' },
    limits: { amount: { min: '0.00062', max: '1229.2336343' }, cost: { min: '1' } },
    maker: '0.001',
    taker: '0.001',
  }),
  perp('bybit', 'BTC/USDT:USDT', {
    precision: { price: '0.1', amount: '0.001' },
    limits: { amount: { min: '0.001', max: '1190' }, cost: { min: '5' }, leverage: { min: '1', max: '100' } },
    maker: '0.0002',
    taker: '0.00055',
    maintenanceMarginRate: '0.005',
  }),
  spot('okx', 'BTC/USDT', {
    precision: { price: '0.1', amount: '0.00000001' },
    limits: { amount: { min: '0.00001' }, cost: { min: '0' } },
    maker: '0.0008',
    taker: '0.001',
  }),
  spot('okx', 'ETH/USDT', {
    precision: { price: '0.01', amount: '0.000001' },
    limits: { amount: { min: '0.0001' }, cost: { min: '0' } },
    maker: '0.0008',
    taker: '0.001',
  }),
];

/** The shipped market for a venue and symbol, if any. */
export function findMarket(venue: string, symbol: string): MarketInfo | undefined {
  return MARKETS.find((m) => m.venue === venue && m.symbol === symbol);
}
