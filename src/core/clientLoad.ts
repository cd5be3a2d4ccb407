/**
 * This client's own load while it measures: the event-loop delay during the timed runs. A busy loop reads
 * chunks late, so its timestamps are then a ceiling on what the server did, and the report says so.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BenchmarkReport } from './types';

/** Event-loop delay above which this client may have read chunks late. */
export const CLIENT_BOUND_DELAY = { meanMs: 5, p99Ms: 50 } as const;
// Each sample wakes the process: at 10 ms that alone cost ~5 ms of CPU per second of a benchmark.
const LOOP_SAMPLE_MS = 25;

export type ClientLoad = NonNullable<BenchmarkReport['client']>;

export class ClientLoadMonitor {
  private readonly histogram = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });

  /** Starts afresh: what was sampled before is dropped. */
  start(): void {
    this.histogram.reset();
    this.histogram.enable();
  }

  /** Stops sampling, e.g. while the runner does its own work between streams (that is not load on a read). */
  pause(): void {
    this.histogram.disable();
  }

  resume(): void {
    this.histogram.enable();
  }

  result(): ClientLoad {
    // The histogram counts the sampling interval itself; the delay is what comes on top of it.
    const ms = (ns: number) => (Number.isFinite(ns) ? Math.max(0, ns / 1e6 - LOOP_SAMPLE_MS) : 0);
    const h = this.histogram;
    const load = {
      eventLoopDelayMeanMs: ms(h.mean),
      eventLoopDelayP99Ms: ms(h.percentile(99)),
      eventLoopDelayMaxMs: ms(h.max),
    };
    return {
      ...load,
      possiblyClientBound:
        load.eventLoopDelayMeanMs > CLIENT_BOUND_DELAY.meanMs || load.eventLoopDelayP99Ms > CLIENT_BOUND_DELAY.p99Ms,
    };
  }
}

/** The warning a model's result carries when the client was busy. */
export function clientBoundWarning(modelId: string, load: ClientLoad): string {
  return `${modelId}: this machine was busy during the benchmark (event-loop delay mean ${load.eventLoopDelayMeanMs.toFixed(1)} ms, p99 ${load.eventLoopDelayP99Ms.toFixed(1)} ms), so chunks may have been read late: the numbers are possibly client-bound. Lower --concurrency or close other work.`;
}
