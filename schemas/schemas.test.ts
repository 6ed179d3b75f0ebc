import { describe, it, expect } from '@jest/globals';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  CHANGE_CLASS_ORDER,
  KIND_SCHEMAS,
  STRATEGY_KINDS,
  STRATEGY_PARAMS_SCHEMAS,
  buildBundle,
  commonSchema,
  leavesOf,
  propertySchemasOf,
} from './index.ts';
import {
  EXAMPLES_DIR,
  SCHEMAS_DIR,
  bundleValidator,
  errorsOf,
  readSchema,
  sourceSchemaFiles,
  sourceValidators,
  strictAjv,
} from './test/support.ts';

const validator = sourceValidators();
const bundle = bundleValidator();

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return name.endsWith('.yaml') || name.endsWith('.yml') ? [path] : [];
    });
}

function documentsOf(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    expect(doc.errors).toEqual([]);
    return doc.toJS() as unknown;
  });
}

const examples = yamlFiles(EXAMPLES_DIR).flatMap((file) =>
  documentsOf(file).map((doc) => ({ file: relative(EXAMPLES_DIR, file), doc })),
);

/** Appendix A.1 of grid-family.md (example G) in our manifest layout. */
function exampleG(): Record<string, unknown> {
  return {
    apiVersion: 'tradingtower.dev/v1',
    kind: 'Bot',
    metadata: { name: 'base-usdt-grid-g' },
    spec: {
      strategy: 'grid',
      account: 'binance-main',
      market: 'BASE/USDT',
      params: {
        lowPrice: '100',
        highPrice: '200',
        gridCount: 4,
        gridMode: 'arithmetic',
        investment: '1000',
        orderSizeMode: 'quote',
        counterSpacing: 'lattice',
        trailingUp: { enabled: false, limitPrice: '300', trailStopLoss: true },
        trailingDown: { enabled: false },
        pumpProtection: { enabled: true, windowSec: 60, maxMovePct: '3', cooldownSec: 300 },
        stopLoss: { price: '90' },
        takeProfit: { pnlPct: '25' },
        closeAction: 'sellBase',
        compound: { enabled: false, intervalHours: 24 },
      },
      update: { onRecreate: 'refuse', closeAction: 'keep', allowFundMoves: false },
    },
  };
}

