/**
 * What a done grid order filled and moved, and the memo that spares the per-fill decimal work of a grid's
 * common case: a resting line order filled in one go, at the same texts every time its line trades.
 */
import { isZero, sub } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { StrategyEvent } from '../../kernel/strategy.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { Side } from '../../model/orders.ts';
import { netBase, netQuote, withFill } from '../shared/book.ts';
import type { LiveOrder } from '../shared/book.ts';

type OrderEvent = Extract<StrategyEvent, { type: 'order' }>;
type Fill = NonNullable<OrderEvent['fill']>;

/** A done order's accumulated fill (base filled, fees by asset) and the net base and quote it moved. */
export interface FillTotals {
  readonly filled: Dec;
  readonly feeBase: Dec;
  readonly feeQuote: Dec;
  /** Base received (buy) or given up (sell), fees included. */
  readonly netBase: Dec;
  /** Quote spent (buy) or received (sell), fees included. */
  readonly netQuote: Dec;
}

/** The totals of an order whose fills are all accumulated (`withFill` done). */
export function totalsOf(order: LiveOrder): FillTotals {
  const { filled, feeBase, feeQuote } = order;
  return { filled, feeBase, feeQuote, netBase: netBase(order), netQuote: netQuote(order) };
}

const NO_FILL = { filled: '0', notional: '0', feeBase: '0', feeQuote: '0' } as const;

/** Whether `order` has no fill accumulated yet, so one final fill makes up all of it. */
export const unfilled = (order: LiveOrder): boolean =>
  order.filled === NO_FILL.filled &&
  order.notional === NO_FILL.notional &&
  order.feeBase === NO_FILL.feeBase &&
  order.feeQuote === NO_FILL.feeQuote;

// The totals of one fill on an unfilled order are a pure function of the order's side, the fill's texts and
// which market asset the fee is in. A line's order fills at the line's price and size every time it trades
// (the size changes only when compounding), so the few distinct fills are remembered: the memo returns the
// very texts `withFill` + `netBase`/`netQuote` compute on a miss, and a bot's output cannot depend on it.
// Keyed by the fee text, which nearly always tells a line's fills apart on its own (it is price × qty × rate),
// so a lookup hashes one short text and then compares the price and quantity of one or two candidates.
const MEMO_LIMIT = 4096;

interface Remembered {
  readonly price: Dec;
  readonly qty: Dec;
  /** Indexed by side and fee asset; null for a fill of nothing (a zero quantity). */
  readonly totals: (FillTotals | null | undefined)[];
}
const byFee = new Map<Dec, Remembered[]>();

/**
 * The totals of an unfilled order of `side` (see `unfilled`) once `event`'s fill (`fill`) is accumulated;
 * undefined when the fill filled nothing (remembered too, so a fill's base is tested for zero only once).
 */
export function singleFillTotals(
  side: Side,
  event: OrderEvent,
  fill: Fill,
  market: MarketInfo,
): FillTotals | undefined {
  const inBase = fill.feeAsset === market.base ? 2 : 0;
  const slot = (side === 'buy' ? 1 : 0) | inBase | (fill.feeAsset === market.quote ? 4 : 0);
  const slots = remembered(fill).totals;
  let totals = slots[slot];
  if (totals === undefined) {
    // `withFill` reads only the event's fill (`fill`), and an unfilled order's other fields do not enter the totals.
    const fresh: LiveOrder = { key: '', line: 0, side, cost: '0', ...NO_FILL };
    const computed = totalsOf(withFill(fresh, event, market));
    totals = isZero(computed.filled) ? null : computed;
    slots[slot] = totals;
  }
  return totals ?? undefined;
}

function remembered(fill: Fill): Remembered {
  let candidates = byFee.get(fill.fee);
  if (candidates === undefined) {
    if (byFee.size >= MEMO_LIMIT) byFee.clear();
    candidates = [];
    byFee.set(fill.fee, candidates);
  }
  for (const known of candidates) if (known.price === fill.price && known.qty === fill.qty) return known;
  const added: Remembered = { price: fill.price, qty: fill.qty, totals: [] };
  if (candidates.length >= 16) candidates.length = 0;
  candidates.push(added);
  return added;
}

// A pair's profit is proceeds less lot cost, both texts from the totals above (the lot cost is its buy's net
// quote): the same few pairs of texts close on every round trip of a line, so their differences are remembered.
const profits = new Map<Dec, Map<Dec, Dec>>();

/** `proceeds − cost` as `sub` gives it, remembered per pair of texts (a bounded memo of a pure function). */
export function pairProfit(proceeds: Dec, cost: Dec): Dec {
  let byCost = profits.get(proceeds);
  if (byCost === undefined) {
    if (profits.size >= MEMO_LIMIT) profits.clear();
    byCost = new Map();
    profits.set(proceeds, byCost);
  }
  let profit = byCost.get(cost);
  if (profit === undefined) {
    if (byCost.size >= 64) byCost.clear();
    profit = sub(proceeds, cost);
    byCost.set(cost, profit);
  }
  return profit;
}
