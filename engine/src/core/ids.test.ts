import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  botShortId,
  ClientOrderIdEncoder,
  decodeClientOrderId,
  encodeClientOrderId,
  ORDER_ROLE_CODES,
  type OrderRole,
} from './ids.ts';

describe('compact client order ids', () => {
  it('encodes the example of strategies §8.2', () => {
    const id = encodeClientOrderId({
      ns: 'tt',
      bot: parseInt('0a1b2', 36),
      seq: parseInt('000c7', 36),
      role: 'safety',
      idx: 3,
      att: 0,
    });

    expect(id).toBe('tt0a1b2000c7s0030');
    expect(id).toHaveLength(17);
  });

  it('round-trips every valid id and stays alphanumeric lowercase (property)', () => {
    const roles = Object.keys(ORDER_ROLE_CODES) as OrderRole[];
    fc.assert(
      fc.property(
        fc.record({
          ns: fc.constantFrom('tt', 'a9', '00'),
          bot: fc.integer({ min: 0, max: 36 ** 5 - 1 }),
          seq: fc.integer({ min: 0, max: 36 ** 5 - 1 }),
          role: fc.constantFrom(...roles),
          idx: fc.integer({ min: 0, max: 36 ** 3 - 1 }),
          att: fc.integer({ min: 0, max: 35 }),
        }),
        (parts) => {
          const id = encodeClientOrderId(parts);
          return (
            /^[0-9a-z]{17}$/.test(id) && JSON.stringify(decodeClientOrderId(id)) === JSON.stringify(parts)
          );
        },
      ),
    );
  });

  it('encodes per bot exactly as the one-off encoder and as base36 text would (property)', () => {
    const roles = Object.keys(ORDER_ROLE_CODES) as OrderRole[];
    const encoder = new ClientOrderIdEncoder('tt', 123_456);
    const pad = (n: number, width: number) => n.toString(36).padStart(width, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 36 ** 5 - 1 }),
        fc.constantFrom(...roles),
        fc.integer({ min: 0, max: 36 ** 3 - 1 }),
        fc.integer({ min: 0, max: 35 }),
        (seq, role, idx, att) => {
          const id = encoder.encode(seq, role, idx, att);
          const text = `tt${pad(123_456, 5)}${pad(seq, 5)}${ORDER_ROLE_CODES[role]}${pad(idx, 3)}${pad(att, 1)}`;
          return id === text && id === encodeClientOrderId({ ns: 'tt', bot: 123_456, seq, role, idx, att });
        },
      ),
    );
    expect(() => new ClientOrderIdEncoder('T!', 1)).toThrow(/ns/);
    expect(() => encoder.encode(36 ** 5, 'grid', 0, 0)).toThrow(/seq/);
  });

  it('refuses out-of-range fields instead of producing a colliding id', () => {
    expect(() => encodeClientOrderId({ ns: 'tt', bot: 1, seq: 1, role: 'grid', idx: 46656, att: 0 })).toThrow(
      /idx/,
    );
    expect(() => encodeClientOrderId({ ns: 'TT', bot: 1, seq: 1, role: 'grid', idx: 1, att: 0 })).toThrow(
      /ns/,
    );
  });

  it('does not decode ids that are not ours', () => {
    expect(decodeClientOrderId('x-abcdef1234567890')).toBeUndefined();
    expect(decodeClientOrderId('tt0a1b2000c7z0030')).toBeUndefined();
  });

  it('derives the same bot short id for the same key', () => {
    expect(botShortId('team-a/grid-btc')).toBe(botShortId('team-a/grid-btc'));
    expect(botShortId('team-a/grid-btc')).not.toBe(botShortId('team-b/grid-btc'));
  });
});
