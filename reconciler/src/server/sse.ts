/**
 * Server-Sent Events for `/v1/events`: live bot status, applied changes, orders and fills. Each client
 * gets the current status of every bot first, then the live stream; a comment line every few seconds
 * keeps proxies from closing an idle stream.
 */
import type { ServerResponse } from 'node:http';
import type { BotStatus } from '@tradingtower/engine';
import type { EventBus, TowerEvent } from '../reconcile/events.ts';

const STREAMED_HISTORY = new Set([
  'OrderSubmitted',
  'OrderUpdated',
  'OrderFilled',
  'StateTransition',
  'BotRunStarted',
  'BotRunStopped',
  'ParamsApplied',
  'RiskDenied',
]);

/** The SSE name and JSON data of a bus event, or undefined when it is not streamed. */
export function sseMessage(event: TowerEvent): { name: string; botKey?: string; data: unknown } | undefined {
  switch (event.type) {
    case 'status':
      return {
        name: 'status',
        botKey: event.botKey,
        data: { botKey: event.botKey, summary: event.summary, status: event.status },
      };
    case 'applied':
      return { name: 'applied', botKey: event.botKey, data: event };
    case 'revision':
      return { name: 'revision', data: event };
    case 'history':
      if (!STREAMED_HISTORY.has(event.event.type)) return undefined;
      return { name: event.event.type, botKey: event.event.botKey, data: event.event };
    case 'pass':
    case 'error':
      return undefined;
  }
}

/** Tracks open SSE streams so shutdown can end them. */
export class SseHub {
  private readonly bus: EventBus;
  private readonly heartbeatMs: number;
  private readonly clients = new Set<ServerResponse>();
  private nextId = 1;

  constructor(bus: EventBus, heartbeatMs = 15_000) {
    this.bus = bus;
    this.heartbeatMs = heartbeatMs;
  }

  /** Number of connected clients. */
  get size(): number {
    return this.clients.size;
  }

  /** Opens a stream on `response`, optionally only for one bot, starting with the given statuses. */
  open(response: ServerResponse, initial: readonly BotStatus[], botKey?: string): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 2000\n\n');
    for (const status of initial) {
      if (botKey === undefined || status.botKey === botKey) this.send(response, 'status', status);
    }
    this.clients.add(response);
    const off = this.bus.subscribe((event) => {
      const message = sseMessage(event);
      if (!message || (botKey !== undefined && message.botKey !== botKey)) return;
      this.send(response, message.name, message.data);
    });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), this.heartbeatMs);
    heartbeat.unref();
    response.on('close', () => {
      off();
      clearInterval(heartbeat);
      this.clients.delete(response);
    });
  }

  /** Ends every stream (graceful shutdown). */
  closeAll(): void {
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private send(response: ServerResponse, name: string, data: unknown): void {
    response.write(`id: ${this.nextId++}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}
