/**
 * The reconciler's HTTP server (node:http): `/healthz`, `/readyz` (ready after the first successful
 * reconcile), `/metrics` (Prometheus text), `/v1/status[/ns/name]` (read-only JSON), `/v1/events`
 * (Server-Sent Events) and `/v1/webhooks/github` (push webhooks that wake the GitHub source).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotStatus } from '@tradingtower/engine';
import type { Logger } from '../log/logger.ts';
import type { EventBus } from '../reconcile/events.ts';
import { summaryOf } from '../reconcile/status.ts';
import type { WebhookOutcome, WebhookRequest } from '../sources/github-webhook.ts';
import { killRoute, type KillControl } from './kill-route.ts';
import type { TowerMetrics } from './metrics.ts';
import { SseHub } from './sse.ts';

/** What the server reads from the rest of the service. */
export interface ServerOptions {
  readonly bus: EventBus;
  readonly metrics: TowerMetrics;
  readonly logger: Logger;
  readonly isReady: () => boolean;
  readonly statuses: () => Promise<readonly BotStatus[]>;
  readonly revision: () => unknown;
  /** GitHub push webhook handling, when the source is GitHub. */
  readonly githubWebhook?: { receive(request: WebhookRequest): WebhookOutcome; onTrigger(): void };
  /** The kill switch endpoint (`/v1/kill`). */
  readonly kill?: KillControl;
  readonly heartbeatMs?: number;
  /** Largest accepted request body. */
  readonly maxBodyBytes?: number;
}

/** A started server. */
export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** Stops accepting, ends event streams, and resolves when every connection is closed. */
  close(): Promise<void>;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function text(
  response: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function statusView(status: BotStatus): unknown {
  return { summary: summaryOf(status), ...status };
}

/** Builds the request handler (exported for tests that want no socket). */
export function createHandler(
  options: ServerOptions,
  hub: SseHub,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (request.method === 'POST' && path === '/v1/webhooks/github')
      return webhook(options, request, response);
    if (path === '/v1/kill' && options.kill) return kill(options, options.kill, request, response);
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return json(response, 405, { error: `${request.method} not allowed on ${path}` });
    if (path === '/healthz') return text(response, 200, 'ok\n');
    if (path === '/readyz')
      return options.isReady()
        ? text(response, 200, 'ready\n')
        : text(response, 503, 'not ready: no successful reconcile yet\n');
    if (path === '/metrics')
      return text(response, 200, options.metrics.render(), 'text/plain; version=0.0.4; charset=utf-8');
    if (path === '/v1/status') {
      const bots = (await options.statuses()).map(statusView);
      return json(response, 200, { revision: options.revision(), bots });
    }
    const one = /^\/v1\/status\/([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(path);
    if (one) {
      const key = `${one[1]}/${one[2]}`;
      const status = (await options.statuses()).find((s) => s.botKey === key);
      return status
        ? json(response, 200, statusView(status))
        : json(response, 404, { error: `no bot ${key}` });
    }
    if (path === '/v1/events') {
      const bot = url.searchParams.get('bot') ?? undefined;
      return hub.open(response, await options.statuses(), bot);
    }
    return json(response, 404, { error: `no route ${path}` });
  };
}

async function webhook(
  options: ServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const hook = options.githubWebhook;
  if (!hook) {
    options.metrics.webhook('github', 404);
    return json(response, 404, { error: 'the GitHub webhook is not configured (the source is not GitHub)' });
  }
  const body = await readBody(request, options.maxBodyBytes ?? 1 << 20);
  if (!body) {
    options.metrics.webhook('github', 413);
    return json(response, 413, { error: 'body too large' });
  }
  const outcome = hook.receive({ headers: request.headers, body });
  options.metrics.webhook('github', outcome.status);
  options.logger.info('github webhook', {
    status: outcome.status,
    reason: outcome.reason,
    delivery: request.headers['x-github-delivery'],
  });
  if (outcome.trigger) hook.onTrigger();
  json(response, outcome.status, { result: outcome.reason });
}

async function kill(
  options: ServerOptions,
  control: KillControl,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request, 64 * 1024);
  if (!body) return json(response, 413, { error: 'body too large' });
  const answer = await killRoute(control, request.method ?? 'GET', request.headers, body);
  if (request.method !== 'GET')
    options.logger.warn('kill switch request', { method: request.method, status: answer.status });
  json(response, answer.status, answer.body);
}

/** Starts the server on `port` (0 = any free port) at `host`. */
export async function startServer(
  options: ServerOptions,
  port: number,
  host = '0.0.0.0',
): Promise<RunningServer> {
  const hub = new SseHub(options.bus, options.heartbeatMs);
  const handle = createHandler(options, hub);
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.logger.error('request failed', { path: request.url, error });
      if (!response.headersSent) json(response, 500, { error: 'internal error' });
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    server,
    port: address.port,
    url: `http://${shown}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        hub.closeAll();
        server.closeIdleConnections();
      }),
  };
}
