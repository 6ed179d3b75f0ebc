/**
 * Exact comparison of decimal text without a decimal library (this package imports nothing), so that
 * bounds written in the schemas (`minimum: 0.1`) also hold for decimals written as strings (`"0.05"`).
 */

/** The decimal syntax the schemas accept: optional minus, digits with an optional point, or `.5`. */
export const DECIMAL_TEXT = /^-?(\d+\.?\d*|\.\d+)$/;

interface Parts {
  readonly negative: boolean;
  readonly int: string;
  readonly frac: string;
}

function parts(text: string): Parts {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [rawInt = '', rawFrac = ''] = body.split('.');
  const int = rawInt.replace(/^0+/, '');
  const frac = rawFrac.replace(/0+$/, '');
  const zero = int === '' && frac === '';
  return { negative: negative && !zero, int, frac };
}

function compareMagnitude(a: Parts, b: Parts): number {
  if (a.int.length !== b.int.length) return a.int.length < b.int.length ? -1 : 1;
  if (a.int !== b.int) return a.int < b.int ? -1 : 1;
  const width = Math.max(a.frac.length, b.frac.length);
  const fa = a.frac.padEnd(width, '0');
  const fb = b.frac.padEnd(width, '0');
  if (fa === fb) return 0;
  return fa < fb ? -1 : 1;
}

/** Decimal text for a schema bound (a JSON number), without exponent notation. */
export function numberText(value: number): string {
  const plain = String(value);
  if (!/e/i.test(plain)) return plain;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

/** Compares two decimal texts exactly: -1 if a < b, 0 if equal, 1 if a > b. Both must match DECIMAL_TEXT. */
export function compareDecimalText(a: string, b: string): -1 | 0 | 1 {
  const pa = parts(a);
  const pb = parts(b);
  if (pa.negative !== pb.negative) return pa.negative ? -1 : 1;
  const magnitude = compareMagnitude(pa, pb);
  const signed = pa.negative ? -magnitude : magnitude;
  return signed < 0 ? -1 : signed > 0 ? 1 : 0;
}
