import { describe, expect, it } from '@jest/globals';
import { EMPTY_BOOK, placeLimit } from './book.ts';
import { latticeFromCount } from './lattice.ts';
import { settleRangePhase, spotStopRules, triggeredStop } from './stops.ts';
import { aMarket } from './test-kit.ts';

const rules = spotStopRules(
  { stopLossPrice: '44000', stopLossPnlPct: '-20', takeProfitPrice: '60000', takeProfitPnlPct: undefined },
  'below',
);

describe('stop rules (§1.9)', () => {
  it('triggers a price stop at the level itself, whatever the text of the same value', () => {
    expect(triggeredStop(rules, '44000.00')?.reason).toBe('STOP_LOSS');
    expect(triggeredStop(rules, '60000')?.reason).toBe('TAKE_PROFIT');
  });

  it('tells prices apart beyond the precision of a double', () => {
    expect(triggeredStop(rules, '44000.00000000000000000001')).toBeUndefined();
    expect(triggeredStop(rules, '43999.99999999999999999999')?.reason).toBe('STOP_LOSS');
    expect(triggeredStop(rules, '59999.99999999999999999999')).toBeUndefined();
  });

  it('reads a PnL rule only when a PnL is given, and takes the first rule triggered in list order', () => {
    expect(triggeredStop(rules, '50000')).toBeUndefined();
    expect(triggeredStop(rules, '50000', '-20.0')?.when).toBe('pnlBelow');
    expect(triggeredStop(rules, '43000', '-25')?.when).toBe('priceBelow');
  });
});

describe('range phase of a running spot grid (§2.4)', () => {
  const lattice = latticeFromCount('100', '200', 4, 'arithmetic');
  const market = aMarket();
  const running = { phase: 'RUNNING', reason: 'IN_RANGE' };
  const spec = { key: 'line:4', line: 4, price: '200', qty: '1', cost: '100' };
  const withSell = placeLimit(EMPTY_BOOK, { ...spec, side: 'sell' }, market)![0];

  it('is out of range above only when the price is beyond the top line and no sell rests', () => {
    const [above, intents] = settleRangePhase(
      running,
      lattice,
      EMPTY_BOOK,
      '200.000000000000000001',
      false,
      [],
    );
    const [held] = settleRangePhase(running, lattice, withSell, '250', false, []);
    const [atTop] = settleRangePhase(running, lattice, EMPTY_BOOK, '200', false, []);

    expect(above.phase).toBe('OUT_OF_RANGE_UP');
    expect(intents).toEqual([{ type: 'transition', to: 'OUT_OF_RANGE_UP', reason: 'OUT_OF_RANGE_UP' }]);
    expect(held).toBe(running);
    expect(atTop).toBe(running);
  });

  it('is out of range below only when the price is under the bottom line and no buy rests', () => {
    const [below] = settleRangePhase(running, lattice, withSell, '99.999999999999999999', false, []);
    const [atBottom] = settleRangePhase(running, lattice, withSell, '100', false, []);

    expect(below.phase).toBe('OUT_OF_RANGE_DOWN');
    expect(atBottom).toBe(running);
  });
});
