import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { GitHubSource } from '../../src/sources/github.ts';
import type { SourceSnapshot } from '../../src/sources/source.ts';
import { FakeGitHub } from './helpers/fake-github.ts';

const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describe('GitHubSource against a local GitHub API', () => {
  let github: FakeGitHub;
  let source: GitHubSource;

  beforeEach(async () => {
    github = await new FakeGitHub().start();
    source = new GitHubSource({
      octokit: new Octokit({ baseUrl: github.url, log: quiet }),
      owner: 'acme',
      repo: 'bots',
      ref: 'main',
      path: 'bots',
      pollIntervalMs: 3_600_000,
    });
  });

  afterEach(async () => {
    await source.close();
    await github.close();
  });

  it('reads the manifest folder of the branch head through tree and blobs, without a clone', async () => {
    const sha = github.push('main', {
      'bots/a.yaml': 'a: 1\n',
      'bots/team/b.yml': 'b: 2\n',
      'README.md': '# x',
      'other/c.yaml': 'c',
    });

    const snapshot = await source.fetchSnapshot();

    expect(snapshot?.revision).toBe(sha);
    expect([...(snapshot?.files ?? new Map<string, string>()).entries()]).toEqual([
      ['a.yaml', 'a: 1\n'],
      ['team/b.yml', 'b: 2\n'],
    ]);
  });

  it('costs one conditional request answered 304 when the branch has not moved', async () => {
    github.push('main', { 'bots/a.yaml': 'a: 1\n' });
    await source.fetchSnapshot();
    const before = github.requests.length;

    const again = await source.fetchSnapshot();

    expect(again).toBeUndefined();
    expect(github.requests.slice(before)).toEqual([
      { method: 'GET', path: '/repos/acme/bots/commits/main', status: 304 },
    ]);
    expect(source.stats.notModified).toBe(1);
  });

  it('fetches only the blobs that changed in a new commit', async () => {
    github.push('main', { 'bots/a.yaml': 'a: 1\n', 'bots/b.yaml': 'b: 1\n' });
    await source.fetchSnapshot();
    const before = github.requests.length;

    const sha = github.push('main', { 'bots/a.yaml': 'a: 2\n', 'bots/b.yaml': 'b: 1\n' });
    const snapshot = await source.fetchSnapshot();

    expect(snapshot?.revision).toBe(sha);
    expect(snapshot?.files.get('a.yaml')).toBe('a: 2\n');
    const blobReads = github.requests.slice(before).filter((r) => r.path.includes('/git/blobs/'));
    expect(blobReads).toHaveLength(1);
  });

  it('polls at once on refresh and delivers the new commit', async () => {
    github.push('main', { 'bots/a.yaml': 'a: 1\n' });
    const seen: SourceSnapshot[] = [];
    let notify: () => void = () => undefined;
    await source.start((s) => {
      seen.push(s);
      notify();
    });

    const sha = github.push('main', { 'bots/a.yaml': 'a: 2\n' });
    const delivered = new Promise<void>((r) => (notify = r));
    source.refresh();
    await delivered;

    expect(seen.map((s) => s.revision)).toEqual([seen[0]!.revision, sha]);
  });

  it('writes a commit status on the applied revision', async () => {
    const sha = github.push('main', { 'bots/a.yaml': 'a: 1\n' });

    await source.report({ revision: sha, state: 'success', description: 'applied to 3 bots' });

    expect(github.statuses).toEqual([
      { sha, state: 'success', context: 'tradingtower/reconcile', description: 'applied to 3 bots' },
    ]);
  });
});
