/**
 * Rules that need the market and the strategy's maths: `market-unknown`, `market-type-mismatch`, and
 * every issue the strategy's own `validate` reports (levels vs minimum notional and precision, budgets
 * covering all safety orders, liquidation buffers per level). The maths lives with each strategy in
 * the engine; this layer only finds the market, calls it and locates its param paths.
 */
import { findMarket, type Dec, type MarketInfo, type StrategyKind } from '@tradingtower/engine';
import { strategyOf } from '@tradingtower/engine/strategies/index.ts';
import { issueAt, paramPointer, type ManifestDocument } from '../document.ts';
import type { Issue } from '../types.ts';

const FUTURES_KINDS: ReadonlySet<string> = new Set(['dca-futures', 'futures-grid']);

/** The market a Bot trades, resolved through its Account's exchange; issues when it cannot be. */
export function marketOf(
  bot: ManifestDocument,
  account: ManifestDocument | undefined,
): { market?: MarketInfo; issues: Issue[] } {
  const exchange = account?.spec['exchange'];
  const symbol = bot.spec['market'];
  if (typeof exchange !== 'string' || typeof symbol !== 'string') return { issues: [] };
  const market = findMarket(exchange, symbol);
  if (market) return { market, issues: [] };
  if (exchange === 'paper') {
    return {
      issues: [
        issueAt(bot.parsed, '/spec/market', 'market-unknown', `the paper venue has no market "${symbol}"`),
      ],
    };
  }
  const message = `no shipped metadata for "${symbol}" on ${exchange}; minimum notional and precision are checked when the bot starts`;
  return {
    issues: [
      issueAt(bot.parsed, '/spec/market', 'market-metadata-unknown', message, { severity: 'warning' }),
    ],
  };
}

/** The strategy's semantic issues for a Bot on a market, located at the params they name. */
export function strategyIssues(bot: ManifestDocument, market: MarketInfo, referencePrice?: Dec): Issue[] {
  const kind = bot.spec['strategy'] as StrategyKind;
  const strategy = strategyOf(kind);
  // Until a strategy registers, whether it trades futures is known from its kind alone.
  const futures = strategy?.futures ?? FUTURES_KINDS.has(kind);
  if (futures !== (market.type === 'swap')) {
    const wanted = futures ? 'a perpetual (e.g. BTC/USDT:USDT)' : 'a spot market (e.g. BTC/USDT)';
    return [
      issueAt(
        bot.parsed,
        '/spec/market',
        'market-type-mismatch',
        `strategy ${kind} needs ${wanted}, was "${market.symbol}"`,
      ),
    ];
  }
  if (!strategy) return [];
  try {
    const params = strategy.normalizeParams(bot.spec['params']);
    return strategy.validate(params, market, referencePrice).map((p) => {
      const severity = (p as { severity?: Issue['severity'] }).severity ?? 'error';
      return issueAt(bot.parsed, paramPointer(p.path), p.code, p.message, { severity });
    });
  } catch (error) {
    const message = `strategy ${kind} could not check these params: ${error instanceof Error ? error.message : String(error)}`;
    return [issueAt(bot.parsed, '/spec/params', 'strategy-params-invalid', message, { key: true })];
  }
}
