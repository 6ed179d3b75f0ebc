import { describe, it, expect } from '@jest/globals';
import {
  CHANGE_CLASSES,
  DECIMAL_PATHS,
  MANIFEST_DECIMAL_PATHS,
  changeClassOf,
  classifyChange,
  maxChangeClass,
} from './index.ts';
import type { AnyBot, BotOf, TowerManifest } from './index.ts';

describe('change classes', () => {
  it('maps the grid document classes onto dotted leaf paths', () => {
    expect(CHANGE_CLASSES.grid['gridCount']).toBe('recreate');
    expect(CHANGE_CLASSES.grid['trailingUp.enabled']).toBe('hot');
    expect(CHANGE_CLASSES.grid['maxActiveOrders']).toBe('amend');
    expect(CHANGE_CLASSES['futures-grid']['investment']).toBe('funds');
    expect(CHANGE_CLASSES.combo['safetyOrders.count']).toBe('amend');
  });

  it('maps the DCA document classes, identity fields being immutable', () => {
    expect(CHANGE_CLASSES.dca['direction']).toBe('immutable');
    expect(CHANGE_CLASSES.dca['takeProfit.pct']).toBe('amend');
    expect(CHANGE_CLASSES.dca['safetyOrders.size']).toBe('next-cycle');
    expect(CHANGE_CLASSES.dca['deal.cooldownSec']).toBe('hot');
    expect(CHANGE_CLASSES['dca-futures']['leverage']).toBe('next-cycle');
    expect(CHANGE_CLASSES.twap['side']).toBe('immutable');
  });

  it('classifies a path inside an array leaf by its array', () => {
    expect(changeClassOf('dca', 'safetyOrders.customLevels.2.size')).toBe('next-cycle');
    expect(changeClassOf('dca', 'noSuchField')).toBeUndefined();
  });

  it('refines by direction where the documents do: more investment moves funds, less needs a fresh run', () => {
    expect(classifyChange('grid', 'investment', '1000', 1500)).toBe('funds');
    expect(classifyChange('grid', 'investment', 1000, '999.99')).toBe('recreate');
    expect(classifyChange('loop', 'lowPrice', '45000', '40000')).toBe('hot');
    expect(classifyChange('loop', 'lowPrice', '45000', '46000')).toBe('recreate');
  });

  it('answers recreate for a path it does not know', () => {
    expect(classifyChange('grid', 'mystery', 1, 2)).toBe('recreate');
  });

  it('takes the higher class of two', () => {
    expect(maxChangeClass('hot', 'funds')).toBe('funds');
    expect(maxChangeClass('immutable', 'amend')).toBe('immutable');
  });
});

describe('decimal paths', () => {
  it('lists decimal params fields, including array items, and leaves integers out', () => {
    expect(DECIMAL_PATHS.grid).toContain('lowPrice');
    expect(DECIMAL_PATHS.grid).toContain('pumpProtection.maxMovePct');
    expect(DECIMAL_PATHS.grid).not.toContain('gridCount');
    expect(DECIMAL_PATHS.dca).toContain('safetyOrders.customLevels[].size');
  });

  it('lists decimal fields of the manifest kinds, with map values as *', () => {
    expect(MANIFEST_DECIMAL_PATHS.Account).toContain('spec.paper.balances.*');
    expect(MANIFEST_DECIMAL_PATHS.Bot).toContain('spec.risk.maxOrderNotional');
  });
});

describe('generated types', () => {
  it('type a Bot by its strategy, with decimals as text', () => {
    const bot = {
      apiVersion: 'tradingtower.dev/v1',
      kind: 'Bot',
      metadata: { name: 'grid-g' },
      spec: {
        strategy: 'grid',
        account: 'paper',
        market: 'BTC/USDT',
        params: { lowPrice: '100', highPrice: '200', gridCount: 4, investment: '1000' },
      },
    } satisfies BotOf<'grid'>;
    const anyBot: AnyBot = bot;
    const manifest: TowerManifest = bot;

    expect(anyBot.spec.strategy === 'grid' ? anyBot.spec.params.lowPrice : undefined).toBe('100');
    expect(manifest.kind).toBe('Bot');
  });
});
