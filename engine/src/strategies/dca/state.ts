/**
 * DCA run state: plain JSON data (bot phase, the open deal with its frozen ladder and fills, timers)
 * and the small accounting helpers over it (§2.3.3 average, §2.3.8 deal PnL).
 */
import { add, dec, div, gt, isZero, mul, str, sub, toStep } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { Intent } from '../../kernel/strategy.ts';
import type { MarketInfo } from '../../model/market.ts';
import type { DcaParams } from './params.ts';
import { sigma } from './ladder.ts';

/** Bot-level phases of §2.4 (DCA Futures adds `SettingUp` implicitly inside deal start). */
export type BotPhase = 'WaitingForStart' | 'StartDelay' | 'DealActive' | 'Cooldown' | 'Stopped' | 'Halted';

/** Deal-level states of §2.4. */
export type DealStatus = 'Opening' | 'Open' | 'TrailingActive' | 'Closing';

/** One safety order of the deal's frozen ladder. */
export interface LevelState {
  readonly k: number;
  /** Limit price (rounded away from the market) or market trigger price. */
  readonly price: Dec;
  readonly qty: Dec;
  status: 'planned' | 'placed' | 'filled' | 'skipped';
  filled: Dec;
  rejections: number;
}

/** One deal: its ladder, entry and exit fills, TP order and trailing/stop-loss bookkeeping. */
export interface DealState {
  readonly seq: number;
  status: DealStatus;
  readonly openedAt: EpochMs;
  /** Reinvest scale applied to this deal's sizes (§2.3.9). */
  readonly scale: Dec;
  p0: Dec | null;
  baseFilled: Dec;
  baseDone: boolean;
  levels: LevelState[];
  /** Entry quantity Q, entry cost C, exit quantity and value, fees in quote and entry fees paid in base. */
  qty: Dec;
  cost: Dec;
  exitQty: Dec;
  exitValue: Dec;
  quoteFees: Dec;
  baseFees: Dec;
  funding: Dec;
  lastExitPrice: Dec | null;
  tp: { live: boolean; price: Dec | null; qty: Dec | null; partiallyFilled: boolean };
  trailing: { active: boolean; peak: Dec | null };
  slBreachSince: EpochMs | null;
  closeReason: string | null;
  closeAttempts: number;
  closeLive: boolean;
  /** Rejections of the TP order; after 3 the TP is no longer re-placed for this deal (§2.3.12). */
  tpRejections: number;
}

/** The whole DCA state. */
export interface DcaState {
  params: DcaParams;
  phase: BotPhase;
  dealsStarted: number;
  dealsCompleted: number;
  realizedPnl: Dec;
  reinvestPool: Dec;
  lastPrice: Dec | null;
  timers: Record<string, EpochMs>;
  deal: DealState | null;
  /** Set when the bot must stop once the open deal is closed (stop request, SL with closeAndStopBot). */
  stopAfterDeal: string | null;
  blockedReason: string | null;
  start: StartState;
  /** Recent prices for pump/dump guards (futures): [ts, price] pairs, oldest first. */
  history: [EpochMs, Dec][];
  guards: { pumpUntil: EpochMs | null; dumpUntil: EpochMs | null };
}

/** Start-condition bookkeeping: price-trigger side and RSI over timeframe buckets. */
export interface StartState {
  priceSide: 'above' | 'below' | null;
  rsi: RsiState;
}

/** Wilder RSI accumulators over completed timeframe buckets. */
export interface RsiState {
  bucket: number | null;
  bucketClose: Dec | null;
  prevClose: Dec | null;
  samples: number;
  avgGain: Dec;
  avgLoss: Dec;
  value: Dec | null;
  previousValue: Dec | null;
}

/** A fresh state for a run. */
export function initialState(params: DcaParams): DcaState {
  return {
    params,
    phase: 'WaitingForStart',
    dealsStarted: 0,
    dealsCompleted: 0,
    realizedPnl: '0',
    reinvestPool: '0',
    lastPrice: null,
    timers: {},
    deal: null,
    stopAfterDeal: null,
    blockedReason: null,
    start: {
      priceSide: null,
      rsi: {
        bucket: null,
        bucketClose: null,
        prevClose: null,
        samples: 0,
        avgGain: '0',
        avgLoss: '0',
        value: null,
        previousValue: null,
      },
    },
    history: [],
    guards: { pumpUntil: null, dumpUntil: null },
  };
}

/**
 * A private working copy of the state for one reducer step, sharing what steps never mutate in place:
 * `params` (only ever replaced whole) and the `[ts, price]` samples of `history` (the array is copied).
 * Everything a step may mutate is copied, so the caller's state stays unchanged; a deep copy of the
 * params on every event was most of a backtest's cost.
 */
