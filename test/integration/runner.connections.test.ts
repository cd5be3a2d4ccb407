/**
 * Connections of a burst: with warm-up on, the timed runs reuse connections the warm-up opened (one per slot), so
 * they measure the provider rather than this client's handshakes; with warm-up off they open their own. A burst
 * never prints a listener warning, and the first connection's cost stays visible.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark } from '../../src/core/runner';
import { startStreamServer, type StreamServer } from '../server/streamServer';
import { specFor } from './helpers';

let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
  server.setModel('burst', { ttftMs: 50, tokensPerSecond: 500, outputTokens: 20 });
});
afterAll(() => server.close());

const maxTokensOf = (body: unknown) => (body as { max_tokens?: number }).max_tokens;

describe('connections of a burst', () => {
  it('warm-up on: one connection per slot opened before the timed runs, all of them reused by the timed runs', async () => {
    server.reset();
    const report = await runBenchmark({
      models: [specFor(server, 'openai-chat', 'burst')],
      prompt: 'Say something.',
      runs: 8,
      warmup: 1,
      concurrency: 8,
      maxTokens: 64,
    });
    expect(report.results[0].okRuns).toBe(8);
    const timed = server.records.filter((r) => maxTokensOf(r.body) === 64);
    const warm = server.records.slice(0, server.records.length - 8);
    expect(timed).toHaveLength(9); // the one full warm-up and the 8 timed runs ask for max_tokens 64
    expect(warm).toHaveLength(8); // 1 warm-up + 7 pre-connects, asking for one token of a tiny prompt
    expect(warm.filter((r) => maxTokensOf(r.body) === 1).every((r) => JSON.stringify(r.body).includes('"Hi"'))).toBe(
      true,
    );
    const warmConnections = new Set(warm.map((r) => r.connection));
    expect(warmConnections.size).toBe(8);
    const timedRuns = server.records.slice(-8);
    for (const r of timedRuns) expect(warmConnections.has(r.connection)).toBe(true);
    expect(report.results[0].coldSetupMs).toBeGreaterThan(0);
  });

  it('warm-up off: the timed burst opens its own connections and nothing else is sent', async () => {
    server.reset();
    const report = await runBenchmark({
      models: [specFor(server, 'openai-chat', 'burst')],
      prompt: 'Say something.',
      runs: 8,
      warmup: 0,
      concurrency: 8,
      maxTokens: 64,
    });
    expect(report.results[0].okRuns).toBe(8);
    expect(server.records).toHaveLength(8);
    expect(new Set(server.records.map((r) => r.connection)).size).toBe(8);
    expect(report.results[0].coldSetupMs).toBeUndefined();
  });

  it('a burst of 32 on one abort signal prints no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      const report = await runBenchmark({
        models: [specFor(server, 'openai-chat', 'burst')],
        prompt: 'Say something.',
        runs: 32,
        warmup: 1,
        concurrency: 32,
        signal: controller.signal,
      });
      expect(report.results[0].okRuns).toBe(32);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => /MaxListeners/.test(w))).toEqual([]);
  });
});
