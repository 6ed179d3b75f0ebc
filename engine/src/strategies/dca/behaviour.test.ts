// DCA state machine behaviour (§2.3–§2.4): cooldown, repeated deals, start modes, reinvest, stop loss
// timing and activation, market safety orders, partial fills, timeouts, params changes, stop, JSON state.
import { describe, it, expect } from '@jest/globals';
import { div, mul } from '../../core/decimal.ts';
import type { Intent } from '../../kernel/strategy.ts';
import { dcaStrategy } from './index.ts';
import type { DcaParams, DcaState } from './index.ts';
import { requiredFunds } from './ladder.ts';
import { aCtx, aDcaParams, aMarket, ev, placed, places, relativeError, Runner } from './test-builders.ts';

const start = (overrides: unknown = {}, market = aMarket()): Runner<DcaParams, DcaState> => {
  const run = new Runner(dcaStrategy, aDcaParams(overrides), aCtx(market));
  run.send(ev.start('100'));
  return run;
};
const open = (overrides: unknown = {}): Runner<DcaParams, DcaState> => {
  const run = start(overrides);
  run.send(ev.fill('deal1:base', '100', '0.1'));
  return run;
};
const takeProfit = (run: Runner<DcaParams, DcaState>, ts = 0): Intent[] => {
  const tp = run.state.deal!.tp;
  return run.send(ev.fill(`deal${run.state.deal!.seq}:tp`, tp.price!, tp.qty!, { ts }));
};

describe('DCA deals and cooldown', () => {
  it('starts the next deal with a new deal number after the cooldown expires', () => {
    const run = open({ deal: { cooldownSec: 300 } });

    takeProfit(run, 1_000);
    expect(run.state.phase).toBe('Cooldown');
    expect(run.wake?.at).toEqual({ ts: 301_000, name: 'cooldown' });
    const next = run.send(ev.timer(301_000));

    expect(placed(next, 'deal2:base')).toMatchObject({ seq: 2, orderType: 'market', quoteAmount: '10' });
  });

  it('drops a start signal that arrives during the cooldown instead of queueing it', () => {
    const run = start({
      start: { mode: 'webhook', webhook: { secretRef: 'tv' } },
      deal: { cooldownSec: 60 },
    });
    run.send(ev.signal('startDeal'), ev.fill('deal1:base', '100', '0.1'));
    takeProfit(run, 0);

    run.send(ev.signal('startDeal', 10_000), ev.timer(60_000));

    expect(run.state.phase).toBe('WaitingForStart');
    expect(places(run.log).filter((p) => p.key === 'deal2:base')).toHaveLength(0);
    expect(placed(run.send(ev.signal('startDeal', 61_000)), 'deal2:base').seq).toBe(2);
  });

  it('stops after maxDeals deals have been opened', () => {
    const run = open({ deal: { maxDeals: 1 } });

    const intents = takeProfit(run);

    expect(intents).toContainEqual({
      type: 'transition',
      to: 'Stopped',
      reason: 'maxDealsReached',
      terminal: true,
    });
  });

  it('scales the next deal by the reinvested share of the profit', () => {
    const run = open({ reinvest: { pct: '100' } });

    const next = takeProfit(run);
    const k = div(mul('1', requiredFunds(aDcaParams(), '100', '0.001')).toString(), '1');

    expect(run.state.reinvestPool).toBe('0.12985');
    const expected = mul('10', div(`${Number(k) + 0.12985}`, k));
    expect(relativeError(placed(next, 'deal2:base').quoteAmount!, expected)).toBeLessThan(1e-12);
  });
});

