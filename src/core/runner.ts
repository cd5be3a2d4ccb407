/**
 * Runs a prompt against models: warm-up runs, measured runs, a concurrency limit, per-request
 * timeouts, cancellation, retries of rate limits and overload (429, 503, 529) that honour retry-after,
 * and progress events.
 */
import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { adviseResult } from './advisor/forResult';
import { cacheStates, compareCache, summarizeCacheState } from './cache';
import { planRuns, type RunVariant } from './plan';
import { summarizePhases } from './stream/phases';
import { buildSweepPrompt, fitPrefill, sweepPoints } from './sweep';
import type { TaskContext } from './advisor/classify';
import { keyHint, modelWho, redact, retryable } from './errors';
import { computeRunMetrics, INVALID_USAGE_NOTE, type TokenCounter } from './metrics';
import { quirkNotes } from './quirkNotes';
import { unpricedWarning } from './pricing';
import { summarize } from './stats';
import { decodeTrace, streamRaw, type RawTrace } from './stream/streamRequest';
import { loadTokenizer } from './tokenizers';
import type { BenchmarkReport, CacheMode, MetricName, ModelResult, ModelSpec, RunError, RunMetrics, TokenizerFamily } from './types';
import { TOOL_VERSION } from './version';

export const DEFAULTS = { runs: 3, warmup: 0, concurrency: 1, maxTokens: 512, timeoutMs: 120_000, stallTimeoutMs: 30_000 } as const;
/**
 * Warm-up runs the CLI and the editor use unless told otherwise: the first request to a host pays for
 * the connection (DNS, TLS) and often reads tens of ms slow, which one unmeasured run absorbs.
 */
export const USER_DEFAULT_WARMUP = 1;
export const REFERENCE_TOKENIZER: TokenizerFamily = 'o200k';

export type ProgressEvent =
  | { type: 'start'; totalRuns: number; models: string[] }
  | { type: 'run-start'; modelId: string; index: number; warmup: boolean }
  | { type: 'run-end'; modelId: string; index: number; warmup: boolean; metrics: RunMetrics }
  | { type: 'retry'; modelId: string; attempt: number; waitMs: number; reason: string }
  | { type: 'warning'; modelId: string; message: string }
  | { type: 'end'; report: BenchmarkReport };

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  /** A retry-after longer than this fails the run instead of waiting. */
  maxDelayMs: number;
}

export interface BenchmarkOptions {
  models: ModelSpec[];
  prompt: string;
  runs?: number;
  warmup?: number;
  concurrency?: number;
  maxTokens?: number;
  timeoutMs?: number;
  stallTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Where keys come from; defaults to the environment variable named by `apiKeyEnv`. */
  resolveApiKey?: (spec: ModelSpec) => string | undefined | Promise<string | undefined>;
  retry?: Partial<RetryPolicy>;
  /** Where the prompt came from (editor language, whether it is code), for the speculation advisor. */
  taskContext?: TaskContext;
  /** Prompt-cache state to measure (default 'cold': every prompt unique). */
  cache?: CacheMode;
  /** Prompt-length sweep: sizes in tokens; prompts are built from prose (cold), `prompt` closes each one. */
  inputTokens?: number[];
  /** Where the benchmark runs from, as the user labels it (kept in the report and the history). */
  location?: string;
}

export const SUMMARY_METRICS: readonly MetricName[] = ['ttftMs', 'ttfoMs', 'decodeTps', 'e2eMs', 'itlMs', 'setupMs', 'normalizedTps', 'charsPerSec', 'costUsd', 'outputTokens'];

/** Summaries over the successful runs of one model. */
export function summarizeRuns(runs: readonly RunMetrics[]): ModelResult['summary'] {
  const ok = runs.filter((r) => r.ok);
  const summary: ModelResult['summary'] = {};
  for (const m of SUMMARY_METRICS) summary[m] = summarize(ok.map((r) => r[m]));
  return summary;
}

/** Adds a measured run to its model's result (counts and summaries stay derived from the runs). */
export function recordRun(result: ModelResult, metrics: RunMetrics): void {
  result.runs.push(metrics);
  if (metrics.ok) result.okRuns++;
  else if (metrics.errorKind === 'cancelled') result.cancelledRuns++;
  else result.failedRuns++;
}

