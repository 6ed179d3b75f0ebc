import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSnapshot } from '@tradingtower/reconciler/sources/snapshot.ts';

const TOWER = new URL('../../bin/tower.js', import.meta.url).pathname;
const ACCOUNT =
  'apiVersion: tradingtower.dev/v1\nkind: Account\nmetadata: { name: paper-main }\nspec: { exchange: paper, mode: paper, paper: { balances: { USDT: 10000 } } }\n';
const grid = (name: string, gridCount: number, maxActiveOrders = 10): string =>
  `apiVersion: tradingtower.dev/v1\nkind: Bot\nmetadata: { name: ${name} }\nspec:\n  strategy: grid\n  account: paper-main\n  market: BTC/USDT\n  params: { lowPrice: 25000, highPrice: 35000, gridCount: ${gridCount}, investment: 1000, maxActiveOrders: ${maxActiveOrders} }\n`;

let repo: string;

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], {
    cwd: repo,
    encoding: 'utf8',
  }).trim();
}

function write(path: string, text: string): void {
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), text);
}

function tower(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TOWER, ...args], { cwd: repo, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'tower-plan-'));
  git('init', '-q', '-b', 'main');
  write('bots/team/accounts.yaml', ACCOUNT);
  write('bots/team/a.yaml', grid('a', 10));
  write('bots/team/b.yaml', grid('b', 10));
  write('bots/team/c.yaml', grid('c', 10));
  write('.github/workflows/ci.yml', 'on: push\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  write('bots/team/a.yaml', grid('a', 10, 6));
  write('bots/team/b.yaml', grid('b', 12));
  rmSync(join(repo, 'bots/team/c.yaml'));
  write('bots/team/d.yaml', grid('d', 10));
  git('add', '-A');
  git('commit', '-q', '-m', 'head');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('snapshots of git refs', () => {
  it('reads a folder of a commit without a checkout, paths relative to the folder', async () => {
    const snapshot = await readSnapshot('HEAD~1:bots', repo);

    expect([...snapshot.files.keys()]).toEqual([
      'team/a.yaml',
      'team/accounts.yaml',
      'team/b.yaml',
      'team/c.yaml',
    ]);
    expect(snapshot.revision).toBe(git('rev-parse', 'HEAD~1'));
    expect(snapshot.files.get('team/b.yaml')).toBe(grid('b', 10));
  });

  it('fails with a message naming the argument when it is neither a directory nor a commit', async () => {
    await expect(readSnapshot('no-such-ref', repo)).rejects.toThrow(
      '"no-such-ref" is neither a directory nor a commit',
    );
  });
});

describe('tower plan', () => {
  it('plans between two refs: update, blocked recreate, create and prune', async () => {
    const { code, stdout } = await tower(
      'plan',
      '--base',
      'HEAD~1:bots',
      '--head',
      'HEAD:bots',
      '--detailed-exitcode',
    );

    expect(code).toBe(2);
    expect(stdout).toContain('  ~   update   team/a (grid)  [amend]');
    expect(stdout).toContain('  !   recreate team/b (grid)  [recreate]');
    expect(stdout).toContain('  -   prune    team/c (grid)');
    expect(stdout).toContain('  +   create   team/d (grid)');
    expect(stdout).toContain('Plan: 1 to create, 1 to update, 1 to recreate, 1 to prune, 1 blocked.');
  });

  it('compares a ref with a directory and exits 0 under --detailed-exitcode when nothing changes', async () => {
    const { code, stdout } = await tower(
      'plan',
      '--base',
      'HEAD:bots',
      '--head',
      'bots',
      '--detailed-exitcode',
      '--format',
      'json',
    );

    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as { bots: { action: string }[] };
    expect(plan.bots.map((b) => b.action)).toEqual(['noop', 'noop', 'noop']);
  });

  it('prints a markdown comment', async () => {
    const { code, stdout } = await tower(
      'plan',
      '--base',
      'HEAD~1:bots',
      '--head',
      'HEAD:bots',
      '--format',
      'markdown',
    );

    expect(code).toBe(0);
    expect(stdout).toContain('<!-- tradingtower-plan -->');
    expect(stdout).toContain('| `params.gridCount` | 10 | 12 | recreate |');
  });

  it('exits 2 on a usage error and 1 on an unknown ref', async () => {
    expect((await tower('plan', '--head', 'HEAD')).code).toBe(2);
    expect((await tower('plan', '--base', 'HEAD', '--head', 'HEAD', '--format', 'yaml')).code).toBe(2);
    expect((await tower('plan', '--base', 'nope', '--head', 'HEAD:bots')).code).toBe(1);
  });
});

describe('tower validate', () => {
  it('exits 0 for valid manifests and 1 with github annotations for invalid ones', async () => {
    write('broken/team/x.yaml', `${ACCOUNT}---\n${grid('x', 1)}`);

    const valid = await tower('validate', 'bots');
    const invalid = await tower('validate', 'broken', '--format', 'github');

    expect(valid.code).toBe(0);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe(
      '::error file=broken/team/x.yaml,line=13,col=59,title=schema-minimum::spec.params.gridCount must be >= 2, was 1\n',
    );
  });

  it('prints file:line:col: code: message as text and a JSON array as json', async () => {
    const text = await tower('validate', 'broken');
    const json = await tower('validate', 'broken', '--format', 'json');

    expect(text.stdout).toBe(
      'broken/team/x.yaml:13:59: schema-minimum: spec.params.gridCount must be >= 2, was 1\n',
    );
    expect(JSON.parse(json.stdout)).toEqual([
      {
        file: 'broken/team/x.yaml',
        line: 13,
        col: 59,
        code: 'schema-minimum',
        message: 'spec.params.gridCount must be >= 2, was 1',
        severity: 'error',
      },
    ]);
  });

  it('checks a single file for syntax, schema and secrets only, and says so', async () => {
    const single = await tower('validate', 'bots/team/a.yaml');

    expect(single.code).toBe(0);
    expect(single.stdout).toBe('');
    expect(single.stderr).toContain('single files are checked for syntax, schema and secrets only');
  });

  it('exits 2 for an unknown format or a missing path', async () => {
    expect((await tower('validate', '--format', 'xml')).code).toBe(2);
    expect((await tower('validate', 'missing-dir')).code).toBe(2);
  });
});
