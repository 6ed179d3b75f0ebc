// TWAP behaviour (§4.3–§4.6): passive children, sessions, randomisation, quote mode, terminal states.
import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { div, gt, lte, sub, sum } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import { aCtx, aMarket, ev, places, Runner } from '../dca/test-builders.ts';
import { twapStrategy } from './index.ts';
import { sliceTimes } from './schedule.ts';
import { aTwapParams } from './test-builders.ts';

const market = aMarket({ precision: { price: '0.01', amount: '0.0001' } });
const MIN = 60_000;

describe('TWAP children', () => {
  it('cancels a resting passive child at the next slice and sends the slice after the cancel is confirmed', () => {
    const run = new Runner(
      twapStrategy,
      aTwapParams({ slices: { orderType: 'limitPassive', passiveOffsetBps: 10, resubmitAfterSec: 600 } }),
      aCtx(market),
    );
    const first = places(run.send(ev.start('60000')))[0]!;
    expect(first).toMatchObject({ orderType: 'limit', price: '59940' });
    expect(first.timeInForce).toBeUndefined();

    const atSlice = run.send(ev.price('60000', 5 * MIN), ev.timer(5 * MIN));
    const next = run.send(ev.closed(first.key, 'cancelled', 5 * MIN));

    expect(atSlice).toEqual([{ type: 'cancel', key: 'slice:0:0' }]);
    expect(places(next)[0]).toMatchObject({ key: 'slice:1:0', qty: '0.0909' }); // 1 / 11 left
  });

  it('re-prices an unfilled passive child after resubmitAfterSec within its slice', () => {
    const run = new Runner(
      twapStrategy,
      aTwapParams({ slices: { orderType: 'limitPassive', resubmitAfterSec: 60 } }),
      aCtx(market),
    );
    run.send(ev.start('60000'));

    const cancel = run.send(ev.price('59900', MIN), ev.timer(MIN));
    const again = run.send(ev.closed('slice:0:0', 'cancelled', MIN));

    expect(cancel).toEqual([{ type: 'cancel', key: 'slice:0:0' }]);
    expect(places(again)[0]).toMatchObject({ key: 'slice:0:1', price: '59900' });
  });

  it('fails after a permanent child rejection', () => {
    const run = new Runner(twapStrategy, aTwapParams(), aCtx(market));
    run.send(ev.start('60000'));

    const intents = run.send({
      type: 'order',
      ts: 1,
      key: 'slice:0:0',
      status: 'rejected',
      filled: '0',
      amount: '0.0833',
      reason: 'insufficient balance',
    });

    expect(intents.at(-1)).toMatchObject({ type: 'transition', to: 'Failed', terminal: true });
  });

  it('is cancelled with its open child on a stop request', () => {
    const run = new Runner(
      twapStrategy,
      aTwapParams({ slices: { orderType: 'limitPassive' } }),
      aCtx(market),
    );
    run.send(ev.start('60000'));

    const intents = run.send(ev.stop('cancelOrders', 10));

    expect(intents).toEqual([
      { type: 'cancel', key: 'slice:0:0' },
      { type: 'transition', to: 'Cancelled', reason: 'stopRequested: test', terminal: true },
    ]);
  });

  it('completes when totalQuantity is lowered to what is already filled', () => {
    const run = new Runner(twapStrategy, aTwapParams(), aCtx(market));
    run.send(ev.start('60000'), ev.fill('slice:0:0', '60000', '0.0833'));

    run.send(ev.params({ side: 'buy', totalQuantity: '0.0833', durationSec: 3600, slices: { count: 12 } }));

    expect(run.state.phase).toBe('Completed');
  });

  it('waits for startAt before the first slice', () => {
    const run = new Runner(twapStrategy, aTwapParams({ startAt: 10 * MIN }), aCtx(market));

    expect(places(run.send(ev.start('60000', 0)))).toHaveLength(0);
    expect(run.wake?.at?.ts).toBe(10 * MIN);
    expect(places(run.send(ev.timer(10 * MIN)))[0]?.key).toBe('slice:0:0');
  });

  it('sizes quote-denominated slices at the reference price', () => {
    const run = new Runner(
      twapStrategy,
      aTwapParams({ quantityUnit: 'quote', totalQuantity: '1200', priceProtection: { limitPrice: null } }),
      aCtx(market),
    );

    const child = places(run.send(ev.start('60000')))[0]!;

    expect(child.qty).toBe('0.0016'); // 100 quote / 60000 floored to the lot
  });
});