function withParams(doc: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const spec = doc['spec'] as Record<string, unknown>;
  const params = { ...(spec['params'] as Record<string, unknown>), ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete params[key];
  return { ...doc, spec: { ...spec, params } };
}

describe('schema sources', () => {
  it.each(sourceSchemaFiles())('%s compiles with ajv 2020 in strict mode', (file) => {
    expect(() => validator(file)).not.toThrow();
  });

  it.each(sourceSchemaFiles())('%s has the $id of its path', (file) => {
    expect(readSchema(file)['$id']).toBe(`https://tradingtower.dev/schemas/v1/${file}`);
  });

  it('has one params schema per strategy kind, eight in all', () => {
    expect([...STRATEGY_KINDS].sort()).toEqual(
      ['btd', 'combo', 'dca', 'dca-futures', 'futures-grid', 'grid', 'loop', 'twap'].sort(),
    );
  });

  it('generated constants are the files on disk', () => {
    expect(commonSchema).toEqual(readSchema('common.schema.json'));
    for (const kind of STRATEGY_KINDS) {
      expect(STRATEGY_PARAMS_SCHEMAS[kind]).toEqual(readSchema(`strategies/${kind}.params.schema.json`));
    }
  });

  it('the checked-in bundle is what buildBundle makes of the sources', () => {
    const sources = {
      common: commonSchema,
      kinds: KIND_SCHEMAS,
      strategies: STRATEGY_PARAMS_SCHEMAS,
    };

    expect(readSchema('bundle/tradingtower.schema.json')).toEqual(buildBundle(sources));
  });
});

describe.each(STRATEGY_KINDS)('%s params annotations', (kind) => {
  const schema = STRATEGY_PARAMS_SCHEMAS[kind];

  it('every property has a description', () => {
    const missing = propertySchemasOf(schema).filter((p) => typeof p.schema['description'] !== 'string');
    expect(missing.map((p) => p.path)).toEqual([]);
  });

  it('every leaf has its own x-change with a known class', () => {
    const bad = leavesOf(schema).filter(
      (leaf) => !CHANGE_CLASS_ORDER.includes(leaf.schema['x-change'] as never),
    );
    expect(bad.map((leaf) => leaf.path)).toEqual([]);
  });

  it('every field that refers to a decimal definition is marked x-decimal', () => {
    const decimalRef =
      /#\/\$defs\/(decimal|positiveDecimal|nonNegativeDecimal|price|percent|positivePercent|nonNegativePercent)$/;
    const unmarked = propertySchemasOf(schema).filter(
      (p) => decimalRef.test(String(p.schema['$ref'])) && p.schema['x-decimal'] !== true,
    );
    expect(unmarked.map((p) => p.path)).toEqual([]);
  });
});

describe('bots.example', () => {
  it.each(examples.map((e, index) => [`${e.file}#${index}`, e.doc] as const))(
    '%s validates against the editor bundle',
    (_name, doc) => {
      expect(errorsOf(bundle, doc)).toEqual([]);
    },
  );

  it('has a Bot for each of the eight strategies, a Policy, a SignalSource and paper Accounts', () => {
    const docs = examples.map((e) => e.doc as { kind: string; spec: Record<string, unknown> });
    const strategies = new Set(docs.filter((d) => d.kind === 'Bot').map((d) => d.spec['strategy']));
    const accounts = docs.filter((d) => d.kind === 'Account');

    expect([...strategies].sort()).toEqual([...STRATEGY_KINDS].sort());
    expect(docs.filter((d) => d.kind === 'Policy')).toHaveLength(1);
    expect(docs.filter((d) => d.kind === 'SignalSource').map((d) => d.spec['type'])).toEqual(['tradingview']);
    expect(accounts.length).toBeGreaterThan(0);
    expect(accounts.every((a) => a.spec['mode'] === 'paper' && a.spec['paper'] !== undefined)).toBe(true);
  });

  it.each(yamlFiles(EXAMPLES_DIR).map((f) => relative(EXAMPLES_DIR, f)))(
    '%s starts with a yaml-language-server line that points at the bundle',
    (file) => {
      const firstLine = readFileSync(join(EXAMPLES_DIR, file), 'utf8').split('\n')[0] ?? '';
      const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(firstLine);

      expect(match).not.toBeNull();
      const target = resolve(dirname(join(EXAMPLES_DIR, file)), match?.[1] ?? '');
      expect(target).toBe(join(SCHEMAS_DIR, 'bundle', 'tradingtower.schema.json'));
      expect(existsSync(target)).toBe(true);
    },
  );
});

describe('manifest validation', () => {
  const bot = validator('kinds/bot.schema.json');

  it('accepts example G of the grid document (Appendix A.1) in our layout', () => {
    expect(errorsOf(bot, exampleG())).toEqual([]);
    expect(errorsOf(bundle, exampleG())).toEqual([]);
  });

  it('rejects a typo in a params field name', () => {
    const errors = errorsOf(bot, withParams(exampleG(), { gridcount: 4 }));

    expect(
      errors.some(
        (e) => e.keyword === 'additionalProperties' && e.params['additionalProperty'] === 'gridcount',
      ),
    ).toBe(true);
  });

  it('requires exactly one of gridCount and gridStepPct', () => {
    expect(errorsOf(bot, withParams(exampleG(), { gridStepPct: 1 }))).not.toEqual([]);
    expect(errorsOf(bot, withParams(exampleG(), { gridCount: undefined }))).not.toEqual([]);
    expect(errorsOf(bot, withParams(exampleG(), { gridCount: undefined, gridStepPct: '1.5' }))).toEqual([]);
  });

  it('applies numeric bounds to decimals written as strings as well as numbers', () => {
    for (const gridStepPct of ['0', '-1', '50.0001', 0, 51]) {
      expect(errorsOf(bot, withParams(exampleG(), { gridCount: undefined, gridStepPct }))).not.toEqual([]);
    }
    expect(errorsOf(bot, withParams(exampleG(), { gridCount: undefined, gridStepPct: '50' }))).toEqual([]);
  });

  it('rejects decimal text that is not a number', () => {
    expect(errorsOf(bot, withParams(exampleG(), { investment: '1e3' }))).not.toEqual([]);
    expect(errorsOf(bot, withParams(exampleG(), { investment: 'lots' }))).not.toEqual([]);
  });

  it('validates params against the schema of the named strategy only', () => {
    const asDca = { ...exampleG(), spec: { ...(exampleG()['spec'] as object), strategy: 'dca' } };

    expect(errorsOf(bot, asDca).some((e) => e.instancePath.startsWith('/spec/params'))).toBe(true);
  });

  it('rejects a futures strategy on a spot market', () => {
    const doc = examples.find(
      (e) => (e.doc as { metadata: { name: string } }).metadata.name === 'futures-grid-btc',
    )?.doc;
    const spot = { ...(doc as object), spec: { ...(doc as { spec: object }).spec, market: 'BTC/USDT' } };

    expect(errorsOf(bot, doc)).toEqual([]);
    expect(errorsOf(bot, spot)).not.toEqual([]);
  });

  it('requires a signal binding or a secret for a DCA bot started by webhook', () => {
    const dca = examples.find(
      (e) => (e.doc as { metadata: { name: string } }).metadata.name === 'dca-btc',
    )?.doc;
    const webhook = withParams(dca as Record<string, unknown>, { start: { mode: 'webhook' } });
    const { signals: _signals, ...unbound } = webhook['spec'] as Record<string, unknown>;

    expect(errorsOf(bot, webhook)).toEqual([]);
    expect(errorsOf(bot, { ...webhook, spec: unbound })).not.toEqual([]);
  });

  it('rejects a literal secret where a credential reference is expected', () => {
    const account = validator('kinds/account.schema.json');
    const doc = (apiKey: unknown): unknown => ({
      apiVersion: 'tradingtower.dev/v1',
      kind: 'Account',
      metadata: { name: 'live-binance' },
      spec: { exchange: 'binance', mode: 'live', credentials: { apiKey, secret: { env: 'BINANCE_SECRET' } } },
    });

    expect(errorsOf(account, doc({ env: 'BINANCE_KEY' }))).toEqual([]);
    expect(errorsOf(account, doc({ keyVault: { vault: 'tower-kv', secret: 'binance-key' } }))).toEqual([]);
    expect(
      errorsOf(account, doc('vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A')),
    ).not.toEqual([]);
    expect(
      errorsOf(bundle, doc('vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A')),
    ).not.toEqual([]);
  });

  it('requires credentials for live accounts and a token for TradingView sources', () => {
    const account = { apiVersion: 'tradingtower.dev/v1', kind: 'Account', metadata: { name: 'a' } };
    const source = { apiVersion: 'tradingtower.dev/v1', kind: 'SignalSource', metadata: { name: 'tv' } };

    expect(errorsOf(bundle, { ...account, spec: { exchange: 'binance', mode: 'live' } })).not.toEqual([]);
    expect(errorsOf(bundle, { ...source, spec: { type: 'tradingview' } })).not.toEqual([]);
    expect(errorsOf(bundle, { ...source, spec: { type: 'tradingview', token: 'abc' } })).not.toEqual([]);
  });

  it('rejects an unknown kind and a wrong apiVersion', () => {
    expect(errorsOf(bundle, { ...exampleG(), kind: 'GridBot' })).not.toEqual([]);
    expect(errorsOf(bundle, { ...exampleG(), apiVersion: 'bots/v1' })).not.toEqual([]);
  });
});

describe('strictAjv', () => {
  it('rejects a schema with an unregistered keyword (strict mode is on)', () => {
    expect(() => strictAjv().compile({ type: 'object', 'x-unknown': true })).toThrow(/unknown keyword/);
  });
});
