/** Shared vocabulary of the core. Pure types: no runtime code, no `vscode` import. */
import type { MergedPart, ShardInfo } from './shard';

export type Region = 'CN' | 'US' | 'local';
export const REGIONS: readonly Region[] = ['CN', 'US', 'local'];

/** One entry per wire protocol, not per vendor. */
export type ProtocolId = 'openai-chat' | 'anthropic' | 'ollama' | 'gemini';
export const PROTOCOLS: readonly ProtocolId[] = ['openai-chat', 'anthropic', 'ollama', 'gemini'];

/** Tokenizer families with a real vocabulary behind them (see src/core/tokenizers). */
export type TokenizerFamily = 'o200k' | 'cl100k' | 'deepseek-v3' | 'qwen3' | 'claude' | 'llama3';
export const TOKENIZER_FAMILIES: readonly TokenizerFamily[] = [
  'o200k',
  'cl100k',
  'deepseek-v3',
  'qwen3',
  'claude',
  'llama3',
];

export interface Price {
  /** USD per million input tokens. */
  inputPerM: number;
  /** USD per million output tokens (reasoning tokens are billed as output). */
  outputPerM: number;
  /** USD per million cached input tokens, where the provider discounts them. */
  cachedInputPerM?: number;
  /** USD per million input tokens written to the prompt cache, where the provider bills writes above input (Anthropic). */
  cacheWritePerM?: number;
  /** ISO date the list price was read; prices change, so a price says how old it is. */
  readOn?: string;
}

export interface ModelSpec {
  /** Tokenscope's id for this model (unique within a config). */
  id: string;
  protocol: ProtocolId;
  /** API root, e.g. https://api.deepseek.com or http://127.0.0.1:11434 */
  baseUrl: string;
  /** The model name sent on the wire. */
  model: string;
  region: Region;
  /** Environment variable holding the API key; never the key itself. */
  apiKeyEnv?: string;
  tokenizer?: TokenizerFamily;
  price?: Price;
  /** Context window in tokens, for the "prompt too long" warning. */
  contextWindow?: number;
  /** Human label for tables, e.g. "DeepSeek V4 Flash". */
  label?: string;
  /** Who serves it, e.g. "deepseek", "openrouter", "fireworks"; also the genai-prices provider id used to price it. */
  provider?: string;
  /** The underlying model, e.g. "deepseek-v4-flash", whoever serves it: entries with the same one are grouped. */
  baseModel?: string;
  /** ISO date this entry's facts (id, URL, context window) were read from the provider's docs. */
  readOn?: string;
  /** True for models that reason before answering. */
  reasoning?: boolean;
  /** Extra JSON merged into the request body (vendor switches such as thinking budgets). */
  extraBody?: Record<string, unknown>;
  /** openai-chat: the body field for the output limit (OpenAI's reasoning models need max_completion_tokens). */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** Extra HTTP headers (never put keys here; use apiKeyEnv). */
  headers?: Record<string, string>;
}

export type Channel = 'answer' | 'reasoning';

/** What a prompt asks for; decides which speculative-decoding technique fits (see src/core/advisor). */
export type TaskCategory = 'coding-edit' | 'coding-generate' | 'reasoning' | 'summarization' | 'translation' | 'chat';
export const TASK_CATEGORIES: readonly TaskCategory[] = [
  'coding-edit',
  'coding-generate',
  'reasoning',
  'summarization',
  'translation',
  'chat',
];

/** What a protocol decoder makes of the bytes of one response. */
export type StreamEvent =
  | { kind: 'token'; channel: Channel; text: string }
  | { kind: 'usage'; usage: UsageReport }
  | { kind: 'error'; message: string; code?: string }
  | { kind: 'done'; reason?: string }
  /** Timing the server measured itself (Ollama's eval_count / eval_duration, llama.cpp timings, vLLM per-request metrics). */
  | {
      kind: 'serverTiming';
      evalCount?: number;
      evalDurationMs?: number;
      promptEvalCount?: number;
      promptEvalDurationMs?: number;
      draftTokens?: number;
      draftAccepted?: number;
      /** Ollama load_duration: time spent loading the model into memory before this request could start. */
      loadDurationMs?: number;
      /** vLLM metrics.queue_time_ms: time the request waited in the scheduler queue. */
      queueMs?: number;
      /** vLLM metrics.time_to_first_token_ms: scheduled → first token, as the server measured it. */
      serverTtftMs?: number;
    }
  /** Speculation statistics the server reported for this one request (vLLM metrics.speculative_decoding, SGLang meta_info). */
  | { kind: 'serverSpec'; stats: ServerSpecStats }
  /** Which upstream provider an aggregator routed the request to (OpenRouter's `provider`). */
  | { kind: 'servedBy'; provider: string };