describe('DCA start conditions', () => {
  it('waits for the trigger price and starts when the path reaches it', () => {
    const run = start({ start: { mode: 'price', price: { triggerPrice: '95' } } });
    expect(run.wake?.below).toBe('95');

    const intents = run.send(ev.price('95'));

    expect(placed(intents, 'deal1:base').side).toBe('buy');
  });

  it('does not start outside the min/max price band', () => {
    const run = start({ start: { maxPrice: '99' } });

    expect(places(run.log)).toHaveLength(0);
    expect(run.log).toContainEqual({
      type: 'transition',
      to: 'WaitingForStart',
      reason: 'start blocked: aboveMaxPrice',
    });
    expect(placed(run.send(ev.price('98.5')), 'deal1:base')).toBeDefined();
  });

  it('delays the base order by startDelaySec and re-checks the band then', () => {
    const run = start({ deal: { startDelaySec: 30 }, start: { maxPrice: '101' } });
    expect(run.state.phase).toBe('StartDelay');

    run.send(ev.price('102', 10_000));
    const intents = run.send(ev.timer(30_000));

    expect(places(intents)).toHaveLength(0);
    expect(intents).toContainEqual({
      type: 'transition',
      to: 'WaitingForStart',
      reason: 'start dropped after delay: aboveMaxPrice',
    });
  });

  it('starts on an RSI cross below the threshold computed from bar closes', () => {
    const run = start({
      start: {
        mode: 'indicator',
        indicator: { timeframe: '1m', period: 3, threshold: '30', condition: 'below' },
      },
    });
    const closes = ['100', '101', '102', '103', '99', '95', '90', '88'];

    const all = closes.flatMap((c, i) => run.send(ev.bar(c, i * 60_000)));

    expect(places(all).map((p) => p.key)).toEqual(['deal1:base']);
    expect(Number(run.state.start.rsi.value)).toBeLessThan(30);
  });

  it('drops a webhook signal older than maxSignalAgeSec', () => {
    const run = start({ start: { mode: 'webhook', webhook: { secretRef: 'tv', maxSignalAgeSec: 60 } } });
    run.ctx = { ...run.ctx, now: 120_000 };

    const intents = run.send(ev.signal('startDeal', 30_000));

    expect(places(intents)).toHaveLength(0);
  });

  it('waits when free quote is below the required funds with reserveFunds all', () => {
    const run = new Runner(dcaStrategy, aDcaParams(), aCtx(aMarket(), 0, { quote: '80' }));

    run.send(ev.start('100'));

    expect(places(run.log)).toHaveLength(0);
    expect(run.state.blockedReason).toBe('insufficientFunds');
  });
});

describe('DCA stop loss', () => {
  it('fires only after the breach has held for timeoutSec', () => {
    const run = open({ stopLoss: { pct: '5', timeoutSec: 60, onTrigger: 'closeAndContinue' } });

    run.send(ev.price('94', 1_000));
    expect(run.wake?.at).toEqual({ ts: 61_000, name: 'slTimeout' });
    const fired = run.send(ev.timer(61_000));

    expect(placed(fired, 'deal1:close:0').orderType).toBe('market');
  });

  it('forgets a breach when the price recovers before the timeout', () => {
    const run = open({ stopLoss: { pct: '5', timeoutSec: 60 } });

    run.send(ev.price('94', 1_000), ev.price('96', 2_000));
    const intents = run.send(ev.timer(61_000), ev.price('94.5', 62_000));

    expect(places(intents)).toHaveLength(0);
    expect(run.state.deal!.status).toBe('Open');
  });

  it('is not armed before the last safety order filled with activation afterLastSafetyOrder', () => {
    const run = open({ stopLoss: { pct: '1', activation: 'afterLastSafetyOrder' } });

    const intents = run.send(ev.price('98.5'));

    expect(places(intents)).toHaveLength(0);
    expect(run.state.deal!.status).toBe('Open');
  });
});

