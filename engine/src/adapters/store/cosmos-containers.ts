/**
 * The Cosmos DB containers of DESIGN §7, as data: the one source of truth the store creates locally
 * and the infrastructure templates read (via the generated `cosmos-containers.json`, kept equal by a test).
 * Regenerate the JSON after a change: `node -e "import('./engine/src/adapters/store/cosmos-containers.ts')
 * .then((m) => console.log(JSON.stringify(m.containersDocument(), null, 2)))" > engine/src/adapters/store/cosmos-containers.json`
 */

/** One container: its id, partition key path, what the key's value is, TTL and indexing. */
export interface ContainerSpec {
  readonly id: string;
  readonly partitionKeyPath: '/pk';
  /** What `/pk` holds for documents in this container. */
  readonly partitionKeyValue: 'botKey' | 'namespace' | 'leaseKey';
  /** Seconds; -1 = TTL on with no default (items may set `ttl`); absent = TTL off (never expires). */
  readonly defaultTtl?: number;
  readonly indexingPolicy: {
    readonly indexingMode: 'consistent';
    readonly includedPaths: readonly { readonly path: string }[];
    readonly excludedPaths: readonly { readonly path: string }[];
  };
  readonly purpose: string;
}

/** The database name used when none is configured. */
export const DEFAULT_DATABASE = 'tradingtower';

/** Every container, by role. */
export const COSMOS_CONTAINERS = {
  events: {
    id: 'events',
    partitionKeyPath: '/pk',
    partitionKeyValue: 'botKey',
    // On, no default: fine-grained MetricsSnapshot documents carry their own `ttl` when retention is set.
    defaultTtl: -1,
    indexingPolicy: {
      indexingMode: 'consistent',
      includedPaths: [
        { path: '/pk/?' },
        { path: '/runId/?' },
        { path: '/seq/?' },
        { path: '/ts/?' },
        { path: '/type/?' },
      ],
      excludedPaths: [{ path: '/*' }],
    },
    purpose: 'Append-only history events; id `<botKey>:<runId>:<seq>` makes writes idempotent.',
  },
  bots: {
    id: 'bots',
    partitionKeyPath: '/pk',
    partitionKeyValue: 'botKey',
    indexingPolicy: {
      indexingMode: 'consistent',
      includedPaths: [{ path: '/pk/?' }, { path: '/docType/?' }, { path: '/ns/?' }, { path: '/runId/?' }],
      excludedPaths: [{ path: '/*' }],
    },
    purpose: 'Bot status (ETag concurrency) and run documents (lastSeq hint).',
  },
  audit: {
    id: 'audit',
    partitionKeyPath: '/pk',
    partitionKeyValue: 'namespace',
    indexingPolicy: {
      indexingMode: 'consistent',
      includedPaths: [{ path: '/sortKey/?' }, { path: '/ts/?' }],
      excludedPaths: [{ path: '/*' }],
    },
    purpose: 'The audit trail by namespace and time; no TTL, never expires.',
  },
  leases: {
    id: 'leases',
    partitionKeyPath: '/pk',
    partitionKeyValue: 'leaseKey',
    defaultTtl: -1,
    indexingPolicy: { indexingMode: 'consistent', includedPaths: [{ path: '/*' }], excludedPaths: [] },
    purpose: 'Bot leases for multi-replica engines (later); a lease document expires through its `ttl`.',
  },
} as const satisfies Readonly<Record<string, ContainerSpec>>;

/** The container definitions as the JSON document infrastructure templates read. */
export function containersDocument(): {
  readonly database: string;
  readonly containers: readonly ContainerSpec[];
} {
  return { database: DEFAULT_DATABASE, containers: Object.values(COSMOS_CONTAINERS) };
}
