// Test vectors DCA-FUT-1, -1F, -1S and the must-be-rejected DCA-FUT-2 (strategies/dca-twap-risk.md §3.7).
import { describe, it, expect } from '@jest/globals';
import { add, div, mul, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import { maintenanceMargin } from '../shared/futures.ts';
import { aCtx, aPerpMarket, ev, placed, relativeError, Runner } from '../dca/test-builders.ts';
import { dcaFuturesStrategy } from './index.ts';
import { bufferedLiquidation, projectionFailures, projectLadder } from './projection.ts';
import { aDcaFuturesParams } from './test-builders.ts';

const close = (actual: Dec | undefined, expected: Dec): void => {
  expect(actual).toBeDefined();
  expect(relativeError(actual!, expected)).toBeLessThan(1e-9);
};
/** The net PnL of the round trip the last event closed. */
const roundTrip = (run: { last?: { roundTrips?: readonly { pnl: Dec }[] } | undefined }): Dec => {
  const rt = run.last?.roundTrips?.[0];
  if (!rt) throw new Error('the last step closed no round trip');
  return rt.pnl;
};
const market = aPerpMarket({ maintenanceMarginRate: '0.005' });

const LONG = [
  {
    price: '100',
    qty: '0.5',
    q: '0.5',
    n: '50',
    m: '10',
    avg: '100',
    lp: '80.4020100503',
    bybit: '80.5',
    tp: '101.5',
    net: '0.699625',
  },
  {
    price: '98',
    qty: '0.5102040816',
    q: '1.0102040816',
    n: '100',
    m: '20',
    avg: '98.9898989899',
    lp: '79.5898685346',
    bybit: '79.6868686869',
    tp: '100.4747474747',
    net: '1.39925',
  },
  {
    price: '95',
    qty: '1.0526315789',
    q: '2.0628356606',
    n: '200',
    m: '40',
    avg: '96.9539182505',
    lp: '77.9528990958',
    bybit: '78.0479041916',
    tp: '98.4082270242',
    net: '2.7985',
  },
  {
    price: '90.5',
    qty: '2.2099447514',
    q: '4.272780412',
    n: '400',
    m: '80',
    avg: '93.615856991',
    lp: '75.2690307465',
    bybit: '75.3607648777',
    tp: '95.0200948458',
    net: '5.597',
  },
];

describe('DCA-FUT-1 projection (long 5×, MMR 0.5 %)', () => {
  const levels = projectLadder(aDcaFuturesParams(), '100', '0.005');

  it.each(LONG.map((row, k) => ({ ...row, k })))(
    'level $k: Q $q, Σnotional $n, M $m, avg $avg, LP $lp',
    (row) => {
      const level = levels[row.k]!;

      expect(level.price).toBe(row.price);
      close(level.qty, row.qty);
      close(level.position, row.q);
      close(level.totalNotional, row.n);
      close(level.totalMargin, row.m);
      close(level.average, row.avg);
      close(level.liquidation, row.lp);
      close(mul(level.average, add(sub('1', div('1', '5')), '0.005')), row.bybit); // Bybit approximation column
      close(div(mul(level.average, '0.8'), '0.995'), row.lp);
    },
  );

  it('passes every buffer check; the last SO is 16.83 % above the final LP', () => {
    expect(projectionFailures(aDcaFuturesParams(), levels)).toEqual([]);
    expect(Number(div(sub('90.5', levels[3]!.liquidation), '90.5')).toFixed(4)).toBe('0.1683');
    expect(dcaFuturesStrategy.validate(aDcaFuturesParams(), market, '100')).toEqual([]);
  });

  it('a 15 % stop after SO3 (79.5734784423) lies above the buffered LP 76.1863720587 and leaves equity 20 vs maintenance 1.70', () => {
    const params = aDcaFuturesParams({ stopLoss: { pct: '15' } });
    const last = levels[3]!;
    const sl = mul(last.average, '0.85');

    close(sl, '79.5734784423');
    close(bufferedLiquidation(last.liquidation, last.average, '0.05'), '76.1863720587');
    expect(projectionFailures(params, levels)).toEqual([]);
    close(add(last.totalMargin, mul(last.position, sub(sl, last.average))), '20');
    expect(Number(maintenanceMargin(mul(last.position, sl), { mmr: '0.005' })).toFixed(2)).toBe('1.70');
  });
});

describe('DCA-FUT-1 deals', () => {
  const dealAfter = (
    levels: number,
    overrides: unknown = {},
  ): Runner<ReturnType<typeof aDcaFuturesParams>, ReturnType<typeof dcaFuturesStrategy.init>> => {
    const run = new Runner(dcaFuturesStrategy, aDcaFuturesParams(overrides), aCtx(market));
    run.send(ev.start('100'));
    const base = placed(run.log, 'deal1:base');
    run.send(ev.fill(base.key, '100', base.qty!, { feeRate: '0.0005' }));
    for (let k = 1; k <= levels; k++) {
      const so = placed(run.log, `deal1:so:${k}`);
      run.send(ev.fill(so.key, so.price!, so.qty!, { feeRate: '0.0005' }));
    }
    return run;
  };

  it('sets leverage and isolated margin before a base order of 0.5 contracts', () => {
    const run = dealAfter(0);

    expect(run.log.filter((i) => i.type === 'setLeverage' || i.type === 'place').slice(0, 2)).toEqual([
      { type: 'setLeverage', leverage: '5', marginMode: 'isolated' },
      {
        type: 'place',
        key: 'deal1:base',
        role: 'base',
        idx: 0,
        seq: 1,
        side: 'buy',
        orderType: 'market',
        qty: '0.5',
      },
    ]);
  });

  it.each(LONG.map((row, k) => ({ ...row, k })))(
    'closing at the reduce-only TP $tp after level $k nets $net (ROE 6.99625 %)',
    ({ k, tp, net, m }) => {
      const run = dealAfter(k);
      const order = run.state.deal!.tp;
      const tpIntent = run.log
        .filter((i) => (i.type === 'place' || i.type === 'amend') && i.key === 'deal1:tp')
        .at(-1);

      close(order.price!, tp);
      expect(run.log.find((i) => i.type === 'place' && i.key === 'deal1:tp')).toMatchObject({
        reduceOnly: true,
        side: 'sell',
      });
      run.send(ev.fill('deal1:tp', order.price!, order.qty!, { feeRate: '0.0005' }));

      expect(tpIntent).toBeDefined();
      close(roundTrip(run), net);
      close(mul(div(roundTrip(run), m), '100'), '6.99625');
    },
  );

  it('DCA-FUT-1F: after SO1 a +0.01 % funding at mark 99 costs the long 0.0100010204', () => {
    const run = dealAfter(1);

    run.send(ev.bar('99', 1, { fundingRate: '0.0001' }));

    close(run.state.deal!.funding, '-0.0100010204');
  });
});

describe('DCA-FUT-1S short mirror', () => {
  it('puts SOs above (102 / 105 / 109.5), LPs above and TPs below, each LP_k ≥ P_(k+1)·1.02', () => {
    const params = aDcaFuturesParams({ direction: 'short' });
    const levels = projectLadder(params, '100', '0.005');

    expect(levels.map((l) => l.price)).toEqual(['100', '102', '105', '109.5']);
    ['100', '100.9900990099', '102.9560201875', '106.1272276547'].forEach((avg, k) =>
      close(levels[k]!.average, avg),
    );
    ['119.4029850746', '120.5851928476', '122.9325614179', '126.7190777967'].forEach((lp, k) =>
      close(levels[k]!.liquidation, lp),
    );
    ['98.5', '99.4752475248', '101.4116798846', '104.5353192399'].forEach((tp, k) =>
      close(mul(levels[k]!.average, '0.985'), tp),
    );
    expect(projectionFailures(params, levels)).toEqual([]);
  });
});

describe('DCA-FUT-2 (must be rejected)', () => {
  it('rejects 20×: the LP after SO1 (94.5129688848) is beyond 95 × 0.98 and after SO2 (92.5690676763) above SO3 at 90.5', () => {
    const params = aDcaFuturesParams({ leverage: '20' });
    const levels = projectLadder(params, '100', '0.005');

    close(levels[0]!.liquidation, '95.4773869347');
    close(levels[1]!.liquidation, '94.5129688848');
    close(levels[2]!.liquidation, '92.5690676763');
    expect(projectionFailures(params, levels).map((f) => [f.k, f.rule])).toEqual([
      [1, 'nextSafetyOrder'],
      [2, 'nextSafetyOrder'],
      [3, 'lastSafetyOrder'],
    ]);
    const issues = dcaFuturesStrategy.validate(params, market, '100');
    expect(issues.map((i) => `${i.path}:${i.code}`)).toContain(
      'leverage:dca-futures-liquidation-before-ladder',
    );
  });
});
