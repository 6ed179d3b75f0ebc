/** A local HTTPS server speaking the Key Vault secrets REST shape, with a self-signed certificate. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The token the test credential hands out and the server accepts. */
export const TEST_TOKEN = 'test-token-for-local-vault';

/** A running fake vault. */
export interface FakeVault {
  readonly url: string;
  /** The certificate to trust (PEM). */
  readonly ca: string;
  readonly secrets: Map<string, string>;
  /** Statuses to answer the next authenticated secret reads with, in order (then normal service). */
  readonly failNext: number[];
  /** Authenticated secret reads served (any status). */
  reads: number;
  close(): Promise<void>;
}

/** Makes a throwaway self-signed certificate for 127.0.0.1 with openssl. */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tower-kv-'));
  try {
    execFileSync(
      'openssl',
      [
        ...[
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
        ],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
        ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CHALLENGE =
  'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", ' +
  'resource="https://vault.azure.net"';

/** Starts the fake vault on a free loopback port. */
export async function startFakeVault(): Promise<FakeVault> {
  const { key, cert } = selfSigned();
  const vault: Omit<FakeVault, 'url' | 'close'> = { ca: cert, secrets: new Map(), failNext: [], reads: 0 };
  const server: Server = createServer({ key, cert }, (req, res) => {
    req.resume();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const match = /^\/secrets\/([^/?]+)(?:\/([^/?]*))?/.exec(req.url ?? '');
    if (req.headers.authorization !== `Bearer ${TEST_TOKEN}`) {
      return send(
        401,
        { error: { code: 'Unauthorized', message: 'AKV10000' } },
        { 'www-authenticate': CHALLENGE },
      );
    }
    if (!match) return send(400, { error: { code: 'BadParameter', message: 'no route' } });
    vault.reads += 1;
    const name = match[1]!;
    const value = vault.secrets.get(name);
    const forced = vault.failNext.shift();
    if (forced !== undefined) {
      // A careless server echoing the value: the resolver must still never repeat it.
      return send(forced, { error: { code: 'Forbidden', message: `denied for ${name} (${value ?? ''})` } });
    }
    if (value === undefined)
      return send(404, { error: { code: 'SecretNotFound', message: `${name} not found` } });
    const url = `https://${req.headers.host}`;
    return send(200, {
      value,
      id: `${url}/secrets/${name}/0123456789abcdef`,
      attributes: {
        enabled: true,
        created: 1_700_000_000,
        updated: 1_700_000_000,
        recoveryLevel: 'Recoverable',
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(vault, {
    url,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
