/**
 * Futures grid fills (§5.3 "Running"): every fill updates the average-cost position and the isolated wallet;
 * a fill that opens a leg sends its counter one line away carrying the leg's cash, and a fill that closes a
 * leg books the pair's grid profit and re-opens one line away.
 */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent, StrategyContext } from '../../kernel/strategy.ts';
import { netQuote, onLine, placeLimit } from '../shared/book.ts';
import type { LiveOrder } from '../shared/book.ts';
import { applyFill } from '../shared/futures.ts';
import { priceAt } from '../shared/lattice.ts';
import { lineKey } from './state.ts';
import type { FuturesGridState } from './state.ts';

/** The cash a filled order moved: −(notional + fee) for a buy, +(notional − fee) for a sell. */
export const legCash = (order: LiveOrder): Dec =>
  order.side === 'buy' ? str(dec(netQuote(order)).negated()) : netQuote(order);

/** Applies a done order's fills to the position and wallet. */
export function settleFill(state: FuturesGridState, order: LiveOrder): FuturesGridState {
  if (dec(order.filled).isZero()) return state;
  const price = str(dec(order.notional).dividedBy(order.filled));
  const fee = str(dec(order.feeQuote).plus(dec(order.feeBase).times(price)));
  const change = applyFill(state.position, order.side, price, order.filled);
  const closing = dec(change.closedQty).greaterThan(0);
  return {
    ...state,
    position: change.position,
    wallet: str(dec(state.wallet).plus(change.realizedPnl).minus(fee)),
    positionRealized: closing
      ? str(dec(state.positionRealized).plus(change.realizedPnl).minus(fee))
      : state.positionRealized,
  };
}

/** Books the pair (when the order closed one) and places the counter order one line away. */
export function counter(
  state: FuturesGridState,
  order: LiveOrder,
  ctx: StrategyContext,
): [FuturesGridState, Intent[]] {
  const opening = state.pairCash[order.key];
  const { [order.key]: _closed, ...pairCash } = state.pairCash;
  let next: FuturesGridState = { ...state, pairCash };
  const intents: Intent[] = [];
  if (opening !== undefined) {
    const share = order.qty !== undefined ? dec(order.filled).dividedBy(order.qty) : dec(1);
    const profit = str(dec(opening).times(share).plus(legCash(order)));
    next = { ...next, gridProfit: str(dec(next.gridProfit).plus(profit)), roundTrips: next.roundTrips + 1 };
    intents.push({ type: 'roundTrip', pnl: profit });
  }
  const side = order.side === 'buy' ? 'sell' : 'buy';
  const line = order.side === 'buy' ? order.line + 1 : order.line - 1;
  const cash = opening === undefined ? legCash(order) : undefined;
  const [placed, more] = placeLine(next, line, side, order.filled, cash, ctx);
  return [placed, [...intents, ...more]];
}

/** Places `side` on `line`; position-opening orders wait while the liquidation guard holds (§5.3). */
export function placeLine(
  state: FuturesGridState,
  line: number,
  side: 'buy' | 'sell',
  qty: Dec,
  cash: Dec | undefined,
  ctx: StrategyContext,
): [FuturesGridState, Intent[]] {
  const dir = state.params.direction;
  const reduceOnly = (dir === 'LONG' && side === 'sell') || (dir === 'SHORT' && side === 'buy');
  const opens = cash === undefined;
  if (opens && state.phase === 'PAUSED' && state.reason === 'LIQUIDATION_RISK')
    return [{ ...state, held: [...state.held, { line, side, qty }] }, []];
  if (onLine(state.book, line) || line < state.lattice!.iMin || line > state.lattice!.iMax)
    return [state, []];
  const key = lineKey(line);
  const placed = placeLimit(
    state.book,
    {
      key,
      line,
      side,
      price: priceAt(state.lattice!, line),
      qty,
      cost: '0',
      ...(reduceOnly ? { reduceOnly } : {}),
    },
    ctx.market,
  );
  if (!placed) return [state, []];
  const pairCash = cash !== undefined ? { ...state.pairCash, [key]: cash } : state.pairCash;
  return [{ ...state, book: placed[0], pairCash }, [placed[1]]];
}
