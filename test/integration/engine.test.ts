/**
 * The engine against a server that streams on a known schedule: every measured number is compared
 * with the server's own record of when it sent each chunk (the ground truth) and with the schedule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark } from '../../src/core/runner';
import type { ModelResult, ProtocolId } from '../../src/core/types';
import { tokenText } from '../server/schedule';
import { startStreamServer, truth, type Schedule, type StreamServer } from '../server/streamServer';
import { ALL_PROTOCOLS, specFor } from './helpers';

let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
  // Warm the JIT and the connection pool so the first timed run measures the network path, not V8.
  server.setModel('warm', { ttftMs: 5, tokensPerSecond: 1000, outputTokens: 50 });
  for (const protocol of ALL_PROTOCOLS)
    await runBenchmark({ models: [specFor(server, protocol, 'warm')], prompt: 'x', runs: 3 });
  server.reset();
});
afterAll(() => server.close());

const schedules: Record<string, Schedule> = {
  steady: { ttftMs: 300, tokensPerSecond: 40, outputTokens: 41 },
  multi: { ttftMs: 200, tokensPerSecond: 120, tokensPerChunk: 3, outputTokens: 120 },
  'reason-visible': { ttftMs: 150, tokensPerSecond: 60, outputTokens: 30, reasoningTokens: 30, reasoningVisible: true },
  'reason-hidden': { ttftMs: 100, tokensPerSecond: 60, outputTokens: 40, reasoningTokens: 30, reasoningVisible: false },
};

async function runOne(
  protocol: ProtocolId,
  name: string,
): Promise<{ result: ModelResult; record: (typeof server.records)[number] }> {
  server.setModel(name, schedules[name]);
  const before = server.records.length;
  // One warm-up, as users run by default: each benchmark opens its own connections, and the timed run reuses it.
  const report = await runBenchmark({
    models: [specFor(server, protocol, name)],
    prompt: 'Say something.',
    runs: 1,
    warmup: 1,
  });
  const records = server.records.slice(before);
  expect(records).toHaveLength(2);
  expect(records[1].connection).toBe(records[0].connection);
  return { result: report.results[0], record: records[1] };
}

describe.each(ALL_PROTOCOLS)('%s on a known schedule', (protocol) => {
  it.each(Object.keys(schedules))('%s: TTFT within 10 ms and tok/s within 1%% of the truth', async (name) => {
    const s = schedules[name];
    const { result, record } = await runOne(protocol, name);
    const run = result.runs[0];
    expect(run.error).toBeNull();
    const t = truth(record);
    const hiddenMs = s.reasoningVisible === false ? ((s.reasoningTokens ?? 0) * 1000) / s.tokensPerSecond : 0;

    // The server roughly kept to its schedule (a sanity check of the test server; its own timers
    // lag when the machine is busy, which is why the truth is its record, not the schedule)...
    expect(Math.abs(t.ttftMs! - (s.ttftMs + hiddenMs))).toBeLessThan(50);
    expect(Math.abs(t.decodeTps! / s.tokensPerSecond - 1)).toBeLessThan(0.05);
    // ...and the client measured what the server actually did.
    expect(Math.abs(run.ttftMs! - t.ttftMs!)).toBeLessThan(10);
    expect(Math.abs(run.ttfoMs! - t.ttfoMs!)).toBeLessThan(10);
    expect(Math.abs(run.e2eMs! - t.e2eMs!)).toBeLessThan(10);
    expect(Math.abs(run.decodeTps! / t.decodeTps! - 1)).toBeLessThan(0.01);
    expect(run.streamedTokens).toBe(t.streamedTokens);
    expect(run.tokenSource).toBe('usage');
    expect(run.outputTokens).toBe(s.outputTokens + (s.reasoningTokens ?? 0));
    expect(run.reasoningVisible).toBe(s.reasoningVisible !== false && (s.reasoningTokens ?? 0) > 0);
    if ((s.reasoningTokens ?? 0) > 0 && protocol !== 'ollama' && protocol !== 'anthropic')
      expect(run.reasoningTokens).toBe(s.reasoningTokens);
    if (s.reasoningVisible !== false && (s.reasoningTokens ?? 0) > 0)
      expect(run.ttfoMs! - run.ttftMs!).toBeGreaterThan(((s.reasoningTokens! - 1) * 1000) / s.tokensPerSecond - 10);
  });
});

describe('runner', () => {
  it('asks OpenAI-style servers for usage in the stream', async () => {
    const { record } = await runOne('openai-chat', 'steady');
    expect((record.body as { stream_options?: unknown }).stream_options).toEqual({ include_usage: true });
  });

  it('counts with the tokenizer and says so when the provider reports no usage', async () => {
    server.setModel('no-usage', { ttftMs: 50, tokensPerSecond: 100, outputTokens: 30, includeUsage: false });
    for (const protocol of ['openai-chat', 'gemini'] as const) {
      const report = await runBenchmark({ models: [specFor(server, protocol, 'no-usage')], prompt: 'x', runs: 1 });
      const run = report.results[0].runs[0];
      expect(run.tokenSource).toBe('tokenizer');
      expect(run.outputTokens).toBe(30); // each of the server's words is one o200k token
      expect(Math.abs(run.decodeTps! / 100 - 1)).toBeLessThan(0.02);
      expect(report.results[0].warnings.join(' ')).toMatch(/reported no token usage/);
    }
  });

  it('runs warm-ups apart, repeats runs, and summarises medians', async () => {
    server.setModel('rep', { ttftMs: 40, tokensPerSecond: 200, outputTokens: 20 });
    const events: string[] = [];
    const report = await runBenchmark({
      models: [specFor(server, 'openai-chat', 'rep'), specFor(server, 'anthropic', 'rep')],
      prompt: 'x',
      runs: 3,
      warmup: 1,
      concurrency: 2,
      onProgress: (e) => events.push(e.type),
    });
    for (const r of report.results) {
      expect(r.runs).toHaveLength(3);
      expect(r.okRuns).toBe(3);
      expect(r.summary.ttftMs!.n).toBe(3);
      expect(r.summary.ttftMs!.median).toBeGreaterThan(39);
      expect(r.summary.decodeTps!.median).toBeGreaterThan(190);
    }
    // per model: 1 warm-up and 3 timed runs (the pre-connect for the second slot is not a run)
    expect(events.filter((e) => e === 'run-end')).toHaveLength(8);
    expect(events[0]).toBe('start');
    expect(events.at(-1)).toBe('end');
  });

  it('cancellation stops the runs in flight, keeps what arrived and starts no more', async () => {
    server.setModel('long', { ttftMs: 20, tokensPerSecond: 50, outputTokens: 500 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const t0 = performance.now();
    const report = await runBenchmark({
      models: [specFor(server, 'openai-chat', 'long')],
      prompt: 'x',
      runs: 5,
      signal: controller.signal,
    });
    expect(performance.now() - t0).toBeLessThan(2000);
    const runs = report.results[0].runs;
    expect(runs).toHaveLength(1);
    expect(runs[0].errorKind).toBe('cancelled');
    expect(runs[0].answerText.length).toBeGreaterThan(0);
  });

  it('flags the run as possibly client-bound when this process was too busy to read promptly', async () => {
    server.setModel('busy', { ttftMs: 20, tokensPerSecond: 100, outputTokens: 40 });
    const quiet = await runBenchmark({ models: [specFor(server, 'openai-chat', 'busy')], prompt: 'x', runs: 1 });
    expect(quiet.client?.possiblyClientBound).toBe(false);
    // Hog the event loop for 80 ms every 100 ms while streaming.
    const hog = setInterval(() => {
      const end = performance.now() + 80;
      while (performance.now() < end);
    }, 100);
    try {
      const busy = await runBenchmark({ models: [specFor(server, 'openai-chat', 'busy')], prompt: 'x', runs: 1 });
      expect(busy.client?.possiblyClientBound).toBe(true);
      expect(busy.client!.eventLoopDelayP99Ms).toBeGreaterThan(50);
      expect(busy.results[0].warnings.join(' ')).toMatch(/possibly client-bound/);
    } finally {
      clearInterval(hog);
    }
  });

  it("replays prompt lookup over each model's real output: an output copied from the prompt is flagged", async () => {
    server.setModel('copy', { ttftMs: 10, tokensPerSecond: 1000, outputTokens: 200 });
    const streamed = tokenText('answer', 0, 200); // exactly what the server will stream
    const copying = await runBenchmark({
      models: [specFor(server, 'openai-chat', 'copy')],
      prompt: `Fix the spelling in this text and return it unchanged otherwise:\n${streamed}`,
      runs: 1,
    });
    const sp = copying.results[0].speculation!;
    expect(sp.label).toBe('estimated');
    expect(sp.copiedShare).toBeGreaterThan(0.9);
    expect(sp.promptLookupSpeedup).toBeGreaterThan(2);
    expect(sp.flagged).toBe(true);
    expect(copying.results[0].tokenizer).toBe('o200k');
    const fresh = await runBenchmark({
      models: [specFor(server, 'openai-chat', 'copy')],
      prompt: 'Tell me a story about a lighthouse keeper.',
      runs: 1,
    });
    expect(fresh.results[0].speculation!.copiedShare).toBeLessThan(0.5);
    expect(fresh.results[0].speculation!.promptLookupSpeedup!).toBeLessThan(sp.promptLookupSpeedup!);
  });

  it('warns when the prompt will not fit the context window', async () => {
    server.setModel('tiny', { ttftMs: 10, tokensPerSecond: 500, outputTokens: 3 });
    const report = await runBenchmark({
      models: [specFor(server, 'openai-chat', 'tiny', { contextWindow: 50 })],
      prompt: 'word '.repeat(100),
      runs: 1,
      maxTokens: 10,
    });
    expect(report.results[0].warnings.join(' ')).toMatch(/over the 50-token context window/);
  });
});
