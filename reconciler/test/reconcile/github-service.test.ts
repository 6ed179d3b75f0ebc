import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { Octokit } from '@octokit/rest';
import { silentLogger } from '../../src/log/logger.ts';
import { projectPlanning } from '../../src/reconcile/default-planning.ts';
import { EventBus, type TowerEvent } from '../../src/reconcile/events.ts';
import { TowerService } from '../../src/server/service.ts';
import { GitHubSource } from '../../src/sources/github.ts';
import { FakeGitHub } from '../sources/helpers/fake-github.ts';
import { aDcaBot, aPaperAccount } from './helpers/manifests.ts';
import { aPaperEngine, type PaperEdge, type RecordedPaperEngine } from './helpers/paper-engine.ts';

const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const SECRET = 'hook-secret';

describe('the service following a GitHub repository', () => {
  let github: FakeGitHub;
  let paper: PaperEdge;
  let engine: RecordedPaperEngine;
  let bus: EventBus;
  let service: TowerService;
  let source: GitHubSource;

  beforeEach(async () => {
    github = await new FakeGitHub('acme', 'bots').start();
    github.push('main', { 'bots/team/account.yaml': aPaperAccount(), 'bots/team/dca.yaml': aDcaBot() });
    paper = await aPaperEngine();
    engine = paper.engine;
    bus = new EventBus();
    source = new GitHubSource({
      octokit: new Octokit({ baseUrl: github.url, log: quiet }),
      owner: 'acme',
      repo: 'bots',
      ref: 'main',
      path: 'bots',
      pollIntervalMs: 3_600_000,
    });
    service = new TowerService({
      engine,
      store: paper.store,
      source,
      planning: projectPlanning(),
      bus,
      logger: silentLogger,
      port: 0,
      host: '127.0.0.1',
      githubWebhook: { secret: SECRET, branch: 'main' },
      resyncMs: 0,
    });
  });

  afterEach(async () => {
    await service.stop();
    await paper.close();
    await github.close();
  });

  it('applies the branch head and writes a success commit status on the applied revision', async () => {
    const head = github.push('main', {
      'bots/team/account.yaml': aPaperAccount(),
      'bots/team/dca.yaml': aDcaBot(),
    });

    await service.start();
    await github.waitForStatuses(1);

    expect(engine.calls.map((c) => `${c.method} ${c.botKey} ${c.revision}`)).toEqual([
      `create team/dca-btc ${head}`,
    ]);
    expect(github.statuses).toEqual([
      {
        sha: head,
        state: 'success',
        context: 'tradingtower/reconcile',
        description: 'applied; 1 bot(s) ready',
      },
    ]);
  });

  it('reconciles a new commit at once on a signed push webhook', async () => {
    await service.start();
    await github.waitForStatuses(1);
    const next = github.push('main', {
      'bots/team/account.yaml': aPaperAccount(),
      'bots/team/dca.yaml': aDcaBot({ takeProfitPct: '3' }),
    });
    const applied = bus.next((e: TowerEvent) => e.type === 'applied' && e.revision === next);
    const body = JSON.stringify({ ref: 'refs/heads/main', after: next });

    const response = await fetch(`${service.url}/v1/webhooks/github`, {
      method: 'POST',
      headers: {
        'x-github-event': 'push',
        'x-github-delivery': 'delivery-1',
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    await applied;
    await github.waitForStatuses(2);

    expect(response.status).toBe(202);
    expect(engine.calls.map((c) => c.method)).toEqual(['create', 'update']);
    expect((await engine.observed('team/dca-btc'))?.revision).toBe(next);
    expect(github.statuses[1]).toMatchObject({ sha: next, state: 'success' });
  });

  it('rejects a push webhook with a bad signature and does not poll', async () => {
    await service.start();
    await github.waitForStatuses(1);
    const before = github.requests.length;
    const body = JSON.stringify({ ref: 'refs/heads/main' });

    const response = await fetch(`${service.url}/v1/webhooks/github`, {
      method: 'POST',
      headers: {
        'x-github-event': 'push',
        'x-github-delivery': 'delivery-2',
        'x-hub-signature-256': 'sha256=00',
      },
      body,
    });

    expect(response.status).toBe(401);
    expect(github.requests.length).toBe(before);
  });

  it('reports an invalid commit as a failure status with the located error', async () => {
    await service.start();
    await github.waitForStatuses(1);

    const broken = github.push('main', {
      'bots/team/account.yaml': aPaperAccount(),
      'bots/team/dca.yaml': aDcaBot({ takeProfitPct: '-1' }),
    });
    source.refresh();
    await github.waitForStatuses(2);

    expect(github.statuses[1]).toMatchObject({ sha: broken, state: 'failure' });
    expect(github.statuses[1]!.description).toMatch(/team\/dca\.yaml:\d+:\d+/);
    expect(engine.calls.map((c) => c.method)).toEqual(['create']);
  });
});
