/**
 * Opens a Cosmos DB client the one way the project allows: managed identity / developer sign-in
 * through DefaultAzureCredential, or an account key only for a server on this machine (tests, the
 * local `@vercel/cosmosdb-server`). Throttling (429) is retried by the SDK honouring the server's
 * `x-ms-retry-after-ms`; the limits are set here explicitly so the behaviour is visible and tested.
 */
import type { Agent } from 'node:https';
import { CosmosClient, type CosmosClientOptions, type Database } from '@azure/cosmos';
import { COSMOS_CONTAINERS, DEFAULT_DATABASE } from './cosmos-containers.ts';

/** An Azure AD token source (the SDK's own type, without a direct dependency on @azure/core-auth). */
export type TokenCredential = NonNullable<CosmosClientOptions['aadCredentials']>;

/** How to reach a Cosmos DB account. */
export interface CosmosConnectOptions {
  readonly endpoint: string;
  readonly database?: string;
  /** Account key: accepted only when the endpoint is a loopback address. */
  readonly key?: string;
  /** Azure AD credential; default DefaultAzureCredential (managed identity in Azure). */
  readonly credential?: TokenCredential;
  /** Create the database and containers when missing; default only for local endpoints (Bicep owns them in Azure). */
  readonly createIfMissing?: boolean;
  /** An HTTPS agent, e.g. one that trusts a local server's self-signed certificate. */
  readonly agent?: Agent;
  /** Throttling retries: attempts and total wait; the wait between attempts is the server's retry-after. */
  readonly throttleRetries?: { readonly attempts: number; readonly maxWaitSec: number };
}

/** True for endpoints on this machine, where a key (the emulator's) is acceptable. */
export function isLocalEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
}

/** Builds the client options, refusing a key for a non-local endpoint. */
export async function clientOptions(options: CosmosConnectOptions): Promise<CosmosClientOptions> {
  const local = isLocalEndpoint(options.endpoint);
  if (options.key !== undefined && !local) {
    throw new Error(
      `Cosmos endpoint ${new URL(options.endpoint).host}: an account key is accepted only for a local server; ` +
        'use a managed identity (DefaultAzureCredential) for Azure',
    );
  }
  const retries = options.throttleRetries ?? { attempts: 9, maxWaitSec: 30 };
  const auth =
    options.key !== undefined
      ? { key: options.key }
      : { aadCredentials: options.credential ?? (await defaultCredential()) };
  return {
    endpoint: options.endpoint,
    ...auth,
    // The SDK's own agents keep connections alive; a custom one only to trust a private CA.
    ...(options.agent ? { agent: options.agent } : {}),
    connectionPolicy: {
      // A local server has no regional endpoints to discover.
      enableEndpointDiscovery: !local,
      retryOptions: {
        maxRetryAttemptCount: retries.attempts,
        maxWaitTimeInSeconds: retries.maxWaitSec,
        // 0 = wait what the server's x-ms-retry-after-ms says, not a fixed interval.
        fixedRetryIntervalInMilliseconds: 0,
      },
    },
  };
}

async function defaultCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

/** Connects and returns the database, creating it and its containers when allowed. */
export async function connectCosmos(
  options: CosmosConnectOptions,
): Promise<{ client: CosmosClient; database: Database }> {
  const client = new CosmosClient(await clientOptions(options));
  const id = options.database ?? DEFAULT_DATABASE;
  if (!(options.createIfMissing ?? isLocalEndpoint(options.endpoint)))
    return { client, database: client.database(id) };
  const { database } = await client.databases.createIfNotExists({ id });
  for (const spec of Object.values(COSMOS_CONTAINERS)) {
    await database.containers.createIfNotExists({
      id: spec.id,
      partitionKey: { paths: [spec.partitionKeyPath] },
      ...('defaultTtl' in spec ? { defaultTtl: spec.defaultTtl } : {}),
      indexingPolicy: structuredClone(spec.indexingPolicy) as never,
    });
  }
  return { client, database };
}
