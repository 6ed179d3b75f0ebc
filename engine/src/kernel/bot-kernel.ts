/**
 * The kernel of one bot run: feeds events to the strategy reducer, turns its intents into orders
 * through the risk gate and the order book, keeps the bot's ledger from fills, and records every
 * DESIGN §7 event in order. It never branches on strategy kind and does no I/O: exchange calls leave
 * as commands that a runner (backtest, paper or live: kernel/runner.ts) executes, reporting back here.
 */
import type { Dec } from '../core/decimal.ts';
import { botShortId, runIdOf } from '../core/ids.ts';
import type { Bar } from '../model/market.ts';
import type { OrderSnapshot } from '../model/orders.ts';
import type { ExchangeUpdate } from '../ports/exchange.ts';
import { basicRiskGate } from '../risk/gate.ts';
import { MetricsRecorder, type Metrics } from '../metrics/metrics.ts';
import { EventLog } from './event-log.ts';
import { positionSnapshot, signalRecord } from './positions.ts';
import {
  bookFunding,
  liquidateOnCross,
  recordFinish,
  recordMetrics,
  recordStart,
  type SavedStrategy,
} from './run-events.ts';
import type { WakeLevels } from './wake.ts';
import { PriceWatch } from './price-watch.ts';
import { StrategySteps } from './strategy-steps.ts';
import { BotLedger } from './ledger.ts';
import { StepContext } from './contexts.ts';
import { BotOrderBook, type OrderRecord } from './order-book.ts';
import { OrderFlow, type Command } from './order-flow.ts';
import type { BotKernelOptions } from './options.ts';
import type { CloseAction, StrategyContext, StrategyEvent } from './strategy.ts';

export type { SavedStrategy } from './run-events.ts';
export type { Command } from './order-flow.ts';
export type { BotKernelOptions } from './options.ts';
export { metricsRecord } from './positions.ts';

const MAX_WAKE_REPEATS = 16;

/** The kernel of one bot run. */
export class BotKernel {
  readonly options: BotKernelOptions;
  readonly log: EventLog;
  readonly ledger: BotLedger;
  readonly book: BotOrderBook;
  readonly metrics: MetricsRecorder;
  readonly flow: OrderFlow;
  private readonly params: unknown;
  private readonly steps: StrategySteps;
  private readonly watch: PriceWatch;
  private readonly wake: WakeLevels;
  price: Dec | undefined;
  priceF = Number.NaN;
  phaseLabel = 'STARTING';
  finished = false;
  faulted = false;
  /** A paused bot hears no market events (bars, prices, timers); its orders' fills still reach it. */
  paused = false;

  constructor(options: BotKernelOptions) {
    this.options = options;
    const { market, strategy } = options;
    this.log = new EventLog({ ...options, runId: runIdOf(options.botKey, options.runNumber) });
    this.ledger = BotLedger.forMarket(strategy.futures, options.budget, market);
    this.book = new BotOrderBook(options.ns ?? 'tt', botShortId(options.botKey), options.clock);
    this.metrics = new MetricsRecorder('0', options.clock.now());
    this.flow = new OrderFlow(
      this,
      options.riskGate ?? basicRiskGate(),
      options.takerFeeRate ?? market.taker,
      strategy.ignoredOrderEvents,
    );
    this.params = strategy.normalizeParams(options.params);
    this.watch = new PriceWatch(this.ledger, options.simulateLiquidation === true);
    this.wake = this.watch.wake;
    this.steps = new StrategySteps(this, this.wake);
  }

  /** Starts the run at `price`: BotRunStarted, the strategy's initial state, and its `start` event. */
  start(price: Dec, expectedBars?: number): void {
    this.setPrice(price, Number(price));
    const initialEquity = this.ledger.equity(price);
    const now = this.options.clock.now();
    (this as { metrics: MetricsRecorder }).metrics = new MetricsRecorder(initialEquity, now, expectedBars);
    recordStart(this, this.params, initialEquity);
    const { strategy } = this.options;
    this.steps.state = strategy.init(this.params, this.context());
    this.phaseLabel = strategy.phase(this.steps.state);
    this.deliver({ type: 'start', ts: this.options.clock.now(), price });
  }

