/**
 * Provider wire quirks that change a number, each against the local server reproducing it: every number is
 * checked against the server's own record of what it sent (the truth), and every fault keeps partial data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark, type BenchmarkOptions } from '../../src/core/runner';
import type { ProgressEvent } from '../../src/core/types';
import { buildResultsView } from '../../src/core/report/resultsView';
import { formatReportTable } from '../../src/core/report/table';
import type { BenchmarkReport, ModelResult, ProtocolId, RunMetrics } from '../../src/core/types';
import { startStreamServer, truth, type Fault, type Schedule, type StreamServer } from '../server/streamServer';
import { tokenText } from '../server/schedule';
import { PROVIDER_ERRORS } from '../server/wire';
import { specFor } from './helpers';

/**
 * The client's timestamps against the server's send times: generous for a shared, loaded machine, and still far
 * below what each quirk would cost (the 250 ms of thinking, the 900 ms queue).
 */
const MS = 30;
const T = 20_000;

let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
  server.setModel('warm', { ttftMs: 5, tokensPerSecond: 1000, outputTokens: 20 });
  await runBenchmark({
    models: [specFor(server, 'openai-chat', 'warm'), specFor(server, 'ollama', 'warm')],
    prompt: 'x',
    runs: 2,
  });
});
afterAll(() => server.close());

async function measure(
  protocol: ProtocolId,
  name: string,
  schedule: Schedule,
  extra: Partial<BenchmarkOptions> = {},
): Promise<{
  run: RunMetrics;
  result: ModelResult;
  report: BenchmarkReport;
  records: typeof server.records;
  events: ProgressEvent[];
}> {
  server.setModel(name, schedule);
  const before = server.records.length;
  const events: ProgressEvent[] = [];
  const report = await runBenchmark({
    models: [specFor(server, protocol, name)],
    prompt: 'Say something.',
    runs: 1,
    onProgress: (e) => events.push(e),
    ...extra,
  });
  return {
    run: report.results[0].runs[0],
    result: report.results[0],
    report,
    records: server.records.slice(before),
    events,
  };
}

const thinking: Schedule = { ttftMs: 60, tokensPerSecond: 100, outputTokens: 12, reasoningTokens: 25 };

describe('inline <think> reasoning', () => {
  it.each([
    ['openai-chat', 'think', false],
    ['openai-chat', 'think', true],
    ['openai-chat', 'mm:think', true],
    ['ollama', 'think', true],
    ['openai-chat', 'think', 'prefilled'],
  ] as const)(
    '%s <%s> (closing tag cut across chunks, or opening tag in the prompt: %s): TTFO is the first answer token after the tag',
    { timeout: T },
    async (protocol, tag, splitCloseTag) => {
      const inlineThinking = splitCloseTag === 'prefilled' ? { tag, prefilled: true } : { tag, splitCloseTag };
      const { run, records } = await measure(protocol, `inline-${protocol}-${tag}-${splitCloseTag}`, {
        ...thinking,
        quirks: { inlineThinking },
      });
      const t = truth(records[0]);
      expect(run.error).toBeNull();
      expect(Math.abs(run.ttftMs! - t.ttftMs!)).toBeLessThan(MS);
      expect(Math.abs(run.ttfoMs! - t.ttfoMs!)).toBeLessThan(MS);
      // Off by the whole thinking time if the tags were taken for answer text.
      expect(run.ttfoMs! - run.ttftMs!).toBeGreaterThan(
        ((thinking.reasoningTokens! - 1) * 1000) / thinking.tokensPerSecond - MS,
      );
      expect(run.reasoningVisible).toBe(true);
      expect(run.reasoningText).toContain(' think so then');
      expect(run.answerText.trim()).toMatch(/^the of and/);
      expect(run.answerText + run.reasoningText).not.toMatch(/<\/?(mm:)?think>|<\/thi|^nk>/);
    },
  );
});

describe('reasoning in other fields', () => {
  it('MiniMax reasoning_split: reasoning_details[].text is the reasoning channel', { timeout: T }, async () => {
    const { run, records } = await measure('openai-chat', 'minimax-split', {
      ...thinking,
      quirks: { reasoningDetails: true },
    });
    const t = truth(records[0]);
    expect(Math.abs(run.ttfoMs! - t.ttfoMs!)).toBeLessThan(MS);
    expect(run.reasoningText.length).toBeGreaterThan(0);
    expect(run.streamedTokens).toBe(t.streamedTokens);
  });
});

