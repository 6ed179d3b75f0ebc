import { describe, expect, it } from '@jest/globals';
import { add, sub } from '../core/decimal.ts';
import type { Fill } from '../model/orders.ts';
import { BotLedger } from './ledger.ts';
import { liquidateIfCrossed, positionSnapshot } from './positions.ts';

const fill = (side: 'buy' | 'sell', price: string, qty: string): Fill => ({
  tradeId: `t-${side}-${price}`,
  clientOrderId: 'c',
  ts: 0,
  side,
  price,
  qty,
  fee: '0',
  feeAsset: 'USDT',
  liquidity: 'taker',
});

/** A perpetual ledger holding `qty` (signed) entered at 100 with 10× leverage. */
function holding(side: 'buy' | 'sell'): BotLedger {
  const ledger = new BotLedger({ futures: true, quote: '1000', baseAsset: 'BTC', quoteAsset: 'USDT' });
  ledger.setLeverage('10');
  ledger.applyFill(fill(side, '100', '3'));
  return ledger;
}

/** Far below a float's resolution at this price: the float images of lp and lp ± this are equal. */
const HAIR = '0.000000000000000000001';

describe('liquidation check', () => {
  it('liquidates a long at or below its liquidation price, even a hair below, and not a hair above', () => {
    const lp = holding('buy').liquidation!;

    const above = liquidateIfCrossed(holding('buy'), add(lp, HAIR));
    const at = liquidateIfCrossed(holding('buy'), lp);
    const below = liquidateIfCrossed(holding('buy'), sub(lp, HAIR));
    const far = liquidateIfCrossed(holding('buy'), '95');

    expect(Number(add(lp, HAIR))).toBe(Number(lp));
    expect([above, far]).toEqual([undefined, undefined]);
    expect(at?.liquidationPrice).toBe(lp);
    expect(below?.mark).toBe(sub(lp, HAIR));
  });

  it('liquidates a short at or above its liquidation price, and not a hair below', () => {
    const lp = holding('sell').liquidation!;

    const below = liquidateIfCrossed(holding('sell'), sub(lp, HAIR));
    const at = liquidateIfCrossed(holding('sell'), lp);

    expect(below).toBeUndefined();
    expect(at?.qty).toBe('-3');
  });

  it('snapshots a short position with its contracts, side and unrealised PnL at the mark', () => {
    const ledger = holding('sell');

    const snapshot = positionSnapshot(ledger, 'BTC/USDT:USDT', '97.5');

    expect(snapshot).toMatchObject({ side: 'sell', contracts: '3', entryPrice: '100', unrealizedPnl: '7.5' });
  });
});
