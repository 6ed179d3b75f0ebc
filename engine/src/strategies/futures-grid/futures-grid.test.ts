import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dec } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { PlaceIntent } from '../../kernel/strategy.ts';
import { liquidationPrice } from '../shared/futures.ts';
import { aMarket, book, distance, moveTo, send, startSim } from '../shared/test-kit.ts';
import type { Sim } from '../shared/test-kit.ts';
import { futuresGridStrategy, normalizeFuturesGridParams, planFuturesGrid, worstCases } from './index.ts';
import type { FuturesGridState } from './index.ts';

/** The futures market of §5.7: step 0.01, MMR 0.5 %, fee 0.1 % in quote. */
const perp = aMarket({
  symbol: 'BASE/USDT:USDT',
  type: 'swap',
  settle: 'USDT',
  linear: true,
  contractSize: '1',
  precision: { price: '0.01', amount: '0.01' },
  limits: { amount: { min: '0.01' }, cost: { min: '5' }, leverage: { min: '1', max: '125' } },
  maintenanceMarginRate: '0.005',
});
const bracket = { mmr: '0.005', cum: '0' };

/** Example F of grid-family.md §5.7 with overrides. */
const aFuturesParams = (overrides: Record<string, unknown> = {}) =>
  normalizeFuturesGridParams({
    direction: 'LONG',
    lowPrice: '100',
    highPrice: '200',
    gridCount: 4,
    gridMode: 'arithmetic',
    investment: '1000',
    leverage: 3,
    liquidationBufferPct: '5',
    ...overrides,
  });

const near = (actual: Dec | undefined, expected: string, tolerance = 1e-8): void => {
  expect(distance(actual!, expected)).toBeLessThan(tolerance);
};
const places = (sim: Sim<FuturesGridState>): PlaceIntent[] =>
  sim.intents.filter((i): i is PlaceIntent => i.type === 'place');
const lastPlace = (sim: Sim<FuturesGridState>): PlaceIntent => places(sim).at(-1)!;
const started = (overrides: Record<string, unknown> = {}, price = '140') =>
  startSim(futuresGridStrategy, aFuturesParams(overrides), price, { market: perp, feeModel: 'FEE_IN_QUOTE' });
const lpNow = (sim: Sim<FuturesGridState>) => liquidationPrice(sim.state.wallet, sim.state.position, bracket);

