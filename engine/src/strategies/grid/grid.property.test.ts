import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dec, str, sum } from '../../core/decimal.ts';
import { latticeFromCount, linePrices } from '../shared/lattice.ts';
import { pairProfitFraction } from '../shared/profit.ts';
import { moveTo, startSim } from '../shared/test-kit.ts';
import { gridStrategy, normalizeGridParams } from './index.ts';

const price = fc.integer({ min: 55, max: 245 }).map(String);

describe('grid money maths (properties)', () => {
  it('builds strictly increasing lattices from low to high in both modes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 2, max: 120 }),
        fc.boolean(),
        (low, pct, n, arith) => {
          const high = str(dec(low).times(dec(100 + pct).dividedBy(100)));
          const prices = linePrices(
            latticeFromCount(String(low), high, n, arith ? 'arithmetic' : 'geometric'),
          );
          return (
            prices.length === n + 1 &&
            prices[0] === String(low) &&
            dec(prices[n]!).minus(high).abs().lessThan('1e-18') &&
            prices.every((p, i) => i === 0 || dec(p).greaterThan(prices[i - 1]!))
          );
        },
      ),
    );
  });

  it('books exactly Q·[(Ps/Pb)(1−f)² − 1] for a pair on any interval', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 12 }), fc.boolean(), (n, arith) => {
        const params = normalizeGridParams({
          lowPrice: '100',
          highPrice: '200',
          gridCount: n,
          gridMode: arith ? 'arithmetic' : 'geometric',
          investment: '5000',
        });
        const sim = startSim(gridStrategy, params, '200');
        const lattice = sim.state.lattice!;
        const i = lattice.iMax - 2;
        const down = moveTo(sim, sim.live[`line:${i}`]!.price!);
        const after = moveTo(down, down.live[`line:${i + 1}`]!.price!);
        const [buy, sell] = after.fills.slice(-2) as [
          (typeof after.fills)[number],
          (typeof after.fills)[number],
        ];
        const spent = dec(buy.qty).times(buy.price);
        const expected = spent.times(
          pairProfitFraction(buy.price, sell.price, '0.001', 'FEE_IN_RECEIVED_ASSET'),
        );
        expect([buy.side, sell.side, after.fills.length]).toEqual(['buy', 'sell', 3]);
        return dec(after.state.realized).minus(expected).abs().lessThan('1e-9');
      }),
    );
  });

  it('never sells more base than it holds, never double-books a price, and reports every booked pair', () => {
    fc.assert(
      fc.property(fc.array(price, { minLength: 1, maxLength: 25 }), fc.boolean(), (path, trailing) => {
        const params = normalizeGridParams({
          lowPrice: '100',
          highPrice: '200',
          gridCount: 6,
          investment: '1200',
          trailingUp: { enabled: trailing },
          trailingDown: { enabled: trailing, stopPrice: '60', maxExtraQuote: '400' },
          pumpProtection: { enabled: false },
        });
        let sim = startSim(gridStrategy, params, '150');
        for (const p of path) {
          sim = moveTo(sim, p);
          const live = Object.values(sim.live).filter((o) => o.orderType === 'limit');
          const sells = sum(live.filter((o) => o.side === 'sell').map((o) => o.qty!));
          const prices = live.map((o) => o.price!);
          if (dec(sells).greaterThan(sim.state.base) || new Set(prices).size !== prices.length) return false;
        }
        const booked = sum(sim.roundTrips.map((t) => t.pnl));
        expect(booked).toBe(sim.state.realized);
        return true;
      }),
    );
  });
});
