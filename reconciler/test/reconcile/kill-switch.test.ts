import { afterEach, describe, expect, it } from '@jest/globals';
import { EventBus } from '../../src/reconcile/events.ts';
import { KillSwitch } from '../../src/reconcile/kill-switch.ts';
import { startServer, type RunningServer } from '../../src/server/http.ts';
import { TowerMetrics } from '../../src/server/metrics.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { conditionIn, LoopHarness } from './helpers/loop-harness.ts';
import { aDcaBot, aGridBot, aPaperAccount } from './helpers/manifests.ts';

const DCA = 'team/dca-btc';
const GRID = 'team/grid-btc';
const files = {
  'team/account.yaml': aPaperAccount(),
  'team/dca.yaml': aDcaBot(),
  'team/grid.yaml': aGridBot(),
};

describe('the kill switch', () => {
  let loop: LoopHarness;
  let server: RunningServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await loop.stop();
  });

  it('stops a bot at once, holds it stopped through edits, and lets it resume when cleared', async () => {
    loop = await LoopHarness.start(files);
    const held = loop.nextStatus(DCA, (s) => conditionIn(s, 'Stalled')?.reason === 'KillSwitch');

    const stopped = await loop.reconciler.kill({ kind: 'bot', botKey: DCA }, true, 'runaway losses');
    await held;
    await loop.write('team/dca.yaml', aDcaBot({ takeProfitPct: '3' }));
    await loop.nextStatus(DCA, (s) => conditionIn(s, 'Stalled')?.reason === 'KillSwitch');

    expect(stopped).toEqual([DCA]);
    expect(loop.engine.bots.get(DCA)).toMatchObject({ state: 'stopped', position: '0' });
    expect(loop.engine.bots.get(GRID)?.state).toBe('running');
    expect(loop.engine.calls.filter((c) => c.botKey === DCA).map((c) => c.method)).toEqual([
      'create',
      'stop',
    ]);

    const back = loop.nextStatus(DCA, (s) => conditionIn(s, 'Ready')?.status === 'True');
    await loop.reconciler.clearKill({ kind: 'bot', botKey: DCA });
    await back;

    expect(loop.engine.bots.get(DCA)?.state).toBe('running');
  });

  it('keeps its latch across a restart of the loop (the latch is in the store)', async () => {
    loop = await LoopHarness.start(files);
    await loop.reconciler.kill({ kind: 'namespace', namespace: 'team' }, false, 'maintenance');

    const reloaded = new KillSwitch({
      store: loop.store,
      engine: loop.engine,
      logger: silentLogger,
      now: () => 0,
    });
    await reloaded.load();

    expect(reloaded.latchOf(GRID)).toMatchObject({ reason: 'maintenance', flatten: false });
    expect(reloaded.latchOf('other/bot')).toBeUndefined();
  });

  it('is engaged over HTTP only with the admin token', async () => {
    loop = await LoopHarness.start(files);
    const metrics = new TowerMetrics();
    server = await startServer(
      {
        bus: new EventBus(),
        metrics,
        logger: silentLogger,
        isReady: () => true,
        statuses: () => Promise.resolve([]),
        revision: () => undefined,
        kill: {
          token: 'admin-token',
          engage: (scope, flatten, reason) => loop.reconciler.kill(scope, flatten, reason),
          clear: (scope) => loop.reconciler.clearKill(scope),
          latches: () => loop.reconciler.killSwitch.all,
        },
      },
      0,
      '127.0.0.1',
    );
    const post = (token: string) =>
      fetch(`${server!.url}/v1/kill`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ all: true, reason: 'test' }),
      });

    const refused = await post('wrong');
    const accepted = await post('admin-token');
    const latches = (await (await fetch(`${server.url}/v1/kill`)).json()) as {
      latches: { scope: unknown }[];
    };

    expect(refused.status).toBe(401);
    expect(loop.engine.calls.filter((c) => c.method === 'stop')).toHaveLength(2);
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { stopped: string[] }).stopped.sort()).toEqual([DCA, GRID]);
    expect(latches.latches.map((l) => l.scope)).toEqual([{ kind: 'all' }]);
  });
});
