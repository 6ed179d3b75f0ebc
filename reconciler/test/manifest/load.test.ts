import { describe, expect, it } from '@jest/globals';
import { LIMITS, loadSnapshot } from '@tradingtower/reconciler/manifest/index.ts';
import { PAPER_ACCOUNT, gridBot, snapshotOf } from './fixtures.ts';

describe('loadSnapshot', () => {
  it('keeps the exact decimal text of numbers and applies schema defaults', () => {
    const text = `${PAPER_ACCOUNT}---\n${gridBot('grid-btc', '{ lowPrice: 25000.10, highPrice: 35000.000000000000000001, gridCount: 10, investment: 1000.10 }')}`;

    const { desired, issues } = loadSnapshot(snapshotOf({ 'bots.yaml': text }));

    expect(issues).toEqual([]);
    const params = desired.bots[0]!.params as Record<string, unknown>;
    expect(params['lowPrice']).toBe('25000.1');
    expect(params['highPrice']).toBe('35000.000000000000000001');
    expect(params['investment']).toBe('1000.1');
    expect(params['gridCount']).toBe(10);
    expect(params['gridMode']).toBe('geometric');
  });

  it('reads every document of a multi-document file and takes the namespace from the first folder', () => {
    const text = `${PAPER_ACCOUNT}---\n${gridBot('a')}---\n${gridBot('b')}`;

    const { desired } = loadSnapshot(snapshotOf({ 'team-a/bots.yaml': text }));

    expect(desired.bots.map((b) => b.key)).toEqual(['team-a/a', 'team-a/b']);
    expect(desired.accounts.has('team-a/paper-main')).toBe(true);
    expect(desired.bots[1]!.source).toEqual({ file: 'team-a/bots.yaml', line: 19, col: 1 });
  });

  it('fills in the update policy defaults', () => {
    const { desired } = loadSnapshot(snapshotOf({ 'a.yaml': `${PAPER_ACCOUNT}---\n${gridBot('a')}` }));

    expect(desired.bots[0]!.update).toEqual({
      onRecreate: 'refuse',
      closeAction: 'cancelOrders',
      allowFundMoves: false,
      confirmImmediateExit: false,
    });
    expect(desired.bots[0]!.state).toBe('running');
  });

  it('reports all problems of a document, each at its line and column', () => {
    const bot = gridBot('bad', '\n    lowPrice: -1\n    highPrice: abc\n    gridCount: 1\n    extra: 2');

    const { issues, desired } = loadSnapshot(snapshotOf({ 'a.yaml': `${PAPER_ACCOUNT}---\n${bot}` }));

    expect(issues.map((i) => `${i.line}:${i.col} ${i.code}`)).toEqual([
      '17:3 schema-required',
      '18:15 schema-exclusive-minimum',
      '19:16 schema-pattern',
      '20:16 schema-minimum',
      '21:5 schema-additional-properties',
    ]);
    expect(issues[1]!.message).toBe('spec.params.lowPrice must be > 0, was -1');
    expect(issues[2]!.message).toBe('spec.params.highPrice must be a decimal number, was "abc"');
    expect(desired.bots).toEqual([]);
    expect(desired.complete).toBe(false);
  });

  it('still checks the other files when one is broken', () => {
    const { issues, desired } = loadSnapshot(
      snapshotOf({ 'a.yaml': 'kind: [unclosed\n', 'b.yaml': `${PAPER_ACCOUNT}---\n${gridBot('ok')}` }),
    );

    expect(issues.every((i) => i.file === 'a.yaml')).toBe(true);
    expect(issues.length).toBeGreaterThan(0);
    expect(desired.bots.map((b) => b.name)).toEqual(['ok']);
  });

  it('reports a duplicate key at the second key', () => {
    const { issues } = loadSnapshot(
      snapshotOf({ 'a.yaml': 'apiVersion: tradingtower.dev/v1\nkind: Bot\nkind: Account\n' }),
    );

    expect(issues[0]).toMatchObject({ code: 'yaml-duplicate-key', line: 3, col: 1 });
  });

  it('rejects an unknown kind and a wrong apiVersion where they are written', () => {
    const { issues } = loadSnapshot(
      snapshotOf({ 'a.yaml': 'apiVersion: v2\nkind: Robot\nmetadata: { name: x }\n' }),
    );

    expect(issues.map((i) => `${i.line}:${i.col} ${i.code}`)).toEqual([
      '1:13 manifest-api-version',
      '2:7 manifest-unknown-kind',
    ]);
  });

  it('refuses an alias bomb with a located error instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );

    const { issues } = loadSnapshot(snapshotOf({ 'bomb.yaml': `${levels.join('\n')}\n` }));

    expect(issues).toHaveLength(1);
    expect(issues[0]!.code).toBe('yaml-too-large');
  });

  it('refuses files over the size limit, binary data, UTF-16 text and too many documents, each located', () => {
    const files = {
      'big.yaml': `a: "${'x'.repeat(LIMITS.maxFileSize)}"\n`,
      'binary.yaml': 'apiVersion: x\nkind: \u0000\u0001\u0002',
      'utf16.yaml': '\uFFFE\u0000a\u0000:\u0000',
      'latin1.yaml': 'apiVersion: tradingtower.dev/v1\nname: caf\uFFFD\n',
      'many.yaml': '---\na: 1\n'.repeat(LIMITS.maxDocuments + 1),
      'deep.yaml': `a: ${'['.repeat(100)}${']'.repeat(100)}\n`,
    };

    const { issues } = loadSnapshot(snapshotOf(files));

    expect(issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.code}`)).toEqual([
      'big.yaml:1:1 file-too-large',
      'binary.yaml:2:7 file-encoding',
      `deep.yaml:1:${3 + LIMITS.maxDepth + 1} yaml-too-deep`,
      'latin1.yaml:2:10 file-encoding',
      `many.yaml:${2 * LIMITS.maxDocuments + 1}:1 yaml-too-many-documents`,
      'utf16.yaml:1:1 file-encoding',
    ]);
  });
});
