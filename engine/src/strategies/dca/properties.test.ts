// Property tests of the DCA money maths: monotonic ladders, averages within the fills, budget never exceeded.
import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { add, div, gte, lte, mul, sum } from '../../core/decimal.ts';
import { dcaStrategy } from './index.ts';
import { planLadder } from './ladder.ts';
import { aCtx, aDcaParams, aMarket, ev, places, Runner } from './test-builders.ts';

const decimal = (lo: number, hi: number, places = 2): fc.Arbitrary<string> =>
  fc
    .integer({ min: Math.round(lo * 10 ** places), max: Math.round(hi * 10 ** places) })
    .map((n) => div(String(n), String(10 ** places)));

const ladderParams = fc.record({
  direction: fc.constantFrom('long', 'short'),
  deviationPct: decimal(0.1, 5),
  stepScale: decimal(0.5, 2),
  volumeScale: decimal(0.5, 2),
  maxCount: fc.integer({ min: 1, max: 8 }),
  deviationBase: fc.constantFrom('fromBase', 'fromPrevious'),
});

describe('DCA ladder properties', () => {
  it('safety-order prices move strictly away from P_0 in the adverse direction', () => {
    fc.assert(
      fc.property(ladderParams, decimal(1, 100000), (g, p0) => {
        const params = aDcaParams({ direction: g.direction, safetyOrders: { ...g, maxActive: 1 } });
        fc.pre(dcaStrategy.validate(params, aMarket()).every((i) => i.severity === 'warning'));
        const prices = [p0, ...planLadder(params, p0).map((l) => l.price)];
        for (let i = 1; i < prices.length; i++) {
          const ok =
            g.direction === 'long' ? lte(prices[i]!, prices[i - 1]!) : gte(prices[i]!, prices[i - 1]!);
          if (!ok || prices[i] === prices[i - 1]) return false;
        }
        return true;
      }),
    );
  });

  it('the average entry stays between the lowest and highest fill price', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(decimal(1, 1000), decimal(0.001, 5, 3)), { minLength: 1, maxLength: 6 }),
        (fills) => {
          const run = new Runner(
            dcaStrategy,
            aDcaParams({ safetyOrders: { maxCount: 8, maxActive: 8 }, budget: { maxQuote: '1000' } }),
            aCtx(aMarket()),
          );
          run.send(ev.start(fills[0]![0]), ev.fill('deal1:base', fills[0]![0], fills[0]![1]));
          fills
            .slice(1)
            .forEach(([price, qty], i) =>
              run.send(ev.fill(`deal1:so:${i + 1}`, price, qty, { partial: true })),
            );
          const deal = run.state.deal!;
          const avg = div(deal.cost, deal.qty);
          const prices = fills.map((f) => f[0]);
          return prices.some((p) => lte(p, avg)) && prices.some((p) => gte(p, avg));
        },
      ),
    );
  });

  it('never commits more quote than budget.maxQuote when the params validate', () => {
    const market = aMarket({ precision: { price: '0.01', amount: '0.00001' } });
    fc.assert(
      fc.property(
        ladderParams,
        decimal(1, 20),
        decimal(1, 20),
        decimal(50, 500),
        decimal(10, 100000),
        (g, base, so, budget, p0) => {
          const params = aDcaParams({
            direction: 'long',
            baseOrder: { size: base },
            safetyOrders: { ...g, size: so, maxActive: g.maxCount },
            budget: { maxQuote: budget },
          });
          if (dcaStrategy.validate(params, market, p0).some((i) => i.severity !== 'warning')) return true;
          const run = new Runner(dcaStrategy, params, aCtx(market));
          run.send(ev.start(p0), ev.fill('deal1:base', p0, div(base, p0)));
          const sos = places(run.log).filter((p) => p.role === 'safety');
          const committed = add(base, sum(sos.map((o) => mul(o.price!, o.qty!))));
          expect(lte(mul(committed, '1.001'), budget)).toBe(true);
          return true;
        },
      ),
    );
  });
});
