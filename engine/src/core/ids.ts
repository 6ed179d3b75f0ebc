/**
 * Deterministic identifiers (strategies/dca-twap-risk.md §8.2).
 *
 * The compact client order id is 17 lowercase base36 characters:
 * `ns(2) bot(5) seq(5) role(1) idx(3) att(1)`, e.g. `tt0a1b2000c7s0030`. It fits every venue in the
 * table of §8.2 and is derived only from persisted facts, so a restarted engine computes the same id
 * for the same logical order and can look it up instead of sending it again.
 */

/** Order roles and their one-letter codes in the compact id. */
export const ORDER_ROLE_CODES = {
  base: 'b',
  safety: 's',
  takeProfit: 't',
  stop: 'l',
  close: 'c',
  slice: 'w',
  kill: 'k',
  manual: 'm',
  grid: 'g',
  entry: 'e',
  exit: 'x',
} as const;

/** The role of an order within its bot. */
export type OrderRole = keyof typeof ORDER_ROLE_CODES;

/** Each role's code as a character code. */
const ROLE_CHAR_CODES = Object.fromEntries(
  Object.entries(ORDER_ROLE_CODES).map(([role, code]) => [role, code.charCodeAt(0)]),
) as Record<OrderRole, number>;

const ROLE_BY_CODE: ReadonlyMap<string, OrderRole> = new Map(
  Object.entries(ORDER_ROLE_CODES).map(([role, code]) => [code, role as OrderRole]),
);

/** The parts a compact client order id is made of. */
export interface ClientOrderIdParts {
  /** Deployment namespace prefix, 2 base36 chars (lets the engine recognise its own orders). */
  readonly ns: string;
  /** Bot short id, 0 ≤ n < 36^5. */
  readonly bot: number;
  /** Deal (DCA) or run/cycle number, 0 ≤ n < 36^5. */
  readonly seq: number;
  readonly role: OrderRole;
  /** Level or slice index, 0 ≤ n < 36^3 (46 656). */
  readonly idx: number;
  /** Attempt, 0 ≤ n < 36; a new attempt only after the previous one is proven dead. */
  readonly att: number;
}

/** Base36 digits, and every two-digit pair: fixed-width ids are read off these tables, not formatted. */
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const PAIRS: readonly string[] = Array.from(
  { length: 36 * 36 },
  (_, i) => DIGITS[(i / 36) | 0]! + DIGITS[i % 36]!,
);

/** Throws unless `value` fits `width` base36 digits: an id must never alias another's. */
function checkField(value: number, width: 1 | 3 | 5, field: string): void {
  const limit = 36 ** width;
  if (!Number.isInteger(value) || value < 0 || value >= limit) {
    throw new RangeError(`client order id: ${field} must be an integer in [0, ${limit}), was ${value}`);
  }
}

function base36(value: number, width: 1 | 3 | 5, field: string): string {
  checkField(value, width, field);
  // Zero-padded by construction: the leading digit, then whole pairs of 36² below it.
  if (width === 1) return DIGITS[value]!;
  if (width === 3) return DIGITS[(value / 1296) | 0]! + PAIRS[value % 1296]!;
  return DIGITS[(value / 1679616) | 0]! + PAIRS[((value / 1296) | 0) % 1296]! + PAIRS[value % 1296]!;
}

/** 36^n for the digits of a field. */
const POW36 = [1, 36, 36 ** 2, 36 ** 3, 36 ** 4] as const;

/** The character code of base36 digit `n` of `value` (n = 0 is the last digit); value < 36^5 < 2^31. */
function digitCode(value: number, n: 0 | 1 | 2 | 3 | 4): number {
  return DIGITS.charCodeAt(((value / POW36[n]) | 0) % 36);
}

function checkNamespace(ns: string): void {
  if (!/^[0-9a-z]{2}$/.test(ns))
    throw new RangeError(`client order id: ns must be 2 base36 chars, was "${ns}"`);
}

/** Encodes the 17-character compact client order id. */
export function encodeClientOrderId(parts: ClientOrderIdParts): string {
  checkNamespace(parts.ns);
  return (
    parts.ns +
    base36(parts.bot, 5, 'bot') +
    base36(parts.seq, 5, 'seq') +
    ORDER_ROLE_CODES[parts.role] +
    base36(parts.idx, 3, 'idx') +
    base36(parts.att, 1, 'att')
  );
}

/**
 * Encodes the client order ids of one bot: the namespace and bot parts are checked and encoded once.
 * Same ids as `encodeClientOrderId`.
 */
export class ClientOrderIdEncoder {
  /** Character codes of the id's first 7 characters (namespace, bot). */
  private readonly prefix: readonly number[];

  constructor(ns: string, bot: number) {
    checkNamespace(ns);
    const prefix = ns + base36(bot, 5, 'bot');
    this.prefix = Array.from(prefix, (c) => c.charCodeAt(0));
  }

  /** The compact id of (seq, role, idx, att). */
  encode(seq: number, role: OrderRole, idx: number, att: number): string {
    checkField(seq, 5, 'seq');
    checkField(idx, 3, 'idx');
    checkField(att, 1, 'att');
    const p = this.prefix;
    // One flat string from its 17 character codes (ids are made per order): joined from parts, it would
    // be built piece by piece and copied once more when first hashed as a map key.
    return String.fromCharCode(
      p[0]!,
      p[1]!,
      p[2]!,
      p[3]!,
      p[4]!,
      p[5]!,
      p[6]!,
      digitCode(seq, 4),
      digitCode(seq, 3),
      digitCode(seq, 2),
      digitCode(seq, 1),
      digitCode(seq, 0),
      ROLE_CHAR_CODES[role],
      digitCode(idx, 2),
      digitCode(idx, 1),
      digitCode(idx, 0),
      digitCode(att, 0),
    );
  }
}

/** Decodes a compact client order id, or returns undefined for an id that is not ours. */
export function decodeClientOrderId(id: string): ClientOrderIdParts | undefined {
  const m = /^([0-9a-z]{2})([0-9a-z]{5})([0-9a-z]{5})([a-z])([0-9a-z]{3})([0-9a-z])$/.exec(id);
  if (!m) return undefined;
  const role = ROLE_BY_CODE.get(m[4]!);
  if (!role) return undefined;
  return {
    ns: m[1]!,
    bot: parseInt(m[2]!, 36),
    seq: parseInt(m[3]!, 36),
    role,
    idx: parseInt(m[5]!, 36),
    att: parseInt(m[6]!, 36),
  };
}

/** 32-bit FNV-1a of a string: a small, stable, dependency-free hash for derived ids. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The bot short id derived from its key (`namespace/name`), in [0, 36^5). */
export function botShortId(botKey: string): number {
  return fnv1a32(botKey) % 36 ** 5;
}

/** The run id of a bot's n-th run (1-based): stable across restarts, readable in logs. */
export function runIdOf(botKey: string, runNumber: number): string {
  return `${botKey}#${runNumber}`;
}

/** A source of ids for things that need no derivation (correlation ids, audit ids). Injected. */
export interface IdSource {
  next(prefix: string): string;
}

/** Sequential ids: deterministic for tests and backtests. */
export class SequentialIds implements IdSource {
  private counter = 0;
  next(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${this.counter}`;
  }
}
