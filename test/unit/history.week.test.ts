import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUtcOffset, isoWeek, parseWeekKey, weekFromIndex } from '../../src/core/history/week';

/** ISO week by the textbook ordinal-date method (independent of the code under test). */
function referenceIsoWeek(ms: number, offsetMin: number): string {
  const d = new Date(ms + offsetMin * 60_000);
  const y = d.getUTCFullYear();
  const ordinal = Math.floor((Date.UTC(y, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(y, 0, 1)) / 86_400_000) + 1;
  const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  const p = (yr: number) => (yr + Math.floor(yr / 4) - Math.floor(yr / 100) + Math.floor(yr / 400)) % 7;
  const weeksIn = (yr: number) => (p(yr) === 4 || p(yr - 1) === 3 ? 53 : 52);
  let week = Math.floor((ordinal - weekday + 10) / 7);
  let year = y;
  if (week < 1) {
    year = y - 1;
    week = weeksIn(year);
  } else if (week > weeksIn(y)) {
    year = y + 1;
    week = 1;
  }
  return `${year}-W${String(week).padStart(2, '0')}`;
}

describe('isoWeek', () => {
  it.each([
    // [time, offset minutes, week, Monday]
    ['2026-12-31T12:00:00Z', 0, '2026-W53', '2026-12-28'], // Thursday of a 53-week year
    ['2027-01-01T00:00:00Z', 0, '2026-W53', '2026-12-28'], // Friday: still the last week of 2026
    ['2027-01-03T23:59:59.999Z', 0, '2026-W53', '2026-12-28'], // Sunday, last millisecond
    ['2027-01-04T00:00:00Z', 0, '2027-W01', '2027-01-04'], // Monday: first week of 2027
    ['2024-12-30T00:00:00Z', 0, '2025-W01', '2024-12-30'], // a December day in next year's week 1
    ['2021-01-03T12:00:00Z', 0, '2020-W53', '2020-12-28'], // 2020: leap year starting Wednesday → 53 weeks
    ['2023-01-01T12:00:00Z', 0, '2022-W52', '2022-12-26'], // Sunday 1 January
    ['2026-01-01T00:00:00Z', 0, '2026-W01', '2025-12-29'], // Thursday 1 January → week 1
    ['2025-12-29T00:00:00Z', 0, '2026-W01', '2025-12-29'],
    ['2026-10-26T00:00:00Z', 0, '2026-W44', '2026-10-26'],
    ['2026-11-29T23:59:59Z', 0, '2026-W48', '2026-11-23'],
  ])('%s at UTC%+d min is %s (starts %s)', (time, offset, key, start) => {
    const w = isoWeek(time, offset);
    expect(w.key).toBe(key);
    expect(w.start).toBe(start);
  });

  it('moves runs near Sunday/Monday midnight between weeks with the time-zone offset', () => {
    // Sunday 16:30 UTC is already Monday 00:30 in China (UTC+08:00).
    expect(isoWeek('2026-11-01T16:30:00Z', 0).key).toBe('2026-W44');
    expect(isoWeek('2026-11-01T16:30:00Z', 480).key).toBe('2026-W45');
    expect(isoWeek('2026-11-01T15:59:59Z', 480).key).toBe('2026-W44');
    expect(isoWeek('2026-11-01T16:00:00Z', 480).key).toBe('2026-W45');
    // Monday 03:00 UTC is still Sunday 22:00 in New York in winter (UTC−05:00).
    expect(isoWeek('2026-11-02T03:00:00Z', 0).key).toBe('2026-W45');
    expect(isoWeek('2026-11-02T03:00:00Z', -300).key).toBe('2026-W44');
    // Half-hour offsets (India, UTC+05:30).
    expect(isoWeek('2026-11-01T18:29:00Z', 330).key).toBe('2026-W44');
    expect(isoWeek('2026-11-01T18:30:00Z', 330).key).toBe('2026-W45');
  });

  it('crosses the year end differently in different zones', () => {
    // 23:30 UTC on Sunday 2027-01-03 is Monday 2027-01-04 in UTC+01:00.
    expect(isoWeek('2027-01-03T23:30:00Z', 0).key).toBe('2026-W53');
    expect(isoWeek('2027-01-03T23:30:00Z', 60).key).toBe('2027-W01');
    // 00:30 UTC on Monday 2027-01-04 is still Sunday in UTC−01:00.
    expect(isoWeek('2027-01-04T00:30:00Z', -60).key).toBe('2026-W53');
    // New Year's Eve in Kiribati (UTC+14:00) and Baker Island (UTC−12:00).
    expect(isoWeek('2024-12-29T10:00:00Z', 840).key).toBe('2025-W01'); // Monday 2024-12-30 00:00 local
    expect(isoWeek('2024-12-30T11:00:00Z', -720).key).toBe('2024-W52'); // Sunday 2024-12-29 23:00 local
  });

  it('accepts times with their own offset, and Date and epoch ms', () => {
    expect(isoWeek('2027-01-04T08:00:00+08:00').key).toBe('2027-W01'); // = 2027-01-04T00:00Z
    expect(isoWeek('2027-01-04T07:59:59+08:00').key).toBe('2026-W53');
    expect(isoWeek(new Date('2027-01-04T00:00:00Z')).key).toBe('2027-W01');
    expect(isoWeek(Date.parse('2027-01-04T00:00:00Z')).key).toBe('2027-W01');
    expect(() => isoWeek('not a date')).toThrow(RangeError);
  });

  it('numbers weeks continuously across 53-week years', () => {
    const w52 = isoWeek('2026-12-21T00:00:00Z');
    const w53 = isoWeek('2026-12-28T00:00:00Z');
    const w01 = isoWeek('2027-01-04T00:00:00Z');
    expect([w52.key, w53.key, w01.key]).toEqual(['2026-W52', '2026-W53', '2027-W01']);
    expect(w53.index - w52.index).toBe(1);
    expect(w01.index - w53.index).toBe(1);
    // In a 52-week year, W52 is followed by W01.
    expect(weekFromIndex(isoWeek('2025-12-22T00:00:00Z').index + 1).key).toBe('2026-W01');
  });

  it('agrees with the textbook ordinal-date method for any time and offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.integer({ min: -720, max: 840 }),
        (ms, offset) => {
          const w = isoWeek(ms, offset);
          expect(w.key).toBe(referenceIsoWeek(ms, offset));
          // The Monday is a Monday, at most 6 days before the local date.
          const local = ms + offset * 60_000;
          const monday = Date.parse(`${w.start}T00:00:00Z`);
          expect(new Date(monday).getUTCDay()).toBe(1);
          expect(local - monday).toBeGreaterThanOrEqual(0);
          expect(local - monday).toBeLessThan(7 * 86_400_000);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('parses week keys back, and rejects weeks a year does not have', () => {
    expect(parseWeekKey('2026-W53')?.start).toBe('2026-12-28');
    expect(parseWeekKey('2020-W53')?.start).toBe('2020-12-28');
    expect(parseWeekKey('2027-W01')?.start).toBe('2027-01-04');
    expect(parseWeekKey('2027-W53')).toBeNull();
    expect(parseWeekKey('2025-W53')).toBeNull();
    expect(parseWeekKey('2026-W00')).toBeNull();
    expect(parseWeekKey('2026-44')).toBeNull();
    for (let i = 2800; i < 3000; i++) expect(parseWeekKey(weekFromIndex(i).key)?.index).toBe(i);
  });

  it('formats offsets', () => {
    expect(formatUtcOffset(0)).toBe('UTC');
    expect(formatUtcOffset(480)).toBe('UTC+08:00');
    expect(formatUtcOffset(-300)).toBe('UTC−05:00');
    expect(formatUtcOffset(330)).toBe('UTC+05:30');
  });
});
