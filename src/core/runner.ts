/**
 * Runs a prompt against models: plans warm-up and measured runs, keeps a concurrency limit, decodes finished
 * traces while no stream is open, and reports progress events. Sending and retrying one request is sendRun.ts,
 * completing each model's result finishResults.ts.
 */
import { setMaxListeners } from 'node:events';
import { setTimeout } from 'node:timers/promises';
import type { TaskContext } from './advisor/classify';
import { ClientLoadMonitor } from './clientLoad';
import { DEFAULTS } from './defaults';
import { modelWho, redact } from './errors';
import { finishResult } from './finishResults';
import { envApiKey } from './keyEnv';
import { computeRunMetrics, type TokenCounter } from './metrics';
import { planRuns, type RunVariant } from './plan';
import { unpricedWarning } from './pricing';
import { emptyResult, recordRun, reportHeader } from './report/reportParts';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import { sendRun } from './sendRun';
import { PreconnectHttpAgent, PreconnectHttpsAgent } from './stream/preconnectAgent';
import { decodeTrace } from './stream/streamRequest';
import { buildSweepPrompt } from './sweep';
import { loadTokenizer } from './tokenizers';
import { REFERENCE_TOKENIZER, tokenizerFamilyFor } from './tokenizers/forModel';
import type { BenchmarkReport, CacheMode, ModelSpec, ProgressEvent, RunMetrics, TokenizerFamily } from './types';

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

/** After Ctrl-C, a finished trace larger than this is not decoded (that could take seconds). */
const CANCELLED_DECODE_BYTES = 1024 * 1024;
/** Pause after opening plain-HTTP connections ahead, so that the server has accepted them before the burst. */
const PRECONNECT_SETTLE_MS = 50;
/** Undecoded response bytes the runner holds before decoding even while streams are open. */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

