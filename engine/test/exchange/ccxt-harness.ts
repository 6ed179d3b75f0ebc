/**
 * Wires the real ccxt `binance` client to a fake Binance server on 127.0.0.1 behind the ccxt adapter,
 * with a polling schedule the test drives (`tick`) instead of a timer.
 */
import type { ManualClock } from '../../src/core/clock.ts';
import type { Dec } from '../../src/core/decimal.ts';
import type { MarketInfo } from '../../src/model/market.ts';
import { findMarket } from '../../src/markets/venues.ts';
import { createCcxtClient, type CcxtClient } from '../../src/adapters/ccxt/client.ts';
import { CcxtExchange } from '../../src/adapters/ccxt/exchange.ts';
import { FakeBinance } from './fake-binance.ts';

/** A ccxt adapter on a fake venue, and the handles a test needs. */
export interface CcxtOnFake {
  readonly fake: FakeBinance;
  readonly client: CcxtClient;
  readonly exchange: CcxtExchange;
  readonly market: MarketInfo;
  /** Runs the scheduled polling ticks now and waits for the pass to finish. */
  tick(): Promise<void>;
  /** How many polling schedules are running (subscribed and not yet stopped). */
  running(): number;
  /** Errors the adapter reported from polling. */
  readonly pollErrors: Error[];
  /** A second adapter on the same account (another process of the same engine). */
  another(): CcxtExchange;
  close(): Promise<void>;
}

/** Settings for `startCcxtOnFake`. */
export interface CcxtOnFakeOptions {
  readonly symbol?: string;
  readonly balances: Readonly<Record<string, Dec>>;
  readonly price: Dec;
  readonly maker?: Dec;
  readonly taker?: Dec;
  readonly clock: ManualClock;
  readonly timeoutMs?: number;
  readonly retryAfterSec?: number;
}

/** Starts a fake Binance and a ccxt adapter pointed at it. */
export async function startCcxtOnFake(options: CcxtOnFakeOptions): Promise<CcxtOnFake> {
  const shipped = findMarket('binance', options.symbol ?? 'BTC/USDT');
  if (!shipped) throw new Error(`no binance market ${options.symbol ?? 'BTC/USDT'}`);
  const market = { ...shipped, maker: options.maker ?? shipped.maker, taker: options.taker ?? shipped.taker };
  const clock = options.clock;
  const fake = await FakeBinance.start({
    markets: [market],
    balances: options.balances,
    now: () => clock.now(),
    ...(options.retryAfterSec === undefined ? {} : { retryAfterSec: options.retryAfterSec }),
  });
  fake.trade(market.symbol, options.price);
  const ticks = new Set<() => void>();
  const pollErrors: Error[] = [];
  const adapter = (): { client: CcxtClient; exchange: CcxtExchange } => {
    const client = createCcxtClient({
      exchangeId: 'binance',
      apiKey: 'test-key',
      secret: 'test-secret',
      markets: [market],
      apiOrigin: fake.url,
      timeoutMs: options.timeoutMs ?? 5000,
      enableRateLimit: false,
    });
    const exchange = new CcxtExchange({
      client,
      markets: [market],
      clock,
      schedule: (tick) => {
        ticks.add(tick);
        return () => ticks.delete(tick);
      },
      onPollError: (error) => pollErrors.push(error),
    });
    return { client, exchange };
  };
  const { client, exchange } = adapter();
  return {
    fake,
    client,
    exchange,
    market,
    pollErrors,
    async tick() {
      for (const tick of ticks) tick();
      await exchange.poll();
    },
    running: () => ticks.size,
    another: () => adapter().exchange,
    close: () => fake.close(),
  };
}
