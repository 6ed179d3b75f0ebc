/** Valid manifest documents → the desired state the planner and the reconciler work from. */
import type { StrategyKind } from '@tradingtower/engine';
import type { ManifestDocument } from './document.ts';
import type { DesiredBot, DesiredResource, DesiredState, UpdatePolicy } from './types.ts';

/** Defaults of `spec.update` when the schema does not supply them. */
export const DEFAULT_UPDATE: UpdatePolicy = {
  onRecreate: 'refuse',
  closeAction: 'cancelOrders',
  allowFundMoves: false,
  confirmImmediateExit: false,
};

function updatePolicy(raw: unknown): UpdatePolicy {
  const u = (raw !== null && typeof raw === 'object' ? raw : {}) as Partial<
    Record<keyof UpdatePolicy, unknown>
  >;
  return {
    onRecreate: u.onRecreate === 'allow' ? 'allow' : 'refuse',
    closeAction:
      u.closeAction === 'keep' || u.closeAction === 'closePosition'
        ? u.closeAction
        : DEFAULT_UPDATE.closeAction,
    allowFundMoves: u.allowFundMoves === true,
    confirmImmediateExit: u.confirmImmediateExit === true,
  };
}

function sourceOf(doc: ManifestDocument): DesiredBot['source'] {
  return { file: doc.parsed.file, ...doc.parsed.locate('') };
}

function bot(doc: ManifestDocument): DesiredBot {
  const spec = doc.spec;
  const metadata = (doc.value['metadata'] ?? {}) as { labels?: Record<string, string> };
  const state = spec['state'];
  return {
    key: doc.key,
    namespace: doc.namespace,
    name: doc.name,
    strategy: spec['strategy'] as StrategyKind,
    account: String(spec['account']),
    market: String(spec['market']),
    state: state === 'paused' || state === 'stopped' ? state : 'running',
    params: spec['params'] ?? {},
    ...(spec['risk'] === undefined ? {} : { risk: spec['risk'] }),
    ...(spec['signals'] === undefined ? {} : { signals: spec['signals'] }),
    ...(metadata.labels === undefined ? {} : { labels: metadata.labels }),
    update: updatePolicy(spec['update']),
    source: sourceOf(doc),
  };
}

function resources(documents: readonly ManifestDocument[], kind: string): Map<string, DesiredResource> {
  const out = new Map<string, DesiredResource>();
  for (const doc of documents) {
    if (doc.kind !== kind || !doc.valid || out.has(doc.key)) continue;
    out.set(doc.key, {
      key: doc.key,
      namespace: doc.namespace,
      name: doc.name,
      spec: doc.spec,
      source: sourceOf(doc),
    });
  }
  return out;
}

/** The desired state of the valid documents (the first of duplicate names wins). */
export function buildDesired(
  revision: string,
  documents: readonly ManifestDocument[],
  complete: boolean,
): DesiredState {
  const seen = new Set<string>();
  const bots: DesiredBot[] = [];
  for (const doc of documents) {
    if (doc.kind !== 'Bot' || !doc.valid || seen.has(doc.key)) continue;
    seen.add(doc.key);
    bots.push(bot(doc));
  }
  return {
    revision,
    bots,
    accounts: resources(documents, 'Account'),
    policies: resources(documents, 'Policy'),
    signalSources: resources(documents, 'SignalSource'),
    complete,
  };
}
