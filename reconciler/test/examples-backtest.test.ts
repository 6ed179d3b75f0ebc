/**
 * Every example bot in bots.example backtests through `tower backtest` on the bundled data its account
 * replays (from `spec.paper.replay.from`, a bounded slice) and trades: fills and round trips (TWAP:
 * executed quantity), no strategy fault and no storm of risk denials. Fails when a strategy silently
 * stops trading or an example's own risk limits block it.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import {
  basicRiskGate,
  dec,
  readAllEvents,
  riskLimitsOf,
  runBacktest,
  type HistoryEvent,
  type HistoryStore,
  type StoredCheckpoint,
} from '@tradingtower/engine';
import { MemoryHistoryStore } from '@tradingtower/engine/adapters/store/memory.ts';
import { datasetPath, findDataset, loadBarsFile } from '@tradingtower/engine/adapters/feeds/index.ts';
import { strategyOf } from '@tradingtower/engine/strategies/index.ts';
import { run } from '../src/cli/backtest.ts';
import { readBacktestInput } from '../src/cli/backtest-input.ts';

const EXAMPLES = fileURLToPath(new URL('../../bots.example/', import.meta.url));
const DAY = 86_400_000;
/** How much of the replay each timeframe backtests: enough for several round trips, a second or so each. */
const WINDOW_DAYS: Readonly<Record<string, number>> = { '1m': 3, '5m': 31, '1h': 120, '1d': 90 };
const FAILED_PHASES = /FAULTED|ERROR|Failed/;

interface ExampleBot {
  readonly file: string;
  readonly strategy: string;
  readonly from: number;
  readonly to: number;
}

type Doc = Record<string, unknown> & { kind?: string; metadata?: { name?: string }; spec?: unknown };

async function documentsOf(path: string): Promise<Doc[]> {
  return parseAllDocuments(await readFile(path, 'utf8')).map((d) => d.toJS() as Doc);
}

