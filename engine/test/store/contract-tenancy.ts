/** The tenant-isolation part of the store contract: a namespace-scoped handle sees and touches only its namespace. */
import { describe, expect, it } from '@jest/globals';
import { TenancyError, type TowerStore } from '../../src/ports/store.ts';
import { anAudit, aRun, aStatus } from './builders.ts';

/** Registers the isolation tests against the store the surrounding suite has open. */
export function describeTenancy(store: () => TowerStore): void {
  describe('tenant isolation', () => {
    it('gives a namespace-A reader none of namespace B and rejects B keys', async () => {
      await store().append([...aRun(1, 3, { botKey: 'b/secret' }), anAudit({ seq: 1, botKey: 'b/secret2' })]);
      await store().putStatus(aStatus('b/secret'));
      await store().putStatus(aStatus('a/mine'));
      const a = store().forNamespace('a');

      expect((await a.listStatuses('a')).map((s) => s.botKey)).toEqual(['a/mine']);
      expect((await a.readAudit('a', { from: 0, to: Number.MAX_SAFE_INTEGER })).items).toEqual([]);
      await expect(a.readRun('b/secret', 'run-1')).rejects.toThrow(TenancyError);
      await expect(a.listRuns('b/secret')).rejects.toThrow(TenancyError);
      await expect(a.readRunByTime('b/secret', 'run-1', { from: 0, to: 1 })).rejects.toThrow(TenancyError);
      await expect(a.getStatus('b/secret')).rejects.toThrow(TenancyError);
      await expect(a.latestSnapshots('b/secret')).rejects.toThrow(TenancyError);
      await expect(a.listStatuses('b')).rejects.toThrow(TenancyError);
      await expect(a.readAudit('b', { from: 0, to: 1 })).rejects.toThrow(TenancyError);
    });

    it('refuses writes outside the namespace and leaves the other tenant untouched', async () => {
      const a = store().forNamespace('a');

      await expect(
        a.append([...aRun(1, 1, { botKey: 'a/x' }), ...aRun(1, 1, { botKey: 'b/x' })]),
      ).rejects.toThrow(TenancyError);
      await expect(a.putStatus(aStatus('b/x'))).rejects.toThrow(TenancyError);

      expect(await store().listRuns('b/x')).toEqual([]);
      expect(await store().listRuns('a/x')).toEqual([]);
      expect(await store().getStatus('b/x')).toBeUndefined();
    });

    it('rejects bot keys that are not namespace/name', async () => {
      await expect(store().append(aRun(1, 1, { botKey: 'no-namespace' }))).rejects.toThrow(TenancyError);
      await expect(store().getStatus('a/b/c')).rejects.toThrow(TenancyError);
      await expect(store().listStatuses('')).rejects.toThrow(TenancyError);
    });
  });
}
