/**
 * Stop rules (grid-family.md §1.9): price and PnL-percent triggers, each with the reason and terminal
 * outcome it leads to, and the price wake-ups a bot needs so the kernel calls it when a trigger is crossed.
 */
import { cmp, dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Intent, Wake } from '../../kernel/strategy.ts';
import { hasResting, type Book } from './book.ts';
import { comparePrices, priceAt, type Lattice } from './lattice.ts';

/** One trigger: price at/below or at/above a level, or total PnL % at/below or at/above a level. */
export interface StopRule {
  readonly when: 'priceBelow' | 'priceAbove' | 'pnlBelow' | 'pnlAbove';
  readonly level: Dec;
  /** e.g. `STOP_LOSS`, `TAKE_PROFIT`, `STOP_TOP`. */
  readonly reason: string;
  /** Terminal state the stop ends in: `COMPLETED` for take profit, `STOPPED` otherwise (§2.4). */
  readonly outcome: 'STOPPED' | 'COMPLETED';
}

/** The first rule (in list order) triggered by `price` or `pnlPct`, if any. */
export function triggeredStop(rules: readonly StopRule[], price: Dec, pnlPct?: Dec): StopRule | undefined {
  // Checked on every price a bot sees: exact comparisons on the text (comparePrices, cmp), no parsing.
  for (const rule of rules) if (triggers(rule, price, pnlPct)) return rule;
  return undefined;
}

function triggers(rule: StopRule, price: Dec, pnlPct: Dec | undefined): boolean {
  switch (rule.when) {
    case 'priceBelow':
      return comparePrices(price, rule.level) <= 0;
    case 'priceAbove':
      return comparePrices(price, rule.level) >= 0;
    case 'pnlBelow':
      return pnlPct !== undefined && cmp(pnlPct, rule.level) <= 0;
    case 'pnlAbove':
      return pnlPct !== undefined && cmp(pnlPct, rule.level) >= 0;
  }
}

/** Price wake-ups for the price rules: the highest level below and the lowest level above. */
export function stopWake(rules: readonly StopRule[]): Wake {
  let below: Dec | undefined;
  let above: Dec | undefined;
  for (const rule of rules) {
    if (rule.when === 'priceBelow' && (below === undefined || dec(rule.level).greaterThan(below)))
      below = rule.level;
    if (rule.when === 'priceAbove' && (above === undefined || dec(rule.level).lessThan(above)))
      above = rule.level;
  }
  return { ...(below !== undefined ? { below } : {}), ...(above !== undefined ? { above } : {}) };
}

/** Merges wake requests: the highest `below`, the lowest `above`, the earliest timer. */
export function mergeWakes(...wakes: readonly (Wake | undefined)[]): Wake | undefined {
  let below: Dec | undefined;
  let above: Dec | undefined;
  let at: Wake['at'];
  for (const w of wakes) {
    if (!w) continue;
    if (w.below !== undefined && (below === undefined || dec(w.below).greaterThan(below))) below = w.below;
    if (w.above !== undefined && (above === undefined || dec(w.above).lessThan(above))) above = w.above;
    if (w.at !== undefined && (at === undefined || w.at.ts < at.ts)) at = w.at;
  }
  if (below === undefined && above === undefined && at === undefined) return undefined;
  return {
    ...(below !== undefined ? { below: str(below) } : {}),
    ...(above !== undefined ? { above: str(above) } : {}),
    ...(at !== undefined ? { at } : {}),
  };
}

/** Total PnL in percent of `invested`: `(value − invested) / invested · 100`. */
export function pnlPct(value: Dec, invested: Dec): Dec {
  return str(dec(value).minus(invested).dividedBy(invested).times(100));
}

/** The stop and target settings of a spot grid (§1.9); prices already trailed where the bot trails them. */
export interface SpotStops {
  readonly stopLossPrice: Dec | undefined;
  readonly stopLossPnlPct: Dec | undefined;
  readonly takeProfitPrice: Dec | undefined;
  readonly takeProfitPnlPct: Dec | undefined;
}

/**
 * A spot grid's stop rules in evaluation order: stop loss before take profit, price before PnL. The stop
 * loss sits on the losing side of the range: below it for a grid that holds base (Grid), above it for one
 * that holds quote (BTD), with the price target on the other side.
 */
export function spotStopRules(stops: SpotStops, lossSide: 'below' | 'above'): StopRule[] {
  const [loss, target] =
    lossSide === 'below' ? (['priceBelow', 'priceAbove'] as const) : (['priceAbove', 'priceBelow'] as const);
  const rules: StopRule[] = [];
  if (stops.stopLossPrice !== undefined)
    rules.push({ when: loss, level: stops.stopLossPrice, reason: 'STOP_LOSS', outcome: 'STOPPED' });
  if (stops.stopLossPnlPct !== undefined)
    rules.push({ when: 'pnlBelow', level: stops.stopLossPnlPct, reason: 'STOP_LOSS', outcome: 'STOPPED' });
  if (stops.takeProfitPrice !== undefined)
    rules.push({ when: target, level: stops.takeProfitPrice, reason: 'TAKE_PROFIT', outcome: 'COMPLETED' });
  if (stops.takeProfitPnlPct !== undefined)
    rules.push({
      when: 'pnlAbove',
      level: stops.takeProfitPnlPct,
      reason: 'TAKE_PROFIT',
      outcome: 'COMPLETED',
    });
  return rules;
}

/** A grid state's phase and why, as settled after a step. */
export interface PhaseState {
  readonly phase: string;
  readonly reason?: string;
}

/**
 * Settles a running spot grid's phase after a step (§2.4): PAUSED by pump protection, OUT_OF_RANGE_UP/DOWN
 * when the price left the lattice and nothing rests on that side, else RUNNING; records a change (or a
 * trailing shift) as a transition.
 */
export function settleRangePhase<S extends PhaseState>(
  state: S,
  lattice: Lattice,
  book: Book,
  price: Dec,
  paused: boolean,
  intents: Intent[],
): [S, Intent[]] {
  let phase = 'RUNNING';
  let reason = 'IN_RANGE';
  if (paused) [phase, reason] = ['PAUSED', 'PUMP_PROTECTION'];
  else if (comparePrices(price, priceAt(lattice, lattice.iMax)) > 0 && !hasResting(book, 'sell'))
    reason = phase = 'OUT_OF_RANGE_UP';
  else if (comparePrices(price, priceAt(lattice, lattice.iMin)) < 0 && !hasResting(book, 'buy'))
    reason = phase = 'OUT_OF_RANGE_DOWN';
  // Most steps (a price inside the range) bring no intents: skip the scan and its closure for those.
  const trailed = intents.length > 0 && intents.some((i) => i.type === 'transition' && i.to === 'TRAILING');
  if (phase === state.phase && !trailed) return [state, intents];
  return [{ ...state, phase, reason }, [...intents, { type: 'transition', to: phase, reason }]];
}
