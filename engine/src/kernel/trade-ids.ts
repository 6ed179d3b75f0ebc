/** The trade ids of one order's fills (order-book.ts), kept to ignore duplicate fill updates. */

/**
 * The trade ids of one order's fills, to ignore a duplicate fill update. Most orders fill once, so the
 * first id is kept as a field and a Set is made only when a second, different trade arrives.
 */
export class TradeIds implements Iterable<string> {
  private first: string | undefined;
  private rest: Set<string> | undefined;

  /** Trade ids holding `ids`. */
  static of(ids: Iterable<string>): TradeIds {
    const out = new TradeIds();
    for (const id of ids) out.add(id);
    return out;
  }

  /** Whether a fill with this trade id was seen. */
  has(id: string): boolean {
    return id === this.first || (this.rest !== undefined && this.rest.has(id));
  }

  /** Records a trade id (a second add of the same id changes nothing, as with a Set). */
  add(id: string): void {
    if (this.first === undefined) this.first = id;
    else if (id !== this.first) (this.rest ??= new Set()).add(id);
  }

  /** The ids in the order they were first added. */
  *[Symbol.iterator](): Iterator<string> {
    if (this.first !== undefined) yield this.first;
    if (this.rest !== undefined) yield* this.rest;
  }
}
