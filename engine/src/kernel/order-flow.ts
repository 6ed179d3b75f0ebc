/**
 * The order manager of one bot: place/cancel/amend intents become rounded requests, pass the risk gate
 * (a denial is a RiskDenied event and a `rejected` order event, never an exception), are recorded
 * write-ahead (OrderIntent) and leave as commands; venue answers and fills come back here, move the
 * order through the one transition table, update the ledger and reach the strategy as order events.
 */
import { abs, div, gt, gte, isNeg, mul, sub, type Dec } from '../core/decimal.ts';
import type { Fill, OrderRequest, OrderSnapshot } from '../model/orders.ts';
import type { EventLog } from './event-log.ts';
import type { BotLedger } from './ledger.ts';
import { snapshotOf, type BotOrderBook, type OrderRecord } from './order-book.ts';
import type { MetricsRecorder } from '../metrics/metrics.ts';
import type { RiskGate } from '../risk/gate.ts';
import { buildRequest, intentRequest, replacementOf, slippageOf } from './requests.ts';
import { OrderRiskContext } from './contexts.ts';
import { PendingCancels, type CancelCommand } from './cancels.ts';
import { fillEvent, STATUS_EVENT, statusEvent } from './order-events.ts';
import type { AmendIntent, OrderEventStatus, PlaceIntent, StrategyEvent } from './strategy.ts';
import type { MarketInfo } from '../model/market.ts';
import type { Clock } from '../core/clock.ts';

/** An exchange call for the runner to make. A cancel with `then` places the replacement once cancelled. */
export type Command = { readonly type: 'place'; readonly record: OrderRecord } | Readonly<CancelCommand>;

/** What the order manager needs from its kernel. */
export interface FlowHost {
  readonly log: EventLog;
  readonly ledger: BotLedger;
  readonly book: BotOrderBook;
  readonly metrics: MetricsRecorder;
  readonly price: Dec | undefined;
  readonly options: { readonly market: MarketInfo; readonly runNumber: number; readonly clock: Clock };
  deliver(event: StrategyEvent): void;
  snapshotPosition(): void;
}

/** Places, cancels and tracks the orders of one bot. */
export class OrderFlow {
  private readonly host: FlowHost;
  private gate: RiskGate;
  private readonly feeRate: Dec;
  private commands: Command[] = [];
  /** Cancels not yet confirmed: a place for the same key (or a budget-refused one) waits for them. */
  private readonly cancelling = new PendingCancels();
  /** Order-event statuses the strategy declared it ignores (StrategyDefinition.ignoredOrderEvents). */
  private readonly ignored: ReadonlySet<OrderEventStatus>;

  constructor(host: FlowHost, gate: RiskGate, feeRate: Dec, ignored: readonly OrderEventStatus[] = []) {
    this.host = host;
    this.gate = gate;
    this.feeRate = feeRate;
    this.ignored = new Set(ignored);
  }

  /** Replaces the risk gate: a risk-limit edit applies from the next order on. */
  setGate(gate: RiskGate): void {
    this.gate = gate;
  }

  get hasCommands(): boolean {
    return this.commands.length > 0;
  }

  takeCommands(): Command[] {
    const out = this.commands;
    this.commands = [];
    return out;
  }

  /** Cancels not yet confirmed (checkpoints keep them: a resumed run sends them again). */
  pendingCancels(): ReturnType<PendingCancels['list']> {
    return this.cancelling.list();
  }

