import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import type { BotStatus, HistoryEvent } from '@tradingtower/engine';
import { MemoryHistoryStore } from '@tradingtower/engine/adapters/store/memory.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { EventBus } from '../../src/reconcile/events.ts';
import { tapAppends } from '../../src/reconcile/store-tap.ts';
import { startServer, type RunningServer } from '../../src/server/http.ts';
import { TowerMetrics } from '../../src/server/metrics.ts';
import { GitHubWebhookReceiver } from '../../src/sources/github-webhook.ts';

function aStatus(botKey: string, ready: boolean): BotStatus {
  return {
    botKey,
    conditions: [
      {
        type: 'Ready',
        status: ready ? 'True' : 'False',
        reason: ready ? 'UpToDate' : 'RecreateRequired',
        message: '',
        lastTransitionTime: 1,
      },
      { type: 'Stalled', status: ready ? 'False' : 'True', reason: 'x', message: '', lastTransitionTime: 1 },
    ],
    lastAppliedRevision: 'r1',
  };
}

function aFill(botKey: string, seq: number): HistoryEvent {
  return {
    schemaVersion: 1,
    botKey,
    runId: `${botKey}#1`,
    seq,
    ts: 1000 + seq,
    revision: 'r1',
    type: 'OrderFilled',
    data: {
      symbol: 'BTC/USDT',
      fill: {
        tradeId: `t${seq}`,
        clientOrderId: 'c1',
        side: 'buy',
        price: '100',
        qty: '1',
        fee: '0.1',
        feeAsset: 'USDT',
        liquidity: 'maker',
        ts: 1000,
      } as never,
    },
  };
}

/** Reads named SSE messages from a streaming response, one at a time. */
function sseReader(response: Response): {
  next(): Promise<{ event: string; data: unknown }>;
  close(): Promise<void>;
} {
  const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next() {
      for (;;) {
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const name = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (name && data) return { event: name, data: JSON.parse(data) as unknown };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('event stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => reader.cancel(),
  };
}

describe('the HTTP server', () => {
  let bus: EventBus;
  let store: MemoryHistoryStore;
  let server: RunningServer;
  let ready: boolean;
  let triggers: number;

  beforeEach(async () => {
    bus = new EventBus();
    store = new MemoryHistoryStore();
    ready = false;
    triggers = 0;
    const metrics = new TowerMetrics();
    metrics.attach(bus);
    server = await startServer(
      {
        bus,
        metrics,
        logger: silentLogger,
        isReady: () => ready,
        statuses: () => store.listStatuses('team'),
        revision: () => ({ revision: 'r1', valid: true }),
        githubWebhook: {
          receive: (r) => new GitHubWebhookReceiver({ secret: 's3cret', branch: 'main' }).receive(r),
          onTrigger: () => (triggers += 1),
        },
        heartbeatMs: 60_000,
      },
      0,
      '127.0.0.1',
    );
  });

  afterEach(async () => {
    await server.close();
  });

  it('is healthy at once and ready only after the first successful reconcile', async () => {
    const health = await fetch(`${server.url}/healthz`);
    const before = await fetch(`${server.url}/readyz`);
    ready = true;
    const after = await fetch(`${server.url}/readyz`);

    expect(health.status).toBe(200);
    expect(before.status).toBe(503);
    expect(after.status).toBe(200);
  });

  it('serves the status of all bots and of one bot as JSON, and 404 for an unknown bot', async () => {
    await store.putStatus(aStatus('team/a', true));
    await store.putStatus(aStatus('team/b', false));

    const all = (await (await fetch(`${server.url}/v1/status`)).json()) as {
      bots: { botKey: string; summary: string }[];
    };
    const one = await fetch(`${server.url}/v1/status/team/b`);
    const missing = await fetch(`${server.url}/v1/status/team/zz`);

    expect(all.bots.map((b) => [b.botKey, b.summary])).toEqual([
      ['team/a', 'Ready'],
      ['team/b', 'Stalled'],
    ]);
    expect(((await one.json()) as { summary: string }).summary).toBe('Stalled');
    expect(missing.status).toBe(404);
  });

  it('exposes Prometheus metrics derived from passes, statuses, orders and fills', async () => {
    const tapped = tapAppends(store, bus);
    bus.publish({ type: 'pass', durationMs: 20, keys: 2, errors: 0 });
    bus.publish({ type: 'status', botKey: 'team/a', summary: 'Ready', status: aStatus('team/a', true) });
    bus.publish({ type: 'status', botKey: 'team/b', summary: 'Stalled', status: aStatus('team/b', false) });
    await tapped.append([aFill('team/a', 1), aFill('team/a', 2)]);

    const response = await fetch(`${server.url}/metrics`);
    const body = await response.text();

    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(body).toContain('tower_reconcile_duration_seconds_bucket{le="0.025"} 1');
    expect(body).toContain('tower_reconcile_duration_seconds_bucket{le="0.01"} 0');
    expect(body).toContain('tower_reconcile_duration_seconds_count 1');
    expect(body).toContain('tower_bots{condition="Ready"} 1');
    expect(body).toContain('tower_bots{condition="Stalled"} 1');
    expect(body).toContain('tower_fills_total 2');
  });

  it('streams current statuses and then live fills as Server-Sent Events', async () => {
    await store.putStatus(aStatus('team/a', true));
    const tapped = tapAppends(store, bus);
    const response = await fetch(`${server.url}/v1/events`);
    const stream = sseReader(response);

    const first = await stream.next();
    await tapped.append([aFill('team/a', 1)]);
    const second = await stream.next();
    await stream.close();

    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(first).toMatchObject({ event: 'status', data: { botKey: 'team/a' } });
    expect(second).toMatchObject({
      event: 'OrderFilled',
      data: { botKey: 'team/a', type: 'OrderFilled', seq: 1 },
    });
  });

  it('rejects a GitHub push webhook with a bad signature and accepts a signed one', async () => {
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const post = (signature: string, id: string) =>
      fetch(`${server.url}/v1/webhooks/github`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': id,
          'x-hub-signature-256': signature,
        },
        body,
      });

    const bad = await post(`sha256=${createHmac('sha256', 'wrong').update(body).digest('hex')}`, 'd1');
    const good = await post(`sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`, 'd2');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();

    expect(bad.status).toBe(401);
    expect(good.status).toBe(202);
    expect(triggers).toBe(1);
    expect(metrics).toContain('tower_webhook_requests_total{endpoint="github",status="401"} 1');
  });

  it('answers 404 for unknown routes and 405 for writes to read-only ones', async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/v1/status`, { method: 'POST' })).status).toBe(405);
  });
});
