/** A history store wrapper that publishes every appended event on the bus (orders, fills, transitions). */
import type { HistoryStore } from '@tradingtower/engine';
import type { EventBus } from './events.ts';

/**
 * Returns a store that behaves exactly like `store` (every method, including ones beyond the port)
 * and, after each successful append, publishes the appended events; namespace-scoped handles it hands
 * out are tapped the same way.
 */
export function tapAppends<S extends HistoryStore>(store: S, bus: EventBus): S {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'append') {
        // The checkpoint rides along with its events (one transaction in SQLite): never drop it.
        return async (
          events: Parameters<HistoryStore['append']>[0],
          checkpoint?: Parameters<HistoryStore['append']>[1],
        ) => {
          await target.append(events, checkpoint);
          for (const event of events) bus.publish({ type: 'history', event });
        };
      }
      if (property === 'forNamespace' && 'forNamespace' in target) {
        // Scoped handles append to the same store: tap them too, or their events would be missed.
        const scoped = target.forNamespace as (namespace: string) => HistoryStore;
        return (namespace: string) => tapAppends(scoped.call(target, namespace), bus);
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
