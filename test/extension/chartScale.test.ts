// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { LOG_SPAN, logFloor, valueSpan } from '../../media/src/lib/charts';

describe('decode-speed bars: when a log axis is offered', () => {
  it('is above a 10× span, so 40 tok/s stays visible next to 1,000', () => {
    expect(LOG_SPAN).toBe(10);
    expect(valueSpan([1000, 40, null])).toBe(25);
    expect(valueSpan([220, 90, 35])).toBeCloseTo(6.29, 2);
    expect(valueSpan([50])).toBe(1);
    expect(valueSpan([null, 0, 12])).toBe(1);
  });

  it('puts the log axis floor a power of ten below the smallest bar, so that bar keeps a visible height', () => {
    expect(logFloor([220, 90, 20])).toBe(10);
    expect(logFloor([1000, 40])).toBe(10);
    expect(logFloor([120, 350, 500])).toBe(100);
    expect(logFloor([100, 2000])).toBe(10);
    expect(logFloor([null])).toBeUndefined();
  });
});
