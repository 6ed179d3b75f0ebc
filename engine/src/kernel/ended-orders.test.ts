import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../core/clock.ts';
import { findMarket } from '../markets/venues.ts';
import type { Fill } from '../model/orders.ts';
import { BotKernel } from './bot-kernel.ts';
import { ENDED_KEEP_COUNT, ENDED_LOOKBACK_MS } from './ended-orders.ts';
import type { OrderRecord } from './order-book.ts';
import type { Intent } from './strategy.ts';
import { aToyStrategy } from '../../test/toy-strategies.ts';

/** Places a limit buy per `place` signal and cancels one per `cancel` signal; counts the fills it hears. */
const bySignal = aToyStrategy<{ readonly fills: number }>(
  (state, event) => {
    if (event.type === 'order' && event.fill) return { state: { fills: state.fills + 1 }, intents: [] };
    if (event.type !== 'signal') return { state, intents: [] };
    const key = String(event.payload['key']);
    const idx = Number(event.payload['idx']);
    const intent: Intent =
      event.action === 'cancel'
        ? { type: 'cancel', key }
        : { type: 'place', key, role: 'grid', idx, side: 'buy', orderType: 'limit', price: '100', qty: '1' };
    return { state, intents: [intent] };
  },
  () => ({ fills: 0 }),
);

function setup() {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const market = findMarket('paper', 'BTC/USDT')!;
  const kernel = new BotKernel({
    botKey: 'team/late',
    runNumber: 1,
    revision: 'r1',
    account: 'acct',
    mode: 'paper',
    strategy: bySignal,
    params: {},
    market,
    clock,
    budget: { quote: '1000000' },
  });
  kernel.start('100');
  /** Places an order the venue accepts, then cancels it (confirmed): its record, ended. */
  const placeAndCancel = (idx: number): OrderRecord => {
    const key = `k${idx}`;
    kernel.signal('test', 'place', { key, idx });
    const [placed] = kernel.takeCommands();
    if (placed?.type !== 'place') throw new Error('expected a place command');
    const { record } = placed;
    const { clientOrderId, symbol, side, type, amount } = record.request;
    const snapshot = {
      clientOrderId,
      symbol,
      side,
      type,
      amount,
      price: '100',
      filled: '0',
      ts: clock.now(),
    };
    kernel.onPlaced(record, { ...snapshot, status: 'Open' });
    kernel.signal('test', 'cancel', { key });
    kernel.takeCommands();
    kernel.flow.onOrder({ ...snapshot, status: 'Cancelled' });
    kernel.flow.cancelDone(record);
    return record;
  };
  const fillOf = (record: OrderRecord, tradeId: string): Fill => ({
    tradeId,
    clientOrderId: record.clientOrderId,
    ts: clock.now(),
    side: 'buy',
    price: '100',
    qty: '1',
    fee: '0',
    feeAsset: 'USDT',
    liquidity: 'maker',
  });
  const fillsHeard = (): number => (kernel.saved().state as { fills: number }).fills;
  return { clock, kernel, placeAndCancel, fillOf, fillsHeard };
}

describe('ended orders and late fills', () => {
  it('applies a late fill within the lookback exactly once, even after many newer orders ended', () => {
    const { clock, kernel, placeAndCancel, fillOf, fillsHeard } = setup();
    const late = placeAndCancel(0);
    for (let i = 1; i <= ENDED_KEEP_COUNT * 3; i++) placeAndCancel(i);
    clock.advance(ENDED_LOOKBACK_MS - 1);

    kernel.onExchangeUpdate({ type: 'fill', symbol: 'BTC/USDT', fill: fillOf(late, 'T1') });
    kernel.onExchangeUpdate({ type: 'fill', symbol: 'BTC/USDT', fill: fillOf(late, 'T1') });

    expect(kernel.ledger.base).toBe('1');
    expect(fillsHeard()).toBe(1);
    expect(kernel.log.take().filter((e) => e.type === 'OrderFilled')).toHaveLength(1);
  });

  it('applies a late fill for one of the last ended orders however long ago it ended', () => {
    const { clock, kernel, placeAndCancel, fillOf, fillsHeard } = setup();
    const records = Array.from({ length: ENDED_KEEP_COUNT }, (_, i) => placeAndCancel(i));
    clock.advance(ENDED_LOOKBACK_MS * 10);
    placeAndCancel(ENDED_KEEP_COUNT); // one more end, so the book looks at what to forget

    kernel.onExchangeUpdate({ type: 'fill', symbol: 'BTC/USDT', fill: fillOf(records[1]!, 'T1') });

    expect(kernel.ledger.base).toBe('1');
    expect(fillsHeard()).toBe(1);
  });

  it('ignores a fill for an order that ended beyond the lookback and the count, as for an unknown id', () => {
    const { clock, kernel, placeAndCancel, fillOf, fillsHeard } = setup();
    const old = placeAndCancel(0);
    clock.advance(ENDED_LOOKBACK_MS);
    for (let i = 1; i <= ENDED_KEEP_COUNT; i++) placeAndCancel(i);
    kernel.log.take();

    kernel.onExchangeUpdate({ type: 'fill', symbol: 'BTC/USDT', fill: fillOf(old, 'T1') });

    expect(kernel.ledger.base).toBe('0');
    expect(fillsHeard()).toBe(0);
    expect(kernel.log.take()).toEqual([]);
    expect(kernel.book.byClientOrderId(old.clientOrderId)).toBeUndefined();
  });

  it('keeps every live order known however many orders end around it', () => {
    const { clock, kernel, placeAndCancel } = setup();
    kernel.signal('test', 'place', { key: 'live', idx: 9999 });
    const [placed] = kernel.takeCommands();
    if (placed?.type !== 'place') throw new Error('expected a place command');
    for (let i = 0; i < ENDED_KEEP_COUNT * 2; i++) {
      placeAndCancel(i);
      clock.advance(ENDED_LOOKBACK_MS);
    }

    expect(kernel.book.byClientOrderId(placed.record.clientOrderId)).toBe(placed.record);
  });
});
