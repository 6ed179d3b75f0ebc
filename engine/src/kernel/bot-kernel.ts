/**
 * The kernel of one bot run: feeds events to the strategy reducer, turns its intents into orders
 * through the risk gate and the order book, keeps the bot's ledger from fills, and records every
 * DESIGN §7 event in order. It never branches on strategy kind and does no I/O: exchange calls leave
 * as commands that a runner (backtest, paper or live: kernel/runner.ts) executes, reporting back here.
 */
import { dec, str, type Dec } from '../core/decimal.ts';
import type { Clock } from '../core/clock.ts';
import { botShortId, runIdOf } from '../core/ids.ts';
import type { Bar, MarketInfo } from '../model/market.ts';
import type { OrderSnapshot } from '../model/orders.ts';
import type { ExchangeUpdate } from '../ports/exchange.ts';
import { basicRiskGate, type RiskGate } from '../risk/gate.ts';
import { MetricsRecorder, type Metrics } from '../metrics/metrics.ts';
import { EventLog } from './event-log.ts';
import { BotLedger } from './ledger.ts';
import { BotOrderBook, type OrderRecord } from './order-book.ts';
import { OrderFlow, type Command } from './order-flow.ts';
import type {
  CloseAction,
  Intent,
  StrategyContext,
  StrategyDefinition,
  StrategyEvent,
  Wake,
} from './strategy.ts';

export type { Command } from './order-flow.ts';

/** Everything one run needs. */
export interface BotKernelOptions {
  readonly botKey: string;
  readonly runNumber: number;
  readonly revision: string;
  readonly account: string;
  readonly mode: 'backtest' | 'paper' | 'sandbox' | 'live';
  readonly strategy: StrategyDefinition<unknown, unknown>;
  /** Params as given (the strategy normalises them). */
  readonly params: unknown;
  readonly market: MarketInfo;
  readonly clock: Clock;
  /** The bot's own budget: quote (spot quote or futures wallet) and base (spot). */
  readonly budget: { readonly quote: Dec; readonly base?: Dec };
  readonly riskGate?: RiskGate;
  /** Fee rates the venue charges (for budgeting fees paid in quote). */
  readonly takerFeeRate?: Dec;
  /** Liquidate futures positions when the mark crosses the liquidation price (paper and backtests). */
  readonly simulateLiquidation?: boolean;
  /** Client id namespace prefix (2 base36 chars). */
  readonly ns?: string;
  readonly lastSeq?: number;
}

const MAX_WAKE_REPEATS = 16;
const MAX_STEPS_PER_DELIVERY = 1_000;

/** The kernel of one bot run. */
export class BotKernel {
  readonly options: BotKernelOptions;
  readonly log: EventLog;
  readonly ledger: BotLedger;
  readonly book: BotOrderBook;
  readonly metrics: MetricsRecorder;
  readonly flow: OrderFlow;
  private readonly params: unknown;
  private state: unknown;
  private wake: Wake | undefined;
  /** Float images of the wake levels (NaN when none). */
  wakeBelowF = Number.NaN;
  wakeAboveF = Number.NaN;
  price: Dec | undefined;
  priceF = Number.NaN;
  phaseLabel = 'STARTING';
  finished = false;
  faulted = false;
  /** A paused bot hears no market events (bars, prices, timers); its orders' fills still reach it. */
  paused = false;
  private readonly inbox: StrategyEvent[] = [];
  private draining = false;

  constructor(options: BotKernelOptions) {
    this.options = options;
    const { market, strategy } = options;
    this.log = new EventLog({
      botKey: options.botKey,
      runId: runIdOf(options.botKey, options.runNumber),
      revision: options.revision,
      clock: options.clock,
      ...(options.lastSeq === undefined ? {} : { lastSeq: options.lastSeq }),
    });
    this.ledger = new BotLedger({
      futures: strategy.futures,
      quote: options.budget.quote,
      ...(options.budget.base === undefined ? {} : { base: options.budget.base }),
      baseAsset: market.base,
      quoteAsset: market.settle ?? market.quote,
      ...(market.maintenanceMarginRate === undefined ? {} : { mmr: market.maintenanceMarginRate }),
    });
    this.book = new BotOrderBook(options.ns ?? 'tt', botShortId(options.botKey));
    this.metrics = new MetricsRecorder('0', options.clock.now());
    this.flow = new OrderFlow(
      this,
      options.riskGate ?? basicRiskGate(),
      options.takerFeeRate ?? market.taker,
    );
    this.params = strategy.normalizeParams(options.params);
  }