  /** A place intent: round, check, record write-ahead, queue. */
  place(intent: PlaceIntent): void {
    const { book, ledger, options } = this.host;
    const market = options.market;
    const price = this.host.price;
    const pendingCancel = this.cancelling.get(intent.key);
    if (pendingCancel && book.live(intent.key) === pendingCancel.record) {
      // Cancel-then-place of the same key (a replaced take-profit): place once the cancel is confirmed.
      pendingCancel.then = intent;
      return;
    }
    const seq = intent.seq ?? options.runNumber;
    const clientOrderId = book.peekClientOrderId(seq, intent.role, intent.idx);
    if (book.live(intent.key))
      return this.deny(intent, clientOrderId, 'duplicate-key', `order key ${intent.key} is already live`);
    if (price === undefined) return this.deny(intent, clientOrderId, 'no-price', 'no market price yet');
    const built = buildRequest(intent, market, clientOrderId, price);
    if (!built.ok) return this.deny(intent, clientOrderId, 'precision', built.reason);
    const request = built.request;
    const valuation = request.price ?? price;
    const increases = this.increases(request);
    // Computed once: the gate's minimum, budget and cap checks and the reservation all use it.
    const notional = mul(request.amount, valuation);
    const facts = {
      request,
      market,
      price: valuation,
      increases,
      openOrders: book.openCount,
      feeRate: this.feeRate,
      role: intent.role,
      notional,
    };
    const decision = this.gate.evaluate(new OrderRiskContext(facts, ledger));
    if (!decision.allow) {
      // Balance held by an order being cancelled is not free until the cancel is confirmed (it may
      // still fill; dca-twap-risk §8.6), so wait for it instead of refusing: e.g. a stop's market
      // close sent in the same batch as the cancel of the take-profit that holds the base.
      if (decision.check === 'budget' && this.cancelling.onSide(request.side))
        return this.cancelling.defer(intent);
      return this.denyRequest(intent, request, decision.check, decision.reason);
    }
    book.commitClientOrderId(seq, intent.role, intent.idx);
    const reserved = ledger.reserveNotional(request.side, request.amount, notional, increases);
    const record = book.add({
      key: intent.key,
      clientOrderId,
      role: intent.role,
      idx: intent.idx,
      request,
      reserved,
      notional,
    });
    book.transition(record, 'PendingSubmit');
    this.host.log.emit('OrderIntent', { request, role: intent.role, idx: intent.idx });
    this.commands.push({ type: 'place', record });
  }

  private increases(request: OrderRequest): boolean {
    const ledger = this.host.ledger;
    if (!ledger.futures) return true;
    if (request.reduceOnly === true) return false;
    const qty = ledger.position.qty;
    const opposite = request.side === 'buy' ? isNeg(qty) : gt(qty, '0');
    return !opposite || gt(request.amount, abs(qty));
  }

  /** Denies an intent refused before its request could be built: the record shows the intent as given. */
  private deny(intent: PlaceIntent, clientOrderId: string, check: string, reason: string): void {
    this.denyRequest(
      intent,
      intentRequest(intent, this.host.options.market.symbol, clientOrderId),
      check,
      reason,
    );
  }

  private denyRequest(intent: PlaceIntent, request: OrderRequest, check: string, reason: string): void {
    this.host.log.emit('RiskDenied', { request, check, reason });
    this.orderEvent(intent.key, 'rejected', { filled: '0', request }, `${check}: ${reason}`);
  }

  /** A cancel intent for a live order (a key that is not live is already done: nothing to do). */
  cancel(key: string): void {
    const record = this.host.book.live(key);
    if (!record || this.cancelling.get(key)?.record === record) return;
    const command: CancelCommand = { type: 'cancel', record };
    this.cancelling.track(command);
    this.commands.push(command);
  }

  /** The runner finished a cancel command: forget it; the replacement (if any) is the runner's to place. */
  cancelDone(record: OrderRecord): void {
    // Retry the deferred places whose side has no cancel left in flight (a second refusal is final).
    for (const intent of this.cancelling.done(record)) this.place(intent);
  }

  /** Amend as cancel-then-place: the replacement goes out only after the cancel is confirmed. */
  amend(intent: AmendIntent): void {
    const record = this.host.book.live(intent.key);
    if (!record) return;
    const then = replacementOf(record, intent);
    const command: CancelCommand = { type: 'cancel', record, then };
    this.cancelling.track(command);
    this.commands.push(command);
  }

  /** Cancels every live order (liquidation, stop). */
  cancelAll(): void {
    for (const record of this.host.book.liveOrders()) this.cancel(record.key);
  }

  /** The venue acknowledged a placement. */
  onPlaced(record: OrderRecord, snapshot: OrderSnapshot): void {
    const { clientOrderId } = record;
    const { exchangeOrderId } = snapshot;
    this.host.log.emit(
      'OrderSubmitted',
      exchangeOrderId === undefined ? { clientOrderId } : { clientOrderId, exchangeOrderId },
    );
    // The usual answer names the order just placed, still awaiting it: a live record is the one the book
    // indexes under its id, so the lookup would find this record again.
    const known = snapshot.clientOrderId === clientOrderId && record.status === 'PendingSubmit';
    this.applyOrder(known ? record : this.host.book.byClientOrderId(snapshot.clientOrderId), snapshot);
  }