describe('futures grid worked example F (§5.7, Appendix B FUTURES_GRID)', () => {
  it('F1: a 5× LONG sizes q = 9.9, liquidates at 101.6318841683 in the worst case and is rejected', () => {
    const params = aFuturesParams({ leverage: 5 });
    const plan = planFuturesGrid(params, perp, '140');

    expect(plan.q).toBe('9.9');
    near(worstCases(params, plan, '140', '0.001', bracket).long!.liquidationPrice, '101.6318841683');
    expect(futuresGridStrategy.validate(params, perp, '140').map((i) => [i.path, i.code])).toEqual([
      ['leverage', 'fut-liq-inside-grid'],
    ]);
  });

  it('F2: a 3× LONG is accepted with q = 5.94, an 11.88 initial long (fee 1.6632), LP_now 56.2461465577, LP_worst 84.7122692588', () => {
    const params = aFuturesParams({ takeProfit: { price: '220' }, stopLoss: { price: '92' } });
    const sim = started({ takeProfit: { price: '220' }, stopLoss: { price: '92' } });

    expect(futuresGridStrategy.validate(params, perp, '140')).toEqual([]);
    expect(places(sim)[0]).toMatchObject({ key: 'init', side: 'buy', orderType: 'market', qty: '11.88' });
    expect(sim.state.wallet).toBe('998.3368');
    near(lpNow(sim), '56.2461465577');
    near(
      worstCases(params, planFuturesGrid(params, perp, '140'), '140', '0.001', bracket).long!
        .liquidationPrice,
      '84.7122692588',
    );
    expect(book(sim)).toEqual(['sell@200 5.94', 'sell@175 5.94', 'buy@125 5.94', 'buy@100 5.94']);
    expect(sim.intents).toContainEqual({
      type: 'setLeverage',
      ...{ leverage: '3', marginMode: 'isolated', margin: 'isolatedWallet', wallet: '1000' },
    });
    expect(
      Object.values(sim.live)
        .filter((o) => o.side === 'sell')
        .every((o) => o.reduceOnly === true),
    ).toBe(true);
  });

  it('F3: the buy at 125 averages to 17.82 @ 135 with wallet 997.5943 and LP_now 79.4153539865', () => {
    const sim = moveTo(started(), '125');

    expect(sim.state.position).toEqual({ qty: '17.82', entryPrice: '135' });
    expect(sim.state.wallet).toBe('997.5943');
    near(lpNow(sim), '79.4153539865');
    expect(lastPlace(sim)).toMatchObject({ side: 'sell', price: '150', qty: '5.94', reduceOnly: true });
  });

  it('F4: the sell at 150 books grid profit 146.8665 while the exchange realises 88.209', () => {
    const sim = moveTo(moveTo(started(), '125'), '150');

    expect(sim.state.gridProfit).toBe('146.8665');
    expect(sim.roundTrips).toEqual([{ pnl: '146.8665' }]);
    expect(sim.state.positionRealized).toBe('88.209');
    expect(sim.state.position).toEqual({ qty: '11.88', entryPrice: '135' });
    expect(lastPlace(sim)).toMatchObject({ side: 'buy', price: '125', qty: '5.94' });
    expect(lastPlace(sim).reduceOnly).toBeUndefined();
  });

  it('F5: NEUTRAL 3× sizes q = 8, opens nothing, and a short pair 175 → 150 books 197.4', () => {
    const params = aFuturesParams({ direction: 'NEUTRAL' });
    const start = started({ direction: 'NEUTRAL' });
    const shortOpen = moveTo(start, '175');
    const closed = moveTo(shortOpen, '150');
    const worst = worstCases(params, planFuturesGrid(params, perp, '140'), '140', '0.001', bracket);

    expect(book(start)).toEqual(['sell@200 8', 'sell@175 8', 'buy@125 8', 'buy@100 8']);
    expect(places(start).some((p) => p.orderType === 'market')).toBe(false);
    expect(shortOpen.state.position).toEqual({ qty: '-8', entryPrice: '175' });
    expect(lastPlace(shortOpen)).toMatchObject({ side: 'buy', price: '150', qty: '8' });
    expect(closed.state.gridProfit).toBe('197.4');
    near(worst.short!.liquidationPrice, '248.5696517413');
    near(worst.long!.liquidationPrice, '50.364321608');
    expect(futuresGridStrategy.validate(params, perp, '140')).toEqual([]);
  });
});

