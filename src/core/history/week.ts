/**
 * ISO 8601 weeks: weeks start on Monday, and a week belongs to the ISO week-year of its Thursday
 * (so 2027-01-01, a Friday, is in 2026-W53, and 2024-12-30, a Monday, is in 2025-W01).
 *
 * Time-zone rule: a run's week is the ISO week of its start time shifted by a fixed offset from UTC,
 * `utcOffsetMinutes` (default 0, i.e. weeks run Monday 00:00 UTC to Sunday 24:00 UTC). The offset is
 * fixed for the whole report; it is not a named zone, so no daylight-saving changes are applied
 * (pass the offset that holds for the weeks you care about, e.g. 480 for China, -300 for US Eastern winter).
 *
 * Weeks are also numbered by a continuous `index` (weeks since the week of 1970-01-01), so that
 * "consecutive" is simply index + 1, across year ends and 53-week years alike.
 */

const DAY_MS = 86_400_000;
const WEEK_RE = /^(\d{4})-W(\d{2})$/;

export interface IsoWeek {
  /** "2026-W05" */
  key: string;
  /** ISO week-year (may differ from the calendar year in the first and last days of a year). */
  year: number;
  /** 1…53 */
  week: number;
  /** Continuous week number: 0 is the week of Monday 1969-12-29; consecutive weeks differ by 1. */
  index: number;
  /** The Monday that starts the week, as a date (YYYY-MM-DD) in the chosen offset. */
  start: string;
}

/** Largest offsets in use world-wide: UTC−12:00 … UTC+14:00. */
export function checkUtcOffset(minutes: number): void {
  if (!Number.isInteger(minutes) || minutes < -720 || minutes > 840)
    throw new RangeError(`UTC offset must be a whole number of minutes between -720 and 840, got ${minutes}`);
}

/** The continuous week index of a time (ms since epoch) at a fixed UTC offset. */
export function weekIndexOf(ms: number, utcOffsetMinutes = 0): number {
  const localDays = Math.floor((ms + utcOffsetMinutes * 60_000) / DAY_MS);
  // 1970-01-01 was a Thursday, so Monday 1969-12-29 is local day -3.
  return Math.floor((localDays + 3) / 7);
}

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The ISO week with a given continuous index. */
export function weekFromIndex(index: number): IsoWeek {
  const monday = index * 7 - 3;
  const thursday = new Date((monday + 3) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1) / DAY_MS;
  const week = Math.floor((monday + 3 - jan1) / 7) + 1;
  return { key: `${year}-W${String(week).padStart(2, '0')}`, year, week, index, start: ymd(new Date(monday * DAY_MS)) };
}

/** The ISO week of a time (ISO string, Date or ms since epoch) at a fixed UTC offset. */
export function isoWeek(time: string | number | Date, utcOffsetMinutes = 0): IsoWeek {
  const ms = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : time.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${String(time)}`);
  return weekFromIndex(weekIndexOf(ms, utcOffsetMinutes));
}

/** Parses "2026-W05" back to its week; null when it is not a valid ISO week. */
export function parseWeekKey(key: string): IsoWeek | null {
  const m = WEEK_RE.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  // Week 1 is the week holding January 4th.
  const w1 = weekIndexOf(Date.UTC(year, 0, 4));
  const w = weekFromIndex(w1 + week - 1);
  return w.year === year && w.week === week ? w : null;
}

/** "UTC", "UTC+08:00", "UTC−05:00" */
export function formatUtcOffset(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '−';
  const a = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
