/**
 * Bot status documents (DESIGN §5): conditions Ready / Reconciling / Stalled in the kstatus style,
 * observed and last applied revision, pending-next-cycle fields, drift and the last 10 applied
 * revisions. A condition keeps its `lastTransitionTime` while its status does not change.
 */
import type { EpochMs } from '@tradingtower/engine';
import { ConflictError, type BotStatus, type Condition, type HistoryStore } from '@tradingtower/engine';

/** How many applied revisions a status keeps (Argo CD's default history length). */
export const APPLIED_HISTORY = 10;

/** The outcome of one pass for one bot, in condition terms. */
export type PassVerdict =
  | { readonly kind: 'ready'; readonly reason: string; readonly message: string }
  | { readonly kind: 'stalled'; readonly reason: string; readonly message: string }
  | { readonly kind: 'retrying'; readonly reason: string; readonly message: string };

/** Everything one pass learned about a bot, from which its status is derived. */
export interface PassFacts {
  readonly botKey: string;
  readonly verdict: PassVerdict;
  readonly observedRevision: string | undefined;
  /** The revision the bot now runs, when this pass applied or confirmed one. */
  readonly appliedRevision?: string;
  /** True when this pass changed the running bot (adds to the applied history). */
  readonly changed: boolean;
  readonly pendingUntilNextCycle: readonly string[];
  readonly drift: readonly { readonly kind: string; readonly message: string }[];
  readonly runId?: string;
  readonly phase?: string;
  readonly state?: string;
  readonly closeAction?: string;
  readonly issues?: readonly string[];
  readonly action?: string;
  /** Control-plane sections of the spec now applied (the engine does not report them back). */
  readonly appliedExtras?: unknown;
}

function condition(
  type: Condition['type'],
  status: Condition['status'],
  reason: string,
  message: string,
  previous: readonly Condition[],
  now: EpochMs,
): Condition {
  const before = previous.find((c) => c.type === type);
  const lastTransitionTime = before && before.status === status ? before.lastTransitionTime : now;
  return { type, status, reason, message, lastTransitionTime };
}

/** The three conditions for a verdict, keeping transition times of unchanged conditions. */
export function conditionsFor(
  verdict: PassVerdict,
  previous: readonly Condition[],
  now: EpochMs,
): Condition[] {
  const { reason, message } = verdict;
  switch (verdict.kind) {
    case 'ready':
      return [
        condition('Ready', 'True', reason, message, previous, now),
        condition('Reconciling', 'False', reason, '', previous, now),
        condition('Stalled', 'False', reason, '', previous, now),
      ];
    case 'stalled':
      return [
        condition('Ready', 'False', reason, message, previous, now),
        condition('Reconciling', 'False', reason, '', previous, now),
        condition('Stalled', 'True', reason, message, previous, now),
      ];
    case 'retrying':
      return [
        condition('Ready', 'False', reason, message, previous, now),
        condition('Reconciling', 'True', reason, message, previous, now),
        condition('Stalled', 'False', reason, '', previous, now),
      ];
  }
}

/** The next status document of a bot from the previous one and this pass's facts. */
export function nextStatus(previous: BotStatus | undefined, facts: PassFacts, now: EpochMs): BotStatus {
  const history = [...(previous?.appliedRevisions ?? [])];
  // Applying the revision that is already the latest again (a restarted engine resuming its runs) is a
  // no-op, not a new entry in the history.
  if (
    facts.changed &&
    facts.appliedRevision !== undefined &&
    history[0]?.revision !== facts.appliedRevision
  ) {
    history.unshift({ revision: facts.appliedRevision, at: now });
  }
  const lastApplied = facts.appliedRevision ?? previous?.lastAppliedRevision;
  return {
    botKey: facts.botKey,
    conditions: conditionsFor(facts.verdict, previous?.conditions ?? [], now),
    ...(facts.observedRevision === undefined ? {} : { observedRevision: facts.observedRevision }),
    ...(lastApplied === undefined ? {} : { lastAppliedRevision: lastApplied }),
    pendingUntilNextCycle: [...facts.pendingUntilNextCycle],
    drift: facts.drift.map((d) => ({ kind: d.kind, message: d.message })),
    appliedRevisions: history.slice(0, APPLIED_HISTORY),
    ...(facts.runId === undefined ? {} : { runId: facts.runId }),
    ...(facts.phase === undefined ? {} : { phase: facts.phase }),
    ...(facts.state === undefined ? {} : { state: facts.state }),
    ...((facts.closeAction ?? previous?.['closeAction'])
      ? { closeAction: facts.closeAction ?? previous?.['closeAction'] }
      : {}),
    ...(facts.issues && facts.issues.length > 0 ? { issues: [...facts.issues] } : {}),
    ...(facts.action === undefined ? {} : { lastAction: facts.action }),
    ...((facts.appliedExtras ?? previous?.['applied'])
      ? { applied: facts.appliedExtras ?? previous?.['applied'] }
      : {}),
    reconciledAt: now,
  };
}

/** The condition of a given type, if present. */
export function conditionOf(status: BotStatus, type: string): Condition | undefined {
  return status.conditions.find((c) => c.type === type);
}

/** The single word that summarises a status: Ready, Stalled, Reconciling or Unknown. */
export function summaryOf(status: BotStatus): 'Ready' | 'Stalled' | 'Reconciling' | 'Unknown' {
  if (conditionOf(status, 'Stalled')?.status === 'True') return 'Stalled';
  if (conditionOf(status, 'Reconciling')?.status === 'True') return 'Reconciling';
  if (conditionOf(status, 'Ready')?.status === 'True') return 'Ready';
  return 'Unknown';
}

/**
 * Reads, derives and writes a bot's status with optimistic concurrency: on a lost race (another writer
 * changed the document) it re-reads and derives again, a few times, before giving up.
 */
export async function writeStatus(
  store: HistoryStore,
  facts: PassFacts,
  now: () => EpochMs,
  attempts = 3,
): Promise<BotStatus> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.getStatus(facts.botKey);
    const next = nextStatus(current?.value, facts, now());
    try {
      const stored = await store.putStatus(next, current?.etag);
      return stored.value;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= attempts) throw error;
    }
  }
}
