import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  SecretResolutionError,
  SecretResolver,
  vaultUrl,
  type SecretRef,
} from '../../src/adapters/secrets/resolver.ts';
import { startFakeVault, TEST_TOKEN, type FakeVault } from './key-vault-server.ts';

const VALUE = 'sk-live-9f8e7d6c5b4a';
const ROTATED = 'sk-live-rotated-0001';
let vault: FakeVault;
let lines: string[];
let scopes: string[];

beforeAll(async () => {
  vault = await startFakeVault();
});
afterAll(async () => {
  await vault.close();
});
beforeEach(() => {
  vault.secrets.clear();
  vault.failNext.length = 0;
  vault.reads = 0;
  lines = [];
  scopes = [];
});

function aResolver(env: Record<string, string> = {}): SecretResolver {
  return new SecretResolver({
    env,
    credential: {
      getToken: (scope: string | string[]) => {
        scopes.push(...[scope].flat());
        return Promise.resolve({ token: TEST_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 });
      },
    },
    clientOptions: {
      disableChallengeResourceVerification: true,
      tlsOptions: { ca: vault.ca },
      retryOptions: { maxRetries: 0 },
    },
    log: (line) => lines.push(line),
  });
}

const ref = (): SecretRef => ({ keyVault: { vault: vault.url, secret: 'exchange-key' } });
class AuthFailure extends Error {
  readonly statusCode = 401;
}

describe('secret resolver: env references', () => {
  it('reads a variable and names a missing one without a value', async () => {
    const resolver = aResolver({ EXCHANGE_KEY: VALUE });

    expect(await resolver.resolve({ env: 'EXCHANGE_KEY' })).toBe(VALUE);
    await expect(resolver.resolve({ env: 'MISSING' })).rejects.toThrow(
      'env MISSING: the variable is not set',
    );
  });
});

describe('secret resolver: Key Vault references', () => {
  it('reads a secret over HTTPS with the bearer token of its credential, for the vault scope', async () => {
    vault.secrets.set('exchange-key', VALUE);

    expect(await aResolver().resolve(ref())).toBe(VALUE);
    expect(scopes).toContain('https://vault.azure.net/.default');
  });

  it('serves a second lookup from its cache', async () => {
    vault.secrets.set('exchange-key', VALUE);
    const resolver = aResolver();
    await resolver.resolve(ref());

    vault.secrets.set('exchange-key', ROTATED);

    expect(await resolver.resolve(ref())).toBe(VALUE);
    expect(vault.reads).toBe(1);
  });

  it('re-reads a rotated secret once when the service it unlocks rejects the cached value', async () => {
    vault.secrets.set('exchange-key', VALUE);
    const resolver = aResolver();
    await resolver.resolve(ref());
    vault.secrets.set('exchange-key', ROTATED);
    const tried: string[] = [];

    const result = await resolver.withSecret(ref(), (value) => {
      tried.push(value);
      return value === ROTATED
        ? Promise.resolve('signed in')
        : Promise.reject(new AuthFailure('401 from exchange'));
    });

    expect(result).toBe('signed in');
    expect(tried).toEqual([VALUE, ROTATED]);
    expect(await resolver.resolve(ref())).toBe(ROTATED);
  });

  it('does not re-read when the failure is not about authentication', async () => {
    vault.secrets.set('exchange-key', VALUE);
    const resolver = aResolver();

    await expect(
      resolver.withSecret(ref(), () => Promise.reject(new Error('exchange down'))),
    ).rejects.toThrow('exchange down');
    expect(vault.reads).toBe(1);
  });

  it('retries a 403 from Key Vault once, then succeeds', async () => {
    vault.secrets.set('exchange-key', VALUE);
    vault.failNext.push(403);

    expect(await aResolver().resolve(ref())).toBe(VALUE);
    expect(vault.reads).toBe(2);
  });

  it('fails after a second 403 with the reference and status, never the value, in message and logs', async () => {
    vault.secrets.set('exchange-key', VALUE);
    vault.failNext.push(403, 403);
    const resolver = aResolver();

    const error = await resolver.resolve(ref()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SecretResolutionError);
    expect((error as Error).message).toBe(
      `keyVault ${vault.url}/exchange-key: Key Vault lookup failed (403 Forbidden)`,
    );
    expect((error as Error).message + (error as Error).stack).not.toContain(VALUE);
    expect(vault.reads).toBe(2);
    vault.failNext.length = 0;
    expect(await resolver.resolve(ref())).toBe(VALUE);
    expect(lines.join('\n')).not.toContain(VALUE);
    expect(lines.length).toBeGreaterThan(0);
  });

  it('refuses a vault whose certificate it was not told to trust', async () => {
    vault.secrets.set('exchange-key', VALUE);
    const untrusting = new SecretResolver({
      credential: {
        getToken: () => Promise.resolve({ token: TEST_TOKEN, expiresOnTimestamp: Date.now() + 60_000 }),
      },
      clientOptions: { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } },
    });

    await expect(untrusting.resolve(ref())).rejects.toThrow(
      /Key Vault lookup failed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
    expect(vault.reads).toBe(0);
  });

  it('reports a missing secret with its name', async () => {
    await expect(aResolver().resolve(ref())).rejects.toThrow(
      /exchange-key: Key Vault lookup failed \(404 SecretNotFound\)/,
    );
  });

  it('turns a vault name into its URL and refuses anything else', () => {
    expect(vaultUrl('tower-prod')).toBe('https://tower-prod.vault.azure.net');
    expect(() => vaultUrl('http://evil')).toThrow(SecretResolutionError);
  });
});
