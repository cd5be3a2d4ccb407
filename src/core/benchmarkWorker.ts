/**
 * Worker-thread entry (bundled as dist/benchmarkWorker.js): runs benchmarks for the editor off the extension host's
 * event loop, so no other extension's work delays a timestamp and no vocabulary load freezes the editor. Keys arrive
 * resolved from the calling thread; progress and the report go back as messages.
 */
import { parentPort } from 'node:worker_threads';
import { runBenchmark } from './runner';
import type { BenchmarkJob, WorkerReply } from './benchmarkThread';

let controller: AbortController | undefined;

parentPort?.on('message', (msg: { type: 'run'; job: BenchmarkJob } | { type: 'cancel' }) => {
  if (msg.type === 'cancel') return controller?.abort();
  const { options, keys } = msg.job;
  controller = new AbortController();
  const post = (reply: WorkerReply) => parentPort!.postMessage(reply);
  runBenchmark({
    ...options,
    signal: controller.signal,
    resolveApiKey: (spec) => keys[spec.id],
    onProgress: (event) => post({ type: 'progress', event }),
  }).then(
    (report) => post({ type: 'done', report }),
    (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
});
