/** Builders for planner tests: bots as the loader delivers them (decimal text, defaults applied). */
import type { DesiredBot, DesiredResource, DesiredState } from '@tradingtower/reconciler/manifest/index.ts';
import { DEFAULT_UPDATE } from '@tradingtower/reconciler/manifest/index.ts';

/** A grid bot with the grid document's example G params (strategies/grid-family.md §2.7). */
export function aGridBot(
  name: string,
  overrides: Partial<DesiredBot> = {},
  params: Record<string, unknown> = {},
): DesiredBot {
  return {
    key: `default/${name}`,
    namespace: 'default',
    name,
    strategy: 'grid',
    account: 'paper-main',
    market: 'BTC/USDT',
    state: 'running',
    params: {
      lowPrice: '25000',
      highPrice: '35000',
      gridCount: 10,
      investment: '1000',
      gridMode: 'geometric',
      maxActiveOrders: 10,
      stopLoss: { price: '20000' },
      ...params,
    },
    update: DEFAULT_UPDATE,
    source: { file: `${name}.yaml`, line: 1, col: 1 },
    ...overrides,
  };
}

/** A DCA bot with the DCA document's example params (strategies/dca-twap-risk.md §2.2). */
export function aDcaBot(
  name: string,
  overrides: Partial<DesiredBot> = {},
  params: Record<string, unknown> = {},
): DesiredBot {
  return {
    ...aGridBot(name, overrides),
    strategy: 'dca',
    params: {
      direction: 'long',
      baseOrder: { size: '10', sizeUnit: 'quote' },
      safetyOrders: {
        maxCount: 3,
        maxActive: 1,
        size: '10',
        deviationPct: '2',
        stepScale: '1.5',
        volumeScale: '2',
      },
      takeProfit: { pct: '1.5' },
      deal: { cooldownSec: 300 },
      budget: { maxQuote: '100' },
      ...params,
    },
    ...overrides,
  };
}

/** A desired state of some bots (complete unless told otherwise) and optional Policy specs by namespace/name. */
export function desiredOf(
  bots: DesiredBot[],
  extra: { complete?: boolean; policies?: Record<string, Record<string, unknown>> } = {},
): DesiredState {
  const policies = new Map<string, DesiredResource>(
    Object.entries(extra.policies ?? {}).map(([key, spec]) => {
      const [namespace, name] = key.split('/') as [string, string];
      return [key, { key, namespace, name, spec, source: { file: 'policy.yaml', line: 1, col: 1 } }];
    }),
  );
  return {
    revision: 'head',
    bots,
    accounts: new Map(),
    policies,
    signalSources: new Map(),
    complete: extra.complete ?? true,
  };
}
