/**
 * A running reconcile loop over a real directory, with the real loader and planner, a memory history
 * store and an engine: the fake (injected failures, set drift) or the real paper engine. Tests edit
 * files and await the status the loop writes.
 */
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BotStatus, EngineControl } from '@tradingtower/engine';
import { MemoryHistoryStore } from '@tradingtower/engine/adapters/store/memory.ts';
import { silentLogger } from '../../../src/log/logger.ts';
import { ReconcileController } from '../../../src/reconcile/controller.ts';
import { projectPlanning } from '../../../src/reconcile/default-planning.ts';
import { EventBus, type TowerEvent } from '../../../src/reconcile/events.ts';
import { Reconciler } from '../../../src/reconcile/reconciler.ts';
import { DirectorySource } from '../../../src/sources/directory.ts';
import { FakeEngine } from './fake-engine.ts';

/** How long a manifest must stay deleted before the loop prunes its bot, in these tests. */
export const PRUNE_CONFIRM_MS = 150;

/** An engine the harness drives, with what the harness must do with it at the end. */
export interface HarnessEngine<E extends EngineControl> {
  readonly engine: E;
  /** The store the engine writes runs to; the reconciler writes statuses to the same one. */
  readonly store?: MemoryHistoryStore;
  readonly close?: () => Promise<void>;
}

/** The loop under test and its collaborators. */
export class LoopHarness<E extends EngineControl = FakeEngine> {
  readonly engine: E;
  readonly store: MemoryHistoryStore;
  readonly bus = new EventBus();
  readonly root: string;
  readonly reconciler: Reconciler;
  readonly controller: ReconcileController;
  private readonly closeEngine: () => Promise<void>;

  private constructor(root: string, edge: HarnessEngine<E>) {
    this.root = root;
    this.engine = edge.engine;
    this.store = edge.store ?? new MemoryHistoryStore();
    this.closeEngine = edge.close ?? (() => Promise.resolve());
    this.reconciler = new Reconciler({
      engine: this.engine,
      store: this.store,
      planning: projectPlanning(),
      bus: this.bus,
      logger: silentLogger,
      now: () => Date.now(),
      random: () => 0.5,
      resyncMs: 0,
      backoff: { baseMs: 5, maxMs: 50, jitter: 0.2 },
      pruneConfirmMs: PRUNE_CONFIRM_MS,
    });
    const source = new DirectorySource(root, { debounceMs: 10 });
    this.controller = new ReconcileController({
      source,
      reconciler: this.reconciler,
      bus: this.bus,
      logger: silentLogger,
    });
  }

  /** Writes the given files into a fresh temp root and starts the loop; resolves once it has settled. */
  static start(files: Readonly<Record<string, string>>): Promise<LoopHarness> {
    return LoopHarness.startOn({ engine: new FakeEngine() }, files);
  }

  /** Like `start`, on the given engine (closed by `stop`). */
  static async startOn<E extends EngineControl>(
    edge: HarnessEngine<E>,
    files: Readonly<Record<string, string>>,
  ): Promise<LoopHarness<E>> {
    const root = await mkdtemp(join(tmpdir(), 'tower-loop-'));
    const harness = new LoopHarness(root, edge);
    for (const [path, text] of Object.entries(files)) await harness.write(path, text);
    await harness.controller.start();
    await harness.reconciler.idle();
    return harness;
  }

  async write(path: string, text: string): Promise<void> {
    await mkdir(dirname(join(this.root, path)), { recursive: true });
    await writeFile(join(this.root, path), text);
  }

  remove(path: string): Promise<void> {
    return unlink(join(this.root, path));
  }

  /** Resolves with the first status of `botKey` written from now on that satisfies `test`. */
  nextStatus(botKey: string, test: (status: BotStatus) => boolean = () => true): Promise<BotStatus> {
    return this.bus
      .next((e: TowerEvent) => e.type === 'status' && e.botKey === botKey && test(e.status))
      .then((e) => (e as Extract<TowerEvent, { type: 'status' }>).status);
  }

  async status(botKey: string): Promise<BotStatus | undefined> {
    return (await this.store.getStatus(botKey))?.value;
  }

  async stop(): Promise<void> {
    await this.controller.stop();
    await this.closeEngine();
    await rm(this.root, { recursive: true, force: true });
  }
}

/** The condition of a type in a status. */
export function conditionIn(status: BotStatus | undefined, type: string) {
  return status?.conditions.find((c) => c.type === type);
}