  /** The strategy's context for the next call (the ledger as it stands now). */
  context(): StrategyContext {
    const { clock, market } = this.options;
    return new StepContext(clock.now(), market, this.ledger, this.price, this.options);
  }

  /** Queues a strategy event and runs the strategy until nothing is queued. */
  deliver(event: StrategyEvent): void {
    this.steps.deliver(event);
  }

  /** Records a phase change (a terminal one finishes the run). */
  transition(to: string, reason: string, terminal = false): void {
    this.log.emit('StateTransition', { from: this.phaseLabel, to, reason });
    this.phaseLabel = to;
    if (terminal) this.finished = true;
  }

  /**
   * Circuit breaker (DESIGN §6, consecutive errors): the venue refused `count` orders in a row without
   * the market moving, so the strategy would only ask again. The bot stops acting; the rest run on.
   */
  haltAfterRejections(count: number, lastReason: string): void {
    if (this.faulted) return;
    this.faulted = true;
    const reason = `circuit breaker: ${count} orders rejected in a row without the market moving (last: ${lastReason})`;
    this.log.emit('AuditEvent', { actor: 'engine', action: 'halt', reason });
    this.transition('HALTED', reason);
  }

  /** The strategy threw (or ran away): the bot stops acting and records why. */
  fault(event: StrategyEvent, error: unknown): void {
    this.faulted = true;
    const message = error instanceof Error ? error.message : String(error);
    this.transition('FAULTED', `strategy threw on ${event.type}: ${message}`);
  }

  private setPrice(price: Dec, priceF: number): void {
    this.price = price;
    this.priceF = priceF;
  }

  /** The nearest price below the current one the path must stop at for this bot (NaN for none). */
  stopBelowF(): number {
    return this.watch.stopBelowF();
  }

  /** The nearest price above the current one the path must stop at for this bot (NaN for none). */
  stopAboveF(): number {
    return this.watch.stopAboveF();
  }

  /** True when no price within [lowF, highF] would reach this bot and it has no work pending. */
  quietWithin(lowF: number, highF: number): boolean {
    return !this.busy && this.watch.quietWithin(lowF, highF);
  }

  /**
   * The open price band inside which no price reaches this bot (as `quietWithin` decides it), or
   * undefined when every bar matters to it: work is pending or the strategy takes bar events.
   */
  quietBand(): { below: number; above: number } | undefined {
    if (this.busy || (this.wake.bars && !this.paused && !this.faulted)) return undefined;
    return this.watch.quietBand();
  }

  /** The decimal price of the level `stopBelowF`/`stopAboveF` returned. */
  stopDec(level: number): Dec {
    return this.watch.stopDec(level);
  }

  /** The price path reached `price`: liquidation first, then the strategy's price wake-ups. */
  onPrice(price: Dec, priceF: number): void {
    this.setPrice(price, priceF);
    if (this.options.simulateLiquidation === true && this.ledger.qtyF !== 0) liquidateOnCross(this, price);
    if (this.paused || this.faulted) return;
    // Once per stop; again only when the strategy moved its level and the price is past the new one.
    for (let i = 0; i < MAX_WAKE_REPEATS && !this.faulted && this.wake.due(price, priceF); i++) {
      const before = this.wake.version;
      this.deliver({ type: 'price', ts: this.options.clock.now(), price });
      if (this.wake.version === before) break;
    }
  }

  /** A bar closed at `ts`: funding (perpetuals with a funding column), then the strategy's bar event. */
  onBar(bar: Bar, ts: number): void {
    bookFunding(this, bar);
    if (!this.paused && this.wake.bars) this.deliver({ type: 'bar', ts, bar });
  }

  /** Delivers the strategy's timer when it is due at `now`. */
  onTime(now: number): void {
    const at = this.wake.timer;
    if (at !== undefined && at.ts <= now && !this.faulted && !this.paused) {
      this.wake.clearTimer();
      this.deliver({ type: 'timer', ts: now, name: at.name });
    }
  }

