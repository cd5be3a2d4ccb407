import { describe, expect, it } from 'vitest';
import { computeRunMetrics } from '../../src/core/metrics';
import type { ModelSpec, StreamEvent, StreamTrace, TimedEvent } from '../../src/core/types';

const spec: ModelSpec = {
  id: 'm',
  protocol: 'openai-chat',
  baseUrl: 'http://127.0.0.1:1/v1',
  model: 'x',
  region: 'CN',
  price: { inputPerM: 1, outputPerM: 2, cachedInputPerM: 0.1 },
};
// One token per word: a deterministic counter for tests.
const words = (text: string) => text.split(' ').filter(Boolean).length;
const ctx = {
  spec,
  startedAt: '2026-01-01T00:00:00Z',
  modelCounter: { name: 'words', count: words },
  referenceCounter: words,
};

/** Builds a trace: each read is [time ms, ...events]. */
function trace(reads: [number, ...StreamEvent[]][], extra: Partial<StreamTrace> = {}): StreamTrace {
  const events: TimedEvent[] = [];
  reads.forEach(([t, ...evs], read) => evs.forEach((event) => events.push({ t: 1000 + t, read, event })));
  return { requestStart: 1000, headersAt: 1005, events, reads: reads.length, bytes: 0, ...extra };
}
const ans = (text: string): StreamEvent => ({ kind: 'token', channel: 'answer', text });
const rsn = (text: string): StreamEvent => ({ kind: 'token', channel: 'reasoning', text });
const usage = (u: object): StreamEvent => ({ kind: 'usage', usage: u });

