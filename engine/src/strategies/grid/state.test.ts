import { describe, expect, it } from '@jest/globals';
import { keyedLine, lineKey } from './state.ts';

describe('line keys', () => {
  it('lead back from a line’s key text to the line, and from no other key', () => {
    const key = lineKey(17);

    expect(keyedLine(key)).toBe(17);
    expect(keyedLine(`line:${17}`)).toBe(17);
    expect(keyedLine('init')).toBeUndefined();
    expect(keyedLine('trail-down:17')).toBeUndefined();
    expect(keyedLine(lineKey(-3))).toBeUndefined();
  });
});
