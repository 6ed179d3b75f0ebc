/**
 * What the spot grid asks the kernel to wake it for (§2.3, §2.4): the stop and target prices, the trailing
 * triggers, the range edge beyond the last price, pump-release and compounding timers; and whether it needs
 * every bar at all.
 */
import type { Dec } from '../../core/decimal.ts';
import type { Wake } from '../../kernel/strategy.ts';
import { aboveTop, belowBottom, comparePrices, priceAt } from '../shared/lattice.ts';
import type { Lattice } from '../shared/lattice.ts';
import { pumpReleaseTs } from '../shared/pump.ts';
import { mergeWakes, spotStopRules, stopWake } from '../shared/stops.ts';
import type { StopRule } from '../shared/stops.ts';
import type { GridParams } from './params.ts';
import { ACTIVE_PHASES } from './state.ts';
import type { GridState } from './state.ts';

/** Where the last price is relative to the lattice: inside `[bottom, top]`, above the top or below the bottom. */
type Region = 'inside' | 'above' | 'below';

/**
 * The parts of the wake that only change with the params, the lattice and the stop-loss price, i.e. at
 * trailing shifts and params changes rather than on fills. Remembered per params object: a memo of pure
 * functions of those three inputs (checked on every use), so what a bot does never depends on it.
 */
interface Levels {
  readonly lattice: Lattice | undefined;
  readonly stopLossPrice: GridState['stopLossPrice'];
  readonly rules: readonly StopRule[];
  /** The lattice's top and bottom line prices (the range the last price is placed in). */
  readonly top?: Dec;
  readonly bottom?: Dec;
  /** The merged price levels (stops, trailing triggers, range edges) for each region of the last price. */
  readonly prices: Partial<Record<Region | 'everyBar', Wake | undefined>>;
  /** The same levels marked `bars: false`, the whole request of a bot with no timer pending. */
  readonly quiet: Partial<Record<Region, Wake | undefined>>;
  /** The last price placed and its region: fills between two prices place the same text again. */
  placed?: { readonly price: Dec; readonly region: Region };
}

const levelsByParams = new WeakMap<GridParams, Levels>();
// The params last asked about and their levels: several lookups per step ask for the same ones.
let lastParams: GridParams | undefined;
let lastLevels: Levels | undefined;

function levelsOf(state: GridState): Levels {
  const known = lastParams === state.params ? lastLevels : levelsByParams.get(state.params);
  if (known && known.lattice === state.lattice && known.stopLossPrice === state.stopLossPrice) {
    lastParams = state.params;
    lastLevels = known;
    return known;
  }
  const { stopLoss, takeProfit } = state.params;
  const rules = spotStopRules(
    {
      stopLossPrice: state.stopLossPrice,
      stopLossPnlPct: stopLoss.pnlPct,
      takeProfitPrice: takeProfit.price,
      takeProfitPnlPct: takeProfit.pnlPct,
    },
    'below',
  );
  const lattice = state.lattice;
  const levels: Levels = {
    lattice,
    stopLossPrice: state.stopLossPrice,
    rules,
    prices: {},
    quiet: {},
    ...(lattice ? { top: priceAt(lattice, lattice.iMax), bottom: priceAt(lattice, lattice.iMin) } : {}),
  };
  levelsByParams.set(state.params, levels);
  lastParams = state.params;
  lastLevels = levels;
  return levels;
}

/** Stop rules in evaluation order (§2.3): stop loss (below the range) before take profit, price before PnL. */
export function stopRules(state: GridState): readonly StopRule[] {
  return levelsOf(state).rules;
}

// The wake is a pure function of the few state fields `sameWakeInputs` lists. A fill changes none of them
// (only holdings, profit and the book), so the answer for the state before is kept and checked on each use.
let lastWokenState: GridState | undefined;
let lastWake: Wake | undefined;

/** The wake request after a step. */
export function wakeOf(state: GridState): Wake | undefined {
  if (lastWokenState !== undefined && sameWakeInputs(lastWokenState, state)) return lastWake;
  const wake = computeWake(state);
  lastWokenState = state;
  lastWake = wake;
  return wake;
}