  /** An order update from the venue. Fill-driven states are left to the fills. */
  onOrder(snapshot: OrderSnapshot): void {
    this.applyOrder(this.host.book.byClientOrderId(snapshot.clientOrderId), snapshot);
  }

  /** Applies an order update to `record`, the book's record of the order it names (if any). */
  private applyOrder(record: OrderRecord | undefined, snapshot: OrderSnapshot): void {
    const status = snapshot.status;
    if (!record || status === 'Filled' || status === 'PartiallyFilled' || status === record.status) return;
    if (status === 'Open' && record.status !== 'PendingSubmit' && record.status !== 'Unknown') return;
    this.host.book.transition(record, status);
    this.host.log.emit('OrderUpdated', { order: snapshot });
    if (status !== 'Open') this.releaseAll(record);
    const event = STATUS_EVENT[status];
    // The strategy already replaced an order it cancelled (same key): the old order's end is not news.
    const replaced = status === 'Cancelled' && this.cancelling.get(record.key)?.then !== undefined;
    if (event && !replaced) this.orderEvent(record.key, event, record, snapshot.reason);
  }

  /** The venue definitely refused the order. */
  onRejected(record: OrderRecord, code: string, message: string): void {
    this.onOrder({
      ...snapshotOf(record, this.host.options.clock.now()),
      status: 'Rejected',
      reason: `${code}: ${message}`,
    });
  }

  /** The submit outcome is unknown: the runner looks the order up. */
  onUnknown(record: OrderRecord, reason: string): void {
    this.host.book.transition(record, 'Unknown');
    this.host.log.emit('OrderUpdated', {
      order: { ...snapshotOf(record, this.host.options.clock.now()), status: 'Unknown', reason },
    });
  }

  /** An unknown submit was not found after every lookup: proven absent, the strategy may try again. */
  onNotPlaced(record: OrderRecord): void {
    this.onOrder({
      ...snapshotOf(record, this.host.options.clock.now()),
      status: 'NotPlaced',
      reason: 'not found after repeated lookups',
    });
  }

  /** A fill, deduplicated by trade id; other bots' fills are ignored. */
  onFill(fill: Fill): void {
    const { book, ledger, log, metrics } = this.host;
    const record = book.byClientOrderId(fill.clientOrderId);
    if (!record) return;
    const filledBefore = record.filled;
    if (!book.addFill(record, fill.tradeId, fill.qty)) return;
    const request = record.request;
    const amount = request.amount;
    // Equal text is an equal value: the usual single full fill needs no comparison.
    const done = record.filled === amount || gte(record.filled, amount);
    // A partial fill releases its share of the reservation; the last one releases what is left.
    const release = done ? record.reserved : div(mul(record.reserved, fill.qty), sub(amount, filledBefore));
    ledger.release(request.side, release);
    record.reserved = done ? '0' : sub(record.reserved, release);
    // A fill of the whole order at its own limit price has the notional the gate priced it at (the same
    // product of the same two texts), so the ledger need not multiply again.
    const priced = fill.qty === amount && fill.price === request.price ? record.notional : undefined;
    const effect = ledger.applyFill(fill, priced);
    metrics.recordFill(effect.feeQuote, slippageOf(request, fill.price, fill.qty));
    log.emit('OrderFilled', { fill, symbol: request.symbol });
    if (record.status !== 'Cancelled' && record.status !== 'Expired')
      book.transition(record, done ? 'Filled' : 'PartiallyFilled');
    this.host.snapshotPosition();
    this.host.deliver(fillEvent(record, fill, done));
  }

  private releaseAll(record: OrderRecord): void {
    this.host.ledger.release(record.request.side, record.reserved);
    record.reserved = '0';
  }

  private orderEvent(
    key: string,
    status: OrderEventStatus,
    order: { readonly filled: Dec; readonly request: { readonly amount: Dec; readonly price?: Dec } },
    reason?: string,
  ): void {
    // These events never carry a fill; a status the strategy declared it ignores would be a no-op step.
    if (this.ignored.has(status)) return;
    const ts = this.host.options.clock.now();
    this.host.deliver(statusEvent(ts, key, status, order.filled, order.request, reason));
  }
}