/** Token counts as a provider reports them; any field may be missing. */
export interface UsageReport {
  inputTokens?: number;
  /** All generated tokens, reasoning included. */
  outputTokens?: number;
  /** Reasoning tokens (included in outputTokens). */
  reasoningTokens?: number;
  cachedInputTokens?: number;
  /** Input tokens written to the prompt cache (Anthropic cache_creation_input_tokens; included in inputTokens). */
  cacheWriteInputTokens?: number;
  /** OpenAI predicted outputs. */
  acceptedPredictionTokens?: number;
  rejectedPredictionTokens?: number;
  /** What the provider itself charged for the request in USD, where it says (OpenRouter `usage.cost`). */
  costUsd?: number;
}

/** A decoded event stamped with the arrival time of the network read that carried it. */
export interface TimedEvent {
  /** performance.now() when the bytes arrived. */
  t: number;
  /** Index of the network read (chunk) the event came in. */
  read: number;
  event: StreamEvent;
}

/** The raw record of one streamed request, before any metric is derived. */
export interface StreamTrace {
  /** performance.now() just before the request was sent. */
  requestStart: number;
  /** Connection phases (see stream/phases.ts). */
  phases?: RunPhases;
  connectionReused?: boolean;
  /** The provider's own processing time from a response header (e.g. openai-processing-ms). */
  serverProcessingMs?: number;
  /** performance.now() when the response headers arrived. */
  headersAt?: number;
  /** performance.now() when the stream ended (or failed). */
  endAt?: number;
  status?: number;
  events: TimedEvent[];
  /** Number of network reads. */
  reads: number;
  bytes: number;
  /** Set when the stream failed; whatever arrived before stays in events. */
  error?: RunError;
}

export type ErrorKind =
  | 'auth'
  | 'payment'
  | 'not-found'
  | 'rate-limit'
  | 'server'
  | 'overloaded'
  | 'bad-request'
  | 'stream-error'
  | 'dropped'
  | 'malformed'
  | 'timeout'
  | 'stall'
  | 'network'
  | 'dns'
  | 'tls'
  | 'not-a-stream'
  | 'no-tokens'
  | 'overrun'
  | 'cancelled'
  | 'config';

export interface RunError {
  kind: ErrorKind;
  /** A specific, human message that names the model. Never contains a key. */
  message: string;
  status?: number;
  /** Seconds the server asked us to wait (429 retry-after). */
  retryAfterSec?: number;
}

export type TokenSource = 'usage' | 'tokenizer';

/**
 * Where a cost came from: the genai-prices database (which version and data), the user's config, or the provider
 * itself (a bill in its usage, e.g. OpenRouter's usage.cost).
 */
export type PriceSource =
  | {
      kind: 'genai-prices';
      package: string;
      version: string;
      data: 'bundled' | 'updated';
      dataDate: string;
      providerId: string;
      modelId: string;
    }
  | { kind: 'config'; readOn?: string }
  | { kind: 'provider' };

