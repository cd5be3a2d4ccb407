/**
 * What the test server is told to do for a model, and the chunk plan that follows from it.
 * Pure: no I/O, no timers. The plan is the ground truth the server then keeps to.
 */
import type { Channel } from '../../src/core/types';

export interface Schedule {
  /** Request received -> first content chunk (reasoning or answer) would be sent if no hidden reasoning. */
  ttftMs: number;
  /** Generation rate for all tokens (reasoning + answer). */
  tokensPerSecond: number;
  /** Default 1; tokens coalesced into one SSE event / NDJSON line. */
  tokensPerChunk?: number;
  /** Answer tokens. */
  outputTokens: number;
  /** Default 0; generated before the answer. */
  reasoningTokens?: number;
  /** Default true: stream reasoning text; false: generate it silently (only counted in usage). */
  reasoningVisible?: boolean;
  /** Default true (openai-chat: only if the request asked via stream_options.include_usage). */
  includeUsage?: boolean;
  /** Default: ceil(prompt chars / 4), reported in usage. */
  inputTokens?: number;
  /** Default 0. */
  cachedInputTokens?: number;
  /** Default 0. Input tokens written to the prompt cache (part of inputTokens; Anthropic reports them apart). */
  cacheWriteTokens?: number;
  /** If set, requests without this key are refused in the protocol's real error shape. */
  requireKey?: string;
  fault?: Fault;
  /** Default 'reasoning_content' (DeepSeek/Qwen/Kimi style); 'reasoning' is the vLLM/OpenRouter style. */
  openaiReasoningField?: 'reasoning_content' | 'reasoning';
  /** openai-chat: send a role-only chunk immediately with the headers (default true, like real servers). */
  emptyRoleChunk?: boolean;
  /**
   * Default false: usage reports the request's record id as its input tokens, so a client in another process that
   * sends the same prompt many times can still pair each run with this server's record (the fidelity benchmark).
   * Nothing streamed changes, so no measured time or rate does.
   */
  tagUsage?: boolean;
  /** Provider wire behaviours that change a number (see wire.ts). */
  quirks?: WireQuirks;
  /** Prompt processing rate: TTFT grows by (uncached input tokens ÷ this) seconds. Default: none. */
  prefillTokensPerSec?: number;
  /** Simulated prefix cache: the second identical prompt to this model hits, caching whole blocks and saving hitSavingMs of TTFT. */
  prefixCache?: { hitSavingMs: number; blockTokens?: number };
  /** openai-chat usage: 'openai' (prompt_tokens_details.cached_tokens, default) or 'deepseek' (prompt_cache_hit_tokens / prompt_cache_miss_tokens). */
  usageDialect?: 'openai' | 'deepseek';
  /** Send `openai-processing-ms` (server time from request to headers) with the response headers. */
  processingMsHeader?: boolean;
}

/** Real provider wire behaviours, each reproduced as the provider sends it. */
export interface WireQuirks {
  /**
   * openai-chat, ollama: reasoning inline in the answer text between tags (MiniMax without reasoning_split, local
   * servers without a reasoning parser). `splitCloseTag`: the closing tag is cut in two across chunks, its first
   * half ending the last reasoning chunk (a tokenizer without the tag as one token does this).
   */
  inlineThinking?: {
    tag: 'think' | 'mm:think';
    splitCloseTag?: boolean;
    /** The template put the opening tag in the prompt: only the closing tag is sent (DeepSeek-R1 distills). */ prefilled?: boolean;
  };
  /** openai-chat: reasoning in `delta.reasoning_details[].text` (MiniMax with reasoning_split: true). */
  reasoningDetails?: boolean;
  /**
   * SSE protocols: a comment line every `everyMs` while the request waits for its first token (DeepSeek's
   * `: keep-alive` while queued, OpenRouter's `: OPENROUTER PROCESSING`).
   */
  keepAlive?: { everyMs: number; comment: string };
  /** openai-chat: OpenRouter's chunks: `provider` on each, `reasoning` + `reasoning_details`, usage with `cost`. */
  openRouter?: { provider: string; costUsd: number };
  /** openai-chat: OpenAI's `obfuscation` padding field on every chunk. */
  obfuscation?: boolean;
  /** openai-chat: vLLM per-request `metrics` on the usage chunk, with `speculative_decoding` if given. */
  vllmMetrics?: {
    queueTimeMs: number;
    spec?: { steps: number; draftTokens: number; acceptedTokens: number; numSpecTokens: number };
  };
  /** openai-chat: llama.cpp `timings` with draft statistics on the final chunk. */
  llamacppDraft?: { draftTokens: number; accepted: number };
  /** ollama: a cold start (the first `modelLoadMs` of ttftMs were load_duration) and prompt_eval_cached_count. */
  ollama?: { modelLoadMs?: number; promptCachedTokens?: number };
  /**
   * anthropic, gemini: summarized thinking. The visible reasoning is the summary; usage bills
   * `billedReasoningTokens` of thinking (Claude 4+, Gemini thought summaries).
   */
  summarizedThinking?: { billedReasoningTokens: number };
  /** openai-chat, anthropic: the in-stream error fault as `event: error` with a payload that has no `error` key. */
  bareErrorEvent?: boolean;
}

