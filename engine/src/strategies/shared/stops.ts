/**
 * Stop rules (grid-family.md §1.9): price and PnL-percent triggers, each with the reason and terminal
 * outcome it leads to, and the price wake-ups a bot needs so the kernel calls it when a trigger is crossed.
 */
import { dec, str } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Wake } from '../../kernel/strategy.ts';

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
  return rules.find((rule) => {
    switch (rule.when) {
      case 'priceBelow':
        return dec(price).lessThanOrEqualTo(rule.level);
      case 'priceAbove':
        return dec(price).greaterThanOrEqualTo(rule.level);
      case 'pnlBelow':
        return pnlPct !== undefined && dec(pnlPct).lessThanOrEqualTo(rule.level);
      case 'pnlAbove':
        return pnlPct !== undefined && dec(pnlPct).greaterThanOrEqualTo(rule.level);
    }
  });
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
