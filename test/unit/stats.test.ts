import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../../src/core/stats';

describe('summarize', () => {
  it('median, p95, spread on a known sample', () => {
    const s = summarize([5, 1, 3, 2, 4, null, NaN])!;
    expect(s).toMatchObject({ n: 5, median: 3, min: 1, max: 5, mean: 3, mad: 1 });
    expect(s.p95).toBeCloseTo(4.8, 12);
    expect(s.stdev).toBeCloseTo(Math.sqrt(2.5), 12);
  });
  it('is null with no finite values', () => {
    expect(summarize([null, undefined])).toBeNull();
  });
  it('percentiles are monotone and bounded by min and max', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, p) => {
          const sorted = [...xs].sort((a, b) => a - b);
          const v = percentile(sorted, p);
          expect(v).toBeGreaterThanOrEqual(sorted[0]);
          expect(v).toBeLessThanOrEqual(sorted[sorted.length - 1]);
          expect(percentile(sorted, Math.min(1, p + 0.1))).toBeGreaterThanOrEqual(v - 1e-6);
        },
      ),
    );
  });
});
