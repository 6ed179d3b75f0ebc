import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Dec } from '../../core/decimal.ts';
import type { StrategyContext, StrategyEvent, Wake } from '../../kernel/strategy.ts';
import { aboveTop, belowBottom, priceAt, shifted } from '../shared/lattice.ts';
import { pumpReleaseTs } from '../shared/pump.ts';
import { mergeWakes, spotStopRules, stopWake } from '../shared/stops.ts';
import { aContext, moveTo, reloaded, startSim } from '../shared/test-kit.ts';
import type { Sim } from '../shared/test-kit.ts';
import { aGridParams, started } from './grid.fixtures.ts';
import { gridStrategy } from './index.ts';
import type { GridState } from './index.ts';
import { ACTIVE_PHASES } from './state.ts';
import { wakeOf } from './wake.ts';

/** The wake the grid asks for when it sees `price` next (one reducer step on the simulation's state). */
const wakeAt = (sim: Sim<GridState>, price: Dec): Wake | undefined =>
  gridStrategy.onEvent(sim.state, { type: 'price', ts: sim.ts + 1, price }, aContext(sim.market, sim.ts))
    .wake;

/** The wake merged afresh from its parts, as §2.3/§2.4 describe it (the reference the remembered one must match). */
function referenceWake(state: GridState): Wake | undefined {
  if (!ACTIVE_PHASES.includes(state.phase) || !state.lattice) return undefined;
  const p = state.params;
  const lattice = state.lattice;
  const stops = spotStopRules(
    {
      stopLossPrice: state.stopLossPrice,
      stopLossPnlPct: p.stopLoss.pnlPct,
      takeProfitPrice: p.takeProfit.price,
      takeProfitPnlPct: p.takeProfit.pnlPct,
    },
    'below',
  );
  const everyBar = p.stopLoss.pnlPct !== undefined || p.takeProfit.pnlPct !== undefined;
  const top = priceAt(lattice, lattice.iMax);
  const bottom = priceAt(lattice, lattice.iMin);
  const last = Number(state.lastPrice ?? top);
  const edges =
    last > Number(top)
      ? { below: top }
      : last < Number(bottom)
        ? { above: bottom }
        : { above: top, below: bottom };
  const release = state.phase === 'PAUSED' ? pumpReleaseTs(state.pump, p.pumpProtection) : undefined;
  const wake = mergeWakes(
    stopWake(stops),
    p.trailingUp.enabled ? { above: aboveTop(lattice) } : undefined,
    p.trailingDown.enabled ? { below: belowBottom(lattice) } : undefined,
    release !== undefined ? { at: { ts: release, name: 'pump-release' } } : undefined,
    state.nextCompoundTs !== undefined ? { at: { ts: state.nextCompoundTs, name: 'compound' } } : undefined,
    everyBar ? undefined : edges,
  );
  return wake === undefined || everyBar ? wake : { ...wake, bars: false };
}