async function counterFor(
  family: TokenizerFamily,
): Promise<{ name: string; count: TokenCounter; encode: (text: string) => number[] }> {
  const tok = await loadTokenizer(family);
  return { name: tok.name, count: (text) => tok.count(text), encode: (text) => tok.encode(text) };
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
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const emit = options.onProgress ?? (() => {});
  const resolveKey = options.resolveApiKey ?? envApiKey;
  const startedAt = new Date().toISOString();
  // Every request of a burst listens on the caller's signal; that is expected, not a leak.
  if (options.signal) setMaxListeners(Math.max(10, concurrency * 2 + 10), options.signal);
  // Keep-alive agents of this benchmark only: warm-up connections carry the timed runs, and none outlives it.
  const agents = {
    http: new PreconnectHttpAgent({ keepAlive: true }),
    https: new PreconnectHttpsAgent({ keepAlive: true }),
  };
  const agentFor = (baseUrl: string) => (baseUrl.startsWith('https:') ? agents.https : agents.http);
  const sweepSizes = options.inputTokens?.length ? options.inputTokens : undefined;
  // A sweep measures prefill, which a cache hit would hide: its runs are always cold.
  const cacheMode: CacheMode = sweepSizes ? 'cold' : (options.cache ?? 'cold');

  const referenceCounter = await counterFor(REFERENCE_TOKENIZER);
  const prepared = await Promise.all(
    options.models.map(async (spec) => {
      const { family, own } = tokenizerFamilyFor(spec);
      const modelCounter = await counterFor(family);
      const result = emptyResult(spec);
      result.tokenizer = family;
      if (!own)
        result.warnings.push(
          `${spec.id}: no tokenizer of its own in Tokenscope; local counts use ${modelCounter.name} and are approximate.`,
        );
      // Said once per model rather than on every run; this also loads the price database before any timing starts.
      const unpriced = unpricedWarning(spec);
      if (unpriced) result.warnings.push(unpriced);
      let sweep: { target: number; prompt: string }[] | undefined;
      if (sweepSizes) {
        sweep = [];
        for (const target of sweepSizes) {
          if (spec.contextWindow && target + maxTokens > spec.contextWindow) {
            result.warnings.push(
              `${spec.id}: the ${target}-token prompt size is skipped — with ${maxTokens} max output it exceeds the ${spec.contextWindow}-token context window. Lower --max-tokens or drop that size.`,
            );
            continue;
          }
          sweep.push({
            target,
            prompt: buildSweepPrompt(target, modelCounter.count, options.prompt.trim() || undefined),
          });
        }
      } else if (spec.contextWindow) {
        const promptTokens = modelCounter.count(options.prompt);
        if (promptTokens + maxTokens > spec.contextWindow)
          result.warnings.push(
            `${spec.id}: the prompt is ${promptTokens} tokens (${modelCounter.name}) + ${maxTokens} max output, over the ${spec.contextWindow}-token context window.`,
          );
      }
      result.warnings.forEach((message) => emit({ type: 'warning', modelId: spec.id, message }));
      return { spec, result, modelCounter, sweep, apiKey: await resolveKey(spec) };
    }),
  );
  // In the order the models were given.
  const results = prepared.map((p) => p.result);

  // Deriving metrics (tokenizer counts) costs CPU; done while other streams are in flight it would
  // delay their reads and so their timestamps. Finished traces wait until no stream is open.
  let inFlight = 0;
  let pendingBytes = 0;
  const pendingMetrics: (() => void)[] = [];
  const flushMetrics = async (whileStreaming = false) => {
    if (!whileStreaming) clientLoad.pause(); // the flush is our own work between streams, not load on a read
    while (pendingMetrics.length) {
      pendingMetrics.shift()!();
      // Each trace is decoded in one go; between two, Ctrl-C (the abort signal) gets its turn. A stream that
      // opened meanwhile stops the flush (the rest waits until no stream is open again), unless memory forces it.
      if (pendingMetrics.length) await new Promise((resolve) => setImmediate(resolve));
      if (!whileStreaming && inFlight > 0) break;
    }
    if (!pendingMetrics.length) pendingBytes = 0;
    if (!whileStreaming) clientLoad.resume();
  };
  const clientLoad = new ClientLoadMonitor();

  const runOnce = async (p: (typeof prepared)[number], index: number, isWarmup: boolean, variant: RunVariant) => {
    if (options.signal?.aborted) return;
    const { spec, result, modelCounter, apiKey } = p;
    emit({ type: 'run-start', modelId: spec.id, index, warmup: isWarmup });
    const runStartedAt = new Date().toISOString();
    inFlight++;
    const finished = await sendRun(
      spec,
      {
        prompt: variant.prompt,
        maxTokens,
        apiKey,
        timeoutMs,
        stallTimeoutMs,
        signal: options.signal,
        agent: agentFor(spec.baseUrl),
        cacheControl: variant.cacheControl && spec.protocol === 'anthropic',
      },
      retry,
      { onRetry: (r) => emit({ type: 'retry', modelId: spec.id, ...r }) },
    );
    inFlight--;
    pendingBytes += finished.bytes;
    pendingMetrics.push(() => {
      // Cancelled while large traces waited: report them as cancelled rather than spend seconds decoding them.
      if (options.signal?.aborted && !finished.error && finished.bytes > CANCELLED_DECODE_BYTES) {
        finished.error = {
          kind: 'cancelled',
          message: `${modelWho(spec)}: cancelled before this run's data was decoded.`,
        };
        finished.body.release();
      }
      let metrics: RunMetrics;
      try {
        const trace = decodeTrace(finished, spec, apiKey);
        finished.body.release(); // decoded: the raw bytes need not stay for the metrics
        // An in-stream overload the runner retried: its account ("Gave up after …") replaces the decoder's.
        if (finished.error?.kind === 'overloaded' && trace.error?.kind === 'overloaded') trace.error = finished.error;
        metrics = computeRunMetrics(trace, {
          spec,
          modelCounter,
          referenceCounter: referenceCounter.count,
          startedAt: runStartedAt,
          warmup: isWarmup,
          apiKey,
        });
        metrics.cacheState = variant.cacheState;
        if (variant.targetInputTokens !== undefined) metrics.targetInputTokens = variant.targetInputTokens;
      } catch (e) {
        // One run that cannot be measured fails alone; the other runs and models go on.
        const message = redact(`${modelWho(spec)}: this run could not be measured (${(e as Error).message}).`, apiKey);
        const trace = {
          requestStart: finished.requestStart,
          events: [],
          reads: 0,
          bytes: 0,
          error: { kind: 'malformed' as const, message },
        };
        metrics = computeRunMetrics(trace, { spec, startedAt: runStartedAt, warmup: isWarmup });
      }
      if (!isWarmup) recordRun(result, metrics);
      else if (index === 0 && metrics.setupMs !== null) result.coldSetupMs = metrics.setupMs;
      emit({ type: 'run-end', modelId: spec.id, index, warmup: isWarmup, metrics });
    });
    if (inFlight === 0) await flushMetrics();
    // Bounded memory: past this much undecoded data, decode now even though streams are open (the
    // event-loop monitor stays on, so a run that suffers from it is flagged).
    else if (pendingBytes > MAX_PENDING_BYTES) await flushMetrics(true);
  };

  // Stages: warm-up, then each cache state (or prompt size); models interleave within a stage so that a slow
  // minute on the network does not land on one model only.
  const stages = planRuns({
    models: prepared.map((p) => ({ prompt: options.prompt, sweep: p.sweep })),
    runs,
    warmup,
    cache: cacheMode,
    sweep: sweepSizes !== undefined,
  });
  const tasksOf = (stage: (typeof stages)[number]) =>
    stage.map((r) => () => runOnce(prepared[r.model], r.index, r.warmup, r.variant()));
  // With warm-up on, as many connections per origin as the timed runs will hold at once are opened before them
  // (the warm-ups' own connections are reused too), so a burst measures the provider, not this client's
  // handshakes. After the warm-up, so that the warm-up still pays for (and shows) a first connection.
  const modelsPerOrigin = new Map<string, { baseUrl: string; models: number }>();
  for (const { spec } of prepared) {
    const origin = new URL(spec.baseUrl).origin;
    const entry = modelsPerOrigin.get(origin) ?? { baseUrl: spec.baseUrl, models: 0 };
    entry.models++;
    modelsPerOrigin.set(origin, entry);
  }
  const preconnects = [...modelsPerOrigin.values()]
    .map(({ baseUrl, models }) => ({
      baseUrl,
      count: warmup > 0 ? Math.min(concurrency, runs * models) - Math.min(concurrency, warmup * models) : 0,
    }))
    .filter((p) => p.count > 0);
  const preconnect = async () => {
    await Promise.all(
      preconnects.map(({ baseUrl, count }) =>
        agentFor(baseUrl).preconnect(baseUrl, count, stallTimeoutMs, options.signal),
      ),
    );
    // A TCP handshake completes in the kernel before the server process accepts the connection (TLS ones it has
    // taken part in). A local server that accepts 256 connections as the burst starts would put that work inside
    // the timed runs' TTFT (measured at 256: error p50 up to 30 ms without this pause, 1–2 ms with it): give
    // plain-HTTP servers a moment to accept them.
    if (preconnects.some((p) => !p.baseUrl.startsWith('https:'))) await setTimeout(PRECONNECT_SETTLE_MS);
  };
  emit({
    type: 'start',
    totalRuns: stages.reduce((n, s) => n + s.length, 0),
    models: options.models.map((m) => m.id),
  });
  let monitoring = false;
  try {
    for (const stage of stages) {
      const measured = stage.some((r) => !r.warmup);
      if (measured && !monitoring) {
        if (preconnects.length) await preconnect();
        clientLoad.start();
        monitoring = true;
      }
      await pool(tasksOf(stage), concurrency);
    }
    clientLoad.pause();
    await flushMetrics();
    clientLoad.pause();
  } finally {
    agents.http.destroy();
    agents.https.destroy();
  }

  const client = clientLoad.result();
  for (const p of prepared) {
    finishResult(p.result, {
      spec: p.spec,
      prompt: options.prompt,
      cacheMode,
      sweepSizes,
      client,
      countTokens: p.modelCounter.count,
      encode: p.modelCounter.encode,
      taskContext: options.taskContext,
    });
  }

  const report: BenchmarkReport = {
    ...reportHeader(
      options.prompt,
      {
        runs,
        warmup,
        concurrency,
        maxTokens,
        timeoutMs,
        cache: cacheMode,
        ...(sweepSizes ? { inputTokens: [...sweepSizes] } : {}),
        ...(options.location ? { location: options.location } : {}),
      },
      startedAt,
      new Date().toISOString(),
    ),
    client,
    results,
  };
  emit({ type: 'end', report });
  return report;
}