/** Whether two states agree on everything `computeWake` reads. */
const sameWakeInputs = (a: GridState, b: GridState): boolean =>
  a === b ||
  (a.phase === b.phase &&
    a.params === b.params &&
    a.lattice === b.lattice &&
    a.lastPrice === b.lastPrice &&
    a.stopLossPrice === b.stopLossPrice &&
    a.armedAbove === b.armedAbove &&
    a.nextCompoundTs === b.nextCompoundTs &&
    a.pump === b.pump);

function computeWake(state: GridState): Wake | undefined {
  if (state.phase === 'ARMED') {
    const trigger = state.params.triggerPrice!;
    return state.armedAbove === true ? { above: trigger } : { below: trigger };
  }
  if (!ACTIVE_PHASES.includes(state.phase) || !state.lattice) return undefined;
  const bars = needsBars(state.params);
  const region = bars ? undefined : regionOf(state);
  const at = timerOf(state);
  // Without a timer the whole request is remembered per region: a fill then asks for no new object.
  if (at === undefined && region !== undefined) return quietLevels(state, state.lattice, region);
  const prices = priceLevels(state, state.lattice, region);
  // Same shape as merging the timers in with mergeWakes: below, above, then the earliest timer.
  const wake = at === undefined ? prices : { ...prices, at };
  return wake === undefined || bars ? wake : { ...wake, bars: false };
}

/** The price levels of a region marked `bars: false` (no timer), built once per region and input. */
function quietLevels(state: GridState, lattice: Lattice, region: Region): Wake | undefined {
  const levels = levelsOf(state);
  if (region in levels.quiet) return levels.quiet[region];
  const prices = priceLevels(state, lattice, region);
  const wake = prices === undefined ? undefined : { ...prices, bars: false };
  levels.quiet[region] = wake;
  return wake;
}

/** PnL stops value the grid at every price and pump protection samples it; otherwise levels suffice. */
function needsBars(p: GridParams): boolean {
  const pumpMatters = p.pumpProtection.enabled && (p.trailingUp.enabled || p.trailingDown.enabled);
  return pumpMatters || p.stopLoss.pnlPct !== undefined || p.takeProfit.pnlPct !== undefined;
}

/** Stops, trailing triggers and (given a region) the range edges beyond the last price, merged once per input. */
function priceLevels(state: GridState, lattice: Lattice, region: Region | undefined): Wake | undefined {
  const levels = levelsOf(state);
  const slot = region ?? 'everyBar';
  if (slot in levels.prices) return levels.prices[slot];
  const p = state.params;
  const merged = mergeWakes(
    stopWake(levels.rules),
    p.trailingUp.enabled ? { above: aboveTop(lattice) } : undefined,
    p.trailingDown.enabled ? { below: belowBottom(lattice) } : undefined,
    region !== undefined ? rangeEdges(lattice, region) : undefined,
  );
  levels.prices[slot] = merged;
  return merged;
}

function regionOf(state: GridState): Region {
  const levels = levelsOf(state);
  const last = state.lastPrice;
  if (last === undefined || levels.top === undefined || levels.bottom === undefined) return 'inside';
  if (levels.placed?.price === last) return levels.placed.region;
  const region = placePrice(last, levels.top, levels.bottom);
  levels.placed = { price: last, region };
  return region;
}

function placePrice(last: Dec, top: Dec, bottom: Dec): Region {
  if (comparePrices(last, top) > 0) return 'above';
  return comparePrices(last, bottom) < 0 ? 'below' : 'inside';
}

/** The range edges on the far side of the last price, so OUT_OF_RANGE phases change at the crossing. */
function rangeEdges(lattice: Lattice, region: Region): Wake {
  const top = priceAt(lattice, lattice.iMax);
  const bottom = priceAt(lattice, lattice.iMin);
  if (region === 'above') return { below: top };
  if (region === 'below') return { above: bottom };
  return { above: top, below: bottom };
}

/** The earliest of the pump-release and compounding timers (release first on a tie). */
function timerOf(state: GridState): Wake['at'] {
  const release =
    state.phase === 'PAUSED' ? pumpReleaseTs(state.pump, state.params.pumpProtection) : undefined;
  const compound = state.nextCompoundTs;
  if (release !== undefined && (compound === undefined || release <= compound))
    return { ts: release, name: 'pump-release' };
  return compound !== undefined ? { ts: compound, name: 'compound' } : undefined;
}
