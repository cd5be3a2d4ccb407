import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseShard, parseStartAt, planShard, shardRuns, waitUntil } from '../../src/core/shard';

describe('shards', () => {
  it('parts cover the plan exactly once and differ by at most one run', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 64 }), (runs, count) => {
        fc.pre(runs >= count);
        const parts = Array.from({ length: count }, (_, i) => planShard(runs, { index: i + 1, count }).runs);
        expect(parts.reduce((s, n) => s + n, 0)).toBe(runs);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
        expect(Math.min(...parts)).toBeGreaterThan(0);
      }),
    );
    expect([1, 2, 3, 4].map((i) => shardRuns(10, i, 4))).toEqual([3, 3, 2, 2]);
  });

  it('refuses bad shard specs and empty parts, naming what to do', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('0/4')).toThrow(/numbered from 1/);
    expect(() => parseShard('5/4')).toThrow(/1 to 4/);
    expect(() => parseShard('2of4')).toThrow(/must be i\/n/);
    expect(() => planShard(3, { index: 1, count: 4 })).toThrow(/3 run\(s\) per model cannot be split into 4 parts/);
  });

  it('--start-at needs a zone and a near date', () => {
    const now = Date.parse('2026-12-03T10:00:00Z');
    expect(parseStartAt('2026-12-03T10:05:00Z', now).toISOString()).toBe('2026-12-03T10:05:00.000Z');
    expect(parseStartAt('2026-12-03T18:05:00+08:00', now).toISOString()).toBe('2026-12-03T10:05:00.000Z');
    expect(() => parseStartAt('2026-12-03T10:05:00', now)).toThrow(/time zone/);
    expect(() => parseStartAt('2026-12-09T10:05:00Z', now)).toThrow(/more than 24 hours/);
  });

  it('waitUntil waits for the time, and an abort ends the wait early', async () => {
    const t0 = Date.now();
    expect(await waitUntil(new Date(t0 + 120))).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(115);
    const ac = new AbortController();
    const t1 = Date.now();
    setTimeout(() => ac.abort(), 30);
    expect(await waitUntil(new Date(t1 + 60_000), ac.signal)).toBe(false);
    expect(Date.now() - t1).toBeLessThan(5_000);
    expect(await waitUntil(new Date(t1 - 1000))).toBe(true);
  });
});