/** Metrics of one run. Times in ms from request start; rates in tokens per second. */
export interface RunMetrics {
  ok: boolean;
  error: string | null;
  errorKind?: ErrorKind;
  warmup?: boolean;
  /** Wall-clock ISO time the run started. */
  startedAt: string;
  /** Request start → response headers: network and queueing. */
  setupMs: number | null;
  ttftMs: number | null;
  ttfoMs: number | null;
  decodeTps: number | null;
  e2eMs: number | null;
  /** (e2e − TTFT) ÷ (tokens − 1): normalised inter-token latency. */
  itlMs: number | null;
  /** Raw gaps between token-carrying network reads, ms. */
  interChunkMs: number[];
  /** Estimated tokens carried by each token-carrying read (raw distribution, kept apart from ITL). */
  tokensPerChunk: number[];
  /** Inter-chunk gap percentiles. */
  interChunkP50Ms: number | null;
  interChunkP95Ms: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  reasoningTokens: number | null;
  cachedInputTokens: number | null;
  /** Tokens that were streamed to us (output minus hidden reasoning). */
  streamedTokens: number | null;
  /** Output tokens that were generated but never streamed (hidden reasoning): from usage, or inferred (see notes). */
  hiddenTokens: number | null;
  /** Plain-language caveats about this run's numbers. */
  notes: string[];
  /** The model's tokenizer count of the streamed text, kept beside usage to show the difference. */
  tokenizerCount: number | null;
  /** Whether reasoning text was streamed (visible) or only reported in usage (hidden). */
  reasoningVisible: boolean;
  tokenSource: TokenSource;
  /** Which tokenizer counted, when tokenSource is 'tokenizer'. */
  tokenizer?: string;
  /** Input tokens written to the prompt cache (billed apart on Anthropic). */
  cacheWriteInputTokens?: number | null;
  costUsd: number | null;
  /** Where the price behind costUsd came from; absent when the run has no cost. */
  priceSource?: PriceSource;
  /** Answer text as streamed (untrusted). */
  answerText: string;
  reasoningText: string;
  /** Characters of answer+reasoning text per second over the decode window. */
  charsPerSec: number | null;
  /** Decode rate re-counted with the reference tokenizer (o200k) over the same window; null until counted. */
  normalizedTps: number | null;
  /** Server-side timing, where the server reports it (Ollama eval_duration). Labelled as server-reported. */
  serverDecodeTps: number | null;
  chunks: number;
  /** Speculation statistics the server reported for this run (llama.cpp draft counts, OpenAI predicted outputs). */
  serverSpecStats?: ServerSpecStats[];
  /**
   * Summarized thinking (Claude 4+, Gemini thought summaries): usage bills far more tokens than the text that
   * arrived. decodeTps stays generated tokens over the arrival window; arrivedTps counts the text that came.
   */
  thinkingSummarized?: boolean;
  /** Tokens of text that actually arrived per second (model tokenizer), over the same window as decodeTps. */
  arrivedTps?: number | null;
  /** Server-reported time spent loading the model before this request (Ollama load_duration), ms. */
  modelLoadMs?: number;
  /** True when modelLoadMs shows a cold model load: the TTFT includes it and is not the model's own speed. */
  coldLoad?: boolean;
  /** Server-reported queue wait (vLLM per-request metrics), ms. */
  serverQueueMs?: number;
  /** Server-reported TTFT from scheduling (vLLM per-request metrics), ms. */
  serverTtftMs?: number;
  /** The upstream provider an aggregator routed the request to (OpenRouter). */
  servedBy?: string;
  /** True when costUsd is what the provider charged (usage.cost), not computed from list prices. */
  costReported?: boolean;
  /** Whether this run's prompt could hit a prefix cache: 'cold' (unique prompt) or 'warm' (repeated prompt). */
  cacheState?: CacheState;
  /** Sweep runs: the input size, in the model's tokens, the prompt was built to. */
  targetInputTokens?: number;
  /** Where the time before the first byte went, from request start (see stream/phases.ts). */
  phases?: RunPhases;
  /** True when the request went out on a kept-alive connection (no DNS, connect or TLS). */
  connectionReused?: boolean;
  /** The provider's own processing time (openai-processing-ms and similar), server-reported. */
  serverProcessingMs?: number | null;
}

/** 'cold': each run's prompt is unique, so no prefix cache can hit; 'warm': runs repeat a primed prompt. */
export type CacheState = 'cold' | 'warm';
export type CacheMode = CacheState | 'both';
export const CACHE_MODES: readonly CacheMode[] = ['cold', 'warm', 'both'];

/**
 * Milliseconds from request start at which each phase of a request ended; null where it did not happen
 * (no DNS lookup for an IP address, no connect or TLS on a reused connection, no TLS over http).
 */
export interface RunPhases {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  /** The request (headers and body) handed to the OS. */
  sentMs: number | null;
  /** Response headers arrived. */
  headersMs: number | null;
  /** First byte of the response body arrived. */
  firstByteMs: number | null;
}

/** Median and p95 of one metric. */
export interface MedianP95 {
  n: number;
  median: number;
  p95: number;
}

/** Medians of the runs of one cache state. */
export interface CacheStateSummary {
  runs: number;
  ttftMs: MedianP95 | null;
  ttfoMs: MedianP95 | null;
  decodeTps: MedianP95 | null;
  e2eMs: MedianP95 | null;
  /** Median cached input tokens the provider reported. */
  cachedInputTokens: MedianP95 | null;
  /** Runs whose usage reported any cached input tokens. */
  hits: number;
  /** Median input cost of one run at list price (cached tokens at the cached price). */
  inputCostUsd: number | null;
  /** Median input cost the cache saved per run: cached tokens at the full minus the cached price. */
  inputCostSavingUsd: number | null;
}

