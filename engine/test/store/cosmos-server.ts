/** Starts the local `@vercel/cosmosdb-server` (and an optional recording proxy) for the Cosmos tests. */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '@vercel/cosmosdb-server';

/** The well-known Cosmos emulator key: accepted by the store for loopback endpoints only. */
export const EMULATOR_KEY =
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

/** A running server and how to stop it. */
export interface Running {
  readonly endpoint: string;
  close(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
}

/** Starts an in-memory Cosmos server on a free loopback port. */
export async function startCosmosServer(): Promise<Running> {
  const server = createHttpServer({ keepAlive: true });
  const endpoint = await listen(server);
  return { endpoint, close: () => stop(server) };
}

/** One request seen by the proxy. */
export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly body: string;
  readonly at: number;
}

/** A proxy hook: answer the request itself (return true) or let it through (false). */
export type Hook = (seen: Seen, res: ServerResponse) => boolean;

/** A proxy in front of `target` that records every request and lets a hook answer some of them. */
export async function startProxy(
  target: string,
  hook: Hook = () => false,
): Promise<Running & { seen: Seen[] }> {
  const seen: Seen[] = [];
  const upstream = new URL(target);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        body: body.toString(),
        at: performance.now(),
      };
      seen.push(entry);
      if (hook(entry, res)) return;
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  const endpoint = await listen(server);
  return { endpoint, seen, close: () => stop(server) };
}
