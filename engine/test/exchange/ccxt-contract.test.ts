/** The exchange port contract against the real ccxt client talking to the fake Binance venue on 127.0.0.1. */
import { ManualClock } from '../../src/core/clock.ts';
import type { Dec } from '../../src/core/decimal.ts';
import { describeExchangeContract, type ExchangeHarness, type HarnessSetup } from './contract.ts';
import { startCcxtOnFake } from './ccxt-harness.ts';

describeExchangeContract({
  name: 'ccxt binance on a fake Binance server',
  spotFeeAsset: 'received',
  async start(setup: HarnessSetup): Promise<ExchangeHarness> {
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const h = await startCcxtOnFake({ ...setup, clock });
    return {
      port: h.exchange,
      trade: (price: Dec) => {
        h.fake.trade(setup.symbol, price);
        return Promise.resolve();
      },
      sync: () => h.tick(),
      close: () => h.close(),
    };
  },
});
