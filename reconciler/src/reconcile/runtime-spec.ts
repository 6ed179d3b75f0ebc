/** Turns a validated desired bot and its Account into the spec the engine runs (BotRuntimeSpec). */
import { div, isDec, type AccountRuntimeSpec, type BotRuntimeSpec } from '@tradingtower/engine';
import type { DesiredBot, DesiredResource, DesiredState } from '../manifest/types.ts';

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function balancesOf(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [asset, amount] of Object.entries(value)) {
    const t = text(amount);
    if (t !== undefined) out[asset] = t;
  }
  return out;
}

/** A percent (manifest `…FeePct`) as a rate (`0.1` % → `0.001`). */
function rateOf(pct: unknown): string | undefined {
  const t = text(pct);
  return t !== undefined && isDec(t) ? div(t, '100') : undefined;
}

function replayOf(replay: Record<string, unknown>): NonNullable<AccountRuntimeSpec['replay']> {
  const timeframe = replay['timeframe'] as NonNullable<AccountRuntimeSpec['replay']>['timeframe'];
  const speed = Number(text(replay['speed']) ?? Number.NaN);
  return {
    ...(timeframe === undefined ? {} : { timeframe }),
    ...(Number.isFinite(speed) ? { speed } : {}),
    ...(typeof replay['from'] === 'string' ? { from: replay['from'] } : {}),
  };
}

/** The engine's view of an Account manifest; credentials stay references. */
export function accountRuntimeSpec(name: string, account: DesiredResource | undefined): AccountRuntimeSpec {
  const spec = account?.spec ?? {};
  const paper = (spec['paper'] ?? {}) as Record<string, unknown>;
  const mode = spec['mode'] === 'live' || spec['mode'] === 'sandbox' ? spec['mode'] : 'paper';
  const balances = balancesOf(paper['balances']);
  const maker = rateOf(paper['makerFeePct']);
  const taker = rateOf(paper['takerFeePct']);
  const slippage = Number(text(paper['slippageBps']) ?? Number.NaN);
  const replay = paper['replay'];
  return {
    name,
    exchange: text(spec['exchange']) ?? 'paper',
    mode,
    ...(balances ? { balances } : {}),
    ...(maker === undefined ? {} : { makerFeeRate: maker }),
    ...(taker === undefined ? {} : { takerFeeRate: taker }),
    ...(Number.isFinite(slippage) ? { slippageBps: slippage } : {}),
    ...(replay !== null && typeof replay === 'object'
      ? { replay: replayOf(replay as Record<string, unknown>) }
      : {}),
    ...(spec['credentials'] === undefined ? {} : { credentials: spec['credentials'] }),
  };
}

/** The runtime spec of a desired bot at a revision. */
export function botRuntimeSpec(bot: DesiredBot, desired: DesiredState): BotRuntimeSpec {
  const account = desired.accounts.get(`${bot.namespace}/${bot.account}`);
  return {
    botKey: bot.key,
    namespace: bot.namespace,
    name: bot.name,
    strategy: bot.strategy,
    account: accountRuntimeSpec(bot.account, account),
    market: bot.market,
    params: bot.params,
    ...(bot.risk === undefined ? {} : { risk: bot.risk }),
    state: bot.state,
    closeAction: bot.update.closeAction,
    revision: desired.revision,
  };
}
