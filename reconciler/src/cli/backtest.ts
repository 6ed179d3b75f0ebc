/**
 * `tower backtest <manifest> [--data <csv>] [--from] [--to] [--json] [--trades <file.csv>]
 * [--report <file.html>] [--bot <name>]`: runs the bot through the engine kernel against the paper
 * exchange over bar data (default: the bundled data set for its market and account timeframe) and
 * prints the DESIGN §6.2 metrics. Exit 0 ok, 1 invalid manifest or data, 2 usage.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  basicRiskGate,
  riskLimitsOf,
  runBacktest,
  type BacktestResult,
  type Trade,
} from '@tradingtower/engine';
import { strategyOf } from '@tradingtower/engine/strategies/index.ts';
import { datasetPath, findDataset, loadBarsFile } from '@tradingtower/engine/adapters/feeds/index.ts';
import { readBacktestInput, type BacktestInput } from './backtest-input.ts';
import { formatIssues } from './format.ts';
import { renderReport } from './report.ts';

const USAGE =
  'usage: tower backtest <manifest.yaml> [--data <file.csv[.gz]>] [--from <date>] [--to <date>] [--json] [--trades <file.csv>] [--report <file.html>] [--bot <name>]';

const OPTIONS = {
  data: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  json: { type: 'boolean' },
  trades: { type: 'string' },
  report: { type: 'string' },
  bot: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * A date option as epoch ms: ISO date/time (UTC) or epoch milliseconds. A bare date means the start of
 * that day for `--from` and its end for `--to`, so `--to 2021-06-30` includes June 30.
 */
export function parseTime(text: string | undefined, name: 'from' | 'to'): number | undefined {
  if (text === undefined) return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const time = name === 'to' ? '23:59:59.999' : '00:00:00';
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(day ? `${text}T${time}Z` : text);
  if (!Number.isFinite(value))
    throw new UsageError(`--${name} must be an ISO date or epoch milliseconds, was "${text}"`);
  return value;
}

class UsageError extends Error {}

/** Runs `tower backtest`; returns the exit code. */
export async function run(args: readonly string[]): Promise<number> {
  let values;
  let positionals;
  let window;
  try {
    ({ values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: OPTIONS }));
    window = { from: parseTime(values.from, 'from'), to: parseTime(values.to, 'to') };
  } catch (error) {
    process.stderr.write(`tower backtest: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const manifest = positionals[0];
  if (manifest === undefined || positionals.length > 1) {
    process.stderr.write(`tower backtest: give exactly one manifest file\n${USAGE}\n`);
    return 2;
  }
  const loaded = await readBacktestInput(manifest, values.bot);
  if (!loaded.ok) {
    process.stderr.write(formatIssues(loaded.issues, 'text'));
    if (loaded.message !== undefined) process.stderr.write(`tower backtest: ${loaded.message}\n`);
    return 1;
  }
  const input = loaded.input;
  const dataPath = values.data ?? bundledData(input);
  if (dataPath === undefined) {
    process.stderr.write(`tower backtest: no bundled data for ${input.market.symbol}; pass --data <csv>\n`);
    return 1;
  }
  let result: BacktestResult;
  try {
    result = await backtest(input, dataPath, window);
  } catch (error) {
    process.stderr.write(`tower backtest: ${(error as Error).message}\n`);
    return 1;
  }
  await writeOutputs(input, result, values);
  process.stdout.write(
    values.json === true
      ? `${JSON.stringify(jsonOf(input, result, dataPath), null, 2)}\n`
      : textOf(input, result, dataPath),
  );
  return 0;
}

function bundledData(input: BacktestInput): string | undefined {
  const dataset =
    findDataset(input.market.symbol, input.account.timeframe) ?? findDataset(input.market.symbol);
  return dataset === undefined ? undefined : datasetPath(dataset);
}

async function backtest(
  input: BacktestInput,
  dataPath: string,
  window: { from?: number | undefined; to?: number | undefined },
): Promise<BacktestResult> {
  const strategy = strategyOf(input.strategy);
  if (!strategy) throw new Error(`strategy "${input.strategy}" is not available in this build of the engine`);
  const series = await loadBarsFile(dataPath).catch((error: unknown) => {
    throw new Error(`${dataPath}: ${(error as Error).message}`);
  });
  const progress = process.stderr.isTTY ? progressBar() : undefined;
  const { account } = input;
  const result = await runBacktest({
    strategy,
    params: input.params,
    market: input.market,
    series,
    botKey: input.botKey,
    revision: input.revision,
    account: account.name,
    riskGate: basicRiskGate(riskLimitsOf(input.risk)),
    ...(window.from === undefined ? {} : { from: window.from }),
    ...(window.to === undefined ? {} : { to: window.to }),
    ...(account.balances === undefined ? {} : { balances: account.balances }),
    ...(account.makerFeeRate === undefined ? {} : { makerFeeRate: account.makerFeeRate }),
    ...(account.takerFeeRate === undefined ? {} : { takerFeeRate: account.takerFeeRate }),
    ...(account.spotFeeAsset === undefined ? {} : { spotFeeAsset: account.spotFeeAsset }),
    ...(account.slippageBps === undefined ? {} : { slippageBps: account.slippageBps }),
    ...(progress === undefined ? {} : { onProgress: progress, progressEvery: 5000 }),
  });
  if (progress) process.stderr.write('\n');
  return result;
}

function progressBar(): (done: number, total: number) => void {
  return (done, total) => {
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor((done / Math.max(total, 1)) * 100)}% ${done}/${total} bars`,
    );
  };
}

