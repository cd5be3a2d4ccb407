/** Synthetic benchmark reports for the extension's tests. */
import { emptyResult, recordRun, summarizeRuns } from '../../src/core/report/reportParts';
import type { BenchmarkReport, ErrorKind, ModelResult, Region, RunMetrics } from '../../src/core/types';
import type { HistoryRecord } from '../../src/core/history';

export function run(over: Partial<RunMetrics> = {}): RunMetrics {
  return {
    ok: true,
    error: null,
    startedAt: '2025-11-30T10:00:00.000Z',
    setupMs: 50,
    ttftMs: 300,
    ttfoMs: 320,
    decodeTps: 50,
    e2eMs: 2300,
    itlMs: 20,
    interChunkMs: [20, 25, 30],
    tokensPerChunk: [1, 2, 3, 4],
    interChunkP50Ms: 25,
    interChunkP95Ms: 29.5,
    inputTokens: 12,
    outputTokens: 100,
    reasoningTokens: null,
    cachedInputTokens: null,
    streamedTokens: 100,
    hiddenTokens: null,
    notes: [],
    tokenizerCount: 98,
    reasoningVisible: false,
    tokenSource: 'usage',
    tokenizer: 'o200k_base',
    costUsd: 0.0004,
    answerText: 'Hello world',
    reasoningText: '',
    charsPerSec: 200,
    normalizedTps: 48,
    serverDecodeTps: null,
    chunks: 4,
    ...over,
  };
}

/** A run that failed with `error`: no timings, tokens, cost or text. */
export function failedRun(error: string, errorKind: ErrorKind): RunMetrics {
  return run({
    ok: false,
    error,
    errorKind,
    ttftMs: null,
    decodeTps: null,
    normalizedTps: null,
    e2eMs: null,
    costUsd: null,
    answerText: '',
    outputTokens: null,
    interChunkMs: [],
    tokensPerChunk: [],
  });
}

export function result(id: string, region: Region, runs: RunMetrics[], over: Partial<ModelResult> = {}): ModelResult {
  const r = emptyResult({
    id,
    label: `${id} label`,
    region,
    protocol: 'openai-chat',
    model: id,
    baseUrl: `https://${id}.example.com`,
  });
  for (const run of runs) recordRun(r, run);
  return {
    ...r,
    summary: summarizeRuns(runs),
    ...over,
  };
}

export function report(results: ModelResult[], over: Partial<BenchmarkReport> = {}): BenchmarkReport {
  return {
    tool: { name: 'tokenscope', version: '0.1.0' },
    startedAt: '2025-11-30T10:00:00.000Z',
    finishedAt: '2025-11-30T10:01:00.000Z',
    prompt: { chars: 42, sha256: 'a'.repeat(64) },
    settings: { runs: 2, warmup: 0, concurrency: 1, maxTokens: 512, timeoutMs: 120000 },
    results,
    ...over,
  };
}

/** Two CN models and one US model; deepseek fastest, gpt-6-sol lowest TTFT; kimi has a failed auth run. */
export function sampleReport(): BenchmarkReport {
  return report([
    result('deepseek-v4-flash', 'CN', [
      run({ decodeTps: 80, normalizedTps: 70, ttftMs: 400 }),
      run({ decodeTps: 90, normalizedTps: 75, ttftMs: 500, notes: ['hidden <u>reasoning</u> inferred'] }),
    ]),
    result('kimi-k3', 'CN', [
      run({
        decodeTps: 40,
        normalizedTps: 35,
        ttftMs: 600,
        answerText: '<script>window.pwned = 1</script><img src=x onerror="window.pwned=2">',
      }),
      failedRun('kimi-k3 (api.moonshot.ai): the API key is missing or was rejected (HTTP 401). <b>bold</b>', 'auth'),
    ]),
    result('gpt-6-sol', 'US', [
      run({ decodeTps: 60, normalizedTps: 60, ttftMs: 250, reasoningText: 'thinking <i>hard</i>' }),
      run({ decodeTps: 62, normalizedTps: 61, ttftMs: 260 }),
    ]),
  ]);
}

/** One successful saved run (a history record) of `modelId` in `region` at `time`, at `tps` (own and normalised). */
export function historyRecord(
  time: string,
  modelId: string,
  region: 'CN' | 'US',
  tps: number,
  category: HistoryRecord['category'] = 'chat',
): HistoryRecord {
  return {
    v: 1,
    time,
    modelId,
    region,
    protocol: 'openai-chat',
    host: 'x',
    promptHash: 'h',
    category,
    tokenSource: 'usage',
    toolVersion: '0.1.0',
    metrics: {
      ok: true,
      error: null,
      setupMs: 1,
      ttftMs: 100,
      ttfoMs: 100,
      decodeTps: tps,
      e2eMs: 900,
      itlMs: 10,
      interChunkP50Ms: 10,
      interChunkP95Ms: 12,
      inputTokens: 10,
      outputTokens: 100,
      reasoningTokens: null,
      cachedInputTokens: null,
      streamedTokens: 100,
      reasoningVisible: false,
      costUsd: 0.001,
      charsPerSec: 400,
      normalizedTps: tps,
      serverDecodeTps: null,
      chunks: 100,
    },
  } as HistoryRecord;
}
