/**
 * Where `tower up` gets its engine: the paper/live engine module of `@tradingtower/engine/live`, loaded
 * on demand. The reconciler needs an EngineControl that also closes (stops replay timers and flushes
 * its writes) and that, when opened on a store holding earlier runs, resumes them where they were.
 */
import type { EngineControl, HistoryStore } from '@tradingtower/engine';

/** An engine the service can run and shut down. */
export interface RunnableEngine extends EngineControl {
  /** Stops market data and timers and waits for pending writes; the runs resume on the next start. */
  close(): Promise<void>;
  /**
   * Graceful stop for SIGTERM: refuses new control calls, finishes the bar in progress, stores a final
   * checkpoint of every running bot and closes the store. Engines without checkpoints only `close()`.
   */
  shutdown?(): Promise<void>;
}

/** What `tower up` passes to the engine. */
export interface EngineSetup {
  readonly store: HistoryStore;
  /** Replay speed-up for paper accounts that do not set one. */
  readonly defaultSpeed?: number;
  readonly log?: (line: string) => void;
}

/** The module shape expected at `@tradingtower/engine/live/index.ts`. */
export interface LiveEngineModule {
  createLiveEngine(setup: EngineSetup): Promise<RunnableEngine>;
}

/** The engine module specifier (a variable so builds without the live engine still type-check). */
const LIVE_ENGINE_MODULE = '@tradingtower/engine/live/index.ts';

/**
 * Loads and starts the engine: the live (paper) engine, or the module named by TOWER_ENGINE_MODULE
 * (an absolute path; for alternative engines and process tests). The error names what is missing.
 */
export async function createEngine(
  setup: EngineSetup,
  specifier: string = process.env['TOWER_ENGINE_MODULE'] ?? LIVE_ENGINE_MODULE,
): Promise<RunnableEngine> {
  let module: Partial<LiveEngineModule>;
  try {
    module = (await import(specifier)) as Partial<LiveEngineModule>;
  } catch (error) {
    throw new Error(`tower up: cannot load the engine module ${specifier}: ${(error as Error).message}`);
  }
  if (typeof module.createLiveEngine !== 'function') {
    throw new Error(`tower up: ${specifier} does not export createLiveEngine(setup)`);
  }
  return module.createLiveEngine(setup);
}
