/** Test helpers: snapshots from fixture files and inline text. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '@tradingtower/reconciler/manifest/index.ts';

/** The fixtures folder of the manifest tests. */
export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

/** A snapshot of inline files (path → YAML text). */
export function snapshotOf(files: Readonly<Record<string, string>>, revision = 'test'): Snapshot {
  return { revision, files: new Map(Object.entries(files)) };
}

/** One failing fixture: its file, text, and the issue its first line promises (`# expect: code line:col`). */
export interface FailingFixture {
  readonly name: string;
  readonly text: string;
  readonly code: string;
  readonly line: number;
  readonly col: number;
}

/** Every failing fixture under fixtures/invalid. */
export function failingFixtures(): FailingFixture[] {
  const dir = join(FIXTURES, 'invalid');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), 'utf8');
      const match = /^# expect: (\S+) (\d+):(\d+)/.exec(text);
      if (!match) throw new Error(`${name}: first line must be "# expect: <code> <line>:<col>"`);
      return { name, text, code: match[1]!, line: Number(match[2]), col: Number(match[3]) };
    });
}

/** A paper Account document. */
export const PAPER_ACCOUNT = `apiVersion: tradingtower.dev/v1
kind: Account
metadata: { name: paper-main }
spec:
  exchange: paper
  mode: paper
  paper:
    balances: { USDT: 10000 }
`;

/** A grid Bot document with params overridable as YAML flow text. */
export function gridBot(
  name: string,
  params = '{ lowPrice: 25000, highPrice: 35000, gridCount: 10, investment: 1000 }',
  extra = '',
): string {
  return `apiVersion: tradingtower.dev/v1
kind: Bot
metadata: { name: ${name} }
spec:
  strategy: grid
  account: paper-main
  market: BTC/USDT
  params: ${params}
${extra}`;
}
