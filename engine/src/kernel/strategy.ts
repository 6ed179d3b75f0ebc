/**
 * The strategy contract (DESIGN §6, STYLE.md "Strategies as reducers").
 *
 * A strategy is a pure reducer `onEvent(state, event, ctx) → { state, intents, wake }`. State is
 * plain serialisable data (JSON round-trips it unchanged); intents are data. No clock, randomness,
 * I/O or exceptions for expected situations: a throw is treated as a strategy fault that degrades
 * only that bot. The kernel never branches on strategy kind: what a strategy needs from the kernel
 * (price wake-ups, timers) it declares as data in `wake`.
 *
 * Prices and quantities are exact decimals (`Dec`). Strategies compute ideal values; the order
 * manager rounds to the market's tick and lot size when an order is sent and reports what was
 * actually placed and filled back as events.
 */
import type { Dec } from '../core/decimal.ts';
import type { EpochMs } from '../core/clock.ts';
import type { OrderRole } from '../core/ids.ts';
import type { Bar, MarketInfo } from '../model/market.ts';
import type { Liquidity, OrderType, Side } from '../model/orders.ts';

/** The eight strategy kinds (the `spec.strategy` values of a Bot manifest). */
export type StrategyKind =
  'grid' | 'dca' | 'dca-futures' | 'btd' | 'combo' | 'loop' | 'futures-grid' | 'twap';

/** How a stopping bot leaves its inventory or position (manifest `spec.update.closeAction` and strategy params). */
export type CloseAction = 'keep' | 'cancelOrders' | 'closePosition' | 'sellBase' | 'buyBase';

/** Read-only facts a strategy may use; everything time- or venue-dependent comes through here. */
export interface StrategyContext {
  /** Current time (simulated in backtests). */
  readonly now: EpochMs;
  readonly market: MarketInfo;
  /** The bot's own ledger: what it may spend and what it holds (never another bot's balance). */
  readonly ledger: LedgerView;
  /** Bot key `namespace/name` and run number, for messages only (ids are derived by the kernel). */
  readonly botKey: string;
  readonly runNumber: number;
}

/** A bot's own balances and (for futures) position, as the kernel's ledger computes them from fills. */
export interface LedgerView {
  /** Free quote (spot) or wallet balance (futures) available to this bot. */
  readonly quote: Dec;
  /** Base held by this bot (spot). */
  readonly base: Dec;
  /** Quote reserved by this bot's open buy orders, base reserved by open sells. */
  readonly reservedQuote: Dec;
  readonly reservedBase: Dec;
  readonly position?: PositionView;
}

/** A futures position (linear perpetual, isolated margin). Quantity is signed: > 0 long, < 0 short. */
export interface PositionView {
  readonly qty: Dec;
  readonly entryPrice: Dec;
  readonly leverage: Dec;
  readonly margin: Dec;
  readonly liquidationPrice?: Dec;
  readonly unrealizedPnl: Dec;
}

/** An order's progress as the strategy hears it. */
export type OrderEventStatus =
  'accepted' | 'partiallyFilled' | 'filled' | 'cancelled' | 'rejected' | 'expired';

/** Events a strategy reacts to. `key` is the strategy's own name for an order (see PlaceIntent.key). */
export type StrategyEvent =
  /** The run starts (or restarts after recovery with `resumed: true`); `price` is the current price. */
  | { readonly type: 'start'; readonly ts: EpochMs; readonly price: Dec; readonly resumed?: boolean }
  /** A bar closed. Sent for every bar. */
  | { readonly type: 'bar'; readonly ts: EpochMs; readonly bar: Bar }
  /** The price path crossed a level the strategy asked to be woken at (`wake.below`/`wake.above`). */
  | { readonly type: 'price'; readonly ts: EpochMs; readonly price: Dec }
  | {
      readonly type: 'order';
      readonly ts: EpochMs;
      readonly key: string;
      readonly status: OrderEventStatus;
      /** The fill of this event (partiallyFilled / filled). */
      readonly fill?: {
        readonly price: Dec;
        readonly qty: Dec;
        readonly fee: Dec;
        readonly feeAsset: string;
        readonly liquidity: Liquidity;
      };
      /** Cumulative filled quantity of the order after this event, and the order's placed quantity and price. */
      readonly filled: Dec;
      readonly amount: Dec;
      readonly price?: Dec;
      readonly reason?: string;
    }
  | {
      readonly type: 'signal';
      readonly ts: EpochMs;
      readonly action: string;
      readonly payload: Readonly<Record<string, unknown>>;
    }
  /** A timer the strategy asked for (`wake.at`) is due. */
  | { readonly type: 'timer'; readonly ts: EpochMs; readonly name: string }
  /** New params were applied by the reconciler; `changed` lists the changed field paths with their class. */
  | {
      readonly type: 'paramsChanged';
      readonly ts: EpochMs;
      readonly params: unknown;
      readonly changed: readonly { readonly path: string; readonly class: string }[];
    }
  /** The bot is asked to stop (manifest state, prune, kill switch) and leave as `closeAction` says. */
  | {
      readonly type: 'stopRequested';
      readonly ts: EpochMs;
      readonly closeAction: CloseAction;
      readonly reason: string;
    }
  /** Futures only: the position was liquidated by the exchange (or the paper model). */
  | { readonly type: 'liquidated'; readonly ts: EpochMs; readonly price: Dec; readonly loss: Dec };

