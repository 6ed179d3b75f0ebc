/**
 * `/v1/kill`: the operator's kill switch over HTTP (what `tower kill` calls). GET lists the latches;
 * POST engages one and DELETE clears one, both only with `Authorization: Bearer <TOWER_ADMIN_TOKEN>`
 * (compared in constant time, never logged). Without a configured token the writes are refused.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { KillLatch, KillScope } from '../reconcile/kill-switch.ts';

/** What the route drives. */
export interface KillControl {
  readonly token: string | undefined;
  engage(scope: KillScope, flatten: boolean, reason: string): Promise<readonly string[]>;
  clear(scope: KillScope): Promise<boolean>;
  latches(): readonly KillLatch[];
}

/** An HTTP answer: status and JSON body. */
export interface RouteAnswer {
  readonly status: number;
  readonly body: unknown;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Whether the request carries the admin bearer token (constant-time on equal-length digests). */
export function authorized(headers: IncomingHttpHeaders, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/** Parses `{ bot } | { namespace } | { all: true }` into a scope, or returns an error message. */
export function scopeOf(body: Record<string, unknown>): KillScope | string {
  const { bot, namespace, all } = body;
  const given = [bot, namespace, all].filter((v) => v !== undefined).length;
  if (given !== 1) return 'give exactly one of "bot" (namespace/name), "namespace" or "all": true';
  if (typeof bot === 'string' && /^[a-z0-9-]+\/[a-z0-9-]+$/.test(bot)) return { kind: 'bot', botKey: bot };
  if (typeof namespace === 'string' && /^[a-z0-9-]+$/.test(namespace))
    return { kind: 'namespace', namespace };
  if (all === true) return { kind: 'all' };
  return `"bot" must be namespace/name and "namespace" a namespace name`;
}

/** Handles one /v1/kill request. */
export async function killRoute(
  control: KillControl,
  method: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<RouteAnswer> {
  if (method === 'GET') return { status: 200, body: { latches: control.latches() } };
  if (method !== 'POST' && method !== 'DELETE')
    return { status: 405, body: { error: `${method} not allowed on /v1/kill` } };
  if (control.token === undefined) {
    return { status: 403, body: { error: 'the kill switch over HTTP is disabled: set TOWER_ADMIN_TOKEN' } };
  }
  if (!authorized(headers, control.token))
    return { status: 401, body: { error: 'missing or wrong bearer token' } };
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return { status: 400, body: { error: 'body must be JSON' } };
  }
  const scope = scopeOf(parsed);
  if (typeof scope === 'string') return { status: 400, body: { error: scope } };
  if (method === 'DELETE') return { status: 200, body: { cleared: await control.clear(scope) } };
  const reason =
    typeof parsed['reason'] === 'string' && parsed['reason'] !== '' ? parsed['reason'] : 'operator kill';
  const stopped = await control.engage(scope, parsed['flatten'] === true, reason);
  return { status: 200, body: { stopped } };
}