async function writeOutputs(
  input: BacktestInput,
  result: BacktestResult,
  values: { trades?: string | undefined; report?: string | undefined },
): Promise<void> {
  if (values.trades !== undefined) await writeFile(values.trades, tradesCsv(result.trades));
  if (values.report !== undefined) {
    const html = renderReport({
      title: `Backtest of ${input.botKey} (${input.strategy}, ${input.market.symbol})`,
      subtitle: `${result.bars} bars from ${iso(result.equity.start)} to ${iso(Number(result.equity.ts[result.equity.ts.length - 1] ?? result.equity.start))}; account ${input.account.name}.`,
      metrics: result.metrics,
      equity: result.equity,
      trades: result.trades,
    });
    await writeFile(values.report, html);
  }
}

const iso = (t: number): string => new Date(t).toISOString();

/** The trades as CSV: one row per fill. */
export function tradesCsv(trades: readonly Trade[]): string {
  const rows = trades.map((t) =>
    [
      iso(t.ts),
      t.symbol,
      t.side,
      t.price,
      t.qty,
      t.fee,
      t.feeAsset,
      t.liquidity,
      t.clientOrderId,
      t.tradeId,
    ].join(','),
  );
  return `time,symbol,side,price,qty,fee,feeAsset,liquidity,clientOrderId,tradeId\n${rows.map((r) => `${r}\n`).join('')}`;
}

function jsonOf(input: BacktestInput, result: BacktestResult, dataPath: string): Record<string, unknown> {
  return {
    ...result.metrics,
    run: {
      bot: input.botKey,
      strategy: input.strategy,
      market: input.market.symbol,
      data: dataPath,
      bars: result.bars,
      from: iso(result.equity.start),
      phase: result.phase,
    },
  };
}

function textOf(input: BacktestInput, result: BacktestResult, dataPath: string): string {
  const lines = Object.entries(result.metrics).map(([k, v]) => `  ${k.padEnd(16)} ${String(v)}`);
  return [
    `${input.botKey} (${input.strategy}, ${input.market.symbol}) over ${result.bars} bars of ${dataPath}; final phase ${result.phase}`,
    ...lines,
    '',
  ].join('\n');
}