/** Place an order. `key` is unique among the bot's live orders (e.g. `grid:12`, `so:3`, `tp`). */
export interface PlaceIntent {
  readonly type: 'place';
  readonly key: string;
  readonly role: OrderRole;
  /** Level or slice index used in the client order id (0 ≤ idx < 46 656). */
  readonly idx: number;
  readonly side: Side;
  readonly orderType: OrderType;
  /** Limit price (limit orders). */
  readonly price?: Dec;
  /** Quantity in base; or `quoteAmount` to size a buy by quote. Exactly one of the two. */
  readonly qty?: Dec;
  readonly quoteAmount?: Dec;
  readonly reduceOnly?: boolean;
  readonly postOnly?: boolean;
  /** Time in force; absent means GTC. `IOC` cancels whatever does not fill at once (TWAP child slices). */
  readonly timeInForce?: 'GTC' | 'IOC';
  /** Deal/cycle number for the client id's `seq` field (defaults to the run number). */
  readonly seq?: number;
}

/** Cancel a live order by key. */
export interface CancelIntent {
  readonly type: 'cancel';
  readonly key: string;
}

/** Replace a live order's price and/or quantity (cancel-then-place or native amend). */
export interface AmendIntent {
  readonly type: 'amend';
  readonly key: string;
  readonly price?: Dec;
  readonly qty?: Dec;
}

/** Record a state machine transition (becomes a StateTransition event). `terminal` ends the run. */
export interface TransitionIntent {
  readonly type: 'transition';
  readonly to: string;
  readonly reason: string;
  readonly terminal?: boolean;
}

/** Futures only: set leverage / margin before a deal (kernel applies it to the position). */
export interface SetLeverageIntent {
  readonly type: 'setLeverage';
  readonly leverage: Dec;
  readonly marginMode: 'isolated' | 'cross';
  /**
   * The balance the liquidation price is computed from (default `postedLegs`): the margins posted by
   * filled legs (DCA Futures, dca-twap-risk §3.3.4) or the bot's whole isolated wallet, i.e. investment
   * − fees ± realised ± funding (Futures Grid and Combo, grid-family §5.3).
   */
  readonly margin?: 'postedLegs' | 'isolatedWallet';
  /** With `isolatedWallet`: the wallet's opening balance (the investment); default the bot's whole budget. */
  readonly wallet?: Dec;
}

/** A closed round trip (grid pair, loop cycle, deal): its net profit in quote, for realised PnL and win rate. */
export interface RoundTripIntent {
  readonly type: 'roundTrip';
  readonly pnl: Dec;
  readonly fees?: Dec;
}

/** What a strategy asks the kernel to do. */
export type Intent =
  PlaceIntent | CancelIntent | AmendIntent | TransitionIntent | SetLeverageIntent | RoundTripIntent;

