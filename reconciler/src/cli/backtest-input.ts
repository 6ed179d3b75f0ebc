/**
 * What `tower backtest` runs: the Bot of a manifest file (loaded and validated with the manifest
 * loader, the other manifests of its folder supplying the Account), the market metadata and the paper
 * account settings (balances, fee rates in percent → fractions, fee asset, slippage, replay timeframe).
 */
import { posix } from 'node:path';
import { dec, MARKETS, str, type Dec, type MarketInfo, type StrategyKind } from '@tradingtower/engine';
import { loadSnapshot } from '../manifest/load.ts';
import type { Issue } from '../manifest/types.ts';
import { readDirectorySnapshot } from '../sources/directory.ts';
import { displayed } from './format.ts';

/** Paper account settings a backtest uses. */
export interface PaperAccountSettings {
  readonly name: string;
  readonly exchange: string;
  readonly balances?: Readonly<Record<string, Dec>>;
  readonly makerFeeRate?: Dec;
  readonly takerFeeRate?: Dec;
  readonly spotFeeAsset?: 'received' | 'quote';
  readonly slippageBps?: number;
  readonly timeframe?: '1m' | '5m' | '1h' | '1d';
}

/** The bot to backtest with everything resolved. */
export interface BacktestInput {
  readonly botKey: string;
  readonly strategy: StrategyKind;
  readonly params: unknown;
  readonly risk: unknown;
  readonly market: MarketInfo;
  readonly account: PaperAccountSettings;
  readonly revision: string;
}

/** The input, or the problems that prevent it (as located issues or plain messages). */
export type InputResult =
  | { readonly ok: true; readonly input: BacktestInput }
  | { readonly ok: false; readonly issues: readonly Issue[]; readonly message?: string };

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

function decText(value: unknown): Dec | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return str(String(value));
  if (typeof value === 'string' && value.trim() !== '') return str(value);
  return undefined;
}

const pctToRate = (value: unknown): Dec | undefined => {
  const pct = decText(value);
  return pct === undefined ? undefined : str(dec(pct).dividedBy(100));
};

/** Reads paper settings from an Account spec (`spec.paper.*`). */
export function paperSettingsOf(name: string, spec: Readonly<Record<string, unknown>>): PaperAccountSettings {
  const paper = record(spec['paper']);
  const balances = Object.entries(record(paper['balances'])).flatMap(([asset, v]) => {
    const amount = decText(v);
    return amount === undefined ? [] : [[asset, amount] as const];
  });
  const maker = pctToRate(paper['makerFeePct']);
  const taker = pctToRate(paper['takerFeePct']);
  const feeAsset = paper['feeAsset'];
  const slippage = paper['slippageBps'];
  const timeframe = record(paper['replay'])['timeframe'];
  return {
    name,
    exchange: typeof spec['exchange'] === 'string' ? spec['exchange'] : 'paper',
    ...(balances.length > 0 ? { balances: Object.fromEntries(balances) } : {}),
    ...(maker === undefined ? {} : { makerFeeRate: maker }),
    ...(taker === undefined ? {} : { takerFeeRate: taker }),
    ...(feeAsset === 'quote' || feeAsset === 'received' ? { spotFeeAsset: feeAsset } : {}),
    ...(typeof slippage === 'number' ? { slippageBps: slippage } : {}),
    ...(timeframe === '1m' || timeframe === '5m' || timeframe === '1h' || timeframe === '1d'
      ? { timeframe }
      : {}),
  };
}

/** Market metadata for a venue and symbol: the venue's shipped entry, else the paper venue's. */
export function marketFor(venue: string, symbol: string): MarketInfo | undefined {
  return (
    MARKETS.find((m) => m.venue === venue && m.symbol === symbol) ??
    MARKETS.find((m) => m.venue === 'paper' && m.symbol === symbol)
  );
}

/**
 * Loads the manifest file's folder, picks the Bot defined in the file (`botName` when it holds several)
 * and resolves its Account. Issues of other files in the folder do not block the run.
 */
export async function readBacktestInput(manifest: string, botName?: string): Promise<InputResult> {
  const folder = posix.dirname(manifest);
  const file = posix.basename(manifest);
  const snapshot = await readDirectorySnapshot(folder);
  if (!snapshot.files.has(file))
    return { ok: false, issues: [], message: `${manifest}: not a manifest file (*.yaml, *.yml)` };
  const { desired, issues } = loadSnapshot(snapshot);
  const own = issues
    .filter((i) => i.file === file && i.severity === 'error')
    .map((i) => displayed(i, folder));
  const candidates = desired.bots.filter(
    (b) => b.source.file === file && (botName === undefined || b.name === botName),
  );
  if (own.length > 0) return { ok: false, issues: own };
  const bot = candidates[0];
  if (!bot)
    return {
      ok: false,
      issues: [],
      message: `${manifest}: no Bot${botName === undefined ? '' : ` named ${botName}`} in the file`,
    };
  if (candidates.length > 1)
    return {
      ok: false,
      issues: [],
      message: `${manifest}: several Bots; choose one with --bot (${candidates.map((b) => b.name).join(', ')})`,
    };
  const accountDoc = desired.accounts.get(`${bot.namespace}/${bot.account}`);
  const account = accountDoc
    ? paperSettingsOf(bot.account, accountDoc.spec)
    : { name: bot.account, exchange: 'paper' };
  const market = marketFor(account.exchange, bot.market);
  if (!market) return { ok: false, issues: [], message: `${manifest}: no market metadata for ${bot.market}` };
  return {
    ok: true,
    input: {
      botKey: bot.key,
      strategy: bot.strategy,
      params: bot.params,
      risk: bot.risk,
      market,
      account,
      revision: snapshot.revision,
    },
  };
}