/** Cold vs warm for one model. */
export interface CacheComparison {
  coldTtftMs: number | null;
  warmTtftMs: number | null;
  savingMs: number | null;
  savingPct: number | null;
  /** Input cost saved per run by the cache, at list price. */
  inputCostSavingUsd: number | null;
  inputCostSavingPct: number | null;
  /** The provider documents prompt caching but no warm run reported a cached token. */
  neverHit: boolean;
  /** Plain-language verdict, e.g. why a cache did not hit. */
  note: string;
}

/** TTFT at one prompt size of a sweep. */
export interface SweepPoint {
  /** Median input tokens the provider reported (the local count where it reported none). */
  inputTokens: number;
  /** The size the prompt was built to, in the model's tokenizer. */
  targetTokens: number;
  ttftMs: MedianP95 | null;
  runs: number;
}

/** Least-squares fit of TTFT = overheadMs + inputTokens ÷ tokensPerSec over the sweep runs. */
export interface PrefillFit {
  tokensPerSec: number | null;
  overheadMs: number;
  /** Prompt sizes the fit used (one point per size: its median input tokens and median TTFT). */
  points: number;
  r2: number | null;
}

/** Median phases of one model's runs, ms from request start. */
export interface PhaseSummary extends RunPhases {
  ttftMs: number | null;
  serverProcessingMs: number | null;
  /** Runs that went out on a fresh connection / a reused one. */
  freshConnections: number;
  reusedConnections: number;
}

/** The speculative-decoding advisor's verdict on one model's runs. Estimated unless a field says measured. */
export interface SpeculationSummary {
  label: 'estimated';
  category: TaskCategory;
  flagged: boolean;
  technique: 'prompt-lookup' | 'draft-model' | null;
  /** Plain-language verdict with the technique and the estimated speedup. */
  verdict: string;
  /** From replaying prompt lookup over the model's real output. */
  promptLookupSpeedup: number | null;
  copiedShare: number | null;
  /** From the task category with published per-task gains and Leviathan's formula. */
  draftModelSpeedup: number | null;
  /** Whether chunk timing looks like multi-token steps or coalescing: a hint, never proof. */
  chunkTiming: string | null;
  /** Acceptance the server measured itself, where it reported any. */
  measuredAcceptanceRate: number | null;
  assumptions: string[];
}

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
  /** Median absolute deviation: robust spread. */
  mad: number;
  stdev: number;
}

export type MetricName =
  | 'ttftMs'
  | 'ttfoMs'
  | 'decodeTps'
  | 'e2eMs'
  | 'itlMs'
  | 'setupMs'
  | 'normalizedTps'
  | 'charsPerSec'
  | 'costUsd'
  | 'outputTokens';

export interface ModelResult {
  id: string;
  label?: string;
  region: Region;
  protocol: ProtocolId;
  model: string;
  /** Host of the base URL (never a key). */
  host: string;
  /** Who served it (e.g. "openrouter") and the underlying model, for grouping hosts of one model. */
  provider?: string;
  baseModel?: string;
  runs: RunMetrics[];
  /** Summaries over successful measured runs (warm-up runs excluded). */
  summary: Partial<Record<MetricName, Summary | null>>;
  okRuns: number;
  /** Runs that failed (cancelled runs are counted apart). */
  failedRuns: number;
  cancelledRuns: number;
  warnings: string[];
  /** The tokenizer family its text was counted with. */
  tokenizer?: TokenizerFamily;
  /** Request start → response headers of the first warm-up request: what a fresh connection (DNS, TCP, TLS) costs. */
  coldSetupMs?: number;
  /** Where speculative decoding would help this task, from this model's output (estimated). */
  speculation?: SpeculationSummary;
  /** Runs that met the service-level objective, and goodput (only when an SLO was given). */
  slo?: SloResult;
  /** Per cache state, when the benchmark controlled it. */
  byCache?: Partial<Record<CacheState, CacheStateSummary>>;
  /** Cold vs warm, when both ran. */
  cache?: CacheComparison;
  /** Prompt-length sweep: TTFT per size, and the prefill fit. */
  sweep?: SweepPoint[];
  prefill?: PrefillFit | null;
  /** Median request phases (network vs server). */
  phases?: PhaseSummary;
}