describe('futures grid rules', () => {
  it('rejects a LONG stop loss that sits below the worst-case liquidation price plus the buffer', () => {
    const issues = futuresGridStrategy.validate(aFuturesParams({ stopLoss: { price: '88' } }), perp, '140');

    expect(issues.map((i) => [i.path, i.code])).toEqual([['stopLoss.price', 'fut-stop-beyond-liq']]);
  });

  it('rejects stops on the wrong side, excess leverage and trailing without a limit', () => {
    const codes = (o: Record<string, unknown>) =>
      futuresGridStrategy.validate(aFuturesParams(o), perp, '140').map((i) => i.code);

    expect(codes({ takeProfit: { price: '130' } })).toContain('fut-stops-side');
    expect(codes({ direction: 'NEUTRAL', stopTopPrice: '130' })).toContain('fut-stops-side');
    expect(codes({ leverage: 200 })).toContain('fut-leverage-range');
    expect(codes({ trailingUp: { enabled: true } })).toContain('fut-trail-limits');
    expect(codes({ investment: '5' })).toContain('fut-qty-min');
  });

  it('a SHORT grid opens short at market, rests sells and reduce-only buys, and its worst case sits above the range', () => {
    const params = aFuturesParams({ direction: 'SHORT' });
    const sim = started({ direction: 'SHORT' });

    expect(places(sim)[0]).toMatchObject({ key: 'init', side: 'sell', qty: '9.16' });
    expect(book(sim)).toEqual(['sell@200 4.58', 'sell@175 4.58', 'buy@125 4.58', 'buy@100 4.58']);
    expect(
      Object.values(sim.live)
        .filter((o) => o.side === 'buy')
        .every((o) => o.reduceOnly === true),
    ).toBe(true);
    expect(
      dec(
        worstCases(params, planFuturesGrid(params, perp, '140'), '140', '0.001', bracket).short!
          .liquidationPrice!,
      ).greaterThan(210),
    ).toBe(true);
  });

  it('a LONG stop loss cancels everything and closes the position reduce-only, ending STOPPED(STOP_LOSS)', () => {
    const sim = moveTo(started({ stopLoss: { price: '92' } }), '92');

    expect(places(sim).at(-1)).toMatchObject({
      key: 'close',
      side: 'sell',
      orderType: 'market',
      qty: '23.76',
      reduceOnly: true,
    });
    expect(sim.state.position.qty).toBe('0');
    expect(futuresGridStrategy.phase(sim.state)).toBe('STOPPED(STOP_LOSS)');
  });

  it('T10: raising the investment adds margin, keeps q and lowers a long liquidation price', () => {
    const before = moveTo(started(), '125');
    const after = send(before, {
      type: 'paramsChanged',
      ts: 5,
      params: { ...aFuturesParams(), investment: '1200' },
      changed: [{ path: 'investment', class: 'funds' }],
    });

    expect(after.state.wallet).toBe('1197.5943');
    expect(after.state.q).toBe(before.state.q);
    expect(dec(lpNow(after)!).lessThan(lpNow(before)!)).toBe(true);
  });

  it('ends LIQUIDATED when the exchange liquidates the position', () => {
    const sim = send(started(), { type: 'liquidated', ts: 9, price: '56', loss: '998' });

    expect(sim.intents.at(-1)).toMatchObject({ type: 'transition', to: 'LIQUIDATED', terminal: true });
    expect(futuresGridStrategy.phase(sim.state)).toBe('LIQUIDATED');
  });

  it('trails a LONG grid up with its stop loss when only trailing up is on', () => {
    const sim = moveTo(
      moveTo(started({ trailingUp: { enabled: true, limitPrice: '400' }, stopLoss: { price: '92' } }), '200'),
      '225',
    );

    expect(sim.intents).toContainEqual({ type: 'cancel', key: 'line:0' });
    expect(lastPlace(sim)).toMatchObject({ side: 'buy', price: '200', qty: '5.94' });
    expect(sim.state.stopLossPrice).toBe('117');
  });

  it('never lets a LONG grid go short nor a SHORT grid go long (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 95, max: 205 }).map(String), { maxLength: 20 }),
        fc.boolean(),
        (path, long) => {
          let sim = started({ direction: long ? 'LONG' : 'SHORT' });
          for (const p of path) {
            sim = moveTo(sim, p);
            const q = dec(sim.state.position.qty);
            if (long ? q.lessThan(0) : q.greaterThan(0)) return false;
          }
          return true;
        },
      ),
    );
  });

  it('continues identically after its state is round-tripped through JSON mid-run', () => {
    const path = ['125', '180', '110', '150'];
    const direct = path.reduce((s, p) => moveTo(s, p), started({ direction: 'NEUTRAL' }));
    const half = path.slice(0, 2).reduce((s, p) => moveTo(s, p), started({ direction: 'NEUTRAL' }));
    const resumed = path.slice(2).reduce((s, p) => moveTo(s, p), {
      ...half,
      state: JSON.parse(JSON.stringify(half.state)) as FuturesGridState,
    });

    expect(resumed.state).toEqual(direct.state);
    expect(resumed.intents).toEqual(direct.intents);
  });
});
