// DCA on a stock market (§2.3.11): deals start only in the regular session; market exits triggered while
// the market is closed are deferred to the open and re-evaluated there.
import { describe, it, expect } from '@jest/globals';
import { dcaStrategy } from './index.ts';
import { aCtx, aDcaParams, aMarket, ev, placed, places, Runner } from './test-builders.ts';

const spy = aMarket({ symbol: 'SPY/USD', base: 'SPY', quote: 'USD', calendar: 'XNYS' });
const params = aDcaParams({
  session: { calendar: 'XNYS' },
  stopLoss: { pct: '5', onTrigger: 'closeAndContinue' },
});
const saturday = Date.parse('2019-07-06T15:00:00Z');
const mondayOpen = Date.parse('2019-07-08T13:30:00Z');

describe('DCA market hours', () => {
  it('waits for the next regular session before opening a deal', () => {
    const run = new Runner(dcaStrategy, params, aCtx(spy, saturday));

    run.send(ev.start('100', saturday));
    expect(places(run.log)).toHaveLength(0);
    expect(run.wake?.at).toEqual({ ts: mondayOpen, name: 'sessionOpen' });
    const intents = run.send(ev.timer(mondayOpen));

    expect(placed(intents, 'deal1:base').orderType).toBe('market');
  });

  it('defers a stop loss crossed after the close to the open', () => {
    const friday = Date.parse('2019-07-05T15:00:00Z');
    const run = new Runner(dcaStrategy, params, aCtx(spy, friday));
    run.send(ev.start('100', friday), ev.fill('deal1:base', '100', '0.1', { ts: friday }));

    const closed = run.send(ev.price('94', saturday));
    const atOpen = run.send(ev.timer(mondayOpen));

    expect(places(closed)).toHaveLength(0);
    expect(placed(atOpen, 'deal1:close:0').orderType).toBe('market');
  });
});