export type Fault =
  /** e.g. 401, 402, 404, 429 (+retry-after), 500, 502, 503, 529. `times`: only the first N requests for the model fail. */
  | { kind: 'status'; status: number; retryAfterSec?: number; times?: number; body?: string }
  /** Destroy the socket mid-stream after N content chunks. */
  | { kind: 'drop'; afterChunks: number }
  /** An error event inside the stream, in the protocol's real shape, after N content chunks; the stream then ends. `times` as for status. */
  | { kind: 'stream-error'; afterChunks: number; times?: number }
  /** A chunk that is not valid JSON after N content chunks, then the stream continues normally. */
  | { kind: 'malformed'; afterChunks: number }
  /** Pause `ms` after N content chunks, then continue (every later chunk shifts by `ms`). */
  | { kind: 'stall'; afterChunks: number; ms: number }
  /** Accept the request and never answer (until the server is closed). */
  | { kind: 'no-response' }
  /** An HTML error page, content-type text/html; status defaults to 200 (a proxy or captive portal), 502 is the gateway case. */
  | { kind: 'html'; status?: number };

/** A schedule with every default filled in (inputTokens still depends on the request). */
export interface ResolvedSchedule {
  ttftMs: number;
  tokensPerSecond: number;
  tokensPerChunk: number;
  outputTokens: number;
  reasoningTokens: number;
  reasoningVisible: boolean;
  includeUsage: boolean;
  inputTokens?: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  requireKey?: string;
  fault?: Fault;
  openaiReasoningField: 'reasoning_content' | 'reasoning';
  emptyRoleChunk: boolean;
  tagUsage: boolean;
  quirks: WireQuirks;
  prefillTokensPerSec?: number;
  prefixCache?: { hitSavingMs: number; blockTokens: number };
  usageDialect: 'openai' | 'deepseek';
  processingMsHeader: boolean;
}

export function resolveSchedule(s: Schedule): ResolvedSchedule {
  const r: ResolvedSchedule = {
    ttftMs: s.ttftMs,
    tokensPerSecond: s.tokensPerSecond,
    tokensPerChunk: s.tokensPerChunk ?? 1,
    outputTokens: s.outputTokens,
    reasoningTokens: s.reasoningTokens ?? 0,
    reasoningVisible: s.reasoningVisible ?? true,
    includeUsage: s.includeUsage ?? true,
    inputTokens: s.inputTokens,
    cachedInputTokens: s.cachedInputTokens ?? 0,
    cacheWriteTokens: s.cacheWriteTokens ?? 0,
    requireKey: s.requireKey,
    fault: s.fault,
    openaiReasoningField: s.openaiReasoningField ?? 'reasoning_content',
    emptyRoleChunk: s.emptyRoleChunk ?? true,
    tagUsage: s.tagUsage ?? false,
    quirks: s.quirks ?? {},
    prefillTokensPerSec: s.prefillTokensPerSec,
    prefixCache: s.prefixCache
      ? { hitSavingMs: s.prefixCache.hitSavingMs, blockTokens: s.prefixCache.blockTokens ?? 64 }
      : undefined,
    usageDialect: s.usageDialect ?? 'openai',
    processingMsHeader: s.processingMsHeader ?? false,
  };
  const bad = (what: string) => new Error(`test server: invalid schedule: ${what}`);
  if (!(r.ttftMs >= 0)) throw bad('ttftMs must be >= 0');
  if (!(r.tokensPerSecond > 0)) throw bad('tokensPerSecond must be > 0');
  if (!Number.isInteger(r.tokensPerChunk) || r.tokensPerChunk < 1) throw bad('tokensPerChunk must be an integer >= 1');
  if (!Number.isInteger(r.outputTokens) || r.outputTokens < 0) throw bad('outputTokens must be an integer >= 0');
  if (!Number.isInteger(r.reasoningTokens) || r.reasoningTokens < 0)
    throw bad('reasoningTokens must be an integer >= 0');
  const load = r.quirks.ollama?.modelLoadMs;
  if (load !== undefined && !(load >= 0 && load <= r.ttftMs))
    throw bad('quirks.ollama.modelLoadMs must be between 0 and ttftMs (the load is part of the wait)');
  if (r.quirks.keepAlive && !(r.quirks.keepAlive.everyMs > 0)) throw bad('quirks.keepAlive.everyMs must be > 0');
  if (r.prefillTokensPerSec !== undefined && !(r.prefillTokensPerSec > 0)) throw bad('prefillTokensPerSec must be > 0');
  if (
    r.prefixCache &&
    !(r.prefixCache.hitSavingMs >= 0 && Number.isInteger(r.prefixCache.blockTokens) && r.prefixCache.blockTokens >= 1)
  )
    throw bad('prefixCache needs hitSavingMs >= 0 and an integer blockTokens >= 1');
  return r;
}