/** When to call the strategy again besides bars and order events. */
export interface Wake {
  /** Call with a `price` event when the path reaches a price ≤ below. */
  readonly below?: Dec;
  /** Call with a `price` event when the path reaches a price ≥ above. */
  readonly above?: Dec;
  /** Call with a `timer` event at this time. */
  readonly at?: { readonly ts: EpochMs; readonly name: string };
  /**
   * `false`: skip `bar` events until a later step asks again (price levels, timers and order events still
   * come). For strategies that only act at levels: they are then not called on every bar of a backtest.
   */
  readonly bars?: boolean;
  /**
   * Marks one level as a running extreme (a trailing peak or trough) rather than a level to stop at:
   * `'above'` for `above` (a peak), `'below'` for `below` (a trough). The walk does not stop at such a
   * level; when the path goes strictly beyond it, the strategy gets ONE `price` event at the walk's next
   * stop — the end of the path segment (the bar's high on an up leg, its low on a down leg), or an
   * earlier fill trigger or wake level on that segment, so fills keep their order — and that price is
   * the segment's extreme so far. A strategy that then sets the level to the new extreme tracks the
   * exact peak with one call per segment instead of one per level crossed.
   */
  readonly trail?: 'above' | 'below';
}

/** A closed round trip (grid pair, DCA deal, loop cycle) with its net PnL in quote after fees. */
export interface RoundTrip {
  readonly pnl: Dec;
  /** What closed, for reports (e.g. `grid:3`, `deal:7`). */
  readonly label?: string;
}

/** The output of one reducer step. `wake` replaces the previous wake request (absent = none). */
export interface StrategyResult<S> {
  readonly state: S;
  readonly intents: readonly Intent[];
  readonly wake?: Wake;
  /** Round trips closed by this step; the metrics' `realizedPnl`, `winRate` and `roundTrips` come from them. */
  readonly roundTrips?: readonly RoundTrip[];
}

/** A semantic problem in a bot's params; `path` is relative to `spec.params` (e.g. `gridCount`, `safetyOrders.size`). */
export interface ParamIssue {
  readonly path: string;
  /** Stable code, kebab-case, e.g. `grid-below-min-notional`. */
  readonly code: string;
  readonly message: string;
  /** `warning` issues are reported but do not make the params invalid; absent means `error`. */
  readonly severity?: 'error' | 'warning';
}

/**
 * A strategy: its kind, how to start, how to react. Parameters are the validated `spec.params`
 * (names exactly as in `../shared/strategies/`), with decimal fields as exact decimal text, integers
 * as numbers, and schema defaults applied; `normalizeParams` applies the document defaults to raw
 * params so a strategy also runs from hand-written params in tests.
 */
export interface StrategyDefinition<P = unknown, S = unknown> {
  readonly kind: StrategyKind;
  /** Whether positions are futures (the kernel then keeps a position ledger with margin and liquidation). */
  readonly futures: boolean;
  /** Applies defaults and converts loose input (numbers) into the typed params. Pure; never throws for valid manifests. */
  normalizeParams(raw: unknown): P;
  /**
   * Semantic rules that need the strategy's maths: level ordering and counts, per-order size versus the
   * market's minimum notional and precision, budgets covering all safety orders, liquidation buffers.
   * `referencePrice` is the price to evaluate start-time rules at, when known.
   */
  validate(params: P, market: MarketInfo, referencePrice?: Dec): readonly ParamIssue[];
  /**
   * Whether applying `next` params to a running bot in `state` at `price` would cause an immediate exit
   * (a take-profit or stop already crossed); returns the reason, or undefined.
   */
  immediateExit?(state: S, next: P, price: Dec): string | undefined;
  /**
   * The bot's starting ledger when the strategy knows it from its params (e.g. BTD invests base, not quote);
   * absent or undefined: the runner decides (investment or budget as quote).
   */
  budget?(params: P): { readonly quote: Dec; readonly base?: Dec } | undefined;
  /** The initial state for a new run. Pure. */
  init(params: P, ctx: StrategyContext): S;
  onEvent(state: S, event: StrategyEvent, ctx: StrategyContext): StrategyResult<S>;
  /**
   * Order-event statuses the reducer provably ignores when they carry no fill (it returns the same state,
   * no intents, no round trips and the wake of its previous step), e.g. `['accepted']`: the kernel does
   * not deliver them, saving a step per order. The events on record are unchanged.
   */
  readonly ignoredOrderEvents?: readonly OrderEventStatus[];
  /** A short human label of the current phase (for status and the site), e.g. `RUNNING`, `IN_DEAL`. */
  phase(state: S): string;
}
