import { describe, expect, it } from '@jest/globals';
import { loadSnapshot } from '@tradingtower/reconciler/manifest/index.ts';
import { readDirectorySnapshot } from '@tradingtower/reconciler/sources/directory.ts';

describe('bots.example', () => {
  it('validates without a single issue and yields one bot per strategy', async () => {
    const snapshot = await readDirectorySnapshot(new URL('../../../bots.example/', import.meta.url).pathname);

    const { issues, desired } = loadSnapshot(snapshot);

    expect(snapshot.files.size).toBeGreaterThan(0);
    expect(issues).toEqual([]);
    expect(new Set(desired.bots.map((b) => b.strategy))).toEqual(
      new Set(['grid', 'dca', 'dca-futures', 'btd', 'combo', 'loop', 'futures-grid', 'twap']),
    );
  });
});
