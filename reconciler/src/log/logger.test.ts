import { describe, expect, it } from '@jest/globals';
import { createLogger, redact } from './logger.ts';

function capture(format: 'json' | 'pretty') {
  const lines: string[] = [];
  const logger = createLogger({
    write: (l) => lines.push(l),
    format,
    now: () => Date.UTC(2026, 0, 2, 3, 4, 5),
  });
  return { logger, lines };
}

describe('logger', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const { logger, lines } = capture('json');

    logger.child({ component: 'reconcile' }).info('applied', { botKey: 'team/a' });

    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toEqual({
      ts: '2026-01-02T03:04:05.000Z',
      level: 'info',
      msg: 'applied',
      component: 'reconcile',
      botKey: 'team/a',
    });
  });

  it('writes a readable line on a terminal', () => {
    const { logger, lines } = capture('pretty');

    logger.warn('apply failed, will retry', { botKey: 'team/a', error: 'exchange timeout' });

    expect(lines).toEqual([
      '03:04:05 WARN  apply failed, will retry  botKey=team/a error="exchange timeout"\n',
    ]);
  });

  it('never writes the value of a secret-looking field, at any depth', () => {
    const { logger, lines } = capture('json');

    logger.error('request failed', {
      headers: { authorization: 'Bearer abc123' },
      token: 'tok-1',
      webhookSecret: 's3cret',
      nested: [{ apiKey: 'k' }],
    });

    expect(lines[0]).not.toMatch(/abc123|tok-1|s3cret|"k"/);
    expect(lines[0]).toContain('[redacted]');
  });

  it('drops records below the configured level', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l), format: 'json', level: 'warn' });

    logger.info('noise');
    logger.warn('signal');

    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['signal']);
  });

  it('logs errors by name and message only', () => {
    expect(redact({ error: new TypeError('bad input') })).toEqual({
      error: { name: 'TypeError', message: 'bad input' },
    });
  });
});
