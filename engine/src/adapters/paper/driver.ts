/**
 * Drives one market of the paper exchange and the bots trading it through each bar (DESIGN §6.1): the
 * bar is walked as a price path, open → low → high → close for a bullish bar and open → high → low →
 * close for a bearish one, stopping wherever a resting order fills or a bot asked to be woken (or its
 * position would be liquidated), so what bots do at a stop acts on the rest of the same bar's path.
 * The walk runs synchronously: bots are settled through the venue's immediate calls, so it waits only
 * when the history store has to (a store that does not answer at once).
 *
 * Loops over the bots are indexed: a `for…of` allocates an iterator per loop wherever the code is not
 * fully optimised, and these loops run at every stop of the walk (the allocation profile showed them).
 */
import type { ManualClock } from '../../core/clock.ts';
import type { Dec } from '../../core/decimal.ts';
import type { Bar } from '../../model/market.ts';
import type { BarSeries } from '../../ports/feed.ts';
import type { HistoryStore } from '../../ports/store.ts';
import type { BotKernel } from '../../kernel/bot-kernel.ts';
import { Settler } from '../../kernel/runner.ts';
import type { PaperExchange } from './exchange.ts';
import { firstLoud } from './quiet-run.ts';

const MAX_STOPS_PER_SEGMENT = 100_000;

/** Walks bars of one symbol for a paper exchange and its bots. */
export class PaperMarketDriver {
  readonly symbol: string;
  readonly kernels: BotKernel[] = [];
  private readonly exchange: PaperExchange;
  private readonly clock: ManualClock;
  private readonly settler: Settler;
  private readonly timeframeMs: number;
  // Walk state of the current bar.
  private bar!: Bar;
  private readonly pathF = new Float64Array(4);
  private readonly pathDec: Dec[] = ['', '', '', ''];
  private point = 0;
  private volumeF = 0;
  private curF = 0;
  private stops = 0;

  constructor(options: {
    exchange: PaperExchange;
    clock: ManualClock;
    store: HistoryStore;
    symbol: string;
    timeframeMs: number;
  }) {
    this.exchange = options.exchange;
    this.clock = options.clock;
    this.settler = new Settler(options.exchange.immediate, options.store);
    this.symbol = options.symbol;
    this.timeframeMs = options.timeframeMs;
    const { kernels } = this;
    this.exchange.subscribe((update) => {
      for (let i = 0; i < kernels.length; i++) kernels[i]!.onExchangeUpdate(update);
    });
  }

  /** Adds a bot (already started) to the market. */
  add(kernel: BotKernel): void {
    this.kernels.push(kernel);
  }

  /** Removes a bot. */
  remove(kernel: BotKernel): void {
    const i = this.kernels.indexOf(kernel);
    if (i >= 0) this.kernels.splice(i, 1);
  }

  /** Sets the price without a bar (before a run starts). */
  setPrice(price: Dec): void {
    this.exchange.moveTo(this.symbol, price, Number(price), true);
  }

  /** Walks one bar; returns a promise only when bots had work to settle on the way. */
  walk(
    bar: Bar,
    o: number,
    h: number,
    l: number,
    c: number,
    v = Number(bar.volume),
  ): Promise<void> | undefined {
    this.volumeF = v;
    this.bar = bar;
    const bullish = c >= o;
    this.pathF[0] = o;
    this.pathF[1] = bullish ? l : h;
    this.pathF[2] = bullish ? h : l;
    this.pathF[3] = c;
    this.pathDec[0] = bar.open;
    this.pathDec[1] = bullish ? bar.low : bar.high;
    this.pathDec[2] = bullish ? bar.high : bar.low;
    this.pathDec[3] = bar.close;
    this.point = -1;
    if (this.quiet(bar.ts, l, h)) return this.closeQuietly(bar, c);
    const pending = this.timers(bar.ts);
    if (pending) return pending.then(() => this.resume());
    this.exchange.beginBar(this.symbol, v);
    return this.resume();
  }

  /**
   * Skips the run of quiet bars starting at `first` (before `end`) in one pass over the float columns and
   * returns the index of the first bar that needs the walk. A bar is skipped when, as in `quiet`, no
   * resting order, wake level or liquidation price lies within its [low, high] and no timer is due, and
   * besides no bot takes bar events and the data carries no funding: then the bar changes nothing but the
   * equity samples, which are taken here, and the price, which moves once to the last skipped close.
   */
  skipQuiet(series: BarSeries, first: number, end: number): number {
    if (first >= end || series.fundingRate !== undefined) return first;
    let { below, above } = this.exchange.quietBand(this.symbol);
    let timer = Number.POSITIVE_INFINITY;
    const { kernels } = this;
    for (let j = 0; j < kernels.length; j++) {
      const k = kernels[j]!;
      const band = k.quietBand();
      if (band === undefined) return first;
      if (band.below > below) below = band.below;
      if (band.above < above) above = band.above;
      const at = k.nextTimer();
      if (at !== undefined && at < timer) timer = at;
    }
    const i = firstLoud(series, first, end, below, above, timer);
    if (i === first) return first;
    for (let j = 0; j < kernels.length; j++)
      kernels[j]!.sampleRun(series.ts, series.close, first, i, this.timeframeMs);
    this.closeRun(series, i - 1);
    return i;
  }

  /** Ends a skipped run at bar `last`: the clock at its close, the exchange and the bots at its close price. */
  private closeRun(series: BarSeries, last: number): void {
    const closeTs = series.ts[last]! + this.timeframeMs;
    this.clock.set(Math.max(this.clock.now(), closeTs));
    const c = series.close[last]!;
    const closeDec = series.closeText ? series.closeText(last) : series.bar(last).close;
    this.reach(closeDec, c, false);
  }

