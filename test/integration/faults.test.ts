/** Failing endpoints: each failed run has a specific error naming the model; successful runs stay intact. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark } from '../../src/core/runner';
import { startStreamServer, type Fault, type StreamServer } from '../server/streamServer';
import { ALL_PROTOCOLS, specFor } from './helpers';

let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
  server.setModel('ok', { ttftMs: 20, tokensPerSecond: 200, outputTokens: 20 });
});
afterAll(() => server.close());

async function faulty(
  protocol: (typeof ALL_PROTOCOLS)[number],
  fault: Fault,
  extra: Parameters<typeof runBenchmark>[0] extends infer O ? Partial<O> : never = {},
) {
  const name = `f-${protocol}-${JSON.stringify(fault)}`;
  server.setModel(name, { ttftMs: 20, tokensPerSecond: 200, outputTokens: 20, fault });
  const report = await runBenchmark({
    models: [specFor(server, protocol, name), specFor(server, protocol, 'ok')],
    prompt: 'x',
    runs: 1,
    retry: { baseDelayMs: 10 },
    ...extra,
  });
  const [bad, good] = report.results;
  expect(good.runs[0].ok).toBe(true);
  expect(good.runs[0].streamedTokens).toBe(20);
  return bad;
}

describe.each(ALL_PROTOCOLS)('%s faults', (protocol) => {
  it('401: names the model and says how to set the key', async () => {
    const bad = await faulty(protocol, { kind: 'status', status: 401 }, { retry: { maxRetries: 0 } });
    const run = bad.runs[0];
    expect(run.ok).toBe(false);
    expect(run.errorKind).toBe('auth');
    expect(run.error).toContain(`${protocol}:f-${protocol}`);
    expect(run.error).toMatch(/Set API Key/);
  });
  it('429 with retry-after: waits as asked, then succeeds', async () => {
    const t0 = performance.now();
    const bad = await faulty(protocol, { kind: 'status', status: 429, retryAfterSec: 1, times: 1 });
    expect(performance.now() - t0).toBeGreaterThan(950);
    expect(bad.runs[0].ok).toBe(true);
  });
  it('429 that never clears: bounded retries, then a rate-limit error', async () => {
    const bad = await faulty(protocol, { kind: 'status', status: 429 }, { retry: { maxRetries: 2, baseDelayMs: 5 } });
    expect(bad.runs[0].errorKind).toBe('rate-limit');
    expect(bad.runs[0].error).toMatch(/Gave up after 2 retries/);
  });
  it('503: overloaded, retried like a 429, then an overloaded error', async () => {
    const before = server.records.length;
    const bad = await faulty(protocol, { kind: 'status', status: 503 }, { retry: { maxRetries: 2, baseDelayMs: 5 } });
    expect(bad.runs[0].errorKind).toBe('overloaded');
    expect(bad.runs[0].error).toMatch(/overloaded \(HTTP 503.*\)\. Gave up after 2 retries\. Try again later\./);
    expect(server.records.length - before).toBe(3 + 1); // three tries, plus the healthy model's run
  });
  it('dropped stream: keeps what arrived and marks the run failed', async () => {
    const bad = await faulty(protocol, { kind: 'drop', afterChunks: 5 });
    const run = bad.runs[0];
    expect(run.ok).toBe(false);
    expect(run.errorKind).toBe('dropped');
    expect(run.chunks).toBe(5);
    expect(run.ttftMs).toBeGreaterThan(15);
    expect(run.answerText.length).toBeGreaterThan(0);
  });
  it('error event inside the stream', async () => {
    const bad = await faulty(protocol, { kind: 'stream-error', afterChunks: 3 });
    expect(bad.runs[0].errorKind).toBe('stream-error');
    expect(bad.runs[0].chunks).toBe(3);
  });
  it('malformed chunk', async () => {
    const bad = await faulty(protocol, { kind: 'malformed', afterChunks: 2 });
    expect(bad.runs[0].errorKind).toBe('malformed');
    expect(bad.runs[0].chunks).toBe(2);
  });
  it('stall longer than the timeout', async () => {
    const bad = await faulty(protocol, { kind: 'stall', afterChunks: 3, ms: 1500 }, { stallTimeoutMs: 300 });
    expect(bad.runs[0].errorKind).toBe('stall');
    expect(bad.runs[0].chunks).toBe(3);
  });
  it('a server that never answers', async () => {
    const bad = await faulty(protocol, { kind: 'no-response' }, { stallTimeoutMs: 300 });
    expect(bad.runs[0].errorKind).toBe('timeout');
  });
  it('an HTML page instead of a stream', async () => {
    const bad = await faulty(protocol, { kind: 'html' });
    expect(bad.runs[0].errorKind).toBe('not-a-stream');
  });
});

describe('keys', () => {
  it('a missing key fails fast, naming the variable', async () => {
    const spec = { ...specFor(server, 'openai-chat', 'ok'), apiKeyEnv: 'TOKENSCOPE_TEST_MISSING_KEY' };
    delete process.env.TOKENSCOPE_TEST_MISSING_KEY;
    const before = server.records.length;
    const report = await runBenchmark({ models: [spec], prompt: 'x', runs: 1 });
    expect(report.results[0].runs[0].error).toMatch(/TOKENSCOPE_TEST_MISSING_KEY is not set/);
    expect(server.records.length).toBe(before); // nothing was sent
  });
  it('a wrong key is refused, and the key appears in no message', async () => {
    server.setModel('keyed', { ttftMs: 10, tokensPerSecond: 200, outputTokens: 5, requireKey: 'right-key-123' });
    for (const protocol of ['openai-chat', 'anthropic', 'gemini'] as const) {
      const report = await runBenchmark({
        models: [specFor(server, protocol, 'keyed')],
        prompt: 'x',
        runs: 1,
        resolveApiKey: () => 'wrong-key-456',
      });
      const run = report.results[0].runs[0];
      expect(run.errorKind).toBe('auth');
      expect(JSON.stringify(report)).not.toContain('wrong-key-456');
      const ok = await runBenchmark({
        models: [specFor(server, protocol, 'keyed')],
        prompt: 'x',
        runs: 1,
        resolveApiKey: () => 'right-key-123',
      });
      expect(ok.results[0].runs[0].ok).toBe(true);
      expect(JSON.stringify(ok)).not.toContain('right-key-123');
    }
  });
});
