import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetPath, findDataset, loadBarsFile } from '@tradingtower/engine/adapters/feeds/index.ts';
import { run } from './backtest.ts';

const EXAMPLES = fileURLToPath(new URL('../../../bots.example/', import.meta.url));
const METRIC_NAMES = [
  'totalPnl',
  'totalPnlPct',
  'realizedPnl',
  'maxDrawdownPct',
  'winRate',
  'fees',
  'slippage',
  'exposurePct',
  'trades',
  'roundTrips',
];

let out = '';
let err = '';
let dir = '';

beforeEach(async () => {
  out = '';
  err = '';
  dir = await mkdtemp(join(tmpdir(), 'tower-backtest-'));
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
});

afterEach(async () => {
  jest.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('tower backtest', () => {
  it('runs the example grid bot over the bundled 1-minute data and prints the §6.2 metrics by name in --json', async () => {
    const code = await run([
      `${EXAMPLES}alpha/grid-btc.yaml`,
      '--json',
      '--trades',
      join(dir, 't.csv'),
      '--report',
      join(dir, 'r.html'),
    ]);

    expect(code).toBe(0);
    const result = JSON.parse(out) as Record<string, unknown>;
    for (const name of METRIC_NAMES) expect(result).toHaveProperty(name);
    expect(result['trades']).toBeGreaterThan(20);
    expect(result['roundTrips']).toBeGreaterThan(5);
    expect(Number(result['fees'])).toBeGreaterThan(0);
    expect(result['maxDrawdownPct']).toBeLessThan(50);
    const csv = (await readFile(join(dir, 't.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength((result['trades'] as number) + 1);
    const html = await readFile(join(dir, 'r.html'), 'utf8');
    expect(html).toMatch(/<svg[^>]*aria-label="equity"/);
    expect(html).toMatch(/<svg[^>]*aria-label="drawdown"/);
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('runs the example DCA bot over a window of the bundled hourly data and closes deals', async () => {
    const code = await run([
      `${EXAMPLES}beta/dca-btc.yaml`,
      '--json',
      '--from',
      '2021-01-01',
      '--to',
      '2021-06-30',
    ]);

    expect(code).toBe(0);
    const result = JSON.parse(out) as {
      roundTrips: number;
      trades: number;
      winRate: number;
      run: { bars: number };
    };
    const series = await loadBarsFile(datasetPath(findDataset('BTC/USDT', '1h')!));
    const inWindow = Array.from(series.ts).filter(
      (t) => t >= Date.UTC(2021, 0, 1) && t < Date.UTC(2021, 6, 1),
    );
    expect(result.run.bars).toBe(inWindow.length);
    expect(result.trades).toBeGreaterThan(10);
    expect(result.roundTrips).toBeGreaterThan(3);
    expect(result.winRate).toBeGreaterThan(0);
  });

  it('takes bars from --data and prints text metrics without --json', async () => {
    const csv = join(dir, 'bars.csv');
    await writeFile(
      csv,
      'timestamp,open,high,low,close,volume\n1620000000000,50000,50100,46000,47000,10\n1620000060000,47000,47100,46500,47050,10\n',
    );

    const code = await run([`${EXAMPLES}alpha/grid-btc.yaml`, '--data', csv]);

    expect(code).toBe(0);
    expect(out).toMatch(/over 2 bars of .*bars\.csv/);
    expect(out).toMatch(/^ {2}totalPnl +-?\d/m);
  });

  it('exits 2 on usage errors and 1 when the manifest or the data is unusable', async () => {
    expect(await run([])).toBe(2);
    expect(await run([`${EXAMPLES}alpha/grid-btc.yaml`, '--from', 'yesterday-ish'])).toBe(2);
    const broken = join(dir, 'broken.yaml');
    await writeFile(
      broken,
      'apiVersion: tradingtower.dev/v1\nkind: Bot\nmetadata: {name: x}\nspec: {strategy: grid}\n',
    );
    expect(await run([broken])).toBe(1);
    expect(await run([`${EXAMPLES}alpha/grid-btc.yaml`, '--data', join(dir, 'missing.csv')])).toBe(1);
    expect(err).toMatch(/broken\.yaml:\d+:\d+: /);
  });
});
