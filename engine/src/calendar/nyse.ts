/**
 * The NYSE regular-hours calendar (`XNYS`): 09:30–16:00 America/New_York, 13:00 on early-close days,
 * closed on weekends, holidays and special closures. Pure: US daylight-saving rules are computed
 * (2007+: second Sunday of March to first Sunday of November; 2004–2006: first Sunday of April to last
 * Sunday of October), closures come from `nyse-data.ts`.
 */
import type { EpochMs } from '../core/clock.ts';
import { NYSE_CLOSURES, NYSE_EARLY_CLOSES } from './nyse-data.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const CLOSED: ReadonlySet<string> = new Set(NYSE_CLOSURES.map(([d]) => d));
const EARLY: ReadonlySet<string> = new Set(NYSE_EARLY_CLOSES.map(([d]) => d));

/** One trading session in UTC epoch ms: [open, close). */
export interface Session {
  readonly date: string;
  readonly open: EpochMs;
  readonly close: EpochMs;
}

/** The Sunday that is the n-th (1-based; −1 = last) Sunday of a month, as a UTC day number. */
function sunday(year: number, month: number, n: number): number {
  if (n > 0) {
    const first = Date.UTC(year, month, 1);
    const dow = new Date(first).getUTCDay();
    return first + (((7 - dow) % 7) + 7 * (n - 1)) * DAY;
  }
  const last = Date.UTC(year, month + 1, 0);
  return last - new Date(last).getUTCDay() * DAY;
}

/** Whether US Eastern daylight time is in effect at a UTC instant (switches at 02:00 local). */
export function isEasternDst(ts: EpochMs): boolean {
  const year = new Date(ts).getUTCFullYear();
  const [start, end] =
    year >= 2007
      ? [sunday(year, 2, 2) + 7 * HOUR, sunday(year, 10, 1) + 6 * HOUR]
      : [sunday(year, 3, 1) + 7 * HOUR, sunday(year, 9, -1) + 6 * HOUR];
  return ts >= start && ts < end;
}

/** UTC offset of New York at `ts` in ms (−4 h in summer, −5 h in winter). */
export const newYorkOffset = (ts: EpochMs): number => (isEasternDst(ts) ? -4 : -5) * HOUR;

/** The New York calendar date (`YYYY-MM-DD`) at a UTC instant. */
export function newYorkDate(ts: EpochMs): string {
  return new Date(ts + newYorkOffset(ts)).toISOString().slice(0, 10);
}

/** New York wall time on `date` (h:m) as a UTC instant. */
function wallTime(date: string, hour: number, minute: number): EpochMs {
  const naive = Date.parse(`${date}T00:00:00Z`) + hour * HOUR + minute * 60_000;
  // The offset at noon of the same day is the session's offset (switches happen at 02:00 on Sundays).
  return naive - newYorkOffset(Date.parse(`${date}T17:00:00Z`));
}

/** Whether the exchange is closed all day on a New York date (weekend, holiday, special closure). */
export function isClosedDay(date: string): boolean {
  const dow = new Date(`${date}T12:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6 || CLOSED.has(date);
}

/** The regular session of a New York date, or undefined when the market is closed that day. */
export function sessionOn(date: string): Session | undefined {
  if (isClosedDay(date)) return undefined;
  return { date, open: wallTime(date, 9, 30), close: wallTime(date, EARLY.has(date) ? 13 : 16, 0) };
}

/** Whether `ts` falls inside a regular session. */
export function isRegularSession(ts: EpochMs): boolean {
  const session = sessionOn(newYorkDate(ts));
  return session !== undefined && ts >= session.open && ts < session.close;
}

/** The first session open strictly after `ts` (or at `ts` when it is exactly an open). */
export function nextSessionOpen(ts: EpochMs): EpochMs {
  return nextSession(ts).open;
}

/** The session in progress at `ts`, else the next one. */
export function nextSession(ts: EpochMs): Session {
  let date = newYorkDate(ts);
  for (let i = 0; i < 15; i++) {
    const session = sessionOn(date);
    if (session && ts < session.close) return session;
    date = new Date(Date.parse(`${date}T12:00:00Z`) + DAY).toISOString().slice(0, 10);
  }
  throw new RangeError(`no NYSE session within 15 days after ${new Date(ts).toISOString()}`);
}

/** Milliseconds of regular session time in [from, to) — the `session` clock of TWAP. */
export function sessionMillisBetween(from: EpochMs, to: EpochMs): number {
  let total = 0;
  let cursor = from;
  while (cursor < to) {
    const s = nextSession(cursor);
    if (s.open >= to) break;
    total += Math.min(s.close, to) - Math.max(s.open, cursor);
    cursor = s.close;
  }
  return total;
}

/** The instant after `from` at which `ms` of session time have elapsed (inverse of sessionMillisBetween). */
export function addSessionMillis(from: EpochMs, ms: number): EpochMs {
  let cursor = from;
  let left = ms;
  for (;;) {
    const s = nextSession(cursor);
    const start = Math.max(s.open, cursor);
    if (start + left < s.close || (left === 0 && start < s.close)) return start + left;
    left -= s.close - start;
    cursor = s.close;
  }
}