  /**
   * Whether the whole bar can be skipped to its close: no timer is due and no resting order, wake level
   * or liquidation price lies within [low, high], so no stop on the path would change anything.
   */
  private quiet(ts: number, l: number, h: number): boolean {
    if (!this.exchange.quietWithin(this.symbol, l, h)) return false;
    const { kernels } = this;
    for (let i = 0; i < kernels.length; i++) {
      const k = kernels[i]!;
      const at = k.nextTimer();
      if ((at !== undefined && at <= ts) || !k.quietWithin(l, h)) return false;
    }
    return true;
  }

  /** A quiet bar in O(1): the price moves to the close (nothing fills or wakes), then bar events and samples. */
  private closeQuietly(bar: Bar, c: number): Promise<void> | undefined {
    this.exchange.beginBar(this.symbol, this.volumeF);
    this.point = 4;
    const closeTs = bar.ts + this.timeframeMs;
    this.clock.set(Math.max(this.clock.now(), closeTs));
    this.reach(bar.close, c, false);
    this.closeBar(bar, closeTs, c);
    return this.anyBusy() ? this.settleAll() : undefined;
  }

  private timers(now: number): Promise<void> | undefined {
    let due = false;
    const { kernels } = this;
    for (let i = 0; i < kernels.length; i++) {
      const k = kernels[i]!;
      const at = k.nextTimer();
      if (at !== undefined && at <= now) {
        if (at > this.clock.now()) this.clock.set(at);
        k.onTime(this.clock.now());
        due = true;
      }
    }
    const wait = due && this.anyBusy() ? this.settleAll() : undefined;
    return wait?.then(() => this.exchange.beginBar(this.symbol, this.volumeF));
  }

  private resume(): Promise<void> | undefined {
    while (this.advance()) {
      const wait = this.anyBusy() ? this.settleAll() : undefined;
      if (wait) return wait.then(() => this.resume());
    }
    return this.anyBusy() ? this.settleAll() : undefined;
  }

  /** One step of the walk; false when the bar is done. */
  private advance(): boolean {
    if (this.point === -1) {
      this.point = 0;
      this.stops = 0;
      this.clock.set(Math.max(this.clock.now(), this.bar.ts));
      this.reach(this.pathDec[0]!, this.pathF[0]!, true);
      return true;
    }
    if (this.point < 3) {
      this.stepTowards(this.point + 1);
      return true;
    }
    if (this.point === 3) {
      this.point = 4;
      const closeTs = this.bar.ts + this.timeframeMs;
      this.clock.set(Math.max(this.clock.now(), closeTs));
      this.closeBar(this.bar, closeTs, this.pathF[3]!);
      return true;
    }
    return false;
  }

  private stepTowards(next: number): void {
    const target = this.pathF[next]!;
    const cur = this.curF;
    let stop = target;
    let stopDec = this.pathDec[next]!;
    const down = target < cur;
    const t = this.exchange.nextTrigger(this.symbol, cur, target);
    if (!Number.isNaN(t) && (down ? t > stop && t < cur : t < stop && t > cur)) {
      stop = t;
      stopDec = this.exchange.triggerPrice(this.symbol, down);
    }
    const { kernels } = this;
    for (let i = 0; i < kernels.length; i++) {
      const k = kernels[i]!;
      const level = down ? k.stopBelowF() : k.stopAboveF();
      if (Number.isNaN(level)) continue;
      if (down ? level > stop && level < cur : level < stop && level > cur) {
        stop = level;
        stopDec = k.stopDec(level);
      }
    }
    if (++this.stops > MAX_STOPS_PER_SEGMENT)
      throw new Error(`paper driver: ${this.symbol} bar ${this.bar.ts} does not progress at ${cur}`);
    const segmentEnd = this.bar.ts + Math.floor((this.timeframeMs * next) / 3);
    if (segmentEnd > this.clock.now()) this.clock.set(segmentEnd);
    this.reach(stopDec, stop, false);
    if (stop === target) {
      this.point = next;
      this.stops = 0;
    }
  }

  private reach(price: Dec, priceF: number, gap: boolean): void {
    this.curF = priceF;
    this.exchange.moveTo(this.symbol, price, priceF, gap);
    const { kernels } = this;
    for (let i = 0; i < kernels.length; i++) kernels[i]!.onPrice(price, priceF);
  }

  /** The bar closed at `closeTs` (price `closeF`): bar events, then equity samples. */
  private closeBar(bar: Bar, closeTs: number, closeF: number): void {
    const { kernels } = this;
    for (let i = 0; i < kernels.length; i++) kernels[i]!.onBar(bar, closeTs);
    for (let i = 0; i < kernels.length; i++) kernels[i]!.sample(closeTs, closeF);
  }

  private anyBusy(): boolean {
    const { kernels } = this;
    for (let i = 0; i < kernels.length; i++) if (kernels[i]!.busy) return true;
    return false;
  }

  /**
   * Settles the busy bots in order (called only when one is busy, so a lone bot is settled directly);
   * returns a promise only when one of them had to wait.
   */
  private settleAll(): Promise<void> | undefined {
    const only = this.kernels.length === 1 ? this.kernels[0] : undefined;
    return only ? this.settler.settleSoon(only) : this.settleFrom(0);
  }

  /** Settles the busy bots from index `i` on, one after another. */
  private settleFrom(i: number): Promise<void> | undefined {
    for (; i < this.kernels.length; i++) {
      const k = this.kernels[i]!;
      const wait = k.busy ? this.settler.settleSoon(k) : undefined;
      if (wait) return wait.then(() => this.settleFrom(i + 1));
    }
    return undefined;
  }
}
