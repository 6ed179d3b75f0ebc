/** The shapes around a bot's ledger (ledger.ts): margin models, fill effects and checkpointed state. */
import type { Dec } from '../core/decimal.ts';
import type { LinearPosition } from '../strategies/shared/futures.ts';

/**
 * Which balance backs the position: `postedLegs` — the sum of margins posted by filled legs
 * (dca-twap-risk §3.3.4); `isolatedWallet` — the bot's isolated wallet WB = investment − fees ± realised
 * ± funding (grid-family §5.3).
 */
export type MarginModel = 'postedLegs' | 'isolatedWallet';

/** What one fill did to the ledger, in quote. */
export interface FillEffect {
  /** Fee converted to quote at the fill price. */
  readonly feeQuote: Dec;
  /** Position PnL realised by a reducing perpetual fill (before fees); 0 for spot. */
  readonly realizedPnl: Dec;
}

/** The exact, JSON-safe state of a ledger (what a checkpoint keeps). */
export interface LedgerState {
  readonly quote: Dec;
  readonly base: Dec;
  readonly reservedQuote: Dec;
  readonly reservedBase: Dec;
  readonly position: LinearPosition;
  readonly margin: Dec;
  readonly leverage: Dec;
  /** Absent in checkpoints written before margin models existed: `postedLegs`. */
  readonly marginModel?: MarginModel;
  /** Declared wallet minus the ledger's own quote + margin at the declaration (isolatedWallet). */
  readonly walletOffset?: Dec;
  readonly declaredWallet?: Dec;
  readonly reservedBuy?: Dec;
  readonly reservedSell?: Dec;
}

/** What `setLeverage` may declare besides the leverage. */
export interface MarginDeclaration {
  readonly margin?: MarginModel;
  readonly wallet?: Dec;
}
