/** The exchange port contract against the paper exchange, driven bar by bar by its market driver. */
import { ManualClock } from '../../src/core/clock.ts';
import { dec, max, min, type Dec } from '../../src/core/decimal.ts';
import { findMarket } from '../../src/markets/venues.ts';
import { PaperExchange } from '../../src/adapters/paper/exchange.ts';
import { PaperMarketDriver } from '../../src/adapters/paper/driver.ts';
import { MemoryHistoryStore } from '../../src/adapters/store/memory.ts';
import {
  describeExchangeContract,
  type ContractSubject,
  type ExchangeHarness,
  type HarnessSetup,
} from './contract.ts';

const MINUTE = 60_000;

function paperSubject(spotFeeAsset: 'received' | 'quote'): ContractSubject {
  return {
    name: `paper (spot fee from the ${spotFeeAsset} asset)`,
    spotFeeAsset,
    start(setup: HarnessSetup): Promise<ExchangeHarness> {
      const base = findMarket('paper', setup.symbol);
      if (!base) throw new Error(`no paper market ${setup.symbol}`);
      const market = { ...base, maker: setup.maker, taker: setup.taker };
      const clock = new ManualClock(Date.UTC(2024, 0, 1));
      const exchange = new PaperExchange({
        markets: [market],
        clock,
        balances: setup.balances,
        spotFeeAsset,
      });
      const store = new MemoryHistoryStore();
      const driver = new PaperMarketDriver({
        exchange,
        clock,
        store,
        symbol: market.symbol,
        timeframeMs: MINUTE,
      });
      driver.setPrice(setup.price);
      let last: Dec = setup.price;
      let bars = 0;
      return Promise.resolve({
        port: exchange,
        // One bar from the last price to `price`: its path touches every level in between.
        async trade(price: Dec): Promise<void> {
          bars += 1;
          const bar = {
            ts: Date.UTC(2024, 0, 1) + bars * MINUTE,
            open: last,
            high: max(last, price),
            low: min(last, price),
            close: price,
            volume: '1000',
          };
          last = price;
          await driver.walk(
            bar,
            dec(bar.open).toNumber(),
            dec(bar.high).toNumber(),
            dec(bar.low).toNumber(),
            dec(bar.close).toNumber(),
          );
        },
        // Paper delivers updates synchronously, inside the call that caused them.
        sync: () => Promise.resolve(),
        close: () => Promise.resolve(),
      });
    },
  };
}

describeExchangeContract(paperSubject('received'));
describeExchangeContract(paperSubject('quote'));
