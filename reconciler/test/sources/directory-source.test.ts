import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectorySource, readDirectorySnapshot } from '../../src/sources/directory.ts';
import type { SourceSnapshot } from '../../src/sources/source.ts';

/** Collects snapshots and lets a test await the next one that satisfies a predicate. */
class Snapshots {
  readonly all: SourceSnapshot[] = [];
  private waiters: { test: (s: SourceSnapshot) => boolean; resolve: (s: SourceSnapshot) => void }[] = [];

  readonly push = (snapshot: SourceSnapshot): void => {
    this.all.push(snapshot);
    this.waiters = this.waiters.filter((w) => (w.test(snapshot) ? (w.resolve(snapshot), false) : true));
  };

  next(test: (s: SourceSnapshot) => boolean): Promise<SourceSnapshot> {
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}

describe('DirectorySource', () => {
  let root: string;
  let source: DirectorySource;
  let snapshots: Snapshots;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tower-dir-'));
    await mkdir(join(root, 'team'));
    await writeFile(join(root, 'team', 'a.yaml'), 'a: 1\n');
    await writeFile(join(root, 'notes.txt'), 'not a manifest');
    snapshots = new Snapshots();
    source = new DirectorySource(root, { debounceMs: 20 });
    await source.start(snapshots.push);
  });

  afterEach(async () => {
    await source.close();
    await rm(root, { recursive: true, force: true });
  });

  it('delivers the manifests under the root with posix paths once started', () => {
    expect(snapshots.all).toHaveLength(1);
    expect([...snapshots.all[0]!.files.keys()]).toEqual(['team/a.yaml']);
    expect(snapshots.all[0]!.revision).toMatch(/^sha256:[0-9a-f]{40}$/);
  });

  it('sees an atomic save (write a temp file, rename over) as one new snapshot', async () => {
    const next = snapshots.next((s) => s.files.get('team/a.yaml') === 'a: 2\n');

    await writeFile(join(root, 'team', '.a.yaml.tmp'), 'a: 2\n');
    await rename(join(root, 'team', '.a.yaml.tmp'), join(root, 'team', 'a.yaml'));
    const snapshot = await next;

    expect([...snapshot.files.keys()]).toEqual(['team/a.yaml']);
  });

  it('coalesces a burst of edits into snapshots of the final content', async () => {
    const last = snapshots.next((s) => s.files.get('team/a.yaml') === 'a: 20\n');

    for (let i = 3; i <= 20; i++) await writeFile(join(root, 'team', 'a.yaml'), `a: ${i}\n`);
    await last;

    expect(snapshots.all.length).toBeLessThan(10);
  });

  it('follows renames and deletes', async () => {
    const renamed = snapshots.next((s) => s.files.has('team/b.yaml') && !s.files.has('team/a.yaml'));
    await rename(join(root, 'team', 'a.yaml'), join(root, 'team', 'b.yaml'));
    await renamed;

    const emptied = snapshots.next((s) => s.files.size === 0);
    await unlink(join(root, 'team', 'b.yaml'));
    const snapshot = await emptied;

    expect(snapshot.files.size).toBe(0);
  });

  it('emits nothing for changes to files that are not manifests', async () => {
    const marker = snapshots.next((s) => s.files.has('team/marker.yaml'));

    await writeFile(join(root, 'notes.txt'), 'changed');
    await writeFile(join(root, 'team', 'marker.yaml'), 'm: 1\n');
    await marker;

    expect(snapshots.all.map((s) => [...s.files.keys()])).toEqual([
      ['team/a.yaml'],
      ['team/a.yaml', 'team/marker.yaml'],
    ]);
  });
});

describe('readDirectorySnapshot', () => {
  it('gives equal content the same revision and different content a different one', async () => {
    const a = await mkdtemp(join(tmpdir(), 'tower-rev-'));
    const b = await mkdtemp(join(tmpdir(), 'tower-rev-'));
    try {
      await writeFile(join(a, 'x.yaml'), 'x: 1\n');
      await writeFile(join(b, 'x.yaml'), 'x: 1\n');
      const first = await readDirectorySnapshot(a);
      const same = await readDirectorySnapshot(b);
      await writeFile(join(b, 'x.yaml'), 'x: 2\n');
      const changed = await readDirectorySnapshot(b);

      expect(same.revision).toBe(first.revision);
      expect(changed.revision).not.toBe(first.revision);
    } finally {
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });
});
