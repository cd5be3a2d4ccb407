/**
 * Derives a run's metrics from its timed trace. Definitions (docs/metrics.md):
 * TTFT is the first read carrying a non-empty token of any channel; TTFO the first answer token;
 * decode rate counts only tokens that arrived after the first token read, over the window between
 * the first and the last token read, so hidden reasoning in usage never inflates it.
 */
import { serverStatsFromEvents } from './advisor/serverStats';
import { redact } from './redact';
import { priceUsage } from './pricing';
import { MAX_USAGE_TOKENS } from './limits';
import { percentile } from './stats';
import type { ModelSpec, RunMetrics, StreamTrace, UsageReport } from './types';

/** Counts tokens in text with a given tokenizer. */
export type TokenCounter = (text: string) => number;

/** Usage this much above the tokenizer count of what arrived means tokens were generated unseen. */
const HIDDEN_TOKENS_RATIO = 1.25;
/** ...and by at least this many tokens, so a short answer's tokenizer mismatch is not taken for summarized thinking. */
const MIN_UNSEEN_TOKENS = 16;
/**
 * A server-reported model load above this is a cold start (Ollama reports a few ms of load_duration when the
 * model is already resident, seconds when it had to load it): the run's TTFT then includes the load.
 */
export const COLD_LOAD_MS = 500;

export interface MetricsContext {
  spec: ModelSpec;
  /** The model's own tokenizer: used when the provider reports no usage, and to split tokens over reads. */
  modelCounter?: { name: string; count: TokenCounter };
  /** The reference tokenizer (o200k) for the normalised rate. */
  referenceCounter?: TokenCounter;
  startedAt: string;
  warmup?: boolean;
  /** The key this run sent: a server that echoes it must not get it into the stored text. */
  apiKey?: string;
}

interface TokenRead {
  t: number;
  answer: string;
  reasoning: string;
}

export function mergeUsage(events: StreamTrace['events']): UsageReport | undefined {
  let usage: UsageReport | undefined;
  for (const { event } of events) {
    if (event.kind !== 'usage') continue;
    usage ??= {};
    for (const [k, v] of Object.entries(event.usage)) if (v !== undefined) (usage as Record<string, number>)[k] = v;
  }
  return usage;
}

/** How a run's note about a usage value it did not believe begins. */
export const INVALID_USAGE_NOTE = "the provider's usage reported";
/** A billed cost above this for one request is not believed (a broken or hostile server's 1e308). */
const MAX_REPORTED_COST_USD = 10_000;

/**
 * Usage with every count that is not a whole number from 0 to MAX_USAGE_TOKENS removed (a hostile or
 * broken server's -5, 2.5 or 1e308 would otherwise enter the medians), and what was removed, as
 * "outputTokens = -5". An output count of 0 when tokens did arrive is removed too, and so is a billed cost that
 * is negative, not finite or beyond belief.
 */
export function saneUsage(
  usage: UsageReport | undefined,
  tokensArrived: boolean,
): { usage: UsageReport | undefined; rejected: string[] } {
  if (!usage) return { usage, rejected: [] };
  const out: UsageReport = {};
  const rejected: string[] = [];
  for (const [k, v] of Object.entries(usage) as [keyof UsageReport, number | undefined][]) {
    if (v === undefined) continue;
    const sane =
      k === 'costUsd'
        ? Number.isFinite(v) && v >= 0 && v <= MAX_REPORTED_COST_USD // money, not a count
        : Number.isInteger(v) && v >= 0 && v <= MAX_USAGE_TOKENS && !(k === 'outputTokens' && v === 0 && tokensArrived);
    if (sane) out[k] = v;
    else rejected.push(`${k} = ${v}`);
  }
  return { usage: out, rejected };
}

