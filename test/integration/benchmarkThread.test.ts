/**
 * The editor's benchmarks on a worker thread (dist/benchmarkWorker.js, built by `npm test` first): the same
 * measurements as in-thread against the local server's ground truth, progress events on the calling thread, keys
 * resolved by the caller, cancellation, and a worker reused between benchmarks.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchmarkThread } from '../../src/core/benchmarkThread';
import type { ProgressEvent } from '../../src/core/types';
import { startStreamServer, truth, type StreamServer } from '../server/streamServer';
import { specFor } from './helpers';

const WORKER = join(__dirname, '..', '..', 'dist', 'benchmarkWorker.js');
let server: StreamServer;
const thread = new BenchmarkThread(WORKER);
beforeAll(async () => {
  server = await startStreamServer();
  server.setModel('steady', {
    ttftMs: 120,
    tokensPerSecond: 100,
    outputTokens: 30,
    requireKey: 'sk-worker-test-key-123456',
  });
  server.setModel('slow', { ttftMs: 100, tokensPerSecond: 20, outputTokens: 200 });
  server.setModel('quick', { ttftMs: 10, tokensPerSecond: 500, outputTokens: 5 });
  // Warm the worker's JIT and tokenizers, as the engine tests warm theirs.
  await thread.run({ models: [specFor(server, 'openai-chat', 'quick')], prompt: 'x', runs: 3, warmup: 0 });
});
afterAll(async () => {
  thread.dispose();
  await server.close();
});

describe('BenchmarkThread', () => {
  it('measures on the worker what the server sent, with the key the caller resolved and progress on this thread', async () => {
    server.reset();
    const events: ProgressEvent['type'][] = [];
    const spec = specFor(server, 'openai-chat', 'steady', { apiKeyEnv: 'TOKENSCOPE_WORKER_TEST_KEY' });
    const report = await thread.run({
      models: [spec],
      prompt: 'Say something.',
      runs: 2,
      warmup: 1,
      resolveApiKey: (s) => (s.id === spec.id ? 'sk-worker-test-key-123456' : undefined),
      onProgress: (e) => events.push(e.type),
    });
    const result = report.results[0];
    expect(result.okRuns).toBe(2);
    expect(events[0]).toBe('start');
    expect(events.filter((e) => e === 'run-end')).toHaveLength(3); // a warm-up and 2 timed runs
    expect(events.at(-1)).toBe('end');
    const records = server.records.filter((r) => r.outcome === 'complete').slice(-2);
    const truthTtft = records.map((r) => truth(r).ttftMs!).sort((a, b) => a - b);
    const measured = result.runs.map((r) => r.ttftMs!).sort((a, b) => a - b);
    for (let i = 0; i < 2; i++) expect(Math.abs(measured[i] - truthTtft[i])).toBeLessThan(15);
    expect(JSON.stringify(report)).not.toContain('sk-worker-test-key-123456');
  });

  it('cancelling the signal cancels the runs on the worker and keeps what finished', async () => {
    const controller = new AbortController();
    const spec = specFor(server, 'openai-chat', 'slow');
    const started = Date.now();
    const run = thread.run({
      models: [spec],
      prompt: 'x',
      runs: 3,
      warmup: 0,
      signal: controller.signal,
      onProgress: (e) => e.type === 'run-start' && setTimeout(() => controller.abort(), 300),
    });
    const report = await run;
    expect(Date.now() - started).toBeLessThan(5_000); // 3 runs of 10 s each would take 30 s
    expect(report.results[0].cancelledRuns).toBeGreaterThanOrEqual(1);
    expect(report.results[0].okRuns).toBe(0);
  });

  it('refuses a second benchmark while one runs, then serves the next on the same worker', async () => {
    const spec = specFor(server, 'openai-chat', 'slow');
    const controller = new AbortController();
    const first = thread.run({ models: [spec], prompt: 'x', runs: 1, warmup: 0, signal: controller.signal });
    await expect(thread.run({ models: [spec], prompt: 'x', runs: 1 })).rejects.toThrow(/already running/);
    controller.abort();
    await first;
    const again = await thread.run({
      models: [specFor(server, 'openai-chat', 'quick')],
      prompt: 'x',
      runs: 1,
      warmup: 0,
    });
    expect(again.results[0].okRuns).toBe(1);
  });

  it('a worker that cannot start is an error, not a hang', async () => {
    const broken = new BenchmarkThread(join(__dirname, 'no-such-worker.js'));
    await expect(
      broken.run({ models: [specFor(server, 'openai-chat', 'quick')], prompt: 'x', runs: 1 }),
    ).rejects.toThrow(/benchmark worker stopped/);
    broken.dispose();
  });
});
