import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encodeClientOrderId, ORDER_ROLE_CODES, type OrderRole } from '../../core/ids.ts';
import { compactFromVenueId, VENUE_ID_RULES, venueClientOrderId, type VenueIdKind } from './venue-ids.ts';

const roles = Object.keys(ORDER_ROLE_CODES) as OrderRole[];
const compactIds = fc
  .record({
    ns: fc.stringMatching(/^[0-9a-z]{2}$/),
    bot: fc.integer({ min: 0, max: 36 ** 5 - 1 }),
    seq: fc.integer({ min: 0, max: 36 ** 5 - 1 }),
    role: fc.constantFrom(...roles),
    idx: fc.integer({ min: 0, max: 36 ** 3 - 1 }),
    att: fc.integer({ min: 0, max: 35 }),
  })
  .map(encodeClientOrderId);

const rules = Object.entries(VENUE_ID_RULES).map(([key, rule]) => {
  const [venue, kind] = key.split(':') as [string, VenueIdKind];
  return { venue, kind, rule };
});

describe('venue client order ids (dca-twap-risk.md §8.2)', () => {
  it('derives, for every compact id, an id each venue accepts: charset, maximum and exact length', () => {
    fc.assert(
      fc.property(compactIds, (compact) => {
        for (const { venue, kind, rule } of rules) {
          const id = venueClientOrderId(venue, compact, kind);
          expect(id).toMatch(rule.pattern);
          expect(id.length).toBeLessThanOrEqual(rule.maxLength);
          if (rule.length !== undefined) expect(id).toHaveLength(rule.length);
        }
      }),
    );
  });

  it('reads the compact id back from every venue form that is not a hash, and derives the same id again', () => {
    fc.assert(
      fc.property(compactIds, (compact) => {
        for (const { venue, kind } of rules.filter((r) => r.venue !== 'hyperliquid')) {
          const id = venueClientOrderId(venue, compact, kind);
          expect(compactFromVenueId(venue, id, kind)).toBe(compact);
          expect(venueClientOrderId(venue, compact, kind)).toBe(id);
        }
      }),
    );
  });

  it('passes the compact id through unchanged where it fits (Binance, Bybit, OKX, Kraken)', () => {
    const compact = 'tt0a1b2000c7s0030';

    expect(['binance', 'bybit', 'okx', 'kraken'].map((v) => venueClientOrderId(v, compact))).toEqual([
      compact,
      compact,
      compact,
      compact,
    ]);
  });

  it('makes a Hyperliquid cloid of 0x and the first 32 hex digits of the SHA-256 of the compact id', () => {
    const compact = 'tt0a1b2000c7s0030';
    const sha = createHash('sha256').update(compact).digest('hex');

    const cloid = venueClientOrderId('hyperliquid', compact);

    expect(cloid).toBe(`0x${sha.slice(0, 32)}`);
    expect(cloid).toHaveLength(34);
    expect(compactFromVenueId('hyperliquid', cloid)).toBeUndefined();
  });

  it('makes a Binance algo clientAlgoId of exactly 32 characters: the compact id and 15 hex digits of its SHA-256', () => {
    const compact = 'tt0a1b2000c7w0050';
    const sha = createHash('sha256').update(compact).digest('hex');

    const id = venueClientOrderId('binance', compact, 'algo');

    expect(id).toBe(compact + sha.slice(0, 15));
    expect(id).toHaveLength(32);
  });

  it('prefixes Gate ids with t-', () => {
    expect(venueClientOrderId('gate', 'tt0a1b2000c7s0030')).toBe('t-tt0a1b2000c7s0030');
  });

  it('gives distinct compact ids distinct hashed venue ids', () => {
    fc.assert(
      fc.property(compactIds, compactIds, (a, b) => {
        fc.pre(a !== b);
        expect(venueClientOrderId('hyperliquid', a)).not.toBe(venueClientOrderId('hyperliquid', b));
        expect(venueClientOrderId('binance', a, 'algo')).not.toBe(venueClientOrderId('binance', b, 'algo'));
      }),
    );
  });

  it('refuses ids no venue charset allows, naming the id', () => {
    expect(() => venueClientOrderId('binance', 'bad id!')).toThrow(/"bad id!"/);
  });

  it('does not claim ids that are not ours', () => {
    expect(compactFromVenueId('gate', 'web_123')).toBeUndefined();
    expect(compactFromVenueId('binance', 'x-TKT5PX2F22ecb58eb9074fb1be018c', 'algo')).toBeUndefined();
  });
});
