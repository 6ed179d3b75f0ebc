import { describe, expect, it } from '@jest/globals';
import {
  GITHUB_COMMENT_LIMIT,
  PLAN_COMMENT_MARKER,
  planChanges,
  renderMarkdown,
  renderText,
} from '@tradingtower/reconciler/plan/index.ts';
import { aDcaBot, aGridBot, desiredOf } from './builders.ts';

const current = [aGridBot('keep'), aGridBot('tune'), aGridBot('wider'), aDcaBot('gone')];
const desired = desiredOf([
  aGridBot('keep'),
  aGridBot('tune', {}, { maxActiveOrders: 6 }),
  aGridBot('wider', {}, { gridCount: 20 }),
  aGridBot('fresh'),
  aDcaBot('gone2'),
]);

describe('renderText', () => {
  it('reads like terraform plan: a symbol per bot and from → to (class) per field', () => {
    const text = renderText(planChanges(current, desired, { baseRevision: 'a'.repeat(40) }));

    expect(text).toContain('TradingTower plan: aaaaaaaaaaaa → head');
    expect(text).toContain('  +   create   default/fresh (grid)');
    expect(text).toContain('  ~   update   default/tune (grid)  [amend]');
    expect(text).toContain('        params.maxActiveOrders: 10 → 6 (amend)');
    expect(text).toContain('  !   recreate default/wider (grid)  [recreate]');
    expect(text).toContain('        BLOCKED RecreateRequired: params.gridCount needs a stop and a fresh run');
    expect(text).toContain('  -   prune    default/gone (dca)');
    expect(text).toContain('  =   1 bot(s) unchanged');
    expect(text).toContain('Plan: 2 to create, 1 to update, 1 to recreate, 1 to prune, 1 blocked.');
  });
});

describe('renderMarkdown', () => {
  it('starts with the sticky-comment marker and has a summary table and a section per changed bot', () => {
    const md = renderMarkdown(planChanges(current, desired));

    expect(md.startsWith(`${PLAN_COMMENT_MARKER}\n### TradingTower plan`)).toBe(true);
    expect(md).toContain('| ! | `default/wider` | recreate | recreate | **blocked**: RecreateRequired |');
    expect(md).toContain('<details open><summary><code>default/wider</code> recreate [recreate]</summary>');
    expect(md).toContain('| `params.maxActiveOrders` | 10 | 6 | amend |');
    expect(md).not.toContain('default/keep');
  });

  it('escapes manifest text so it cannot break the comment', () => {
    const md = renderMarkdown(
      planChanges(
        [aGridBot('x')],
        desiredOf([aGridBot('x', { labels: { team: '</details><img src=x>|`' } })]),
      ),
    );

    expect(md).toContain('&#60;/details&#62;&#60;img src=x&#62;&#124;&#96;');
    expect(md).not.toContain('<img');
  });

  it('stays under GitHub’s comment limit for 5,000 changed bots, keeping blocked bots first and saying what it left out', () => {
    const many = Array.from({ length: 5000 }, (_, i) => aGridBot(`bot-${i}`));
    const edited = many.map((b, i) =>
      aGridBot(
        b.name,
        {},
        i % 10 === 0 ? { gridCount: 30 } : { maxActiveOrders: 5, stopLoss: { price: '21000' } },
      ),
    );

    const md = renderMarkdown(planChanges(many, desiredOf(edited)));

    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toContain('**Plan:** 4500 to update, 500 to recreate, 500 blocked.');
    expect(md).toMatch(
      /_Plan summarised to fit a comment: \d+ of 5000 changed bots are not in the table and \d+ have no details here\./,
    );
    const firstDetails = md.indexOf('<details');
    expect(md.slice(firstDetails, firstDetails + 80)).toContain('<details open>');
  });
});