/** An empty result for a model, before any run. */
export function emptyResult(spec: ModelSpec): ModelResult {
  return {
    id: spec.id,
    ...(spec.label ? { label: spec.label } : {}),
    region: spec.region,
    protocol: spec.protocol,
    model: spec.model,
    host: hostOf(spec.baseUrl),
    ...(spec.provider ? { provider: spec.provider } : {}),
    ...(spec.baseModel ? { baseModel: spec.baseModel } : {}),
    runs: [],
    summary: {},
    okRuns: 0,
    failedRuns: 0,
    cancelledRuns: 0,
    warnings: [],
  };
}

/** The host of a base URL (what reports and history keep; never a key or path). */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/**
 * Event-loop delay above which this client may have read chunks late: its timestamps are then a
 * ceiling on what the server did, and the run says so instead of reporting them silently.
 */
export const CLIENT_BOUND_DELAY = { meanMs: 5, p99Ms: 50 } as const;
// Each sample wakes the process: at 10 ms that alone cost ~5 ms of CPU per second of a benchmark.
const LOOP_SAMPLE_MS = 25;
/** After Ctrl-C, a finished trace larger than this is not decoded (that could take seconds). */
const CANCELLED_DECODE_BYTES = 1024 * 1024;
/** Undecoded response bytes the runner holds before decoding even while streams are open. */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

/** Responses this small are decoded at once to see whether they are only an overload notice (cheap: a few events). */
const EARLY_DECODE_BYTES = 4096;

/**
 * An overload reported as an error event before any token, after a 200 (Anthropic's `event: error`
 * overloaded_error): retried like a 529. Only tiny responses are decoded here, so no stream's timing pays for it.
 */
function earlyOverload(raw: RawTrace, spec: ModelSpec, apiKey: string | undefined): RunError | undefined {
  if (raw.status !== 200 || raw.bytes > EARLY_DECODE_BYTES || !Buffer.concat(raw.chunks).includes('error')) return undefined;
  const error = decodeTrace(raw, spec, apiKey).error;
  return error?.kind === 'overloaded' ? error : undefined;
}

export function envApiKey(spec: ModelSpec): string | undefined {
  return spec.apiKeyEnv ? process.env[spec.apiKeyEnv] || undefined : undefined;
}

/** The tokenizer used to count a model's text, and whether it is the model's own. */
export function tokenizerFamilyFor(spec: ModelSpec): { family: TokenizerFamily; own: boolean } {
  return spec.tokenizer ? { family: spec.tokenizer, own: true } : { family: REFERENCE_TOKENIZER, own: false };
}

