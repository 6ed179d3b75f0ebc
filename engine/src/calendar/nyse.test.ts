// The XNYS regular-hours calendar: DST, holidays, special closures, early closes, and agreement with the
// trading days of the bundled SPY and AAPL daily files (../shared/data/ohlcv, DESIGN/FACTS "Real market data").
import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  addSessionMillis,
  isClosedDay,
  isEasternDst,
  isRegularSession,
  newYorkDate,
  nextSessionOpen,
  sessionMillisBetween,
  sessionOn,
} from './nyse.ts';

const utc = (iso: string): number => Date.parse(iso);

describe('NYSE sessions', () => {
  it('opens 09:30–16:00 New York: 13:30–20:00 UTC in summer, 14:30–21:00 UTC in winter', () => {
    expect(sessionOn('2019-07-02')).toEqual({
      date: '2019-07-02',
      open: utc('2019-07-02T13:30:00Z'),
      close: utc('2019-07-02T20:00:00Z'),
    });
    expect(sessionOn('2019-12-02')).toEqual({
      date: '2019-12-02',
      open: utc('2019-12-02T14:30:00Z'),
      close: utc('2019-12-02T21:00:00Z'),
    });
  });

  it('switches daylight time on the second Sunday of March and the first Sunday of November (2007+)', () => {
    expect(isEasternDst(utc('2019-03-10T06:59:00Z'))).toBe(false);
    expect(isEasternDst(utc('2019-03-10T07:00:00Z'))).toBe(true);
    expect(isEasternDst(utc('2019-11-03T05:59:00Z'))).toBe(true);
    expect(isEasternDst(utc('2019-11-03T06:00:00Z'))).toBe(false);
  });

  it('uses the first Sunday of April to the last Sunday of October before 2007', () => {
    expect(isEasternDst(utc('2005-03-20T12:00:00Z'))).toBe(false);
    expect(isEasternDst(utc('2005-04-03T07:00:00Z'))).toBe(true);
    expect(isEasternDst(utc('2005-10-30T06:00:00Z'))).toBe(false);
    expect(sessionOn('2005-10-31')?.open).toBe(utc('2005-10-31T14:30:00Z'));
  });

  it('closes at 13:00 on early-close days', () => {
    expect(sessionOn('2019-07-03')?.close).toBe(utc('2019-07-03T17:00:00Z'));
    expect(sessionOn('2019-11-29')?.close).toBe(utc('2019-11-29T18:00:00Z'));
    expect(sessionOn('2018-12-24')?.close).toBe(utc('2018-12-24T18:00:00Z'));
  });

  it('is closed on weekends, holidays and special closures', () => {
    expect(isClosedDay('2019-07-06')).toBe(true);
    expect(isClosedDay('2019-07-04')).toBe(true);
    expect(isClosedDay('2012-10-29')).toBe(true);
    expect(isClosedDay('2018-12-05')).toBe(true);
    expect(isClosedDay('2004-06-11')).toBe(true);
    expect(isClosedDay('2010-12-31')).toBe(false); // New Year's Day on a Saturday is not observed on Friday
  });

  it('knows whether an instant is in session and when the next session opens', () => {
    expect(isRegularSession(utc('2019-07-03T16:59:59Z'))).toBe(true);
    expect(isRegularSession(utc('2019-07-03T17:00:00Z'))).toBe(false);
    expect(nextSessionOpen(utc('2019-07-03T17:00:00Z'))).toBe(utc('2019-07-05T13:30:00Z'));
    expect(newYorkDate(utc('2019-07-04T02:00:00Z'))).toBe('2019-07-03');
  });

  it('counts and adds session time across closures consistently', () => {
    const from = utc('2019-07-03T15:00:00Z');
    const to = addSessionMillis(from, 3 * 3_600_000);

    expect(to).toBe(utc('2019-07-05T14:30:00Z'));
    expect(sessionMillisBetween(from, to)).toBe(3 * 3_600_000);
  });
});

describe('NYSE calendar against real daily bars', () => {
  const tradingDays = (file: string): string[] =>
    readFileSync(new URL(`../../../../shared/data/ohlcv/${file}`, import.meta.url), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => new Date(Number(line.split(',')[0])).toISOString().slice(0, 10));

  it.each([['us-consolidated_SPY_1d_2008-01_2021-03.csv'], ['nasdaq_AAPL_1d_2004-08_2018-01.csv']])(
    'opens on exactly the days %s has bars',
    (file) => {
      const days = tradingDays(file);
      const traded = new Set(days);
      const mismatches: string[] = [];
      for (let t = utc(`${days[0]}T12:00:00Z`); t <= utc(`${days.at(-1)}T12:00:00Z`); t += 86_400_000) {
        const date = new Date(t).toISOString().slice(0, 10);
        if (traded.has(date) === isClosedDay(date)) mismatches.push(date);
      }

      expect(mismatches).toEqual([]);
      expect(days.length).toBeGreaterThan(3000);
    },
  );
});
