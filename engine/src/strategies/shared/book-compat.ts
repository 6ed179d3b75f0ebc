/** Books restored from checkpoints written before books became lists. */
import type { Book, LiveOrder } from './book.ts';

/**
 * A book as the current code keeps it. Checkpoints written before books became lists hold the orders as an
 * object keyed by order key; its values in key order are the same orders in the same book order.
 */
export function currentBook(book: Book): Book {
  const orders: unknown = book.orders;
  if (Array.isArray(orders)) return book;
  return { ...book, orders: Object.values(orders as Record<string, LiveOrder>) };
}

/** The state with its book in the current shape (restored checkpoints may hold the keyed-object shape). */
export function withCurrentBook<S extends { readonly book: Book }>(state: S): S {
  const book = currentBook(state.book);
  return book === state.book ? state : { ...state, book };
}