async function counterFor(family: TokenizerFamily): Promise<{ name: string; count: TokenCounter; encode: (text: string) => number[] }> {
  const tok = await loadTokenizer(family);
  return { name: tok.name, count: (text) => tok.count(text), encode: (text) => tok.encode(text) };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * streamRaw, but a request that cannot even be built or sent (a header Node refuses, a bug) fails this run
 * with a message naming the model instead of aborting the whole benchmark.
 */
async function streamRawOrFail(spec: ModelSpec, opts: Parameters<typeof streamRaw>[1]): Promise<RawTrace> {
  const now = performance.now();
  try {
    return await streamRaw(spec, opts);
  } catch (e) {
    const message = redact(`${modelWho(spec)}: the request could not be sent (${(e as Error).message}). Check this model's "baseUrl" and "headers".`, opts.apiKey);
    return { requestStart: now, endAt: performance.now(), times: [], chunks: [], bytes: 0, error: { kind: 'config', message } };
  }
}

/** Runs `tasks` with at most `limit` in flight; preserves nothing but completion. */
async function pool(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  // A burst starts one request per event-loop turn: each request goes out before the next is built, so no
  // request's measured time includes building the others (64 at once would add ~10 ms to the last one's TTFT).
  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(limit, tasks.length); i++) {
    workers.push(worker());
    if (i + 1 < limit) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await Promise.all(workers);
}

export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkReport> {
  const runs = options.runs ?? DEFAULTS.runs;
  const warmup = options.warmup ?? DEFAULTS.warmup;
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  const maxTokens = options.maxTokens ?? DEFAULTS.maxTokens;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULTS.stallTimeoutMs;
  const retry: RetryPolicy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 60_000, ...options.retry };
  const emit = options.onProgress ?? (() => {});
  const resolveKey = options.resolveApiKey ?? envApiKey;
  const startedAt = new Date().toISOString();
  // Every request of a burst listens on the caller's signal; that is expected, not a leak.
  if (options.signal) setMaxListeners(Math.max(10, concurrency * 2 + 10), options.signal);
  // Keep-alive agents of this benchmark only: warm-up connections carry the timed runs, and none outlives it.
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const agentFor = (spec: ModelSpec) => (spec.baseUrl.startsWith('https:') ? agents.https : agents.http);
  const sweepSizes = options.inputTokens?.length ? options.inputTokens : undefined;
  // A sweep measures prefill, which a cache hit would hide: its runs are always cold.
  const cacheMode: CacheMode = sweepSizes ? 'cold' : (options.cache ?? 'cold');

  const referenceCounter = await counterFor(REFERENCE_TOKENIZER);
  const results: ModelResult[] = [];
  const prepared = await Promise.all(
    options.models.map(async (spec) => {
      const { family, own } = tokenizerFamilyFor(spec);
      const modelCounter = await counterFor(family);
      const result = emptyResult(spec);
      result.tokenizer = family;
      if (!own) result.warnings.push(`${spec.id}: no tokenizer of its own in Tokenscope; local counts use ${modelCounter.name} and are approximate.`);
      // Said once per model rather than on every run; this also loads the price database before any timing starts.
      const unpriced = unpricedWarning(spec);
      if (unpriced) result.warnings.push(unpriced);
      let sweep: { target: number; prompt: string }[] | undefined;
      if (sweepSizes) {
        sweep = [];
        for (const target of sweepSizes) {
          if (spec.contextWindow && target + maxTokens > spec.contextWindow) {
            result.warnings.push(`${spec.id}: the ${target}-token prompt size is skipped — with ${maxTokens} max output it exceeds the ${spec.contextWindow}-token context window. Lower --max-tokens or drop that size.`);
            continue;
          }
          sweep.push({ target, prompt: buildSweepPrompt(target, modelCounter.count, options.prompt.trim() || undefined) });
        }
      } else if (spec.contextWindow) {
        const promptTokens = modelCounter.count(options.prompt);
        if (promptTokens + maxTokens > spec.contextWindow)
          result.warnings.push(`${spec.id}: the prompt is ${promptTokens} tokens (${modelCounter.name}) + ${maxTokens} max output, over the ${spec.contextWindow}-token context window.`);
      }
      result.warnings.forEach((message) => emit({ type: 'warning', modelId: spec.id, message }));
      results.push(result);
      return { spec, result, modelCounter, sweep, apiKey: await resolveKey(spec) };
    }),
  );
  // Keep results in the order the models were given.
  results.sort((a, b) => options.models.findIndex((m) => m.id === a.id) - options.models.findIndex((m) => m.id === b.id));

  // Deriving metrics (tokenizer counts) costs CPU; done while other streams are in flight it would
  // delay their reads and so their timestamps. Finished traces wait until no stream is open.
  let inFlight = 0;
  let pendingBytes = 0;
  const pendingMetrics: (() => void)[] = [];
  const flushMetrics = async (whileStreaming = false) => {
    if (!whileStreaming) loopDelay.disable(); // the flush is our own work between streams, not load on a read
    while (pendingMetrics.length) {
      pendingMetrics.shift()!();
      // Each trace is decoded in one go; between two, Ctrl-C (the abort signal) gets its turn. A stream that
      // opened meanwhile stops the flush (the rest waits until no stream is open again), unless memory forces it.
      if (pendingMetrics.length) await new Promise((resolve) => setImmediate(resolve));
      if (!whileStreaming && inFlight > 0) break;
    }
    if (!pendingMetrics.length) pendingBytes = 0;
    if (!whileStreaming) loopDelay.enable();
  };
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });

  const runOnce = async (p: (typeof prepared)[number], index: number, isWarmup: boolean, variant: RunVariant, preconnect: boolean) => {
    if (options.signal?.aborted) return;
    const { spec, result, modelCounter, apiKey } = p;
    // A pre-connect only opens a connection: it is plumbing, not a run, and progress never shows it.
    if (!preconnect) emit({ type: 'run-start', modelId: spec.id, index, warmup: isWarmup });
    const runStartedAt = new Date().toISOString();
    let raw: RawTrace;
    inFlight++;
    if (spec.apiKeyEnv && !apiKey) {
      const now = performance.now();
      raw = { requestStart: now, endAt: now, times: [], chunks: [], bytes: 0, error: { kind: 'auth', message: `${spec.id}: no API key — ${spec.apiKeyEnv} is not set. ${keyHint(spec)}` } };
    } else {
      for (let attempt = 0; ; attempt++) {
        raw = await streamRawOrFail(spec, { prompt: variant.prompt, maxTokens: variant.maxTokens ?? maxTokens, apiKey, timeoutMs, stallTimeoutMs, signal: options.signal, agent: agentFor(spec), cacheControl: variant.cacheControl && spec.protocol === 'anthropic' });
        const err = raw.error ?? earlyOverload(raw, spec, apiKey);
        if (!err || !retryable(err.kind) || options.signal?.aborted) break;
        if (attempt >= retry.maxRetries) {
          const gaveUp = attempt > 0 ? ` Gave up after ${attempt} ${attempt === 1 ? 'retry' : 'retries'}.` : '';
          const later = err.kind === 'overloaded' ? ' Try again later.' : '';
          raw.error = { ...err, message: `${err.message}${gaveUp}${later}` };
          break;
        }
        const backoff = retry.baseDelayMs * 2 ** attempt * (0.5 + Math.random());
        const waitMs = err.retryAfterSec !== undefined ? err.retryAfterSec * 1000 : backoff;
        if (waitMs > retry.maxDelayMs) {
          raw.error = { ...err, message: `${err.message} That is longer than the ${retry.maxDelayMs / 1000} s Tokenscope waits; not retried.` };
          break;
        }
        emit({ type: 'retry', modelId: spec.id, attempt: attempt + 1, waitMs, reason: err.message });
        await sleep(waitMs, options.signal);
      }
    }
    inFlight--;
    if (preconnect) {
      // Its connection is back in the pool, which is all it was for: nothing of it is decoded or measured.
      if (inFlight === 0) await flushMetrics();
      return;
    }
    const finished = raw;
    pendingBytes += finished.bytes;
    pendingMetrics.push(() => {
      // Cancelled while large traces waited: report them as cancelled rather than spend seconds decoding them.
      if (options.signal?.aborted && !finished.error && finished.bytes > CANCELLED_DECODE_BYTES) {
        finished.error = { kind: 'cancelled', message: `${modelWho(spec)}: cancelled before this run's data was decoded.` };
        finished.chunks.length = 0;
      }
      let metrics: RunMetrics;
      try {
        const trace = decodeTrace(finished, spec, apiKey);
        finished.chunks.length = 0; // decoded: the raw bytes need not stay for the metrics
        // An in-stream overload the runner retried: its account ("Gave up after …") replaces the decoder's.
        if (finished.error?.kind === 'overloaded' && trace.error?.kind === 'overloaded') trace.error = finished.error;
        metrics = computeRunMetrics(trace, { spec, modelCounter, referenceCounter: referenceCounter.count, startedAt: runStartedAt, warmup: isWarmup, apiKey });
        metrics.cacheState = variant.cacheState;
        if (variant.targetInputTokens !== undefined) metrics.targetInputTokens = variant.targetInputTokens;
      } catch (e) {
        // One run that cannot be measured fails alone; the other runs and models go on.
        const message = redact(`${modelWho(spec)}: this run could not be measured (${(e as Error).message}).`, apiKey);
        const trace = { requestStart: finished.requestStart, events: [], reads: 0, bytes: 0, error: { kind: 'malformed' as const, message } };
        metrics = computeRunMetrics(trace, { spec, startedAt: runStartedAt, warmup: isWarmup });
      }
      if (!isWarmup) recordRun(result, metrics);
      else if (index === 0 && !preconnect && metrics.setupMs !== null) result.coldSetupMs = metrics.setupMs;
      if (!preconnect) emit({ type: 'run-end', modelId: spec.id, index, warmup: isWarmup, metrics });
    });
    if (inFlight === 0) await flushMetrics();
    // Bounded memory: past this much undecoded data, decode now even though streams are open (the
    // event-loop monitor stays on, so a run that suffers from it is flagged).
    else if (pendingBytes > MAX_PENDING_BYTES) await flushMetrics(true);
  };

  // Stages: warm-up, then each cache state (or prompt size); models interleave within a stage so that a slow
  // minute on the network does not land on one model only. With warm-up on, the warm-up stage also opens as many
  // connections per model as the timed runs will hold at once (one pre-connect per slot the warm-ups did not open),
  // so a burst measures the provider, not this client's handshakes.
  const preconnects = warmup > 0 ? Math.max(0, Math.min(concurrency, runs) - warmup) : 0;
  const stages = planRuns({ models: prepared.map((p) => ({ prompt: options.prompt, sweep: p.sweep })), runs, warmup, preconnects, cache: cacheMode, sweep: sweepSizes !== undefined });
  const tasksOf = (stage: (typeof stages)[number]) => stage.map((r) => () => runOnce(prepared[r.model], r.index, r.warmup, r.variant(), r.preconnect === true));
  emit({ type: 'start', totalRuns: stages.reduce((n, s) => n + s.filter((r) => !r.preconnect).length, 0), models: options.models.map((m) => m.id) });
  let monitoring = false;
  try {
    for (const stage of stages) {
      const measured = stage.some((r) => !r.warmup);
      if (measured && !monitoring) {
        loopDelay.reset();
        loopDelay.enable();
        monitoring = true;
      }
      await pool(tasksOf(stage), concurrency);
    }
    loopDelay.disable();
    await flushMetrics();
    loopDelay.disable();
  } finally {
    agents.http.destroy();
    agents.https.destroy();
  }

  // The histogram counts the sampling interval itself; the delay is what comes on top of it.
  const ms = (ns: number) => (Number.isFinite(ns) ? Math.max(0, ns / 1e6 - LOOP_SAMPLE_MS) : 0);
  const client = {
    eventLoopDelayMeanMs: ms(loopDelay.mean),
    eventLoopDelayP99Ms: ms(loopDelay.percentile(99)),
    eventLoopDelayMaxMs: ms(loopDelay.max),
    possiblyClientBound: false,
  };
  client.possiblyClientBound = client.eventLoopDelayMeanMs > CLIENT_BOUND_DELAY.meanMs || client.eventLoopDelayP99Ms > CLIENT_BOUND_DELAY.p99Ms;

  for (const result of results) {
    const ok = result.runs.filter((r) => r.ok);
    const { spec, modelCounter } = prepared.find((p) => p.result === result)!;
    const smallest = sweepSizes?.find((t) => result.runs.some((r) => r.targetInputTokens === t));
    // Summaries mean the cold runs when both states ran, and the smallest prompt of a sweep.
    result.summary = summarizeRuns(result.runs.filter((r) => (cacheMode !== 'both' || r.cacheState === 'cold') && (smallest === undefined || r.targetInputTokens === smallest)));
    if (sweepSizes) {
      result.sweep = sweepPoints(result.runs);
      result.prefill = fitPrefill(result.runs);
    } else {
      result.byCache = Object.fromEntries(cacheStates(cacheMode).map((state) => [state, summarizeCacheState(spec, result.runs.filter((r) => r.cacheState === state))]));
      if (result.byCache.warm) {
        // The provider's count where it gave one, else the model's tokenizer: it decides whether the prompt
        // reached the provider's minimum cacheable size.
        const promptTokens = summarize(result.runs.map((r) => r.inputTokens))?.median ?? modelCounter.count(options.prompt);
        result.cache = compareCache(spec, result.byCache.cold, result.byCache.warm, promptTokens);
        if (result.cache.neverHit) result.warnings.push(result.cache.note);
      }
    }
    const phases = summarizePhases(result.runs);
    if (phases) result.phases = phases;
    if (client.possiblyClientBound)
      result.warnings.push(
        `${result.id}: this machine was busy during the benchmark (event-loop delay mean ${client.eventLoopDelayMeanMs.toFixed(1)} ms, p99 ${client.eventLoopDelayP99Ms.toFixed(1)} ms), so chunks may have been read late: the numbers are possibly client-bound. Lower --concurrency or close other work.`,
      );
    result.warnings.push(...quirkNotes(result));
    const counter = prepared.find((p) => p.result === result)?.modelCounter;
    const speculation = adviseResult(result, options.prompt, counter?.encode, options.taskContext);
    if (speculation) result.speculation = speculation;
    const usageNote = result.runs.flatMap((r) => r.notes).find((n) => n.startsWith(INVALID_USAGE_NOTE));
    if (usageNote) result.warnings.push(`${result.id}: ${usageNote}.`);
    else if (ok.some((r) => r.tokenSource === 'tokenizer'))
      result.warnings.push(`${result.id}: the provider reported no token usage; output tokens were counted with ${ok.find((r) => r.tokenizer)?.tokenizer ?? 'a local tokenizer'}.`);
  }

  const report: BenchmarkReport = {
    tool: { name: 'tokenscope', version: TOOL_VERSION },
    startedAt,
    finishedAt: new Date().toISOString(),
    prompt: { chars: options.prompt.length, sha256: createHash('sha256').update(options.prompt).digest('hex') },
    settings: { runs, warmup, concurrency, maxTokens, timeoutMs, cache: cacheMode, ...(sweepSizes ? { inputTokens: [...sweepSizes] } : {}), ...(options.location ? { location: options.location } : {}) },
    client,
    results,
  };
  emit({ type: 'end', report });
  return report;
}
