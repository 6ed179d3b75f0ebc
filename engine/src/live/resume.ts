/**
 * Building a bot's kernel for the paper engine, fresh or resumed from its run's checkpoint. A resumed
 * run keeps its run id and continues its seq; the strategy is not re-initialised and no BotRunStarted
 * is written; its paper venue slice is put back, then recovery (§8.4) reconciles it with the venue
 * before any new order goes out.
 */
import type { Dec } from '../core/decimal.ts';
import { botShortId } from '../core/ids.ts';
import type { MarketInfo } from '../model/market.ts';
import type { BotRuntimeSpec } from '../ports/control.ts';
import type { HistoryStore } from '../ports/store.ts';
import { BotKernel } from '../kernel/bot-kernel.ts';
import { restoreKernel, type KernelCheckpoint } from '../kernel/checkpoint.ts';
import { settle } from '../kernel/runner.ts';
import type { StrategyDefinition } from '../kernel/strategy.ts';
import { basicRiskGate, riskLimitsOf } from '../risk/gate.ts';
import { ownedBy, recoverRun } from './recovery.ts';
import { restorePaperSlice, type PaperSlice } from './paper-slice.ts';
import type { MarketSession } from './session.ts';

/** The client id namespace of this engine's orders. */
export const ORDER_NS = 'tt';

/** What differs between runs of the same spec. */
export interface RunIdentity {
  readonly runNumber: number;
  readonly revision: string;
  readonly params: unknown;
  readonly budget: { readonly quote: Dec; readonly base?: Dec };
  readonly lastSeq?: number;
}

/** A kernel for `spec` on `session` (not started, not yet on the market's driver). */
export function newKernel(
  spec: BotRuntimeSpec,
  strategy: StrategyDefinition<unknown, unknown>,
  market: MarketInfo,
  session: MarketSession,
  run: RunIdentity,
): BotKernel {
  return new BotKernel({
    botKey: spec.botKey,
    runNumber: run.runNumber,
    revision: run.revision,
    account: spec.account.name,
    mode: spec.account.mode,
    strategy,
    params: run.params,
    market,
    clock: session.clock,
    budget: run.budget,
    riskGate: basicRiskGate(riskLimitsOf(spec.risk)),
    takerFeeRate: spec.account.takerFeeRate ?? market.taker,
    simulateLiquidation: true,
    ns: ORDER_NS,
    ...(run.lastSeq === undefined ? {} : { lastSeq: run.lastSeq }),
  });
}

/** True for the client ids of `botKey`'s orders. */
export const ordersOf = (botKey: string): ((clientOrderId: string) => boolean) =>
  ownedBy(ORDER_NS, botShortId(botKey));

/**
 * Continues a checkpointed run (inside the session's lock): restores the kernel and its venue slice,
 * joins the market, records that it resumed, recovers (§8.4) and settles. `storedLastSeq` is the run's
 * last stored seq: above the checkpoint's only after a crash between a Cosmos event write and its
 * checkpoint (ADR 0003); those events are superseded and the log continues after them.
 */
export async function resumeKernel(
  kernel: BotKernel,
  checkpoint: KernelCheckpoint,
  storedLastSeq: number,
  session: MarketSession,
  store: HistoryStore,
  join: (kernel: BotKernel) => void,
): Promise<void> {
  // Market time never runs backwards for a run that joins a replay behind its own checkpoint.
  if (session.clock.now() < checkpoint.ts) session.clock.set(checkpoint.ts);
  const pendingCancels = restoreKernel(kernel, checkpoint);
  if (checkpoint.venue !== undefined)
    restorePaperSlice(session.exchange, checkpoint.market, checkpoint.venue as PaperSlice);
  session.driver.add(kernel);
  join(kernel);
  const superseded =
    storedLastSeq > checkpoint.seq
      ? ` (events ${checkpoint.seq + 1}..${storedLastSeq} after the checkpoint are superseded)`
      : '';
  kernel.log.emit('AuditEvent', {
    actor: 'engine',
    action: 'resumeRun',
    reason: `engine restarted: run ${checkpoint.runId} resumes from its checkpoint at seq ${checkpoint.seq}${superseded}; recovery mode until the venue is reconciled`,
    details: { checkpointSeq: checkpoint.seq, storedLastSeq, cursor: checkpoint.cursor ?? null },
  });
  const report = await recoverRun(
    kernel,
    session.exchange,
    ordersOf(kernel.options.botKey),
    checkpoint.ts,
    pendingCancels,
  );
  kernel.log.emit('StateTransition', {
    from: 'RECOVERING',
    to: kernel.phase(),
    reason: `resumed after restart: ${report.tracked} open orders tracked, ${report.resolved} resolved, ${report.notPlaced} not placed, ${report.orphansCancelled} orphans cancelled, ${report.fillsApplied} fills applied`,
  });
  await settle(kernel, session.exchange, store);
}