export interface BenchmarkReport {
  tool: { name: 'tokenscope'; version: string };
  startedAt: string;
  finishedAt: string;
  prompt: { chars: number; sha256: string };
  settings: {
    runs: number;
    warmup: number;
    concurrency: number;
    maxTokens: number;
    timeoutMs: number;
    /** The service-level objective the results were checked against, e.g. "ttft<=800,tps>=30". */
    slo?: string;
    /** Prompt-cache state the runs were made in (absent in reports written before it existed). */
    cache?: CacheMode;
    /** Prompt sizes of a sweep, in tokens. */
    inputTokens?: number[];
    /** Where the benchmark ran from, as the user labelled it. */
    location?: string;
  };
  /** Set when this report is one part of a sharded benchmark (`bench --shard i/n`). */
  shard?: ShardInfo;
  /** Set on a report merged from shards (`tokenscope merge`): one entry per input file. */
  mergedFrom?: MergedPart[];
  /** This client's own load while it measured (see clientLoad.ts CLIENT_BOUND_DELAY). */
  client?: {
    eventLoopDelayMeanMs: number;
    eventLoopDelayP99Ms: number;
    eventLoopDelayMaxMs: number;
    possiblyClientBound: boolean;
  };
  /** Set when the benchmark stopped before every run: the signal that stopped it (SIGINT, SIGTERM, SIGHUP) or "error". */
  interrupted?: string;
  results: ModelResult[];
}

// ---- SLO (parsed and evaluated in slo.ts) ----

export type SloOp = '<=' | '<' | '>=' | '>';

export interface SloTarget {
  metric: MetricName;
  op: SloOp;
  value: number;
  /** The term as written (normalised: no spaces), e.g. "ttft<=800". */
  term: string;
}

/** Per model: the measured runs that met every target, and the goodput that follows. */
export interface SloResult {
  /** Successful runs that met every target. */
  met: number;
  /** Measured runs, failed ones included (a failed request never meets an SLO); cancelled runs left out. */
  total: number;
  /** met ÷ total (0 when total is 0). */
  share: number;
  targets: SloTarget[];
  /**
   * Requests per second that met the SLO at the tested concurrency: concurrency × met ÷ Σ run durations (s),
   * i.e. the rate a closed loop of `concurrency` clients issuing these requests back to back would sustain
   * (Little's law), counting only the requests that met the SLO. Null when no run has a duration.
   */
  goodputRps: number | null;
  concurrency: number;
}

// ---- server-reported speculation (parsed in advisor/serverStats.ts) ----

export interface VllmSpecCounters {
  drafts: number;
  draftTokens: number;
  acceptedTokens: number;
  /** Accepted tokens by draft position (position 0 first), where the server exposes them. */
  acceptedPerPosition?: number[];
}

export type ServerSpecStats =
  | {
      source: 'llama.cpp';
      draftTokens: number;
      draftAccepted: number;
      /** predicted_n: tokens generated in the run. */ generatedTokens?: number;
    }
  /** `scope: 'request'`: vLLM's per-request metrics.speculative_decoding (one request only); else /metrics counters (server-wide). */
  | ({ source: 'vllm'; scope?: 'request' } & VllmSpecCounters)
  /** llama.cpp /metrics counters, diffed around a run (server-wide). */
  | ({ source: 'llama.cpp-metrics' } & VllmSpecCounters)
  /** SGLang meta_info: verify steps, and the server's own acceptance length where it gives one (spec_accept_length). */
  | { source: 'sglang'; verifyCount: number; completionTokens: number; acceptLength?: number }
  | { source: 'openai-predicted'; acceptedPredictionTokens: number; rejectedPredictionTokens: number };

/** What the runner reports as a benchmark goes (the live report and the progress lines read these). */
export type ProgressEvent =
  | { type: 'start'; totalRuns: number; models: string[] }
  | { type: 'run-start'; modelId: string; index: number; warmup: boolean }
  | { type: 'run-end'; modelId: string; index: number; warmup: boolean; metrics: RunMetrics }
  | { type: 'retry'; modelId: string; attempt: number; waitMs: number; reason: string }
  | { type: 'warning'; modelId: string; message: string }
  | { type: 'end'; report: BenchmarkReport };