export function workingCopy(s: DcaState): DcaState {
  return {
    ...s,
    timers: { ...s.timers },
    deal: s.deal === null ? null : copyDeal(s.deal),
    start: { priceSide: s.start.priceSide, rsi: { ...s.start.rsi } },
    history: s.history.slice(),
    guards: { ...s.guards },
  };
}

function copyDeal(d: DealState): DealState {
  return {
    ...d,
    levels: d.levels.map((l) => ({ ...l })),
    tp: { ...d.tp },
    trailing: { ...d.trailing },
  };
}

/** A new deal in `Opening`. */
export function newDeal(seq: number, now: EpochMs, scale: Dec): DealState {
  return {
    seq,
    status: 'Opening',
    openedAt: now,
    scale,
    p0: null,
    baseFilled: '0',
    baseDone: false,
    levels: [],
    qty: '0',
    cost: '0',
    exitQty: '0',
    exitValue: '0',
    quoteFees: '0',
    baseFees: '0',
    funding: '0',
    lastExitPrice: null,
    tp: { live: false, price: null, qty: null, partiallyFilled: false },
    trailing: { active: false, peak: null },
    slBreachSince: null,
    closeReason: null,
    closeAttempts: 0,
    closeLive: false,
    tpRejections: 0,
  };
}

/** Order keys: `deal<seq>:base`, `deal<seq>:so:<k>`, `deal<seq>:tp`, `deal<seq>:close:<attempt>`. */
export const keys = {
  base: (seq: number): string => `deal${seq}:base`,
  safety: (seq: number, k: number): string => `deal${seq}:so:${k}`,
  takeProfit: (seq: number): string => `deal${seq}:tp`,
  close: (seq: number, attempt: number): string => `deal${seq}:close:${attempt}`,
};

/** Parses an order key into its deal and role. */
export function parseKey(key: string): { seq: number; role: string; k: number } | undefined {
  const m = /^deal(\d+):(base|so|tp|close)(?::(\d+))?$/.exec(key);
  if (!m) return undefined;
  return { seq: Number(m[1]), role: m[2]!, k: m[3] === undefined ? 0 : Number(m[3]) };
}

/** A fill's fee in quote; fees in base are also tracked separately because they shrink the sellable quantity. */
export function recordFee(deal: DealState, fee: Dec, feeAsset: string, market: MarketInfo): void {
  if (isZero(fee)) return;
  if (feeAsset === market.base && market.type === 'spot') {
    deal.baseFees = add(deal.baseFees, fee);
  } else {
    deal.quoteFees = add(deal.quoteFees, fee);
  }
}

/** Adds an entry fill to Q and C (actual fill prices, fees excluded). */
export function recordEntry(deal: DealState, price: Dec, qty: Dec): void {
  deal.qty = add(deal.qty, qty);
  deal.cost = add(deal.cost, mul(price, qty));
}

/** Adds an exit fill. */
export function recordExit(deal: DealState, price: Dec, qty: Dec): void {
  deal.exitQty = add(deal.exitQty, qty);
  deal.exitValue = add(deal.exitValue, mul(price, qty));
  deal.lastExitPrice = price;
}

/** Average entry price, or null before the first fill. */
export const dealAverage = (deal: DealState): Dec | null =>
  gt(deal.qty, '0') ? div(deal.cost, deal.qty) : null;

/**
 * Net PnL of a closed deal in quote: σ·(exitValue − cost + (Q − exitQty)·exit) − quote fees − base fees·exit
 * + funding. It equals the change of the bot's equity valued at the exit price, so base fees and
 * unsold dust are counted exactly once.
 */
export function dealPnl(deal: DealState, direction: DcaParams['direction']): Dec {
  const px = deal.lastExitPrice ?? '0';
  const open = sub(deal.qty, deal.exitQty);
  const gross = mul(sigma(direction), add(sub(deal.exitValue, deal.cost), mul(open, px)));
  return str(dec(gross).minus(deal.quoteFees).minus(mul(deal.baseFees, px)).plus(deal.funding));
}

/** Position still held (entry quantity not yet exited), floored to the lot step, net of entry fees paid in base. */
export function openQuantity(deal: DealState, market: MarketInfo): Dec {
  const held = sub(sub(deal.qty, deal.baseFees), deal.exitQty);
  return toStep(held, market.precision.amount, 'floor');
}

/** The earliest due timer, for `wake.at`. */
export function nextTimer(timers: Record<string, EpochMs>): { ts: EpochMs; name: string } | undefined {
  let best: { ts: EpochMs; name: string } | undefined;
  for (const [name, ts] of Object.entries(timers)) if (!best || ts < best.ts) best = { ts, name };
  return best;
}

/** A transition intent. */
export const transition = (to: string, reason: string, terminal = false): Intent =>
  terminal ? { type: 'transition', to, reason, terminal } : { type: 'transition', to, reason };