describe('SSE comments and keep-alives', () => {
  it.each([
    ['DeepSeek', ': keep-alive', 'keep-alive'],
    ['OpenRouter', ': OPENROUTER PROCESSING', 'OPENROUTER PROCESSING'],
  ])(
    '%s "%s" while queued: never a token or TTFT, but keeps the stall timer from firing',
    { timeout: T },
    async (_who, _line, comment) => {
      const schedule: Schedule = {
        ttftMs: 900,
        tokensPerSecond: 100,
        outputTokens: 10,
        emptyRoleChunk: false,
        quirks: { keepAlive: { everyMs: 100, comment } },
      };
      const { run, records } = await measure('openai-chat', `ka-${comment}`, schedule, { stallTimeoutMs: 350 });
      const t = truth(records[0]);
      expect(records[0].comments.length).toBeGreaterThanOrEqual(6); // they were really sent, well inside the 350 ms limit
      expect(run.error).toBeNull();
      expect(Math.abs(run.ttftMs! - t.ttftMs!)).toBeLessThan(MS);
      expect(run.ttftMs!).toBeGreaterThan(850);
      expect(run.chunks).toBe(10);
    },
  );
  it('without them the same wait stalls (the control)', { timeout: T }, async () => {
    const { run } = await measure(
      'openai-chat',
      'ka-none',
      { ttftMs: 900, tokensPerSecond: 100, outputTokens: 10, emptyRoleChunk: false },
      { stallTimeoutMs: 350 },
    );
    expect(run.errorKind).toBe('stall');
  });
});

describe('OpenRouter', () => {
  it('reasoning once, the provider that served it, and the cost it charged', { timeout: T }, async () => {
    const { run, records, result } = await measure('openai-chat', 'or', {
      ...thinking,
      quirks: {
        openRouter: { provider: 'DeepInfra', costUsd: 0.0004217 },
        keepAlive: { everyMs: 20, comment: 'OPENROUTER PROCESSING' },
      },
    });
    const t = truth(records[0]);
    expect(run.servedBy).toBe('DeepInfra');
    expect(result.warnings).toContain(
      'openai-chat:or: served by DeepInfra (the aggregator picks the upstream provider per request).',
    );
    expect(run.costUsd).toBe(0.0004217);
    expect(run.costReported).toBe(true);
    expect(run.streamedTokens).toBe(t.streamedTokens);
    expect(run.tokenizerCount).toBe(thinking.reasoningTokens! + thinking.outputTokens); // reasoning not doubled
    // Comments went out every 20 ms from the start: TTFT is never one of them (never before the first token).
    expect(records[0].comments[0] - records[0].receivedAt).toBeLessThan(t.ttftMs! - 15);
    expect(run.ttftMs!).toBeGreaterThan(t.ttftMs! - 5);
    expect(run.ttftMs!).toBeLessThan(t.ttftMs! + 3 * MS);
  });
  it('OpenAI obfuscation padding changes nothing', { timeout: T }, async () => {
    const { run } = await measure('openai-chat', 'obf', {
      ttftMs: 30,
      tokensPerSecond: 200,
      outputTokens: 15,
      quirks: { obfuscation: true },
    });
    expect(run.answerText).toBe(tokenText('answer', 0, 15));
    expect(run.streamedTokens).toBe(15);
    expect(run.tokenizerCount).toBe(15);
  });
});

