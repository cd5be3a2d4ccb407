/**
 * Derives a run's metrics from its timed trace. Definitions follow shared/measurement.md:
 * TTFT is the first read carrying a non-empty token of any channel; TTFO the first answer token;
 * decode rate counts only tokens that arrived after the first token read, over the window between
 * the first and the last token read, so hidden reasoning in usage never inflates it.
 */
import { serverStatsFromEvents } from './advisor/serverStats';
import { percentile } from './stats';
import type { ModelSpec, RunMetrics, StreamTrace, UsageReport } from './types';

/** Counts tokens in text with a given tokenizer. */
export type TokenCounter = (text: string) => number;

/** Usage this much above the tokenizer count of what arrived means tokens were generated unseen. */
const HIDDEN_TOKENS_RATIO = 1.25;

export interface MetricsContext {
  spec: ModelSpec;
  /** The model's own tokenizer: used when the provider reports no usage, and to split tokens over reads. */
  modelCounter?: { name: string; count: TokenCounter };
  /** The reference tokenizer (o200k) for the normalised rate. */
  referenceCounter?: TokenCounter;
  startedAt: string;
  warmup?: boolean;
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

export function computeRunMetrics(trace: StreamTrace, ctx: MetricsContext): RunMetrics {
  // Group token text by network read: a read is the unit of arrival.
  const reads: TokenRead[] = [];
  let serverEvalCount: number | undefined;
  let serverEvalMs: number | undefined;
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
    }
  }
  const usage = mergeUsage(trace.events);
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
  let hiddenTokens: number | null = null;
  if (usage?.outputTokens !== undefined) {
    tokenSource = 'usage';
    if (!reasoningVisible && usage.reasoningTokens !== undefined) hiddenTokens = usage.reasoningTokens;
    else if (!reasoningVisible && tokenizerCount !== null && usage.outputTokens > tokenizerCount * HIDDEN_TOKENS_RATIO) {
      // Usage has no reasoning breakdown (Anthropic, Ollama) yet counts far more than arrived:
      // the difference was generated unseen, so it must stay out of the streamed rate.
      hiddenTokens = usage.outputTokens - tokenizerCount;
      notes.push(`usage reports ${usage.outputTokens} output tokens but only about ${tokenizerCount} arrived in the stream; the ${hiddenTokens} unseen tokens (hidden reasoning, estimated with ${counter!.name}) are left out of the decode rate`);
    }
    streamedTokens = Math.max(0, usage.outputTokens - (hiddenTokens ?? 0));
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
  const tokensPerChunk = streamedTokens !== null && totalWeight > 0 ? weights.map((w) => (w / totalWeight) * streamedTokens!) : [];

  const windowSec = first && last && reads.length > 1 ? (last.t - first.t) / 1000 : 0;
  const decodeTps = windowSec > 0 && tokensPerChunk.length ? (streamedTokens! - tokensPerChunk[0]) / windowSec : null;
  const allText = reasoningText + answerText;
  const firstText = first ? first.reasoning + first.answer : '';
  // Characters are Unicode code points, as in `tokenscope tokens` (UTF-16 length would count an emoji twice).
  const charsPerSec = windowSec > 0 ? (codePoints(allText) - codePoints(firstText)) / windowSec : null;
  const ref = ctx.referenceCounter;
  const normalizedTps = windowSec > 0 && ref ? (ref(allText) - ref(firstText)) / windowSec : null;

  const interChunkMs: number[] = [];
  for (let i = 1; i < reads.length; i++) interChunkMs.push(reads[i].t - reads[i - 1].t);
  const gapsSorted = [...interChunkMs].sort((a, b) => a - b);

  const itlMs = ttftMs !== null && e2eMs !== null && streamedTokens !== null && streamedTokens > 1 ? (e2eMs - ttftMs) / (streamedTokens - 1) : null;
  const inputTokens = usage?.inputTokens ?? null;
  const outputTokens = usage?.outputTokens ?? (tokenSource === 'tokenizer' ? streamedTokens : null);

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
    streamedTokens,
    hiddenTokens,
    tokenizerCount,
    notes,
    reasoningVisible,
    tokenSource,
    tokenizer: counter?.name,
    costUsd: runCost(ctx.spec, inputTokens, outputTokens, usage?.cachedInputTokens ?? 0),
    answerText,
    reasoningText,
    charsPerSec,
    normalizedTps,
    serverDecodeTps: serverEvalCount !== undefined && serverEvalMs ? serverEvalCount / (serverEvalMs / 1000) : null,
    chunks: reads.length,
    ...speculationStats(trace),
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

/** Cost in USD from token counts and the catalog's list price; null when either is unknown. */
export function runCost(spec: ModelSpec, inputTokens: number | null, outputTokens: number | null, cachedInputTokens = 0): number | null {
  const price = spec.price;
  if (!price || inputTokens === null || outputTokens === null) return null;
  const cached = Math.min(cachedInputTokens, inputTokens);
  const cachedPrice = price.cachedInputPerM ?? price.inputPerM;
  return ((inputTokens - cached) * price.inputPerM + cached * cachedPrice + outputTokens * price.outputPerM) / 1e6;
}