  /** The next timer the strategy asked for, if any. */
  nextTimer(): number | undefined {
    return this.wake.timer?.ts;
  }

  /** An exchange update (the kernel ignores other bots' orders). */
  onExchangeUpdate(update: ExchangeUpdate): void {
    if (update.type === 'fill') this.flow.onFill(update.fill);
    else this.flow.onOrder(update.order);
  }

  /** The bot is asked to stop: the strategy hears `stopRequested` and leaves as `closeAction` says. */
  requestStop(closeAction: CloseAction, reason: string): void {
    this.deliver({ type: 'stopRequested', ts: this.options.clock.now(), closeAction, reason });
  }

  /** Records the metrics so far (a MetricsSnapshot at the current price) and returns them. */
  snapshotMetrics(): Metrics {
    return recordMetrics(this, this.ledger.equity(this.price ?? '0'));
  }

  /**
   * A trading signal for this bot (webhook, plugin): recorded as SignalReceived either way; an accepted
   * one reaches the strategy, which can only act through the same risk gate.
   */
  signal(
    source: string,
    action: string,
    payload: Readonly<Record<string, unknown>>,
    idempotencyKey?: string,
  ): boolean {
    const reason = this.faulted ? 'bot is faulted' : this.paused ? 'bot is paused' : undefined;
    const accepted = reason === undefined;
    this.log.emit('SignalReceived', signalRecord(source, action, reason, idempotencyKey));
    if (accepted) this.deliver({ type: 'signal', ts: this.options.clock.now(), action, payload });
    return accepted;
  }

  /** Ends the run: BotRunStopped and the final MetricsSnapshot. Returns the metrics. */
  finish(reason: string, closeAction?: CloseAction): Metrics {
    return recordFinish(this, this.price ?? '0', reason, closeAction);
  }

  /** Records the bot's holdings (after fills, funding and liquidation). */
  snapshotPosition(): void {
    this.log.emit('PositionSnapshot', positionSnapshot(this.ledger, this.options.market.symbol, this.price));
  }

  /** Samples equity and exposure at a bar close (cheap float path). */
  sample(ts: number, closeF: number): void {
    this.metrics.sample(ts, this.ledger.equityF(closeF), this.ledger.exposureF(closeF));
  }

  /** Samples a run of quiet bars (`from`…`to − 1`) at their closes; the position is the same through them. */
  sampleRun(ts: Float64Array, close: Float64Array, from: number, to: number, timeframeMs: number): void {
    this.metrics.sampleRun(ts, close, from, to, timeframeMs, this.ledger.equityLineF());
  }

  /** What a checkpoint keeps of the strategy side of the run (state is plain JSON by contract). */
  saved(): SavedStrategy {
    const { phaseLabel, finished, faulted, paused, price } = this;
    return { state: this.steps.state, wake: this.wake.request, phaseLabel, finished, faulted, paused, price };
  }

  /** Continues a checkpointed run instead of `start`: no BotRunStarted, the strategy is not re-initialised. */
  restoreSaved(saved: SavedStrategy): void {
    this.steps.state = saved.state;
    this.wake.set(saved.wake);
    Object.assign(this, { phaseLabel: saved.phaseLabel, finished: saved.finished, faulted: saved.faulted });
    this.paused = saved.paused;
    if (saved.price !== undefined) this.setPrice(saved.price, Number(saved.price));
  }

  /** The strategy's phase label. */
  phase(): string {
    return this.faulted ? this.phaseLabel : this.options.strategy.phase(this.steps.state);
  }

  /** Commands waiting for the runner. */
  takeCommands(): Command[] {
    return this.flow.takeCommands();
  }

  /** True when the runner has work: events to store or commands to execute. */
  get busy(): boolean {
    return this.log.pending || this.flow.hasCommands;
  }

  /** The runner placed an order (or learned its state): apply the venue's answer. */
  onPlaced(record: OrderRecord, snapshot: OrderSnapshot): void {
    this.flow.onPlaced(record, snapshot);
  }
}
