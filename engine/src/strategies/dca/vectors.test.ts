// Test vectors DCA-SPOT-1, -1T, -1S, -1R of strategies/dca-twap-risk.md §2.7 (1e-9 relative tolerance).
import { describe, it, expect } from '@jest/globals';
import { add, div, mul, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import { dcaStrategy } from './index.ts';
import type { DcaParams, DcaState } from './index.ts';
import { breakEvenPrice, planLadder, requiredFunds, takeProfitIdentity } from './ladder.ts';
import { aCtx, aDcaParams, aMarket, ev, placed, relativeError, Runner } from './test-builders.ts';

const close = (actual: Dec | null | undefined, expected: Dec): void => {
  expect(actual).toBeDefined();
  expect(relativeError(actual!, expected)).toBeLessThan(1e-9);
};

/** The net PnL of the round trip the last event closed. */
const roundTrip = (run: Runner<DcaParams, DcaState>): Dec => {
  const rt = run.last?.roundTrips?.[0];
  if (!rt) throw new Error('the last step closed no round trip');
  return rt.pnl;
};

/** Opens DCA-SPOT-1 and fills the base and the first `levels` safety orders exactly at their prices. */
function dealAfter(levels: number, overrides: unknown = {}): Runner<DcaParams, DcaState> {
  const run = new Runner(dcaStrategy, aDcaParams(overrides), aCtx(aMarket()));
  run.send(ev.start('100'));
  run.send(ev.fill('deal1:base', '100', '0.1'));
  for (let k = 1; k <= levels; k++) {
    const so = placed(run.log, `deal1:so:${k}`);
    run.send(ev.fill(so.key, so.price!, so.qty!));
  }
  return run;
}

const LADDER = [
  { price: '100', avg: '100', tp: '101.5', be: '100.2002002002', net: '0.12985', cost: '10' },
  { price: '98', avg: '98.9898989899', tp: '100.4747474747', be: '99.1880769659', net: '0.2597', cost: '20' },
  { price: '95', avg: '96.9539182505', tp: '98.4082270242', be: '97.1480201889', net: '0.5194', cost: '40' },
  {
    price: '90.5',
    avg: '93.6158569910',
    tp: '95.0200948458',
    be: '93.8032761241',
    net: '1.0388',
    cost: '80',
  },
];

describe('DCA-SPOT-1 ladder', () => {
  it('puts safety orders at cumulative deviations 2 %, 5 %, 9.5 % with sizes 10, 20, 40', () => {
    const levels = planLadder(aDcaParams(), '100');

    expect(levels.map((l) => l.price)).toEqual(['98', '95', '90.5']);
    expect(levels.map((l) => l.deviation)).toEqual(['0.02', '0.05', '0.095']);
    expect(levels.map((l) => l.size)).toEqual(['10', '20', '40']);
  });

  it('needs 80 USDT of orders and 80.08 with fee headroom', () => {
    expect(requiredFunds(aDcaParams(), '100', '0')).toBe('80');
    expect(requiredFunds(aDcaParams(), '100', '0.001')).toBe('80.08');
  });

  it.each(LADDER.map((row, level) => ({ ...row, level })))(
    'after level $level the average is $avg, the TP order sits at $tp and break-even is $be',
    ({ level, avg, tp, be, cost }) => {
      const run = dealAfter(level);
      const deal = run.state.deal!;
      const tpOrder = run.log
        .filter((i) => (i.type === 'place' || i.type === 'amend') && i.key === 'deal1:tp')
        .at(-1);

      close(div(deal.cost, deal.qty), avg);
      close(deal.cost, cost);
      close(tpOrder && 'price' in tpOrder ? tpOrder.price : undefined, tp);
      close(tpOrder && 'qty' in tpOrder ? tpOrder.qty : undefined, deal.qty);
      close(breakEvenPrice(div(deal.cost, deal.qty), 'long', '0.001'), be);
    },
  );

  it('keeps exactly one safety order resting and places the next when one fills', () => {
    const run = dealAfter(1);
    const placedKeys = run.log
      .filter((i) => i.type === 'place')
      .map((i) => (i.type === 'place' ? i.key : ''));

    expect(placedKeys).toEqual(['deal1:base', 'deal1:so:1', 'deal1:tp', 'deal1:so:2']);
    expect(placed(run.log, 'deal1:so:2').price).toBe('95');
  });

  it.each(LADDER.map((row, level) => ({ ...row, level })))(
    'closing at the TP after level $level nets $net USDT (1.297203 % of cost plus buy fees)',
    ({ level, net, cost }) => {
      const run = dealAfter(level);
      const tp = run.state.deal!.tp;

      run.send(ev.fill('deal1:tp', tp.price!, tp.qty!));

      close(roundTrip(run), net);
      close(takeProfitIdentity(cost, '1.5', '0.001'), net);
      const pct = mul(div(roundTrip(run), add(cost, mul(cost, '0.001'))), '100');
      expect(Math.abs(Number(sub(pct, '1.297203')))).toBeLessThan(1e-6);
      expect(run.state.dealsCompleted).toBe(1);
    },
  );
});

describe('DCA-SPOT-1T trailing take profit', () => {
  const trailing = { takeProfit: { trailing: { enabled: true, deviationPct: '0.5' } } };

  it('places no resting TP order while trailing is enabled', () => {
    const run = dealAfter(1, trailing);

    expect(run.log.some((i) => i.type === 'place' && i.role === 'takeProfit')).toBe(false);
    close(run.wake?.above, '100.4747474747');
  });

  it('activates at 100.80, follows the peak to 101.20 and exits at 100.69 for a net 0.3031463061', () => {
    const run = dealAfter(1, trailing);

    run.send(ev.price('99.50'), ev.price('100.47'));
    expect(run.state.deal!.trailing.active).toBe(false);
    run.send(ev.price('100.80'));
    expect(run.state.deal!.trailing).toEqual({ active: true, peak: '100.8' });
    close(run.wake?.below, '100.296');
    // The peak itself is the wake level, marked as trailing: the kernel reports the path's extreme beyond it.
    expect(run.wake).toMatchObject({ above: '100.8', trail: 'above' });
    run.send(ev.price('101.20'), ev.price('100.90'));
    expect(run.state.deal!.trailing.peak).toBe('101.2');
    close(run.wake?.below, '100.694');
    const exit = run.send(ev.price('100.69'));
    const order = placed(exit, 'deal1:close:0');

    expect(order).toMatchObject({ side: 'sell', orderType: 'market', role: 'close' });
    close(order.qty, '0.2020408163');
    expect(exit).toContainEqual({ type: 'cancel', key: 'deal1:so:2' });
    run.send(ev.fill('deal1:close:0', '100.69', order.qty!));
    close(roundTrip(run), '0.3031463061');
  });

  it('reverts to waiting for activation when the price falls through break-even in one jump', () => {
    const run = dealAfter(1, trailing);
    run.send(ev.price('100.80'));

    const intents = run.send(ev.price('99.00'));

    expect(intents.some((i) => i.type === 'place')).toBe(false);
    expect(run.state.deal!.trailing.active).toBe(false);
    expect(run.state.deal!.status).toBe('Open');
  });
});

describe('DCA-SPOT-1S stop loss', () => {
  it('after SO3 the 12 % stop from the average is 82.3819541521 and closing there nets −9.7504', () => {
    const run = dealAfter(3, { stopLoss: { pct: '12', onTrigger: 'closeAndContinue' } });
    close(run.wake?.below, '82.3819541521');

    const stop = run.wake!.below!;

    run.send(ev.price('82.40'));
    expect(run.state.deal!.status).toBe('Open');
    const intents = run.send(ev.price(stop));
    const order = placed(intents, 'deal1:close:0');
    run.send(ev.fill(order.key, stop, order.qty!));

    expect(intents).toContainEqual({ type: 'cancel', key: 'deal1:tp' });
    close(order.qty, '0.8545560824');
    close(roundTrip(run), '-9.7504');
  });

  it('stops the bot after a stop loss with closeAndStopBot', () => {
    const run = dealAfter(3, { stopLoss: { pct: '12' } });
    const order = placed(run.send(ev.price('80')), 'deal1:close:0');

    const done = run.send(ev.fill(order.key, '80', order.qty!));

    expect(done).toContainEqual({ type: 'transition', to: 'Stopped', reason: 'stopLoss', terminal: true });
    expect(run.state.phase).toBe('Stopped');
  });
});

describe('DCA-SPOT-1R rounding', () => {
  const market = aMarket({ precision: { price: '0.01', amount: '0.0001' } });

  it('places SOs at 98.00 / 95.00 / 90.50 with quantities 0.1020 / 0.2105 / 0.4419', () => {
    const run = new Runner(dcaStrategy, aDcaParams({ safetyOrders: { maxActive: 3 } }), aCtx(market));
    run.send(ev.start('100'), ev.fill('deal1:base', '100', '0.1'));

    const sos = [1, 2, 3].map((k) => placed(run.log, `deal1:so:${k}`));

    expect(sos.map((o) => o.price)).toEqual(['98', '95', '90.5']);
    expect(sos.map((o) => o.qty)).toEqual(['0.102', '0.2105', '0.4419']);
    expect(sos.map((o) => mul(o.qty!, o.price!))).toEqual(['9.996', '19.9975', '39.99195']);
  });

  it('rounds long entries down and the long TP up, short entries up and the short TP down', () => {
    const long = new Runner(dcaStrategy, aDcaParams(), aCtx(market));
    long.send(ev.start('100.37'), ev.fill('deal1:base', '100.37', '0.0996'));
    const short = new Runner(dcaStrategy, aDcaParams({ direction: 'short' }), aCtx(market));
    short.send(ev.start('100.37'), ev.fill('deal1:base', '100.37', '0.0996'));

    expect(placed(long.log, 'deal1:so:1').price).toBe('98.36'); // 98.3626 floored
    expect(placed(long.log, 'deal1:tp').price).toBe('101.88'); // 101.87555 ceiled
    expect(placed(short.log, 'deal1:so:1').price).toBe('102.38'); // 102.3774 ceiled
    expect(placed(short.log, 'deal1:tp').price).toBe('98.86'); // 98.86445 floored
  });
});
