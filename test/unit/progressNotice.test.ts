import { describe, expect, it } from 'vitest';
import { ProgressNotice } from '../../src/core/report/progressNotice';
import type { ProgressEvent } from '../../src/core/types';

const runEnd = (warmup: boolean, errorKind?: string): ProgressEvent => ({
  type: 'run-end',
  modelId: 'm',
  index: 0,
  warmup,
  metrics: { errorKind } as never,
});

describe('the progress notification of a benchmark', () => {
  it('counts measured runs of every cache state and sweep size, and warm-ups apart', () => {
    const n = new ProgressNotice({ models: 2, runs: 3, warmup: 1, cache: 'both', sweepSizes: 2, demo: false });
    expect(n.measuredTotal).toBe(24);
    // The runner plans 2 more warm-ups than asked (a priming request per model for the warm cache).
    expect(n.apply({ type: 'start', totalRuns: 28, models: ['a', 'b'] })).toEqual({ message: 'starting 2 model(s)…' });
    expect(n.apply(runEnd(true))).toEqual({
      increment: 100 / 28,
      message: '0 of 24 measured runs done · warm-up 1 of 4',
    });
    expect(n.apply(runEnd(false))?.message).toBe('1 of 24 measured runs done · warm-up 1 of 4');
    for (let i = 0; i < 3; i++) n.apply(runEnd(true));
    expect(n.apply(runEnd(false))?.message).toBe('2 of 24 measured runs done');
  });

  it('does not count a cancelled run as done, labels the demo, and ignores other events', () => {
    const n = new ProgressNotice({ models: 1, runs: 2, warmup: 0, cache: 'cold', demo: true });
    expect(n.apply(runEnd(false, 'cancelled'))).toEqual({
      increment: 50,
      message: 'demo (simulated): 0 of 2 measured runs done',
    });
    expect(n.apply({ type: 'run-start', modelId: 'm', index: 0, warmup: false })).toBeUndefined();
    expect(n.apply({ type: 'warning', modelId: 'm', message: 'x' })).toBeUndefined();
    expect(n.apply(runEnd(false, 'timeout'))?.message).toBe('demo (simulated): 1 of 2 measured runs done');
  });
});
