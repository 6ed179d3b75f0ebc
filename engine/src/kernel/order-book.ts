/**
 * The bot's order book: the strategy's name for each order (intent `key`) mapped to its record, with
 * every status change going through the one transition table (model/order-lifecycle.ts). Client order
 * ids are derived from (bot, seq, role, idx, attempt); the attempt counts up per (seq, role, idx) so a
 * re-placed grid level gets a fresh id, and ids are only reused (after 36 attempts) once terminal.
 */
import { ClientOrderIdEncoder, ORDER_ROLE_CODES, type OrderRole } from '../core/ids.ts';
import { add, type Dec } from '../core/decimal.ts';
import { canTransition, TERMINAL_ORDER_STATES } from '../model/order-lifecycle.ts';
import type { OrderRequest, OrderSnapshot, OrderStatus } from '../model/orders.ts';
import type { Clock } from '../core/clock.ts';
import { TradeIds } from './trade-ids.ts';
import { EndedOrders } from './ended-orders.ts';
import { canonicalFractionDigits } from './step-text.ts';

export { TradeIds } from './trade-ids.ts';

/** One order of the bot, as the engine tracks it. */
export interface OrderRecord {
  readonly key: string;
  readonly clientOrderId: string;
  readonly role: OrderRole;
  readonly idx: number;
  readonly request: OrderRequest;
  status: OrderStatus;
  filled: Dec;
  /** What the ledger reserved for the unfilled rest. */
  reserved: Dec;
  /** Its fills' trade ids: the shared empty NO_TRADES until the first fill. */
  tradeIds: TradeIds;
  /** amount × the price the order was valued at when placed (a fill at that price reuses it), if known. */
  readonly notional: Dec | undefined;
}

/** Thrown when a status change breaks the transition table: a bug or a venue inconsistency. */
export class OrderTransitionError extends Error {
  override readonly name = 'OrderTransitionError';
}

const ROLES = Object.keys(ORDER_ROLE_CODES) as OrderRole[];
/** Role → its position in ROLES (a record: read per order, cheaper than a Map of strings). */
const ROLE_INDEX = Object.fromEntries(ROLES.map((role, i) => [role, i])) as Record<OrderRole, number>;
/** idx < 36³ and seq < 36⁵, so slot numbers (and slot · 36 + attempt) stay below 2⁵³: exact as numbers. */
const IDX_SPAN = 36 ** 3;
const SEQ_SPAN = 36 ** 5;
/**
 * The trade ids of every order not filled yet, shared (never added to: `addFill` gives the order its
 * own first): a resting order then carries no set of its own through the collections it survives.
 */
const NO_TRADES = new TradeIds();
/** Bound on remembered ids (a run with many deals would otherwise keep every id it ever used). */
const MAX_CACHED_IDS = 4096;

/** The number of an attempt slot (seq, role, idx): numbers key the attempt map without building text. */
function slotNumber(seq: number, role: OrderRole, idx: number): number {
  return (seq * ROLES.length + ROLE_INDEX[role]) * IDX_SPAN + idx;
}

/** The seq, role and idx of a slot number. */
function slotParts(slot: number): { readonly seq: number; readonly role: OrderRole; readonly idx: number } {
  const idx = slot % IDX_SPAN;
  const rest = (slot - idx) / IDX_SPAN;
  const role = ROLES[rest % ROLES.length]!;
  return { seq: (rest - (rest % ROLES.length)) / ROLES.length, role, idx };
}

/** The checkpoint name of a slot number, `seq:role:idx`. */
function slotName(slot: number): string {
  const { seq, role, idx } = slotParts(slot);
  return `${seq}:${role}:${idx}`;
}

/** The slot number of a checkpoint name, or undefined when it is not `seq:role:idx`. */
function slotOf(name: string): number | undefined {
  const [seq, role, idx, extra] = name.split(':');
  if (extra !== undefined || !Object.hasOwn(ROLE_INDEX, role ?? '')) return undefined;
  const s = Number(seq);
  const i = Number(idx);
  if (!Number.isInteger(s) || !Number.isInteger(i) || s < 0 || i < 0 || i >= IDX_SPAN) return undefined;
  return slotNumber(s, role as OrderRole, i);
}

/** Whether the fields of a slot are in range, so its number names it alone (and its ids may be cached). */
function inRange(seq: number, idx: number): boolean {
  return (
    Number.isInteger(seq) && Number.isInteger(idx) && seq >= 0 && seq < SEQ_SPAN && idx >= 0 && idx < IDX_SPAN
  );
}