describe('TWAP randomisation', () => {
  it('is deterministic for a seed and keeps sizes within ±sizePct and times increasing within the window', () => {
    const params = aTwapParams({
      randomization: { sizePct: '20', timeJitterPct: '40', seed: 's1' },
      priceProtection: { limitPrice: null },
    });
    const times = sliceTimes(params, 0, 's1');
    const a = new Runner(twapStrategy, params, aCtx(market));
    const b = new Runner(twapStrategy, params, aCtx(market));

    const first = places(a.send(ev.start('60000')))[0]!;

    expect(places(b.send(ev.start('60000')))[0]).toEqual(first);
    expect(times).toEqual(sliceTimes(params, 0, 's1'));
    expect(times).not.toEqual(sliceTimes(params, 0, 's2'));
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
    expect(times[0]).toBeGreaterThanOrEqual(0);
    expect(times.at(-1)).toBeLessThanOrEqual(3_600_000);
    expect(lte(first.qty!, '0.09996') && gt(first.qty!, '0.06664')).toBe(true);
  });
});

describe('TWAP market hours', () => {
  const spy = aMarket({
    symbol: 'SPY/USD',
    base: 'SPY',
    quote: 'USD',
    precision: { price: '0.01', amount: '1' },
    calendar: 'XNYS',
  });
  const open = Date.parse('2019-07-03T13:30:00Z'); // 09:30 New York (EDT); early close at 13:00

  it('with the session clock skips the early close and the Independence Day holiday', () => {
    const params = aTwapParams({
      totalQuantity: '100',
      durationSec: 6 * 3600,
      slices: { count: 3 },
      session: { calendar: 'XNYS', clock: 'session' },
    });

    const times = sliceTimes(params, open, 'x').map((t) => new Date(t).toISOString());

    expect(times).toEqual([
      '2019-07-03T13:30:00.000Z',
      '2019-07-03T15:30:00.000Z',
      '2019-07-05T14:00:00.000Z',
    ]); // 3.5 h on the 3rd, 0.5 h on the 5th
  });

  it('with the wall clock pauses a slice that falls outside the session', () => {
    const params = aTwapParams({
      totalQuantity: '100',
      durationSec: 24 * 3600,
      slices: { count: 2 },
      priceProtection: { limitPrice: null },
      session: { calendar: 'XNYS', clock: 'wall' },
    });
    const run = new Runner(twapStrategy, params, aCtx(spy));
    run.send(ev.start('300', open));
    run.send(ev.fill('slice:0:0', '300', '50', { ts: open }));

    run.send(ev.timer(open + 12 * 3600 * 1000));

    expect(run.state.slices.at(-1)).toMatchObject({ index: 1, requested: null, reason: 'marketClosed' });
  });
});

describe('TWAP property', () => {
  it('redistribute fills exactly the total whenever the last slice can trade', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50000 }).map((n) => div(String(n), '1000')),
        fc.integer({ min: 2, max: 30 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        (total, count, pausedFlags) => {
          const params = aTwapParams({
            totalQuantity: total,
            slices: { count },
            durationSec: 60 * count,
            catchUp: { maxMultiple: '10' },
            priceProtection: { limitPrice: '100' },
          });
          const run = new Runner(twapStrategy, params, aCtx(market));
          const sent: Dec[] = [];
          for (let i = 0; i < count; i++) {
            const paused = pausedFlags[i]! && i < count - 1 && i > 0;
            const price = paused ? '101' : '100';
            const intents =
              i === 0 ? run.send(ev.start(price, 0)) : run.send(ev.price(price, i * MIN), ev.timer(i * MIN));
            const child = places(intents)[0];
            if (!child) continue;
            sent.push(child.qty!);
            run.send(ev.fill(child.key, '100', child.qty!, { fee: '0', ts: i * MIN }));
          }
          return sub(total, sum(sent)) === '0' && run.state.phase === 'Completed';
        },
      ),
    );
  });
});