/** The Bot manifests of every namespace folder, each with the replay window of its account. */
async function exampleBots(): Promise<ExampleBot[]> {
  const bots: ExampleBot[] = [];
  for (const entry of await readdir(EXAMPLES, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const folder = join(EXAMPLES, entry.name);
    const replays = new Map<string, { from: number; days: number }>();
    for (const account of await documentsOf(join(folder, 'accounts.yaml'))) {
      const replay = ((account.spec as Doc)['paper'] as Doc)['replay'] as Doc;
      replays.set(account.metadata!.name!, {
        from: Date.parse(`${String(replay['from'])}T00:00:00Z`),
        days: WINDOW_DAYS[String(replay['timeframe'])]!,
      });
    }
    for (const name of (await readdir(folder)).sort()) {
      const file = join(folder, name);
      const [doc] = await documentsOf(file);
      if (doc?.kind !== 'Bot') continue;
      const spec = doc.spec as Doc;
      const replay = replays.get(String(spec['account']));
      if (replay === undefined) throw new Error(`${file}: account ${String(spec['account'])} has no replay`);
      const to = replay.from + replay.days * DAY - 1;
      bots.push({ file, strategy: String(spec['strategy']), from: replay.from, to });
    }
  }
  return bots;
}

/** Runs `tower backtest --json --trades` and returns its JSON output and the trades CSV rows. */
async function towerBacktest(
  bot: ExampleBot,
  dir: string,
): Promise<{ code: number; result: Record<string, unknown>; trades: string[][] }> {
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const tradesFile = join(dir, 'trades.csv');
  let code: number;
  try {
    code = await run([
      bot.file,
      '--json',
      '--trades',
      tradesFile,
      ...['--from', String(bot.from), '--to', String(bot.to)],
    ]);
  } finally {
    spy.mockRestore();
  }
  const rows = (await readFile(tradesFile, 'utf8')).trim().split('\n').slice(1);
  return { code, result: JSON.parse(out) as Record<string, unknown>, trades: rows.map((r) => r.split(',')) };
}

/** Deep-freezes what it is given: any later write to it throws (ES modules run in strict mode). */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/** The backtester's store (it keeps appended events as given), freezing each event as it arrives. */
class FreezingStore extends MemoryHistoryStore {
  constructor() {
    super({ adoptAppended: true });
  }

  override append(events: readonly HistoryEvent[], checkpoint?: StoredCheckpoint): Promise<void> {
    for (const event of events) deepFreeze(event);
    return super.append(events, checkpoint);
  }
}

/** The run's event log, from the engine with the same inputs the command uses. */
async function eventsOf(
  bot: ExampleBot,
  store: HistoryStore = new MemoryHistoryStore(),
): Promise<HistoryEvent[]> {
  const loaded = await readBacktestInput(bot.file);
  if (!loaded.ok) throw new Error(`${bot.file}: ${loaded.message ?? 'invalid'}`);
  const { input } = loaded;
  const dataset = findDataset(input.market.symbol, input.account.timeframe)!;
  const { account } = input;
  const result = await runBacktest({
    strategy: strategyOf(input.strategy)!,
    params: input.params,
    market: input.market,
    series: await loadBarsFile(datasetPath(dataset)),
    botKey: input.botKey,
    store,
    riskGate: basicRiskGate(riskLimitsOf(input.risk)),
    from: bot.from,
    to: bot.to,
    ...(account.balances === undefined ? {} : { balances: account.balances }),
    ...(account.makerFeeRate === undefined ? {} : { makerFeeRate: account.makerFeeRate }),
    ...(account.takerFeeRate === undefined ? {} : { takerFeeRate: account.takerFeeRate }),
    ...(account.spotFeeAsset === undefined ? {} : { spotFeeAsset: account.spotFeeAsset }),
    ...(account.slippageBps === undefined ? {} : { slippageBps: account.slippageBps }),
  });
  return readAllEvents(result.store, result.botKey, result.runId);
}

let bots: ExampleBot[] = [];
let dir = '';

beforeAll(async () => {
  bots = await exampleBots();
  dir = await mkdtemp(join(tmpdir(), 'tower-examples-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the example bots', () => {
  it('cover all eight strategies', () => {
    expect(new Set(bots.map((b) => b.strategy)).size).toBe(8);
  });

  it('each trade on the bundled data their account replays, through tower backtest', async () => {
    for (const bot of bots) {
      const { code, result, trades } = await towerBacktest(bot, dir);

      const run = result['run'] as Record<string, unknown>;
      const what = `${bot.file} (phase ${String(run['phase'])})`;
      expect({ what, code }).toEqual({ what, code: 0 });
      expect({ what, failed: FAILED_PHASES.test(String(run['phase'])) }).toEqual({ what, failed: false });
      expect({ what, trades: result['trades'] }).toEqual({ what, trades: trades.length });
      expect({ what, traded: trades.length > 0 }).toEqual({ what, traded: true });
      if (bot.strategy === 'twap') {
        const executed = trades.reduce((sum, t) => sum.plus(t[4]!), dec(0));
        expect({ what, executed: executed.greaterThan(0) }).toEqual({ what, executed: true });
      } else {
        expect({ what, roundTrips: Number(result['roundTrips']) > 0 }).toEqual({ what, roundTrips: true });
      }
    }
  });

  it('each run without a strategy fault or a storm of risk denials', async () => {
    for (const bot of bots) {
      const events = await eventsOf(bot);

      const intents = events.filter((e) => e.type === 'OrderIntent').length;
      const denied = events.filter((e) => e.type === 'RiskDenied').length;
      const faults = events.filter(
        (e) => e.type === 'StateTransition' && FAILED_PHASES.test(String((e.data as { to: string }).to)),
      );
      expect({ bot: bot.file, faults }).toEqual({ bot: bot.file, faults: [] });
      expect({ bot: bot.file, denialStorm: denied > Math.max(2, intents * 0.02) }).toEqual({
        bot: bot.file,
        denialStorm: false,
      });
    }
  });

  it('each run never touching an event once emitted, so the backtester may store events without copying them', async () => {
    for (const bot of bots) {
      const copied = await eventsOf(bot);

      const frozen = await eventsOf(bot, new FreezingStore());

      expect(copied.length).toBeGreaterThan(10);
      expect({ bot: bot.file, events: JSON.stringify(frozen) }).toEqual({
        bot: bot.file,
        events: JSON.stringify(copied),
      });
    }
  });
});