/** Orders of one bot by key and by client id. */
export class BotOrderBook {
  private readonly byKey = new Map<string, OrderRecord>();
  /** Live orders and the ended ones still kept (see `ended`), by client order id. */
  private readonly byClientId = new Map<string, OrderRecord>();
  /** Ended orders still in `byClientId`, so late fills naming them are applied (ended-orders.ts). */
  private readonly ended = new EndedOrders();
  private readonly clock: Clock;
  private readonly unindex = (record: OrderRecord): void => {
    if (this.byClientId.get(record.clientOrderId) === record) this.byClientId.delete(record.clientOrderId);
  };
  /** Attempts used per slot number (see `slotNumber`); slots in `freshSlots` are not in it yet. */
  private readonly attempts = new Map<number, number>();
  /**
   * Slots first used since the map was last read, one attempt each: a slot whose seq is above every used
   * one is new, so it is logged here (plain numbers, no boxed map keys) and moved into `attempts` only
   * when a lookup or a checkpoint reads the map. A grid's orders all have new seqs: it never reads it.
   */
  private readonly freshSlots: number[] = [];
  /**
   * The highest seq of a used slot: a slot with a higher seq has used no attempt, which spares the
   * attempt map a lookup for the usual order (a grid numbers every order it places with a new seq).
   */
  private highestSeq = -1;
  private readonly ns: string;
  private readonly botShortId: number;
  private encoder: ClientOrderIdEncoder | undefined;
  /**
   * Ids peeked but not committed, by slot number · 36 + attempt: an order the gate denied is usually
   * tried again at the next step with the same id. A committed id is not asked for again until its
   * slot's attempts wrap around, so those are not kept.
   */
  private readonly ids = new Map<number, string>();
  /** The last peek (slot −1 once committed), which the commit that usually follows uses up. */
  private peekedSlot = -1;
  private peekedAttempt = 0;
  private peekedId = '';
  private peekedCacheable = false;

  /** The book of bot `botShortId` in namespace `ns`; `clock` times how long ended orders stay known. */
  constructor(ns: string, botShortId: number, clock: Clock) {
    this.ns = ns;
    this.botShortId = botShortId;
    this.clock = clock;
  }

  /** The client order id the next order for (seq, role, idx) gets; `commitClientOrderId` uses it up. */
  peekClientOrderId(seq: number, role: OrderRole, idx: number): string {
    this.keepUncommittedPeek();
    const slot = slotNumber(seq, role, idx);
    const attempt = seq > this.highestSeq ? 0 : (this.usedAttempts().get(slot) ?? 0);
    // Out-of-range fields could alias another slot's number: they go to the encoder, which refuses them.
    const cacheable = inRange(seq, idx);
    const known = cacheable && this.ids.size > 0 ? this.ids.get(slot * 36 + (attempt % 36)) : undefined;
    // Made at the first order, so a bad namespace is reported where the id is needed, as before.
    this.encoder ??= new ClientOrderIdEncoder(this.ns, this.botShortId);
    const id = known ?? this.encoder.encode(seq, role, idx, attempt % 36);
    this.peekedSlot = slot;
    this.peekedAttempt = attempt;
    this.peekedId = id;
    this.peekedCacheable = cacheable;
    return id;
  }

  /** Keeps the id of the previous peek when it was not committed (see `ids`). */
  private keepUncommittedPeek(): void {
    if (this.peekedSlot === -1 || !this.peekedCacheable) return;
    if (this.ids.size >= MAX_CACHED_IDS) this.ids.clear();
    this.ids.set(this.peekedSlot * 36 + (this.peekedAttempt % 36), this.peekedId);
    this.peekedSlot = -1;
  }

  /** Uses up the current attempt of (seq, role, idx): the order was recorded and will be sent. */
  commitClientOrderId(seq: number, role: OrderRole, idx: number): void {
    const slot = slotNumber(seq, role, idx);
    if (seq > this.highestSeq && inRange(seq, idx)) this.freshSlots.push(slot);
    else {
      const used = slot === this.peekedSlot ? this.peekedAttempt : (this.usedAttempts().get(slot) ?? 0);
      this.attempts.set(slot, used + 1);
    }
    if (seq > this.highestSeq) this.highestSeq = seq;
    this.peekedSlot = -1;
  }