/** One chunk of generated tokens, all of one channel. */
export interface PlannedChunk {
  /** 0-based over all generated chunks, hidden ones included. */
  index: number;
  channel: Channel;
  /** Index of the chunk's first token within its channel (picks the words). */
  firstToken: number;
  tokens: number;
  /** False for hidden reasoning: generated at its slot, never sent. */
  visible: boolean;
  /** Send time, ms after the request was received. */
  atMs: number;
}

export interface ChunkPlan {
  chunks: PlannedChunk[];
  /** When the stop token is generated (one token slot after the last token): the finishing frames go out then. */
  endAtMs: number;
}

/**
 * Chunks never straddle the reasoning/answer boundary. A chunk whose first token has global index g
 * (over reasoning then answer) is sent at ttft + g·1000/tps, which is ttft + j·tokensPerChunk·1000/tps
 * for chunk j whenever the chunks before it are full.
 */
export function planChunks(s: ResolvedSchedule): ChunkPlan {
  const msPerToken = 1000 / s.tokensPerSecond;
  const chunks: PlannedChunk[] = [];
  let global = 0;
  const add = (channel: Channel, total: number, visible: boolean) => {
    for (let first = 0; first < total; first += s.tokensPerChunk) {
      const tokens = Math.min(s.tokensPerChunk, total - first);
      chunks.push({
        index: chunks.length,
        channel,
        firstToken: first,
        tokens,
        visible,
        atMs: s.ttftMs + global * msPerToken,
      });
      global += tokens;
    }
  };
  add('reasoning', s.reasoningTokens, s.reasoningVisible);
  add('answer', s.outputTokens, true);
  return { chunks, endAtMs: s.ttftMs + global * msPerToken };
}

/**
 * Common words with a leading space, each exactly one token in o200k and cl100k, and stable when
 * concatenated (checked in test/server.test.ts), so a tokenizer count of the streamed text equals the
 * token count.
 */
export const ANSWER_WORDS: readonly string[] = [
  ' the',
  ' of',
  ' and',
  ' to',
  ' in',
  ' is',
  ' that',
  ' it',
  ' for',
  ' on',
  ' with',
  ' as',
  ' was',
  ' at',
  ' by',
  ' be',
  ' this',
  ' from',
  ' or',
  ' an',
  ' are',
  ' not',
  ' have',
  ' but',
  ' all',
  ' they',
  ' one',
  ' his',
  ' her',
  ' can',
  ' we',
  ' so',
  ' there',
  ' more',
  ' will',
  ' about',
  ' up',
  ' out',
  ' what',
  ' time',
  ' when',
  ' which',
  ' their',
  ' into',
];
export const REASONING_WORDS: readonly string[] = [
  ' think',
  ' so',
  ' then',
  ' maybe',
  ' check',
  ' first',
  ' next',
  ' wait',
  ' consider',
  ' note',
  ' because',
  ' given',
  ' means',
  ' let',
  ' suppose',
  ' same',
  ' step',
  ' need',
  ' look',
  ' try',
  ' right',
  ' also',
  ' well',
  ' thus',
  ' hence',
];

/** Text of `count` tokens of a channel starting at token `first`. */
export function tokenText(channel: Channel, first: number, count: number): string {
  const words = channel === 'answer' ? ANSWER_WORDS : REASONING_WORDS;
  let out = '';
  for (let i = first; i < first + count; i++) out += words[i % words.length];
  return out;
}

/** Default input token count: ceil(chars/4) over every prompt string in the request body. */
export function estimateInputTokens(body: unknown): number {
  let chars = 0;
  const walk = (v: unknown, key: string | undefined): void => {
    if (typeof v === 'string') {
      if (key === 'content' || key === 'text' || key === 'system' || key === 'prompt') chars += v.length;
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, key);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, k);
    }
  };
  walk(body, undefined);
  return Math.max(1, Math.ceil(chars / 4));
}
