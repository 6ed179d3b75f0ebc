/** Combo run state (plain JSON). */
import type { Dec } from '../../core/decimal.ts';
import type { EpochMs } from '../../core/clock.ts';
import type { ComboParams } from './params.ts';

/** Bot phases of grid-family.md §6.4; STOPPED, COMPLETED and LIQUIDATED are terminal. */
export type ComboPhase =
  'ARMED' | 'DEAL_ENTRY' | 'DEAL_OPEN' | 'COOLDOWN' | 'STOPPING' | 'STOPPED' | 'COMPLETED' | 'LIQUIDATED';

/** One deal: DCA plan, position, ladder and the orders live per rung. */
export interface ComboDeal {
  readonly seq: number;
  readonly p0: Dec;
  readonly low: Dec;
  readonly high: Dec;
  sos: { readonly price: Dec; readonly qty: Dec; status: 'planned' | 'placed' | 'filled' | 'dropped' }[];
  baseDone: boolean;
  /** Absolute position and its average entry (average-cost accounting). */
  position: Dec;
  avg: Dec;
  /** Quote value of entries (base, SOs, re-entries) and exits, fees in quote, gross realised PnL of exits. */
  entryQuote: Dec;
  exitQuote: Dec;
  fees: Dec;
  realized: Dec;
  /** Rungs X_0..X_L, and per rung index the live exit and re-entry quantities. */
  rungs: Dec[];
  exits: Record<string, Dec>;
  reentries: Record<string, Dec>;
  /** Best price since the deal started (peak LONG, trough SHORT): the trailing stop's reference. */
  extreme: Dec;
  closeReason: string | null;
  closeAttempts: number;
}

/** The whole Combo state. */
export interface ComboState {
  params: ComboParams;
  phase: ComboPhase;
  dealsStarted: number;
  dealsCompleted: number;
  realizedPnl: Dec;
  lastPrice: Dec | null;
  deal: ComboDeal | null;
  cooldownUntil: EpochMs | null;
}

/**
 * A private working copy for one reducer step: `params` (only ever replaced whole) is shared, everything
 * a step may mutate is copied, so the caller's state stays unchanged without deep-copying the params.
 */
export function workingCopy(s: ComboState): ComboState {
  const d = s.deal;
  return {
    ...s,
    deal:
      d === null
        ? null
        : {
            ...d,
            sos: d.sos.map((o) => ({ ...o })),
            rungs: d.rungs.slice(),
            exits: { ...d.exits },
            reentries: { ...d.reentries },
          },
  };
}

/** Terminal phases. */
export const COMBO_TERMINAL: readonly ComboPhase[] = ['STOPPED', 'COMPLETED', 'LIQUIDATED'];

/** Order keys of deal `seq`. */
export const comboKeys = {
  base: (seq: number): string => `deal${seq}:base`,
  safety: (seq: number, i: number): string => `deal${seq}:so:${i}`,
  exit: (seq: number, i: number): string => `deal${seq}:exit:${i}`,
  reentry: (seq: number, i: number): string => `deal${seq}:re:${i}`,
  close: (seq: number, a: number): string => `deal${seq}:close:${a}`,
};

/** Parses a Combo order key. */
export function parseComboKey(key: string): { seq: number; role: string; i: number } | undefined {
  const m = /^deal(\d+):(base|so|exit|re|close)(?::(\d+))?$/.exec(key);
  return m ? { seq: Number(m[1]), role: m[2]!, i: m[3] === undefined ? 0 : Number(m[3]) } : undefined;
}