  /** The attempt map with the fresh slots moved in. */
  private usedAttempts(): Map<number, number> {
    for (const slot of this.freshSlots) this.attempts.set(slot, 1);
    this.freshSlots.length = 0;
    return this.attempts;
  }

  /** Adds an order in state `Intent`. */
  add(
    record: Omit<OrderRecord, 'status' | 'filled' | 'tradeIds' | 'notional'> & { readonly notional?: Dec },
  ): OrderRecord {
    // Every field written out: records are made per order, and one fixed shape keeps them cheap.
    const full: OrderRecord = {
      key: record.key,
      clientOrderId: record.clientOrderId,
      role: record.role,
      idx: record.idx,
      request: record.request,
      reserved: record.reserved,
      status: 'Intent',
      filled: '0',
      tradeIds: NO_TRADES,
      notional: record.notional,
    };
    this.byKey.set(record.key, full);
    this.byClientId.set(record.clientOrderId, full);
    return full;
  }

  /** The live (non-terminal) order with this key, if any. */
  live(key: string): OrderRecord | undefined {
    const r = this.byKey.get(key);
    return r && !TERMINAL_ORDER_STATES.has(r.status) ? r : undefined;
  }

  byClientOrderId(clientOrderId: string): OrderRecord | undefined {
    return this.byClientId.get(clientOrderId);
  }

  /** Moves an order to `to` (a same-state update is a no-op); throws on a transition the table forbids. */
  transition(record: OrderRecord, to: OrderStatus): boolean {
    if (record.status === to && to !== 'PartiallyFilled') return false;
    if (!canTransition(record.status, to)) {
      throw new OrderTransitionError(
        `order ${record.clientOrderId} (${record.key}): ${record.status} → ${to} is not allowed`,
      );
    }
    record.status = to;
    if (TERMINAL_ORDER_STATES.has(to)) this.forget(record);
    return true;
  }

  /** Adds a fill quantity; false when the trade id was seen already (duplicate update). */
  addFill(record: OrderRecord, tradeId: string, qty: Dec): boolean {
    if (record.tradeIds.has(tradeId)) return false;
    if (record.tradeIds === NO_TRADES) record.tradeIds = new TradeIds();
    record.tradeIds.add(tradeId);
    // The usual fill, the whole order at once, needs no sum: 0 + amount is the amount's own text when
    // that is canonical (toStep writes it so), as `add` would write it.
    const whole = record.filled === '0' && qty === record.request.amount && canonicalFractionDigits(qty) >= 0;
    record.filled = whole ? qty : add(record.filled, qty);
    return true;
  }

  /** Every live order, in placement order. */
  liveOrders(): OrderRecord[] {
    return [...this.byKey.values()];
  }

  /** Count of live orders (terminal ones leave the key index at once). */
  get openCount(): number {
    return this.byKey.size;
  }

  /** Attempts used per (seq, role, idx) slot, for checkpoints (sorted: deterministic). */
  attemptSlots(): [string, number][] {
    const slots = [...this.usedAttempts()].map(([slot, used]): [string, number] => [slotName(slot), used]);
    return slots.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Restores a checkpointed book: live orders (with their fills so far) and used attempts. */
  restore(records: readonly OrderRecord[], attempts: readonly (readonly [string, number])[]): void {
    this.peekedSlot = -1;
    const used = this.usedAttempts();
    for (const [name, count] of attempts) {
      const slot = slotOf(name);
      if (slot === undefined)
        throw new Error(`order book: checkpoint attempt slot "${name}" is not seq:role:idx`);
      used.set(slot, count);
      this.highestSeq = Math.max(this.highestSeq, slotParts(slot).seq);
    }
    for (const record of records) {
      this.byKey.set(record.key, record);
      this.byClientId.set(record.clientOrderId, record);
    }
  }

  private forget(record: OrderRecord): void {
    // Terminal orders leave the key index so the key can be reused; the client-id index keeps them a
    // little longer because late fills may still name them (dca-twap-risk.md §8.5).
    if (this.byKey.get(record.key) === record) this.byKey.delete(record.key);
    const now = this.clock.now();
    this.ended.push(record, now);
    this.ended.expire(now, this.unindex);
  }
}

/** The order as the engine knows it, in the shape venues report orders. */
export function snapshotOf(record: OrderRecord, ts: number): OrderSnapshot {
  const r = record.request;
  return {
    clientOrderId: r.clientOrderId,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    ...(r.price === undefined ? {} : { price: r.price }),
    amount: r.amount,
    filled: record.filled,
    status: record.status,
    ts,
  };
}