  /** Starts the run at `price`: BotRunStarted, the strategy's initial state, and its `start` event. */
  start(price: Dec, expectedBars?: number): void {
    this.setPrice(price, Number(price));
    const initialEquity = this.ledger.equity(price);
    (this as { metrics: MetricsRecorder }).metrics = new MetricsRecorder(
      initialEquity,
      this.options.clock.now(),
      expectedBars,
    );
    const { strategy, account, market, mode } = this.options;
    this.log.emit('BotRunStarted', {
      strategy: strategy.kind,
      account,
      market: market.symbol,
      params: this.params,
      mode,
      initialEquity,
    });
    this.state = strategy.init(this.params, this.context());
    this.phaseLabel = strategy.phase(this.state);
    this.deliver({ type: 'start', ts: this.options.clock.now(), price });
  }

  /** The strategy's context for the next call (the ledger as it stands now). */
  context(): StrategyContext {
    return {
      now: this.options.clock.now(),
      market: this.options.market,
      ledger: this.ledger.view(this.price),
      botKey: this.options.botKey,
      runNumber: this.options.runNumber,
    };
  }

  /** Queues a strategy event and runs the strategy until nothing is queued. */
  deliver(event: StrategyEvent): void {
    this.inbox.push(event);
    if (this.draining) return;
    this.draining = true;
    try {
      let steps = 0;
      for (let next = this.inbox.shift(); next !== undefined; next = this.inbox.shift()) {
        // A strategy that answers its own events forever (e.g. re-placing a denied order) is a fault.
        if (++steps > MAX_STEPS_PER_DELIVERY) {
          this.inbox.length = 0;
          this.fault(
            next,
            new Error(`more than ${MAX_STEPS_PER_DELIVERY} steps without waiting for the market`),
          );
          break;
        }
        this.step(next);
      }
    } finally {
      this.draining = false;
    }
  }

  private step(event: StrategyEvent): void {
    if (this.faulted) return;
    const { strategy } = this.options;
    let result;
    try {
      result = strategy.onEvent(this.state, event, this.context());
    } catch (error) {
      this.fault(event, error);
      return;
    }
    this.state = result.state;
    this.setWake(result.wake);
    if (result.roundTrips) for (const trip of result.roundTrips) this.metrics.recordRoundTrip(trip.pnl);
    for (const intent of result.intents) this.apply(intent);
  }

  private apply(intent: Intent): void {
    switch (intent.type) {
      case 'place':
        this.flow.place(intent);
        return;
      case 'cancel':
        this.flow.cancel(intent.key);
        return;
      case 'amend':
        this.flow.amend(intent);
        return;
      case 'transition':
        this.log.emit('StateTransition', { from: this.phaseLabel, to: intent.to, reason: intent.reason });
        this.phaseLabel = intent.to;
        if (intent.terminal === true) this.finished = true;
        return;
      case 'roundTrip':
        // Same meaning as `StrategyResult.roundTrips` (strategies may report either way, never both).
        this.metrics.recordRoundTrip(intent.pnl);
        return;
      case 'setLeverage':
        this.ledger.setLeverage(intent.leverage);
        this.log.emit('AuditEvent', {
          actor: 'strategy',
          action: 'setLeverage',
          reason: `leverage ${intent.leverage}, ${intent.marginMode} margin`,
        });
        return;
    }
  }

  private fault(event: StrategyEvent, error: unknown): void {
    this.faulted = true;
    const message = error instanceof Error ? error.message : String(error);
    this.log.emit('StateTransition', {
      from: this.phaseLabel,
      to: 'FAULTED',
      reason: `strategy threw on ${event.type}: ${message}`,
    });
    this.phaseLabel = 'FAULTED';
  }

  private setWake(wake: Wake | undefined): void {
    // Strategies usually return the same levels step after step: parse a level only when it changed.
    if (wake?.below !== this.wake?.below)
      this.wakeBelowF = wake?.below === undefined ? Number.NaN : Number(wake.below);
    if (wake?.above !== this.wake?.above)
      this.wakeAboveF = wake?.above === undefined ? Number.NaN : Number(wake.above);
    this.wake = wake;
  }

