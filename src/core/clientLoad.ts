/**
 * This client's own load while it measures: the event-loop delay during the timed runs. A busy loop reads
 * chunks late, so its timestamps are then a ceiling on what the server did, and the report says so.
 */
import {
  createHistogram,
  monitorEventLoopDelay,
  type IntervalHistogram,
  type RecordableHistogram,
} from 'node:perf_hooks';
import type { BenchmarkReport } from './types';

/** Event-loop delay above which this client may have read chunks late. */
export const CLIENT_BOUND_DELAY = { meanMs: 5, p99Ms: 50 } as const;
// Each sample wakes the process: at 10 ms that alone cost ~5 ms of CPU per second of a benchmark.
const LOOP_SAMPLE_MS = 25;

export type ClientLoad = NonNullable<BenchmarkReport['client']>;

export class ClientLoadMonitor {
  private readonly histogram = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  /**
   * The samples of the stretches before the last pause. The monitor is reset at each resume: a re-enabled monitor
   * otherwise counts the whole pause (the runner's own decoding) as its first sample's delay — measured: a 150 ms
   * pause showed as a 191 ms delay.
   */
  private readonly past = createHistogram();
  /** Σ delay and count of those samples, ns (the mean is kept exact; percentiles come from `past`). */
  private pastSumNs = 0;
  private pastCount = 0;
  private started = false;
  private sampling = false;

  /** Starts afresh: what was sampled before is dropped. */
  start(): void {
    this.past.reset();
    this.pastSumNs = 0;
    this.pastCount = 0;
    this.started = true;
    this.sampling = false;
    this.resume();
  }

  /** Stops sampling, e.g. while the runner does its own work between streams (that is not load on a read). */
  pause(): void {
    if (!this.sampling) return;
    this.histogram.disable();
    this.sampling = false;
    const { sumNs, count } = addSamples(this.past, this.histogram);
    this.pastSumNs += sumNs;
    this.pastCount += count;
  }

  resume(): void {
    if (!this.started || this.sampling) return;
    this.histogram.reset();
    this.histogram.enable();
    this.sampling = true;
  }

  result(): ClientLoad {
    let all: RecordableHistogram = this.past;
    let sumNs = this.pastSumNs;
    let count = this.pastCount;
    if (this.sampling) {
      all = createHistogram();
      all.add(this.past);
      const current = addSamples(all, this.histogram);
      sumNs += current.sumNs;
      count += current.count;
    }
    // The histogram counts the sampling interval itself; the delay is what comes on top of it.
    const ms = (ns: number) => (Number.isFinite(ns) && count > 0 ? Math.max(0, ns / 1e6 - LOOP_SAMPLE_MS) : 0);
    const load = {
      eventLoopDelayMeanMs: ms(sumNs / count),
      eventLoopDelayP99Ms: ms(all.percentile(99)),
      eventLoopDelayMaxMs: ms(all.max),
    };
    return {
      ...load,
      possiblyClientBound:
        load.eventLoopDelayMeanMs > CLIENT_BOUND_DELAY.meanMs || load.eventLoopDelayP99Ms > CLIENT_BOUND_DELAY.p99Ms,
    };
  }
}

/**
 * Adds an event-loop-delay histogram's samples to a recordable one (node cannot add the one to the other): each
 * step of its percentile distribution as that many samples of the step's value. Returns their exact sum and count.
 */
function addSamples(into: RecordableHistogram, from: IntervalHistogram): { sumNs: number; count: number } {
  if (from.count === 0) return { sumNs: 0, count: 0 };
  let added = 0;
  for (const [pct, ns] of [...from.percentiles].sort((a, b) => a[0] - b[0])) {
    const upTo = Math.round((pct / 100) * from.count);
    for (; added < upTo; added++) into.record(Math.max(1, Math.round(ns)));
  }
  return { sumNs: from.mean * from.count, count: from.count };
}

/** The warning a model's result carries when the client was busy. */
export function clientBoundWarning(modelId: string, load: ClientLoad): string {
  return `${modelId}: this machine was busy during the benchmark (event-loop delay mean ${load.eventLoopDelayMeanMs.toFixed(1)} ms, p99 ${load.eventLoopDelayP99Ms.toFixed(1)} ms), so chunks may have been read late: the numbers are possibly client-bound. Lower --concurrency or close other work.`;
}
