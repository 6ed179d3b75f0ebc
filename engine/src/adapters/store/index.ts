/**
 * Store selection by one setting, `TOWER_STORE`: `sqlite:<path>` (the default, `sqlite:.tower/state.db`),
 * `cosmos:<https endpoint>[?database=<name>]` (managed identity), or `memory:` (tests, backtests).
 */
import { isAbsolute, resolve } from 'node:path';
import type { TowerStore } from '../../ports/store.ts';
import type { TokenCredential } from './cosmos-connect.ts';
import { MemoryHistoryStore } from './memory.ts';
import { SqliteHistoryStore, type SqliteStoreOptions } from './sqlite.ts';

export { MemoryHistoryStore } from './memory.ts';
export { SqliteHistoryStore, type SqliteStoreOptions } from './sqlite.ts';
export { NamespaceScope } from './scoped.ts';
export { COSMOS_CONTAINERS, containersDocument, type ContainerSpec } from './cosmos-containers.ts';

/** The setting used when `TOWER_STORE` is not set. */
export const DEFAULT_STORE_SETTING = 'sqlite:.tower/state.db';

/** Everything `openStore` may need beyond the setting itself. */
export interface OpenStoreOptions extends SqliteStoreOptions {
  /** Relative SQLite paths resolve against this folder (default: the process's working directory). */
  readonly cwd?: string;
  /** Environment to read `TOWER_STORE` and `TOWER_COSMOS_KEY` from (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Azure AD credential for Cosmos (default DefaultAzureCredential). */
  readonly credential?: TokenCredential;
  /** Cosmos account key: refused unless the endpoint is a local server. */
  readonly cosmosKey?: string;
  /** Retention of fine-grained metrics documents in Cosmos, in seconds. */
  readonly metricsTtlSec?: number;
}

/** A parsed store setting. */
export type StoreSetting =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'cosmos'; readonly endpoint: string; readonly database?: string }
  | { readonly kind: 'memory' };

/** Parses a store setting; throws naming the setting when it is not one of the three forms. */
export function parseStoreSetting(setting: string, cwd: string = process.cwd()): StoreSetting {
  const colon = setting.indexOf(':');
  const scheme = colon < 0 ? '' : setting.slice(0, colon);
  const rest = setting.slice(colon + 1);
  if (scheme === 'memory') return { kind: 'memory' };
  if (scheme === 'sqlite' && rest.length > 0) {
    return { kind: 'sqlite', path: isAbsolute(rest) ? rest : resolve(cwd, rest) };
  }
  if (scheme === 'cosmos' && URL.canParse(rest)) {
    const url = new URL(rest);
    const database = url.searchParams.get('database') ?? undefined;
    url.search = '';
    return { kind: 'cosmos', endpoint: url.toString(), ...(database === undefined ? {} : { database }) };
  }
  throw new Error(
    `TOWER_STORE=${JSON.stringify(setting)}: expected sqlite:<path>, cosmos:<https endpoint>[?database=name] or memory:`,
  );
}

/** Opens the store a setting names; without one, `TOWER_STORE`, else SQLite at `.tower/state.db`. */
export async function openStore(setting?: string, options: OpenStoreOptions = {}): Promise<TowerStore> {
  const env = options.env ?? process.env;
  const parsed = parseStoreSetting(setting ?? env['TOWER_STORE'] ?? DEFAULT_STORE_SETTING, options.cwd);
  switch (parsed.kind) {
    case 'memory':
      return new MemoryHistoryStore();
    case 'sqlite':
      return new SqliteHistoryStore(
        parsed.path,
        options.durability ? { durability: options.durability } : {},
      );
    case 'cosmos': {
      // Loaded on demand: SQLite users never pay for the Azure SDKs.
      const { openCosmosStore } = await import('./cosmos.ts');
      const key = options.cosmosKey ?? env['TOWER_COSMOS_KEY'];
      return openCosmosStore({
        endpoint: parsed.endpoint,
        ...(parsed.database === undefined ? {} : { database: parsed.database }),
        ...(key === undefined ? {} : { key }),
        ...(options.credential ? { credential: options.credential } : {}),
        ...(options.metricsTtlSec === undefined ? {} : { metricsTtlSec: options.metricsTtlSec }),
      });
    }
  }
}
