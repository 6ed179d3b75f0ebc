import { describe, expect, it } from '@jest/globals';
import { parseUpArgs } from '../../src/cli/up.ts';
import { statusTable } from '../../src/cli/status.ts';
import { killBody } from '../../src/cli/kill.ts';

describe('tower up configuration', () => {
  it('defaults to bots.example on port 8080 with the default store', () => {
    const config = parseUpArgs([], {});

    expect(config).toEqual({
      dir: 'bots.example',
      port: 8080,
      host: '0.0.0.0',
      store: undefined,
      logFormat: undefined,
    });
  });

  it('takes the folder and port from arguments before the environment', () => {
    const config = parseUpArgs(['my-bots', '--port', '9090'], { PORT: '7070', TOWER_STORE: 'memory:' });

    expect(config).toMatchObject({ dir: 'my-bots', port: 9090, store: 'memory:' });
  });

  it('takes the port from PORT when no flag is given', () => {
    expect(parseUpArgs([], { PORT: '7070' })).toMatchObject({ port: 7070 });
  });

  it('configures a GitHub source from the environment', () => {
    const config = parseUpArgs([], {
      TOWER_GITHUB_REPO: 'acme/bots',
      TOWER_GITHUB_PATH: 'bots',
      TOWER_POLL_SEC: '30',
    });

    expect(config).toMatchObject({
      github: { owner: 'acme', repo: 'bots', ref: 'main', path: 'bots', pollSec: 30 },
    });
  });

  it('names the bad setting in usage errors', () => {
    expect(parseUpArgs(['--port', 'x'], {})).toMatch(/--port must be an integer/);
    expect(parseUpArgs(['--github', 'acme'], {})).toMatch(/--github must be owner\/repo, was acme/);
    expect(parseUpArgs(['a', 'b'], {})).toMatch(/at most one folder/);
  });
});

describe('tower status table', () => {
  it('shows each bot with the reason of anything not Ready', () => {
    const table = statusTable([
      {
        botKey: 'team/a',
        summary: 'Ready',
        state: 'running',
        lastAppliedRevision: 'sha256:0123456789abcdef',
      },
      {
        botKey: 'team/b',
        summary: 'Stalled',
        state: 'running',
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'RecreateRequired',
            message: 'params.lowPrice needs a fresh run',
          },
        ],
        drift: [{}],
      },
    ]);

    const lines = table.split('\n');
    expect(lines[1]).toMatch(/^team\/a\s+Ready\s+running\s+0123456789\s+0\s+0\s+$/);
    expect(lines[2]).toMatch(
      /^team\/b\s+Stalled\s+running\s+-\s+0\s+1\s+RecreateRequired: params.lowPrice needs a fresh run$/,
    );
  });
});

describe('tower kill arguments', () => {
  it('names exactly one scope', () => {
    expect(killBody(['team/a'], {})).toEqual({ bot: 'team/a' });
    expect(killBody([], { namespace: 'team' })).toEqual({ namespace: 'team' });
    expect(killBody([], { all: true })).toEqual({ all: true });
    expect(killBody(['team/a'], { all: true })).toMatch(/exactly one/);
    expect(killBody([], {})).toMatch(/exactly one/);
  });
});