export function computeRunMetrics(trace: StreamTrace, ctx: MetricsContext): RunMetrics {
  // Group token text by network read: a read is the unit of arrival.
  const reads: TokenRead[] = [];
  let serverEvalCount: number | undefined;
  let serverEvalMs: number | undefined;
  const server: Pick<RunMetrics, 'modelLoadMs' | 'serverQueueMs' | 'serverTtftMs' | 'servedBy'> = {};
  let lastRead = -1;
  for (const { t, read, event } of trace.events) {
    if (event.kind === 'token') {
      if (!event.text) continue; // a role-only or empty delta is not a token
      if (read !== lastRead) {
        reads.push({ t, answer: '', reasoning: '' });
        lastRead = read;
      }
      const r = reads[reads.length - 1];
      if (event.channel === 'answer') r.answer += event.text;
      else r.reasoning += event.text;
    } else if (event.kind === 'serverTiming') {
      serverEvalCount = event.evalCount ?? serverEvalCount;
      serverEvalMs = event.evalDurationMs ?? serverEvalMs;
      if (event.loadDurationMs !== undefined) server.modelLoadMs = event.loadDurationMs;
      if (event.queueMs !== undefined) server.serverQueueMs = event.queueMs;
      if (event.serverTtftMs !== undefined) server.serverTtftMs = event.serverTtftMs;
    } else if (event.kind === 'servedBy') server.servedBy = event.provider;
  }
  const checked = saneUsage(mergeUsage(trace.events), reads.length > 0);
  const usage = checked.usage;
  const answerText = reads.map((r) => r.answer).join('');
  const reasoningText = reads.map((r) => r.reasoning).join('');
  const reasoningVisible = reasoningText.length > 0;
  const at = (t: number) => t - trace.requestStart;

  const first = reads[0];
  const firstAnswer = reads.find((r) => r.answer.length > 0);
  const last = reads[reads.length - 1];
  const ttftMs = first ? at(first.t) : null;
  const ttfoMs = firstAnswer ? at(firstAnswer.t) : null;
  const e2eMs = last ? at(last.t) : null;
  const setupMs = trace.headersAt !== undefined ? at(trace.headersAt) : null;

  // Tokens that reached us: usage's output minus reasoning that was never streamed.
  const counter = ctx.modelCounter;
  const tokenizerCount = counter ? counter.count(reasoningText + answerText) : null;
  let streamedTokens: number | null;
  let tokenSource: RunMetrics['tokenSource'];
  const notes: string[] = [];
  if (checked.rejected.length)
    notes.push(
      `${INVALID_USAGE_NOTE} ${checked.rejected.join(', ')}, not a whole number from 0 to ${MAX_USAGE_TOKENS.toLocaleString('en-US')}; ` +
        (usage?.outputTokens === undefined && counter
          ? `output tokens were counted with ${counter.name} instead`
          : 'that value was ignored'),
    );
  let hiddenTokens: number | null = null;
  let thinkingSummarized = false;
  if (usage?.outputTokens !== undefined) {
    tokenSource = 'usage';
    if (!reasoningVisible && usage.reasoningTokens !== undefined) hiddenTokens = usage.reasoningTokens;
    else if (
      !reasoningVisible &&
      tokenizerCount !== null &&
      usage.outputTokens > tokenizerCount * HIDDEN_TOKENS_RATIO
    ) {
      // Usage has no reasoning breakdown (Anthropic, Ollama) yet counts far more than arrived:
      // the difference was generated unseen, so it must stay out of the streamed rate.
      hiddenTokens = usage.outputTokens - tokenizerCount;
      notes.push(
        `usage reports ${usage.outputTokens} output tokens but only about ${tokenizerCount} arrived in the stream; the ${hiddenTokens} unseen tokens (hidden reasoning, estimated with ${counter!.name}) are left out of the decode rate`,
      );
    }
    streamedTokens = Math.max(0, usage.outputTokens - (hiddenTokens ?? 0));
    if (
      reasoningVisible &&
      tokenizerCount !== null &&
      usage.outputTokens > tokenizerCount * HIDDEN_TOKENS_RATIO &&
      usage.outputTokens - tokenizerCount >= MIN_UNSEEN_TOKENS
    ) {
      // Thinking arrived, but as the provider's summary (Claude 4+, Gemini thought summaries): usage bills the
      // full thinking. The decode rate keeps what the model generated; arrivedTps (below) shows what came.
      thinkingSummarized = true;
      notes.push(
        `thinking summarized by provider: usage bills ${usage.outputTokens} output tokens but only about ${tokenizerCount} arrived as text (${counter!.name}); tok/s counts the generated tokens over the arrival window, "arrived" tok/s counts the text that came`,
      );
    }
  } else {
    tokenSource = 'tokenizer';
    streamedTokens = tokenizerCount ?? null;
  }

  // Share of tokens carried by each read: by tokenizer count where we have one, else by characters.
  const weigh = (r: TokenRead) => {
    const text = r.reasoning + r.answer;
    return counter ? Math.max(1, counter.count(text)) : Math.max(1, text.length);
  };
  const weights = reads.map(weigh);
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  const tokensPerChunk =
    streamedTokens !== null && totalWeight > 0 ? weights.map((w) => (w / totalWeight) * streamedTokens!) : [];

  const windowSec = first && last && reads.length > 1 ? (last.t - first.t) / 1000 : 0;
  const decodeTps = windowSec > 0 && tokensPerChunk.length ? (streamedTokens! - tokensPerChunk[0]) / windowSec : null;
  const allText = reasoningText + answerText;
  const firstText = first ? first.reasoning + first.answer : '';
  // Characters are Unicode code points, as in `tokenscope tokens` (UTF-16 length would count an emoji twice).
  const charsPerSec = windowSec > 0 ? (codePoints(allText) - codePoints(firstText)) / windowSec : null;
  const ref = ctx.referenceCounter;
  const normalizedTps = windowSec > 0 && ref ? (ref(allText) - ref(firstText)) / windowSec : null;
  const arrivedTps =
    thinkingSummarized && windowSec > 0 ? (tokenizerCount! - counter!.count(firstText)) / windowSec : null;
  if (server.modelLoadMs !== undefined && server.modelLoadMs >= COLD_LOAD_MS)
    notes.push(
      `cold model load: ${Math.round(server.modelLoadMs)} ms of this run's TTFT was the server loading the model into memory (server-reported load_duration), not the model answering`,
    );

  const interChunkMs: number[] = [];
  for (let i = 1; i < reads.length; i++) interChunkMs.push(reads[i].t - reads[i - 1].t);
  const gapsSorted = [...interChunkMs].sort((a, b) => a - b);

  const itlMs =
    ttftMs !== null && e2eMs !== null && streamedTokens !== null && streamedTokens > 1
      ? (e2eMs - ttftMs) / (streamedTokens - 1)
      : null;
  const inputTokens = usage?.inputTokens ?? null;
  const outputTokens = usage?.outputTokens ?? (tokenSource === 'tokenizer' ? streamedTokens : null);
  const cost = priceUsage(
    ctx.spec,
    {
      inputTokens,
      outputTokens,
      cachedInputTokens: usage?.cachedInputTokens ?? null,
      cacheWriteInputTokens: usage?.cacheWriteInputTokens ?? null,
    },
    ctx.startedAt,
  );
  if (cost.note && !cost.unpriced) notes.push(cost.note);

  return {
    ok: !trace.error,
    error: trace.error ? trace.error.message : null,
    errorKind: trace.error?.kind,
    warmup: ctx.warmup || undefined,
    startedAt: ctx.startedAt,
    setupMs,
    ttftMs,
    ttfoMs,
    decodeTps,
    e2eMs,
    itlMs,
    interChunkMs,
    tokensPerChunk,
    interChunkP50Ms: gapsSorted.length ? percentile(gapsSorted, 0.5) : null,
    interChunkP95Ms: gapsSorted.length ? percentile(gapsSorted, 0.95) : null,
    inputTokens,
    outputTokens,
    reasoningTokens: usage?.reasoningTokens ?? null,
    cachedInputTokens: usage?.cachedInputTokens ?? null,
    cacheWriteInputTokens: usage?.cacheWriteInputTokens ?? null,
    streamedTokens,
    hiddenTokens,
    tokenizerCount,
    notes,
    reasoningVisible,
    tokenSource,
    tokenizer: counter?.name,
    // What the provider billed, where its usage says (OpenRouter); else the price database or the config's price.
    costUsd: usage?.costUsd ?? cost.costUsd,
    ...(usage?.costUsd !== undefined
      ? { costReported: true, priceSource: { kind: 'provider' } as const }
      : cost.priceSource
        ? { priceSource: cost.priceSource }
        : {}),
    // Counted as they arrived (above), stored without the key.
    answerText: redact(answerText, ctx.apiKey),
    reasoningText: redact(reasoningText, ctx.apiKey),
    charsPerSec,
    normalizedTps,
    serverDecodeTps: serverEvalCount !== undefined && serverEvalMs ? serverEvalCount / (serverEvalMs / 1000) : null,
    chunks: reads.length,
    ...speculationStats(trace),
    ...(thinkingSummarized ? { thinkingSummarized, arrivedTps } : {}),
    ...server,
    ...(server.modelLoadMs !== undefined && server.modelLoadMs >= COLD_LOAD_MS ? { coldLoad: true } : {}),
    ...(trace.phases ? { phases: trace.phases, connectionReused: trace.connectionReused === true } : {}),
    ...(trace.serverProcessingMs !== undefined ? { serverProcessingMs: trace.serverProcessingMs } : {}),
  };
}

function speculationStats(trace: StreamTrace): Pick<RunMetrics, 'serverSpecStats'> {
  const stats = serverStatsFromEvents(trace.events.map((e) => e.event));
  return stats.length ? { serverSpecStats: stats } : {};
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