describe('DCA order handling', () => {
  it('sends a market safety order when the price reaches the level within the activation band', () => {
    const run = open({ safetyOrders: { orderType: 'market', marketActivationBandPct: '0.5' } });
    expect(run.wake?.below).toBe('98');

    const intents = run.send(ev.price('97.9'));

    expect(placed(intents, 'deal1:so:1')).toMatchObject({ orderType: 'market', side: 'buy' });
  });

  it('does not chase a gap beyond the activation band', () => {
    const run = open({ safetyOrders: { orderType: 'market', marketActivationBandPct: '0.5' } });

    const intents = run.send(ev.price('97'));

    expect(places(intents)).toHaveLength(0);
  });

  it('amends the TP after a partial SO fill without advancing the safety window', () => {
    const run = open();
    const so = placed(run.log, 'deal1:so:1');

    const intents = run.send(ev.fill(so.key, '98', '0.05', { partial: true, amount: so.qty! }));

    expect(intents.find((i) => i.type === 'amend')).toMatchObject({ key: 'deal1:tp', qty: '0.15' });
    expect(places(intents)).toHaveLength(0);
  });

  it('sells only the base left after fees charged in base', () => {
    const run = start();

    const intents = run.send(ev.fill('deal1:base', '100', '0.1', { fee: '0.0001', feeAsset: 'BTC' }));

    expect(placed(intents, 'deal1:tp').qty).toBe('0.0999');
  });

  it('aborts the deal when a limit base order times out unfilled', () => {
    const run = start({
      baseOrder: { orderType: 'limit', limitOffsetPct: '1', fillTimeoutSec: 60 },
      start: { mode: 'webhook', webhook: { secretRef: 'x' } },
    });
    run.send(ev.signal('startDeal'));
    expect(placed(run.log, 'deal1:base')).toMatchObject({ orderType: 'limit', price: '99' });

    const cancel = run.send(ev.timer(60_000));
    run.send(ev.closed('deal1:base', 'cancelled', 60_001));

    expect(cancel).toContainEqual({ type: 'cancel', key: 'deal1:base' });
    expect(run.state.deal).toBeNull();
    expect(run.state.phase).toBe('WaitingForStart');
  });

  it('closes the deal at market when it is older than deal.timeoutSec', () => {
    const run = open({ deal: { timeoutSec: 3600 } });

    const intents = run.send(ev.timer(3_600_000));

    expect(placed(intents, 'deal1:close:0').orderType).toBe('market');
    expect(run.state.deal!.closeReason).toBe('timeout');
  });

  it('re-sends an unfilled close and halts after 15 failed attempts', () => {
    const run = open({ deal: { timeoutSec: 60 } });
    run.send(ev.timer(60_000));

    for (let a = 0; a < 15; a++)
      expect(
        placed(run.send(ev.closed(`deal1:close:${a}`, 'rejected')), `deal1:close:${a + 1}`),
      ).toBeDefined();
    const last = run.send(ev.closed('deal1:close:15', 'rejected'));

    expect(last.at(-1)).toMatchObject({ type: 'transition', to: 'Halted', terminal: true });
  });
});

describe('DCA params changes and stops', () => {
  it('replaces the TP at the new percentage (HOT+AMEND)', () => {
    const run = open();

    const intents = run.send(ev.params({ ...aDcaRaw(), takeProfit: { pct: '3' } }));

    expect(intents).toContainEqual({ type: 'amend', key: 'deal1:tp', price: '103', qty: '0.1' });
  });

  it('reports an edit whose TP is already crossed as an immediate exit', () => {
    const run = open();
    const next = aDcaParams({ takeProfit: { pct: '0.5' } });

    expect(dcaStrategy.immediateExit!(run.state, next, '100.6')).toMatch(/take profit 100.5 already crossed/);
    expect(dcaStrategy.immediateExit!(run.state, next, '100.4')).toBeUndefined();
  });

  it('closes the position and then stops on stopRequested with closePosition', () => {
    const run = open();

    const intents = run.send(ev.stop('closePosition'));
    const done = run.send(ev.fill('deal1:close:0', '100', '0.1'));

    expect(intents).toContainEqual({ type: 'cancel', key: 'deal1:so:1' });
    expect(done.at(-1)).toMatchObject({ type: 'transition', to: 'Stopped', terminal: true });
  });

  it('keeps the position and cancels its orders on stopRequested with keep', () => {
    const run = open();

    const intents = run.send(ev.stop('keep'));

    expect(intents).toContainEqual({ type: 'cancel', key: 'deal1:tp' });
    expect(places(intents)).toHaveLength(0);
    expect(run.state.phase).toBe('Stopped');
  });

  it('continues identically after its state round-trips through JSON mid-deal', () => {
    const a = open({ takeProfit: { trailing: { enabled: true, deviationPct: '0.5' } } });
    const b = open({ takeProfit: { trailing: { enabled: true, deviationPct: '0.5' } } });
    const events = [
      ev.price('100.8'),
      ev.price('101.6'),
      ev.price('101.0'),
      ev.fill('deal1:close:0', '101', '0.1'),
    ];

    a.send(...events.slice(0, 2));
    b.send(...events.slice(0, 2));
    b.state = JSON.parse(JSON.stringify(b.state)) as DcaState;
    const ra = a.send(...events.slice(2));
    const rb = b.send(...events.slice(2));

    expect(rb).toEqual(ra);
    expect(b.state).toEqual(a.state);
  });
});

function aDcaRaw(): Record<string, unknown> {
  return {
    baseOrder: { size: '10' },
    safetyOrders: { maxCount: 3, size: '10', deviationPct: '2', stepScale: '1.5', volumeScale: '2' },
    budget: { maxQuote: '100' },
    feeRateOverridePct: '0.1',
  };
}
