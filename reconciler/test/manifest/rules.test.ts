import { describe, expect, it } from '@jest/globals';
import { loadSnapshot } from '@tradingtower/reconciler/manifest/index.ts';
import { failingFixtures, snapshotOf } from './fixtures.ts';

describe('semantic rules: every failing fixture', () => {
  const fixtures = failingFixtures();

  it('exists for every named rule', () => {
    const codes = new Set(fixtures.map((f) => f.code));

    for (const rule of [
      'secret-literal',
      'ref-account-unresolved',
      'ref-signal-source-unresolved',
      'name-duplicate',
      'market-unknown',
      'market-type-mismatch',
      'policy-live-trading',
      'policy-notional-cap',
      'policy-risk-cap',
      'policy-duplicate',
      // The strategies' own rules, called through the strategy registry.
      'grid-range-invalid',
      'order-below-min',
      'dca-budget-below-required-funds',
      'fut-liq-inside-grid',
      'dca-futures-liquidation-before-ladder',
    ]) {
      expect(codes).toContain(rule);
    }
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    '%s reports its code at the promised line and column',
    (_name, fixture) => {
      const { issues, desired } = loadSnapshot(snapshotOf({ [fixture.name]: fixture.text }));

      const found = issues.filter((i) => i.code === fixture.code);
      expect(found.map((i) => `${i.file}:${i.line}:${i.col}`)).toContain(
        `${fixture.name}:${fixture.line}:${fixture.col}`,
      );
      expect(desired.complete).toBe(false);
    },
  );

  it('never echoes a literal secret in a message', () => {
    const { issues } = loadSnapshot(
      snapshotOf({ 'a.yaml': fixtures.find((f) => f.name === 'secret-literal.yaml')!.text }),
    );

    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.message).not.toContain('AKIA1234567890SECRET');
  });
});