  private setPrice(price: Dec, priceF: number): void {
    this.price = price;
    this.priceF = priceF;
  }

  /** The lowest price below the current one the path must stop at for this bot (NaN for none). */
  stopBelowF(): number {
    const liq =
      this.ledger.qtyF > 0 && this.options.simulateLiquidation === true
        ? this.ledger.liquidationF
        : Number.NaN;
    return Number.isNaN(liq)
      ? this.wakeBelowF
      : Number.isNaN(this.wakeBelowF)
        ? liq
        : Math.max(liq, this.wakeBelowF);
  }

  /** The nearest price above the current one the path must stop at for this bot (NaN for none). */
  stopAboveF(): number {
    const liq =
      this.ledger.qtyF < 0 && this.options.simulateLiquidation === true
        ? this.ledger.liquidationF
        : Number.NaN;
    return Number.isNaN(liq)
      ? this.wakeAboveF
      : Number.isNaN(this.wakeAboveF)
        ? liq
        : Math.min(liq, this.wakeAboveF);
  }

  /** The decimal price of the level `stopBelowF`/`stopAboveF` returned. */
  stopDec(level: number): Dec {
    const lp = this.ledger.liquidation;
    if (lp !== undefined && level === this.ledger.liquidationF) return lp;
    if (level === this.wakeBelowF && this.wake?.below !== undefined) return this.wake.below;
    if (level === this.wakeAboveF && this.wake?.above !== undefined) return this.wake.above;
    return String(level);
  }

  /** The price path reached `price`: liquidation first, then the strategy's price wake-ups. */
  onPrice(price: Dec, priceF: number): void {
    this.setPrice(price, priceF);
    if (this.options.simulateLiquidation === true && this.ledger.qtyF !== 0) this.checkLiquidation();
    if (this.paused) return;
    for (let i = 0; i < MAX_WAKE_REPEATS && this.wakeDue(price, priceF); i++) {
      this.deliver({ type: 'price', ts: this.options.clock.now(), price });
    }
  }

  private wakeDue(price: Dec, priceF: number): boolean {
    if (this.faulted || this.wake === undefined) return false;
    const below = this.wakeBelowF;
    const above = this.wakeAboveF;
    const hitBelow = priceF < below || (priceF === below && dec(price).lessThanOrEqualTo(this.wake.below!));
    const hitAbove =
      priceF > above || (priceF === above && dec(price).greaterThanOrEqualTo(this.wake.above!));
    return hitBelow || hitAbove;
  }

  private checkLiquidation(): void {
    const lp = this.ledger.liquidation;
    if (lp === undefined || Number.isNaN(this.ledger.liquidationF)) return;
    const long = this.ledger.qtyF > 0;
    const crossed = long ? dec(this.price!).lessThanOrEqualTo(lp) : dec(this.price!).greaterThanOrEqualTo(lp);
    if (!crossed) return;
    const position = this.ledger.position;
    const loss = this.ledger.liquidate();
    this.metrics.recordLiquidation(loss);
    const reason = `mark ${this.price!} crossed liquidation price ${lp}: ${position.qty} at entry ${position.entryPrice} closed, margin ${loss} lost`;
    this.log.emit('AuditEvent', {
      actor: 'exchange',
      action: 'liquidation',
      reason,
      details: {
        qty: position.qty,
        entryPrice: position.entryPrice,
        liquidationPrice: lp,
        mark: this.price!,
        loss,
      },
    });
    this.log.emit('StateTransition', { from: this.phaseLabel, to: 'LIQUIDATED', reason });
    this.phaseLabel = 'LIQUIDATED';
    this.snapshotPosition();
    this.flow.cancelAll();
    this.deliver({ type: 'liquidated', ts: this.options.clock.now(), price: this.price!, loss });
  }

  /** A bar closed at `ts`: funding (perpetuals with a funding column), then the strategy's bar event. */
  onBar(bar: Bar, ts: number): void {
    if (bar.fundingRate !== undefined && this.ledger.futures && this.ledger.qtyF !== 0) {
      const paid = this.ledger.applyFunding(bar.close, bar.fundingRate);
      this.log.emit('AuditEvent', {
        actor: 'exchange',
        action: 'funding',
        reason: `funding rate ${bar.fundingRate}: ${paid} to margin`,
      });
      this.snapshotPosition();
    }
    if (!this.paused) this.deliver({ type: 'bar', ts, bar });
  }

