/**
 * The list operations behind a book: lookups by key and the one-copy updates a grid makes on every fill.
 * Keys are unique in a book (every update puts an order under its key), which the updates rely on.
 */
import type { Book, LiveOrder } from './book.ts';

type Orders = Book['orders'];

/** The live order under `key`, if any. A book holds at most a few hundred orders (one per line). */
export function orderOf(book: Book, key: string): LiveOrder | undefined {
  const orders = book.orders;
  for (let i = 0; i < orders.length; i++) if (orders[i]!.key === key) return orders[i];
  return undefined;
}

/**
 * The orders with `order` put under its key, in one copy: an existing key keeps its place, a new one goes
 * last, and `gone` (if given) is left out first, exactly as removing it and then adding `order` would.
 */
export function putOrder(orders: Orders, order: LiveOrder, gone?: string): Orders {
  const out: LiveOrder[] = [];
  let placed = false;
  for (const o of orders) {
    if (o.key === gone) continue;
    if (o.key === order.key) {
      out.push(order);
      placed = true;
    } else out.push(o);
  }
  if (!placed) out.push(order);
  return out;
}

/**
 * `putOrder(orders, order, done.key)` for a caller that holds the orders themselves: `done`, the finished
 * order (an element of `orders`), and `holder`, the order under `order`'s key if there is one. Found by
 * identity, so the copy compares no key text; a `done` not in the list takes the general way.
 */
export function putInStead(
  orders: Orders,
  order: LiveOrder,
  done: LiveOrder,
  holder: LiveOrder | undefined,
): Orders {
  const doneAt = orders.indexOf(done);
  if (doneAt < 0) return putOrder(orders, order, done.key);
  const out = orders.slice();
  const heldAt = holder === undefined || holder === done ? -1 : out.indexOf(holder);
  if (heldAt >= 0) {
    out[heldAt] = order;
    out.splice(doneAt, 1);
  } else {
    // Left out, the others close up in order and the new key goes last (a plain loop: a few dozen moves).
    const last = out.length - 1;
    for (let i = doneAt; i < last; i++) out[i] = out[i + 1]!;
    out[last] = order;
  }
  return out;
}

/** The orders without `key`, in the same order. */
export function without(orders: Orders, key: string): Orders {
  return orders.filter((o) => o.key !== key);
}
