/**
 * The real paper engine for reconcile loop tests. Its replay is frozen (no bar is ever walked), so the
 * only things that change the venue are the control calls the loop makes: what the tests look at is
 * exactly what the reconciler did, deterministically and without a wall clock.
 */
import type {
  AppliedChange,
  BotRuntimeSpec,
  CloseAction,
  EngineControl,
  HistoryEvent,
  ObservedBot,
} from '@tradingtower/engine';
import { MemoryHistoryStore } from '@tradingtower/engine/adapters/store/memory.ts';
import { readAllEvents } from '@tradingtower/engine/backtest/backtest.ts';
import { botShortId, decodeClientOrderId } from '@tradingtower/engine/core/ids.ts';
import { dec, str, type Dec } from '@tradingtower/engine/core/decimal.ts';
import { createLiveEngine, type LiveEngine } from '@tradingtower/engine/live/index.ts';
import type { HarnessEngine } from './loop-harness.ts';

/** One control call the loop made, as recorded on its way to the real engine. */
export interface ControlCall {
  readonly method: 'create' | 'update' | 'recreate' | 'pause' | 'resume' | 'stop';
  readonly botKey: string;
  readonly revision: string;
  readonly detail?: unknown;
}

/** A store that also keeps the order in which events of every run were appended, across runs. */
export class OrderedStore extends MemoryHistoryStore {
  /** `runId type` of every appended event, in append order. */
  readonly appended: string[] = [];

  override append(events: readonly HistoryEvent[], checkpoint?: Parameters<MemoryHistoryStore['append']>[1]) {
    for (const e of events) this.appended.push(`${e.runId} ${e.type}`);
    return super.append(events, checkpoint);
  }
}

/**
 * The paper engine with every control call recorded (a pass-through, not a fake: the calls reach the
 * real engine unchanged), so tests can say both what the loop asked and what the engine then holds.
 */
export class RecordedPaperEngine implements EngineControl {
  readonly calls: ControlCall[] = [];
  readonly live: LiveEngine;
  readonly store: OrderedStore;

  constructor(live: LiveEngine, store: OrderedStore) {
    this.live = live;
    this.store = store;
  }

  observe(): Promise<readonly ObservedBot[]> {
    return this.live.observe();
  }

  create(spec: BotRuntimeSpec): Promise<void> {
    this.calls.push({ method: 'create', botKey: spec.botKey, revision: spec.revision });
    return this.live.create(spec);
  }

  update(
    botKey: string,
    params: unknown,
    changes: readonly AppliedChange[],
    revision: string,
    risk?: unknown,
  ): Promise<void> {
    this.calls.push({ method: 'update', botKey, revision, detail: changes });
    return this.live.update(botKey, params, changes, revision, risk);
  }

  recreate(spec: BotRuntimeSpec): Promise<void> {
    this.calls.push({ method: 'recreate', botKey: spec.botKey, revision: spec.revision });
    return this.live.recreate(spec);
  }

  pause(botKey: string, revision: string): Promise<void> {
    this.calls.push({ method: 'pause', botKey, revision });
    return this.live.pause(botKey, revision);
  }

  resume(botKey: string, revision: string): Promise<void> {
    this.calls.push({ method: 'resume', botKey, revision });
    return this.live.resume(botKey, revision);
  }

  stop(botKey: string, closeAction: CloseAction, reason: string, revision: string): Promise<void> {
    this.calls.push({ method: 'stop', botKey, revision, detail: { closeAction, reason } });
    return this.live.stop(botKey, closeAction, reason, revision);
  }

  /** Methods of the recorded calls of one bot (or of all bots), in call order. */
  methods(botKey?: string): string[] {
    return this.calls.filter((c) => botKey === undefined || c.botKey === botKey).map((c) => c.method);
  }

  /** What the engine reports about one bot. */
  async observed(botKey: string): Promise<ObservedBot | undefined> {
    return (await this.live.observe()).find((b) => b.botKey === botKey);
  }

  /** The bot's open orders on its venue, found by the bot's id in their client order ids. */
  async openOrders(botKey: string): Promise<{ role: string; side: string; type: string; price?: string }[]> {
    const venue = this.live.venueOf(botKey);
    if (!venue) throw new Error(`paper engine: ${botKey} has no venue`);
    const mine = botShortId(botKey);
    return (await venue.fetchOpenOrders())
      .map((o) => ({ order: o, id: decodeClientOrderId(o.clientOrderId) }))
      .filter(({ id }) => id?.bot === mine)
      .map(({ order, id }) => ({
        role: id!.role,
        side: order.side,
        type: order.type,
        ...(order.price === undefined ? {} : { price: order.price }),
      }));
  }

  /** The balances of the bot's venue (the account's ledger on that market). */
  async ledger(botKey: string): Promise<unknown> {
    const venue = this.live.venueOf(botKey);
    if (!venue) throw new Error(`paper engine: ${botKey} has no venue`);
    return venue.fetchBalance();
  }

  /** Every stored event of one run of the bot. */
  events(botKey: string, runId: string): Promise<HistoryEvent[]> {
    return readAllEvents(this.store, botKey, runId);
  }
}

/** The base quantity a run bought minus what it sold, from its stored fills: its open position. */
export function netBaseOf(events: readonly HistoryEvent[]): Dec {
  let net = dec('0');
  for (const e of events) {
    if (e.type !== 'OrderFilled') continue;
    net = e.data.fill.side === 'buy' ? net.plus(e.data.fill.qty) : net.minus(e.data.fill.qty);
  }
  return str(net);
}

/** A wait between bars that ends only when the replay is closed: the market never moves. */
function frozen(_ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
}

/** The recorded paper engine with its store and the way to close its replays. */
export interface PaperEdge extends HarnessEngine<RecordedPaperEngine> {
  readonly store: OrderedStore;
  readonly close: () => Promise<void>;
}

/** The recorded paper engine on an ordered memory store, ready for `LoopHarness.startOn`. */
export async function aPaperEngine(): Promise<PaperEdge> {
  const store = new OrderedStore();
  const live = await createLiveEngine({ store, sleep: frozen });
  return { engine: new RecordedPaperEngine(live, store), store, close: () => live.close() };
}