  /** Delivers the strategy's timer when it is due at `now`. */
  onTime(now: number): void {
    const at = this.wake?.at;
    if (at !== undefined && at.ts <= now && !this.faulted && !this.paused) {
      const { at: _done, ...rest } = this.wake!;
      this.wake = rest;
      this.deliver({ type: 'timer', ts: now, name: at.name });
    }
  }

  /** The next timer the strategy asked for, if any. */
  nextTimer(): number | undefined {
    return this.wake?.at?.ts;
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
    const metrics = this.metrics.summarize(this.ledger.equity(this.price ?? '0'));
    this.log.emit('MetricsSnapshot', { metrics: metricsRecord(metrics) });
    return metrics;
  }

  /**
   * A trading signal for this bot (webhook, plugin): recorded as SignalReceived either way; an accepted
   * one reaches the strategy, which can only act through the same risk gate.
   */
  signal(source: string, action: string, payload: Readonly<Record<string, unknown>>, idempotencyKey?: string): boolean {
    const accepted = !this.faulted && !this.paused;
    const reason = this.faulted ? 'bot is faulted' : this.paused ? 'bot is paused' : undefined;
    this.log.emit('SignalReceived', {
      source,
      accepted,
      action,
      ...(reason === undefined ? {} : { reason }),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    });
    if (accepted) this.deliver({ type: 'signal', ts: this.options.clock.now(), action, payload });
    return accepted;
  }

  /** Ends the run: BotRunStopped and the final MetricsSnapshot. Returns the metrics. */
  finish(reason: string, closeAction?: CloseAction): Metrics {
    const finalEquity = this.ledger.equity(this.price ?? '0');
    const metrics = this.metrics.summarize(finalEquity);
    this.log.emit('MetricsSnapshot', { metrics: metricsRecord(metrics) });
    this.log.emit('BotRunStopped', {
      reason,
      ...(closeAction === undefined ? {} : { closeAction }),
      finalEquity,
    });
    return metrics;
  }

  /** Records the bot's holdings (after fills, funding and liquidation). */
  snapshotPosition(): void {
    const l = this.ledger;
    const qty = dec(l.position.qty);
    this.log.emit('PositionSnapshot', {
      symbol: this.options.market.symbol,
      base: l.base,
      quote: l.quote,
      ...(l.futures
        ? {
            side: qty.isZero() ? 'flat' : qty.isPositive() ? 'buy' : 'sell',
            entryPrice: l.position.entryPrice,
            contracts: str(qty.abs()),
            margin: l.margin,
            unrealizedPnl:
              this.price === undefined ? '0' : str(qty.times(dec(this.price).minus(l.position.entryPrice))),
            ...(l.liquidation === undefined ? {} : { liquidationPrice: l.liquidation }),
          }
        : {}),
    });
  }

  /** Samples equity and exposure at a bar close (cheap float path). */
  sample(ts: number, closeF: number): void {
    this.metrics.sample(ts, this.ledger.equityF(closeF), this.ledger.exposureF(closeF));
  }

  /** The strategy's phase label. */
  phase(): string {
    return this.faulted ? 'FAULTED' : this.options.strategy.phase(this.state);
  }

  /** Commands waiting for the runner. */
  takeCommands(): Command[] {
    return this.flow.takeCommands();
  }

  /** True when the runner has work: events to store or commands to execute. */
  get busy(): boolean {
    return this.log.pending || this.flow.hasCommands;
  }

  /** The order record for a client id (runner use). */
  order(clientOrderId: string): OrderRecord | undefined {
    return this.book.byClientOrderId(clientOrderId);
  }

  /** The runner placed an order (or learned its state): apply the venue's answer. */
  onPlaced(record: OrderRecord, snapshot: OrderSnapshot): void {
    this.flow.onPlaced(record, snapshot);
  }
}

/** Metrics as a flat record for the MetricsSnapshot event. */
export function metricsRecord(m: Metrics): Readonly<Record<string, Dec | number>> {
  return { ...m };
}
