/**
 * Resolves credential references (`{ env }`, `{ keyVault: { vault, secret } }`) to secret values at
 * the edge. Key Vault is read with a TokenCredential (DefaultAzureCredential by default: managed
 * identity in Azure). Values are cached; a 401/403 from Key Vault, or an authentication failure the
 * caller reports (a rotated exchange key), drops the cached value and reads again once. Values never
 * appear in logs or error messages: both name the reference only.
 */
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';

/** A reference to a secret as manifests write it. */
export type SecretRef =
  | { readonly env: string }
  | { readonly keyVault: { readonly vault: string; readonly secret: string; readonly version?: string } };

/** An Azure AD token source (the Key Vault client's own credential type). */
export type TokenCredential = ConstructorParameters<typeof SecretClient>[1];

/** How the resolver reaches its sources. */
export interface SecretResolverOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default: DefaultAzureCredential, created on first Key Vault use. */
  readonly credential?: TokenCredential;
  /** Extra SecretClient options (tests: a private CA, challenge-resource verification off). */
  readonly clientOptions?: SecretClientOptions;
  /** Receives one line per lookup; lines name references, never values. */
  readonly log?: (line: string) => void;
}

/** A failed lookup; the message names the reference and the cause, never a value. */
export class SecretResolutionError extends Error {
  override readonly name = 'SecretResolutionError';
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** The Key Vault URL for a vault name (`my-vault`) or URL (`https://my-vault.vault.azure.net`). */
export function vaultUrl(vault: string): string {
  if (/^https:\/\//.test(vault)) return vault.replace(/\/+$/, '');
  if (!/^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/.test(vault)) {
    throw new SecretResolutionError(`keyVault ${JSON.stringify(vault)}: not a vault name or https URL`);
  }
  return `https://${vault}.vault.azure.net`;
}

/** A readable name for a reference: what logs and errors print instead of the value. */
export function describeRef(ref: SecretRef): string {
  return 'env' in ref ? `env ${ref.env}` : `keyVault ${ref.keyVault.vault}/${ref.keyVault.secret}`;
}

const isAuthStatus = (status: number | undefined): boolean => status === 401 || status === 403;

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown; status?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Looks secrets up by reference, with a cache and one re-read after an authentication failure. */
export class SecretResolver {
  private readonly options: SecretResolverOptions;
  private readonly cache = new Map<string, Promise<string>>();
  private readonly clients = new Map<string, SecretClient>();
  private credential: TokenCredential | undefined;

  constructor(options: SecretResolverOptions = {}) {
    this.options = options;
    this.credential = options.credential;
  }

  /** The secret's value, from the cache when it was read before. */
  resolve(ref: SecretRef): Promise<string> {
    const key = JSON.stringify(ref);
    let pending = this.cache.get(key);
    if (pending) {
      this.log(`${describeRef(ref)}: cached`);
      return pending;
    }
    pending = this.read(ref);
    // A failed read is not cached: the next call tries again.
    pending.catch(() => this.cache.delete(key));
    this.cache.set(key, pending);
    return pending;
  }

  /** Drops a cached value, e.g. after the service it unlocks rejected it. */
  invalidate(ref: SecretRef): void {
    this.cache.delete(JSON.stringify(ref));
    this.log(`${describeRef(ref)}: invalidated`);
  }

  /**
   * Runs `use` with the secret; when it fails with an authentication error (per `isAuthFailure`,
   * default: a 401/403 status) the secret may have been rotated, so it is re-read and `use` runs once more.
   */
  async withSecret<T>(
    ref: SecretRef,
    use: (value: string) => Promise<T>,
    isAuthFailure: (error: unknown) => boolean = (e) => isAuthStatus(statusOf(e)),
  ): Promise<T> {
    try {
      return await use(await this.resolve(ref));
    } catch (error) {
      if (!isAuthFailure(error)) throw error;
      this.log(`${describeRef(ref)}: rejected by its service; re-reading once`);
      this.invalidate(ref);
      return use(await this.resolve(ref));
    }
  }

  private async read(ref: SecretRef): Promise<string> {
    if ('env' in ref) {
      const value = (this.options.env ?? process.env)[ref.env];
      if (value === undefined || value === '') {
        throw new SecretResolutionError(`${describeRef(ref)}: the variable is not set`);
      }
      this.log(`${describeRef(ref)}: read`);
      return value;
    }
    try {
      return await this.readVault(ref);
    } catch (error) {
      if (!isAuthStatus(statusOf(error))) throw this.failure(ref, error);
      // Role assignments propagate and tokens expire: one fresh attempt before giving up.
      this.log(`${describeRef(ref)}: Key Vault answered ${statusOf(error)}; re-reading once`);
      try {
        return await this.readVault(ref);
      } catch (again) {
        throw this.failure(ref, again);
      }
    }
  }

  private async readVault(ref: Extract<SecretRef, { keyVault: unknown }>): Promise<string> {
    const { vault, secret, version } = ref.keyVault;
    const client = await this.client(vaultUrl(vault));
    const found = await client.getSecret(secret, version === undefined ? {} : { version });
    if (found.value === undefined)
      throw new SecretResolutionError(`${describeRef(ref)}: the secret has no value`);
    this.log(`${describeRef(ref)}: read`);
    return found.value;
  }

  private failure(ref: SecretRef, error: unknown): SecretResolutionError {
    if (error instanceof SecretResolutionError) return error;
    const status = statusOf(error);
    const code = (error as { code?: unknown } | null)?.code;
    const cause = [status, typeof code === 'string' ? code : undefined]
      .filter((x) => x !== undefined)
      .join(' ');
    // The SDK's message may quote the response; only the status and error code are safe to repeat.
    return new SecretResolutionError(
      `${describeRef(ref)}: Key Vault lookup failed (${cause || 'no response'})`,
      status,
    );
  }

  private async client(url: string): Promise<SecretClient> {
    let client = this.clients.get(url);
    if (!client) {
      this.credential ??= await defaultCredential();
      client = new SecretClient(url, this.credential, { ...this.options.clientOptions });
      this.clients.set(url, client);
    }
    return client;
  }

  private log(line: string): void {
    this.options.log?.(`secrets: ${line}`);
  }
}

async function defaultCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}
