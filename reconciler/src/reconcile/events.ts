/**
 * The service's live event bus: the reconcile loop publishes passes, revisions and bot status; the
 * store tap publishes orders, fills and state transitions. The HTTP server streams it as Server-Sent
 * Events and derives its metrics from it, so neither the loop nor the engine knows about HTTP.
 */
import type { BotStatus, HistoryEvent } from '@tradingtower/engine';

/** Everything the bus carries. */
export type TowerEvent =
  | {
      readonly type: 'revision';
      readonly revision: string;
      readonly valid: boolean;
      readonly issues: readonly string[];
    }
  | { readonly type: 'status'; readonly botKey: string; readonly summary: string; readonly status: BotStatus }
  | {
      readonly type: 'applied';
      readonly botKey: string;
      readonly action: string;
      readonly revision: string;
      readonly fields: readonly string[];
    }
  | { readonly type: 'pass'; readonly durationMs: number; readonly keys: number; readonly errors: number }
  | { readonly type: 'history'; readonly event: HistoryEvent }
  | { readonly type: 'error'; readonly where: string; readonly message: string };

/** A listener of bus events. */
export type TowerListener = (event: TowerEvent) => void;

/** A synchronous in-process publish/subscribe bus; a throwing listener never affects the others. */
export class EventBus {
  private readonly listeners = new Set<TowerListener>();

  /** Subscribes and returns the unsubscribe function. */
  subscribe(listener: TowerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: TowerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (e.g. a closed SSE socket) must not break the reconcile loop.
      }
    }
  }

  /** Resolves with the first event that satisfies `predicate` (tests and readiness waits). */
  next<E extends TowerEvent>(predicate: (event: TowerEvent) => event is E): Promise<E>;
  next(predicate: (event: TowerEvent) => boolean): Promise<TowerEvent>;
  next(predicate: (event: TowerEvent) => boolean): Promise<TowerEvent> {
    return new Promise((resolve) => {
      const off = this.subscribe((event) => {
        if (predicate(event)) {
          off();
          resolve(event);
        }
      });
    });
  }
}