describe('computeRunMetrics', () => {
  it('one token per chunk: TTFT at the first token, rate excludes the first chunk', () => {
    // 11 tokens, first at 200 ms, then one every 25 ms (40 tok/s).
    const reads: [number, ...StreamEvent[]][] = Array.from(
      { length: 11 },
      (_, i) => [200 + i * 25, ans(' w')] as [number, StreamEvent],
    );
    reads.push([460, usage({ inputTokens: 5, outputTokens: 11 })]);
    const m = computeRunMetrics(trace(reads), ctx);
    expect(m.ttftMs).toBe(200);
    expect(m.ttfoMs).toBe(200);
    expect(m.e2eMs).toBe(450); // last token chunk, not the usage chunk
    expect(m.decodeTps).toBeCloseTo(40, 9);
    expect(m.itlMs).toBeCloseTo(25, 9);
    expect(m.setupMs).toBe(5);
    expect(m.tokenSource).toBe('usage');
    expect(m.interChunkMs).toHaveLength(10);
    expect(m.interChunkP50Ms).toBeCloseTo(25, 9);
  });

  it('an empty role chunk before the first token does not count as the first token', () => {
    const m = computeRunMetrics(
      trace([
        [10, ans('')],
        [100, ans(' a')],
        [200, ans(' b')],
      ]),
      ctx,
    );
    expect(m.ttftMs).toBe(100);
  });

  it("multi-token chunks: the first chunk's tokens are excluded from the rate", () => {
    // 4 chunks of 3 tokens, 75 ms apart: 9 tokens after the first chunk over 225 ms = 40 tok/s.
    const reads: [number, ...StreamEvent[]][] = [0, 1, 2, 3].map((i) => [300 + i * 75, ans(' a b c')]);
    reads.push([700, usage({ outputTokens: 12 })]);
    const m = computeRunMetrics(trace(reads), ctx);
    expect(m.decodeTps).toBeCloseTo(40, 9);
    expect(m.tokensPerChunk).toEqual([3, 3, 3, 3]);
  });

  it('visible reasoning: TTFT on the first reasoning token, TTFO on the first answer token', () => {
    const m = computeRunMetrics(
      trace([
        [100, rsn(' r')],
        [150, rsn(' r')],
        [200, ans(' a')],
        [250, ans(' b')],
        [260, usage({ outputTokens: 4, reasoningTokens: 2 })],
      ]),
      ctx,
    );
    expect(m.ttftMs).toBe(100);
    expect(m.ttfoMs).toBe(200);
    expect(m.reasoningVisible).toBe(true);
    expect(m.streamedTokens).toBe(4);
    expect(m.decodeTps).toBeCloseTo(3 / 0.15, 9);
  });

  it('hidden reasoning reported only in usage does not inflate the rate', () => {
    // 100 reasoning tokens never streamed; 5 answer tokens 20 ms apart.
    const reads: [number, ...StreamEvent[]][] = [0, 1, 2, 3, 4].map((i) => [3000 + i * 20, ans(' a')]);
    reads.push([3100, usage({ outputTokens: 105, reasoningTokens: 100 })]);
    const m = computeRunMetrics(trace(reads), ctx);
    expect(m.reasoningVisible).toBe(false);
    expect(m.streamedTokens).toBe(5);
    expect(m.decodeTps).toBeCloseTo(4 / 0.08, 9);
    expect(m.outputTokens).toBe(105);
    expect(m.reasoningTokens).toBe(100);
    expect(m.ttftMs).toBe(3000);
  });

  it('missing usage: counts with the tokenizer and says so', () => {
    const m = computeRunMetrics(
      trace([
        [100, ans(' a b')],
        [200, ans(' c')],
      ]),
      ctx,
    );
    expect(m.tokenSource).toBe('tokenizer');
    expect(m.tokenizer).toBe('words');
    expect(m.outputTokens).toBe(3);
    expect(m.decodeTps).toBeCloseTo(1 / 0.1, 9);
    expect(m.costUsd).toBeNull(); // no input count, so no honest cost
  });

  it('merges usage split over several events (Anthropic) and prices it', () => {
    const m = computeRunMetrics(
      trace([
        [0, usage({ inputTokens: 1000, cachedInputTokens: 400 })],
        [100, ans(' a')],
        [200, ans(' b')],
        [210, usage({ outputTokens: 2000 })],
      ]),
      ctx,
    );
    expect(m.inputTokens).toBe(1000);
    expect(m.outputTokens).toBe(2000);
    expect(m.costUsd).toBeCloseTo((600 * 1 + 400 * 0.1 + 2000 * 2) / 1e6, 12);
  });

  it('a failed run keeps what arrived and is marked failed', () => {
    const m = computeRunMetrics(
      trace(
        [
          [100, ans(' a')],
          [200, ans(' b')],
        ],
        { error: { kind: 'dropped', message: 'm: dropped' } },
      ),
      ctx,
    );
    expect(m.ok).toBe(false);
    expect(m.error).toBe('m: dropped');
    expect(m.errorKind).toBe('dropped');
    expect(m.answerText).toBe(' a b');
    expect(m.ttftMs).toBe(100);
  });

  it('a single token chunk has no decode rate rather than an invented one', () => {
    const m = computeRunMetrics(
      trace([
        [100, ans(' a b c')],
        [120, usage({ outputTokens: 3 })],
      ]),
      ctx,
    );
    expect(m.decodeTps).toBeNull();
    expect(m.ttftMs).toBe(100);
  });

  it('server-reported decode rate is kept apart (Ollama eval_duration)', () => {
    const m = computeRunMetrics(
      trace([
        [100, ans(' a')],
        [200, ans(' b')],
        [210, { kind: 'serverTiming', evalCount: 50, evalDurationMs: 1000 }],
      ]),
      ctx,
    );
    expect(m.serverDecodeTps).toBe(50);
  });
});

describe('normalised throughput', () => {
  it('re-counts the same window with the reference tokenizer and counts characters', () => {
    // Model tokens: words. Reference: one token per 2 characters. 5 reads, 100 ms apart, of " ab cd" (2 words, 6 chars).
    const reads: [number, ...StreamEvent[]][] = [0, 1, 2, 3, 4].map((i) => [100 + i * 100, ans(' ab cd')]);
    reads.push([600, usage({ outputTokens: 10 })]);
    const m = computeRunMetrics(trace(reads), { ...ctx, referenceCounter: (t: string) => Math.ceil(t.length / 2) });
    expect(m.decodeTps).toBeCloseTo(8 / 0.4, 9); // own tokens: 8 after the first read over 400 ms
    expect(m.normalizedTps).toBeCloseTo((15 - 3) / 0.4, 9); // reference: 30 chars = 15 tokens, first read 3
    expect(m.charsPerSec).toBeCloseTo(24 / 0.4, 9);
  });
  it('counts characters as code points, so an emoji is one character', () => {
    const m = computeRunMetrics(
      trace([
        [100, ans('🎉')],
        [200, ans('🎉🎉')],
      ]),
      ctx,
    );
    expect(m.charsPerSec).toBeCloseTo(2 / 0.1, 9);
  });
});