describe('local servers', () => {
  it(
    'Ollama cold load: load_duration is shown on the run, and cached prompt tokens are read',
    { timeout: T },
    async () => {
      const cold = await measure('ollama', 'cold', {
        ttftMs: 700,
        tokensPerSecond: 100,
        outputTokens: 8,
        quirks: { ollama: { modelLoadMs: 600, promptCachedTokens: 3 } },
      });
      const { run, records } = cold;
      expect(Math.abs(run.ttftMs! - truth(records[0]).ttftMs!)).toBeLessThan(MS);
      expect(run.modelLoadMs).toBeCloseTo(600, 0);
      expect(run.coldLoad).toBe(true);
      expect(run.notes.join(' ')).toMatch(/cold model load: 600 ms of this run's TTFT/);
      expect(cold.result.warnings.join(' ')).toMatch(
        /ollama:cold: cold model load on run 1 \(0\.6 s\), server-reported/,
      );
      expect(run.cachedInputTokens).toBe(3);
      const warm = await measure('ollama', 'warm-load', { ttftMs: 50, tokensPerSecond: 100, outputTokens: 8 });
      expect(warm.run.coldLoad).toBeUndefined();
      expect(warm.run.modelLoadMs).toBeLessThan(50);
    },
  );
  it('vLLM per-request metrics feed the measured acceptance; llama.cpp draft timings too', { timeout: T }, async () => {
    const v = await measure('openai-chat', 'vllm-spec', {
      ttftMs: 40,
      tokensPerSecond: 200,
      outputTokens: 40,
      quirks: {
        vllmMetrics: { queueTimeMs: 15, spec: { steps: 20, draftTokens: 60, acceptedTokens: 30, numSpecTokens: 3 } },
      },
    });
    expect(v.run.serverQueueMs).toBe(15);
    expect(v.run.serverTtftMs).toBeGreaterThan(15);
    expect(v.run.serverSpecStats).toEqual([
      { source: 'vllm', scope: 'request', drafts: 20, draftTokens: 60, acceptedTokens: 30 },
    ]);
    expect(v.result.speculation?.measuredAcceptanceRate).toBe(0.5);
    const l = await measure('openai-chat', 'llamacpp-spec', {
      ttftMs: 40,
      tokensPerSecond: 200,
      outputTokens: 40,
      quirks: { llamacppDraft: { draftTokens: 48, accepted: 36 } },
    });
    expect(l.run.serverSpecStats).toEqual([
      { source: 'llama.cpp', draftTokens: 48, draftAccepted: 36, generatedTokens: 40 },
    ]);
    expect(l.result.speculation?.measuredAcceptanceRate).toBe(0.75);
  });
});

describe('summarized thinking', () => {
  it.each(['anthropic', 'gemini'] as const)(
    '%s: decode rate counts generated tokens; the arrived rate and a label say what came',
    { timeout: T },
    async (protocol) => {
      const s: Schedule = {
        ttftMs: 50,
        tokensPerSecond: 100,
        outputTokens: 20,
        reasoningTokens: 20,
        quirks: { summarizedThinking: { billedReasoningTokens: 200 } },
      };
      const { run, records, result, report } = await measure(protocol, `summ-${protocol}`, s);
      const t = truth(records[0]);
      expect(run.error).toBeNull();
      expect(run.outputTokens).toBe(220);
      expect(run.thinkingSummarized).toBe(true);
      expect(run.notes.join(' ')).toMatch(
        /thinking summarized by provider: usage bills 220 output tokens but only about 40 arrived/,
      );
      // What arrived: the server's truth over its visible chunks.
      expect(Math.abs(run.arrivedTps! / t.decodeTps! - 1)).toBeLessThan(0.03);
      // What the model generated over the same window: about 220/40 times the arrived rate.
      expect(run.decodeTps! / run.arrivedTps!).toBeGreaterThan(4.5);
      expect(result.warnings.join(' ')).toMatch(
        new RegExp(`${protocol}:summ-${protocol}: thinking summarized by provider \\(1 of 1 runs\\)`),
      );
      expect(formatReportTable(report)).toMatch(/\(arrived \d+\.\d\)/);
      expect(buildResultsView(report).rows[0].cells.decodeTps.text).toMatch(/^[\d,.]+ \(arrived [\d,.]+\)$/);
    },
  );
  it('full reasoning (DeepSeek) is not labelled summarized', { timeout: T }, async () => {
    const { run } = await measure('openai-chat', 'full-reasoning', thinking);
    expect(run.thinkingSummarized).toBeUndefined();
    expect(run.arrivedTps).toBeUndefined();
  });
});

describe('errors that change the retry count', () => {
  async function fail(name: string, fault: Fault, protocol: ProtocolId = 'openai-chat') {
    return measure(
      protocol,
      name,
      { ttftMs: 10, tokensPerSecond: 400, outputTokens: 12, fault },
      { retry: { maxRetries: 3, baseDelayMs: 5 } },
    );
  }
  it.each([
    ['Kimi exceeded_current_quota_error', PROVIDER_ERRORS.kimiNoBalance],
    ['Z.ai 1113', PROVIDER_ERRORS.zaiArrears],
    ['OpenAI insufficient_quota', PROVIDER_ERRORS.openaiQuota],
    ['DeepSeek 402', PROVIDER_ERRORS.deepseekNoBalance],
  ])('%s: payment, one request only, says to top up', { timeout: T }, async (name, e) => {
    const { run, records, events } = await fail(`pay-${name}`, { kind: 'status', ...e });
    expect(run.errorKind).toBe('payment');
    expect(records).toHaveLength(1); // was 4: three retries per run
    expect(events.some((x) => x.type === 'retry')).toBe(false);
    expect(run.error).toMatch(/Top up the balance with the provider \(127\.0\.0\.1:\d+\)/);
    expect(run.error).toContain(`openai-chat:pay-${name}`);
  });
  it.each([
    ['openai-chat', 'DeepSeek 503', PROVIDER_ERRORS.deepseekOverloaded],
    ['gemini', 'Gemini 503 UNAVAILABLE', PROVIDER_ERRORS.geminiUnavailable],
    ['anthropic', 'Anthropic 529', PROVIDER_ERRORS.anthropicOverloaded],
    ['openai-chat', 'Kimi 429 engine_overloaded_error', PROVIDER_ERRORS.kimiOverloaded],
  ] as const)('%s %s: retried like a 429, then succeeds', { timeout: T }, async (protocol, name, e) => {
    const { run, records, events } = await fail(`busy-${name}`, { kind: 'status', ...e, times: 2 }, protocol);
    expect(run.ok).toBe(true);
    expect(records).toHaveLength(3);
    expect(events.filter((x) => x.type === 'retry')).toHaveLength(2);
  });
  it(
    'Gemini per-minute 429 that says "quota": a rate limit, waited out as its body\'s RetryInfo asks',
    { timeout: T },
    async () => {
      const t0 = performance.now();
      const { run, records, events } = await fail(
        'gemini-rpm',
        { kind: 'status', ...PROVIDER_ERRORS.geminiRateLimit, times: 1 },
        'gemini',
      );
      expect(run.ok).toBe(true);
      expect(records).toHaveLength(2);
      expect(events.find((x) => x.type === 'retry')).toMatchObject({ waitMs: 1000 });
      expect(performance.now() - t0).toBeGreaterThan(950);
    },
  );
  it('overload that never clears: bounded retries, then a specific overloaded error', { timeout: T }, async () => {
    const { run, records } = await fail('busy-forever', { kind: 'status', ...PROVIDER_ERRORS.deepseekOverloaded });
    expect(records).toHaveLength(4);
    expect(run.errorKind).toBe('overloaded');
    expect(run.error).toMatch(
      /the provider is overloaded \(HTTP 503: .*Server overloaded.*\)\. Gave up after 3 retries\. Try again later\.$/,
    );
  });
});

describe('an overload reported inside the stream before any token', () => {
  it.each(['anthropic', 'gemini'] as const)(
    '%s: retried like a 529, then succeeds',
    { timeout: T },
    async (protocol) => {
      const { run, records, events } = await measure(
        protocol,
        `early-busy-${protocol}`,
        {
          ttftMs: 10,
          tokensPerSecond: 300,
          outputTokens: 12,
          fault: { kind: 'stream-error', afterChunks: 0, times: 2 },
        },
        { retry: { maxRetries: 3, baseDelayMs: 5 } },
      );
      expect(run.ok).toBe(true);
      expect(records).toHaveLength(3);
      expect(events.filter((x) => x.type === 'retry')).toHaveLength(2);
    },
  );
  it('that never clears: overloaded, with the retries it took', { timeout: T }, async () => {
    const { run, records } = await measure(
      'anthropic',
      'early-busy-forever',
      { ttftMs: 10, tokensPerSecond: 300, outputTokens: 12, fault: { kind: 'stream-error', afterChunks: 0 } },
      { retry: { maxRetries: 2, baseDelayMs: 5 } },
    );
    expect(records).toHaveLength(3);
    expect(run.errorKind).toBe('overloaded');
    expect(run.error).toMatch(
      /the provider is overloaded \(an error event before any token: overloaded_error: Overloaded\)\. Gave up after 2 retries\. Try again later\.$/,
    );
  });
  it('after tokens it stays a stream error: not retried, partial data kept', { timeout: T }, async () => {
    const { run, records } = await measure(
      'anthropic',
      'late-busy',
      { ttftMs: 10, tokensPerSecond: 300, outputTokens: 12, fault: { kind: 'stream-error', afterChunks: 3 } },
      { retry: { maxRetries: 2, baseDelayMs: 5 } },
    );
    expect(records).toHaveLength(1);
    expect(run.errorKind).toBe('stream-error');
    expect(run.chunks).toBe(3);
  });
});

describe('in-stream error without an error key', () => {
  it.each(['openai-chat', 'anthropic'] as const)(
    '%s `event: error` is a stream error; what came before is kept',
    { timeout: T },
    async (protocol) => {
      const { run } = await measure(protocol, `bare-${protocol}`, {
        ttftMs: 10,
        tokensPerSecond: 300,
        outputTokens: 12,
        fault: { kind: 'stream-error', afterChunks: 4 },
        quirks: { bareErrorEvent: true },
      });
      expect(run.ok).toBe(false);
      expect(run.errorKind).toBe('stream-error');
      expect(run.chunks).toBe(4);
      expect(run.error).toMatch(/after 4 token chunk\(s\): (The server had an error|Overloaded)/);
    },
  );
});
