/**
 * Connections of a burst: with warm-up on, the timed runs use connections opened before them (one per slot: the
 * warm-up's and connections opened ahead without a request), so they measure the provider rather than this
 * client's handshakes; with warm-up off they open their own. A burst
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
    const before = server.connectionsAcceptedAt.length;
    const report = await runBenchmark({
      models: [specFor(server, 'openai-chat', 'burst')],
      prompt: 'Say something.',
      runs: 8,
      warmup: 1,
      concurrency: 8,
      maxTokens: 64,
    });
    expect(report.results[0].okRuns).toBe(8);
    // Only the warm-up and the timed runs are requests: the other connections are opened, not asked anything.
    expect(server.records).toHaveLength(9);
    expect(server.records.every((r) => maxTokensOf(r.body) === 64)).toBe(true);
    expect(server.connectionsAcceptedAt.length - before).toBe(8);
    const timedRuns = server.records.slice(1);
    expect(new Set(timedRuns.map((r) => r.connection)).size).toBe(8);
    // The warm-up paid for a connection (the first connection's cost stays visible); no timed run did: each found
    // its connection open (the kernel completes a handshake before the server process gets to accept it, so the
    // server's accept times cannot show this; the client's request phases do).
    expect(report.results[0].coldSetupMs).toBeGreaterThan(0);
    const runs = report.results[0].runs;
    expect(runs.every((r) => r.connectionReused === true && !r.phases?.connectMs)).toBe(true);
  });

  it('models on one origin share its connections: as many are opened as the burst holds at once, no more', async () => {
    server.reset();
    const before = server.connectionsAcceptedAt.length;
    const report = await runBenchmark({
      models: [specFor(server, 'openai-chat', 'burst'), specFor(server, 'anthropic', 'burst')],
      prompt: 'Say something.',
      runs: 8,
      warmup: 1,
      concurrency: 8,
      maxTokens: 64,
    });
    expect(report.results.map((r) => r.okRuns)).toEqual([8, 8]);
    expect(server.records).toHaveLength(18); // 2 warm-ups + 16 timed runs, nothing else
    // At most 8 timed runs at once on the one origin: the 2 warm-ups' connections and 6 opened ahead (counted per
    // model instead, 16 would be open).
    expect(server.connectionsAcceptedAt.length - before).toBe(8);
    for (const r of report.results) expect(r.runs.every((x) => x.connectionReused === true)).toBe(true);
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
