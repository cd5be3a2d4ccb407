/**
 * Runs a benchmark on a worker thread (see benchmarkWorker.ts) with the same options and results as runBenchmark.
 * Keys are resolved here, on the calling thread, and handed to the worker; cancelling the signal cancels the runs.
 * The worker stays up between benchmarks (its tokenizers stay loaded) and exits after a few idle minutes.
 */
import { Worker } from 'node:worker_threads';
import { envApiKey } from './keyEnv';
import type { BenchmarkOptions } from './runner';
import type { ProgressEvent } from './types';
import type { BenchmarkReport } from './types';

/** What crosses to the worker: the options without functions or signals, and each model's key. */
export interface BenchmarkJob {
  options: Omit<BenchmarkOptions, 'signal' | 'onProgress' | 'resolveApiKey'>;
  keys: Record<string, string | undefined>;
}

export type WorkerReply =
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'done'; report: BenchmarkReport }
  | { type: 'error'; message: string };

const IDLE_EXIT_MS = 5 * 60_000;

export class BenchmarkThread {
  private worker: Worker | undefined;
  private busy = false;
  private idleTimer: NodeJS.Timeout | undefined;

  /** @param workerFile the bundled worker, dist/benchmarkWorker.js */
  constructor(private readonly workerFile: string) {}

  async run(options: BenchmarkOptions): Promise<BenchmarkReport> {
    if (this.busy) throw new Error('a benchmark is already running');
    this.busy = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    try {
      const { signal, onProgress, resolveApiKey = envApiKey, ...rest } = options;
      const keys: BenchmarkJob['keys'] = {};
      for (const spec of rest.models) keys[spec.id] = await resolveApiKey(spec);
      return await this.exchange({ options: rest, keys }, signal, onProgress);
    } finally {
      this.busy = false;
      this.idleTimer = setTimeout(() => this.dispose(), IDLE_EXIT_MS);
      this.idleTimer.unref();
    }
  }

  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }

  private exchange(
    job: BenchmarkJob,
    signal: AbortSignal | undefined,
    onProgress: ((e: ProgressEvent) => void) | undefined,
  ): Promise<BenchmarkReport> {
    const worker = (this.worker ??= new Worker(this.workerFile));
    worker.ref(); // alive while a benchmark runs; an idle worker never holds its process open
    return new Promise<BenchmarkReport>((resolve, reject) => {
      const cancel = () => worker.postMessage({ type: 'cancel' });
      const done = () => {
        signal?.removeEventListener('abort', cancel);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.unref();
      };
      const onMessage = (reply: WorkerReply) => {
        if (reply.type === 'progress') return onProgress?.(reply.event);
        done();
        if (reply.type === 'done') resolve(reply.report);
        else reject(new Error(reply.message));
      };
      const lost = (why: string) => {
        done();
        if (this.worker === worker) this.worker = undefined;
        reject(new Error(`the benchmark worker stopped: ${why}`));
      };
      const onError = (e: Error) => lost(e.message);
      const onExit = (code: number) => lost(`exit code ${code}`);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      signal?.addEventListener('abort', cancel, { once: true });
      worker.postMessage({ type: 'run', job });
      if (signal?.aborted) cancel();
    });
  }
}