describe('grid wake-ups (§2.3, §2.4)', () => {
  it('answers afresh when any one thing the wake reads differs from the state it answered before', () => {
    const params = { stopLoss: { price: '90' }, pumpProtection: { enabled: false, cooldownSec: 60 } };
    const state = started(params).state;
    const paused: GridState = { ...state, phase: 'PAUSED' };
    const target = aGridParams({ ...params, takeProfit: { price: '150' } });
    const pairs: [GridState, GridState][] = [
      [state, { ...state, lastPrice: '230' }],
      [state, { ...state, lattice: shifted(state.lattice!, 1) }],
      [state, { ...state, stopLossPrice: '105' }],
      [state, { ...state, phase: 'STOPPED' }],
      [state, { ...state, nextCompoundTs: 5_000 }],
      [state, { ...state, params: target }],
      [paused, { ...paused, pump: { samples: [], lastActiveTs: 1_000 } }],
    ];

    for (const [before, after] of pairs) {
      expect(wakeOf(before)).toEqual(referenceWake(before));
      expect(wakeOf(after)).toEqual(referenceWake(after));
    }
    const armed: GridState = { ...state, phase: 'ARMED', params: aGridParams({ triggerPrice: '120' }) };
    expect(wakeOf({ ...armed, armedAbove: true })).toEqual({ above: '120' });
    expect(wakeOf({ ...armed, armedAbove: false })).toEqual({ below: '120' });
  });

  it('asks for a fresh merge of its parts after every step, fills and acknowledgements included', () => {
    const path = fc.array(fc.integer({ min: 60, max: 260 }).map(String), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(path, fc.boolean(), (prices, up) => {
        const steps: [Wake | undefined, GridState][] = [];
        const watched = {
          ...gridStrategy,
          onEvent: (state: GridState, event: StrategyEvent, ctx: StrategyContext) => {
            const result = gridStrategy.onEvent(state, event, ctx);
            steps.push([result.wake, result.state]);
            return result;
          },
        };
        const params = {
          trailingUp: { enabled: up, trailStopLoss: true },
          pumpProtection: { enabled: false },
          stopLoss: { price: '70' },
        };
        let sim = startSim(watched, aGridParams(params), '140');
        for (const price of prices) sim = moveTo(sim, price);

        for (const [wake, state] of steps) expect(wake).toEqual(referenceWake(state));
      }),
      { numRuns: 50 },
    );
  });

  it('asks for the range edges and the tighter of stop loss and bottom line inside the range, and skips bars', () => {
    const sim = started({ stopLoss: { price: '90' } });

    expect(wakeAt(sim, '150')).toEqual({ below: '100', above: '200', bars: false });
  });

  it('asks only for the way back once the price has left the range on either side', () => {
    const above = moveTo(started(), '230');
    const below = moveTo(started(), '80');

    expect(wakeAt(above, '240')).toEqual({ below: '200', bars: false });
    expect(wakeAt(below, '70')).toEqual({ above: '100', bars: false });
  });

  it('follows the lattice and a trailed stop loss when trailing up shifts the range', () => {
    const params = {
      trailingUp: { enabled: true, trailStopLoss: true },
      pumpProtection: { enabled: false },
      stopLoss: { price: '90' },
    };
    const before = started(params);
    const shifted = moveTo(before, '226');

    expect(wakeAt(before, '150')).toEqual({ below: '100', above: '200', bars: false });
    expect([shifted.state.lattice!.iMax, shifted.state.stopLossPrice]).toEqual([5, '115']);
    expect(wakeAt(shifted, '226')).toEqual({ below: '225', above: '250', bars: false });
  });

  it('asks for every bar when a PnL stop must value the grid at each price, and for the compounding timer', () => {
    const sim = started({ stopLoss: { pnlPct: '-20' }, compound: { enabled: true, intervalHours: 24 } });

    expect(wakeAt(sim, '150')).toEqual({ at: { ts: 86_400_000, name: 'compound' } });
  });

  it('matches a fresh merge of its parts on any price path, with any trailing and stops, also after a reload', () => {
    const path = fc.array(fc.integer({ min: 40, max: 320 }).map(String), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(path, fc.boolean(), fc.boolean(), fc.boolean(), (prices, up, down, trailStop) => {
        let sim = started({
          trailingUp: { enabled: up, trailStopLoss: trailStop },
          trailingDown: { enabled: down, maxExtraQuote: '500' },
          pumpProtection: { enabled: false },
          stopLoss: { price: '45' },
          takeProfit: { price: '330' },
        });
        for (const [n, price] of prices.entries()) {
          sim = n % 5 === 4 ? reloaded(moveTo(sim, price)) : moveTo(sim, price);
          expect(wakeAt(sim, price)).toEqual(referenceWake(wakeState(sim, price)));
        }
      }),
    );
  });
});

/** The state after the step `wakeAt` runs, whose wake the reference describes. */
function wakeState(sim: Sim<GridState>, price: Dec): GridState {
  return gridStrategy.onEvent(
    sim.state,
    { type: 'price', ts: sim.ts + 1, price },
    aContext(sim.market, sim.ts),
  ).state;
}
