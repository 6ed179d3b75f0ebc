/**
 * The engine's control surface, as the reconciler uses it (DESIGN §2, §5). The reconciler computes a
 * plan with the pure planner and applies its steps through these calls; the engine never reads git.
 * Every call is idempotent for the same (botKey, revision).
 */
import type { EpochMs } from '../core/clock.ts';
import type { CloseAction, StrategyKind } from '../kernel/strategy.ts';

/** Desired lifecycle state of a bot (`spec.state`). */
export type DesiredBotState = 'running' | 'paused' | 'stopped';

/** Account facts the engine needs (credentials stay references; the engine resolves them at the edge). */
export interface AccountRuntimeSpec {
  readonly name: string;
  readonly exchange: string;
  readonly mode: 'paper' | 'sandbox' | 'live';
  /** Paper balances by asset, decimal text. */
  readonly balances?: Readonly<Record<string, string>>;
  readonly makerFeeRate?: string;
  readonly takerFeeRate?: string;
  readonly slippageBps?: number;
  /**
   * Market data replay for paper accounts: which bundled timeframe to replay, the speed-up factor
   * against real time (60 = one minute of market per second), and the start date (ISO) in the data.
   */
  readonly replay?: {
    readonly timeframe?: '1m' | '5m' | '1h' | '1d';
    readonly speed?: number;
    readonly from?: string;
  };
  readonly credentials?: unknown;
}

/** Everything the engine needs to run one bot. */
export interface BotRuntimeSpec {
  readonly botKey: string;
  readonly namespace: string;
  readonly name: string;
  readonly strategy: StrategyKind;
  readonly account: AccountRuntimeSpec;
  readonly market: string;
  readonly params: unknown;
  readonly risk?: unknown;
  readonly state: DesiredBotState;
  readonly closeAction: CloseAction;
  /** Git SHA or content hash of the manifest revision this spec came from. */
  readonly revision: string;
}

/** One changed params field with its change class (hot, amend, funds, next-cycle). */
export interface AppliedChange {
  readonly path: string;
  readonly class: 'hot' | 'amend' | 'funds' | 'next-cycle';
}

/** What the engine reports about one bot. */
export interface ObservedBot {
  readonly botKey: string;
  readonly strategy: StrategyKind;
  readonly account: string;
  readonly market: string;
  readonly params: unknown;
  readonly state: DesiredBotState;
  readonly runId?: string;
  readonly revision: string;
  /** Strategy phase label (`RUNNING`, `IN_DEAL`, …) and whether the run ended by itself. */
  readonly phase: string;
  readonly finished?: boolean;
  /** Params fields stored but waiting for the next deal/cycle. */
  readonly pendingUntilNextCycle: readonly string[];
  readonly drift: readonly { readonly kind: string; readonly message: string }[];
  readonly updatedAt: EpochMs;
}

/** The engine API the reconciler drives. */
export interface EngineControl {
  observe(): Promise<readonly ObservedBot[]>;
  /** Starts a new run of a bot that is not running (a no-op when it runs this revision already). */
  create(spec: BotRuntimeSpec): Promise<void>;
  /**
   * Applies params changes of classes hot/amend/funds/next-cycle to a running bot; `risk`, when given,
   * is the bot's new `spec.risk` (a hot change: the risk gate uses it from the next order on).
   */
  update(
    botKey: string,
    params: unknown,
    changes: readonly AppliedChange[],
    revision: string,
    risk?: unknown,
  ): Promise<void>;
  /** Stops the current run with `closeAction` and starts a fresh run with the new spec. */
  recreate(spec: BotRuntimeSpec): Promise<void>;
  pause(botKey: string, revision: string): Promise<void>;
  resume(botKey: string, revision: string): Promise<void>;
  stop(botKey: string, closeAction: CloseAction, reason: string, revision: string): Promise<void>;
}
