/**
 * The four wire formats: stream framing, usage, non-streaming bodies and error shapes, as the real
 * services send them (OpenAI Chat Completions + DeepSeek reasoning_content, Anthropic Messages,
 * Ollama /api/chat, Gemini streamGenerateContent?alt=sse). No timing here: streamServer decides when.
 */
import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Channel, ProtocolId } from '../../src/core/types';
import type { ResolvedSchedule } from './schedule';

/** Token counts a response reports. */
export interface Usage {
  inputTokens: number;
  cachedInputTokens: number;
  /** Part of inputTokens: written to the prompt cache (reported only by Anthropic). */
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Answer tokens only. */
  answerTokens: number;
}

/** Server-side clock readings (performance.now() ms) that Ollama reports as durations. */
export interface ServerTimes {
  receivedAt: number;
  /** When processing began (Ollama's load_duration ends here). */
  startedAt: number;
  /** When the first token was generated (sent or not). */
  firstGeneratedAt: number;
  now: number;
}

export interface StreamContext {
  protocol: ProtocolId;
  model: string;
  schedule: ResolvedSchedule;
  usage: Usage;
  /** Whether the response carries usage (openai-chat: include_usage was asked and the schedule allows it). */
  withUsage: boolean;
  requestId: string;
  createdSec: number;
}

/** Encodes one response's frames. Stateful: tracks the open content block and running counts. */
export interface StreamEncoder {
  contentType: string;
  /** Frames sent right after the headers, before any token (each its own write). */
  open(): string[];
  /** One content chunk, with any block-boundary framing that must precede it, as one write. */
  content(channel: Channel, text: string, tokens: number): string;
  /** Frames after the stop token: finish reason, usage, terminator (each its own write). */
  close(times: ServerTimes): string[];
  /** An error event inside the stream, in the protocol's own shape. */
  streamError(): string;
  /** A frame whose payload is not valid JSON. */
  malformed(): string;
}

const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
const sseEvent = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
/** Gemini's SSE frames end in CRLF CRLF, not LF LF. */
const sseCrlf = (data: unknown) => `data: ${JSON.stringify(data)}\r\n\r\n`;
const ns = (ms: number) => Math.max(0, Math.round(ms * 1e6));

/** Go RFC3339Nano-style timestamp, as Ollama writes created_at. */
export function rfc3339Nano(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const frac = Math.round((epochMs - whole) * 1e6)
    .toString()
    .padStart(6, '0')
    .slice(0, 6);
  return new Date(whole).toISOString().replace('Z', `${frac}Z`);
}

// ---------------------------------------------------------------- OpenAI Chat Completions

function openaiUsage(u: Usage, dialect: ResolvedSchedule['usageDialect'] = 'openai') {
  const completion = u.answerTokens + u.reasoningTokens;
  // DeepSeek's documented usage splits the prompt into cache hits and misses at the top level.
  const prompt =
    dialect === 'deepseek'
      ? { prompt_cache_hit_tokens: u.cachedInputTokens, prompt_cache_miss_tokens: u.inputTokens - u.cachedInputTokens }
      : { prompt_tokens_details: { cached_tokens: u.cachedInputTokens } };
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: completion,
    total_tokens: u.inputTokens + completion,
    ...prompt,
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
  };
}

/**
 * Reasoning written into the answer text between tags, as MiniMax (without reasoning_split) and local servers
 * without a reasoning parser send it: "<think>\n" opens the first reasoning chunk, "\n</think>\n\n" opens the
 * first answer chunk. With splitCloseTag the closing tag is cut in two: "\n</thi" ends the last reasoning chunk
 * and "nk>\n\n" opens the first answer chunk.
 */
class InlineThinking {
  private reasoningSent = 0;
  private closed = false;
  constructor(private ctx: StreamContext) {}

  text(channel: Channel, text: string, tokens: number): string {
    const { tag, splitCloseTag, prefilled } = this.ctx.schedule.quirks.inlineThinking!;
    const close = `</${tag}>`;
    const cut = 5; // "</thi" | "nk>", "</mm:" | "think>"
    if (channel === 'reasoning') {
      const out = (this.reasoningSent === 0 && !prefilled ? `<${tag}>\n` : '') + text;
      this.reasoningSent += tokens;
      const last = this.reasoningSent >= this.ctx.schedule.reasoningTokens;
      return last && splitCloseTag ? `${out}\n${close.slice(0, cut)}` : out;
    }
    if (this.reasoningSent === 0 || this.closed) return text;
    this.closed = true;
    return `${splitCloseTag ? close.slice(cut) : `\n${close}`}\n\n${text}`;
  }
}

/** A short random-looking string, like OpenAI's `obfuscation` padding (its length varies with the content). */
function padding(seed: string): string {
  return createHash('sha256')
    .update(seed)
    .digest('base64url')
    .slice(0, 4 + (seed.length % 12));
}

/** Stands in for a chunk's text in a frame template (no token text contains NUL). */
const TEXT_MARKER = '\u0000text\u0000';

class OpenAIEncoder implements StreamEncoder {
  contentType = 'text/event-stream; charset=utf-8';
  private sentRole = false;
  private inline: InlineThinking | undefined;
  private framed = new Map<Channel, string[]>();
  constructor(private ctx: StreamContext) {
    if (ctx.schedule.quirks.inlineThinking) this.inline = new InlineThinking(ctx);
  }

  private chunk(choices: unknown[], extra: Record<string, unknown> = {}) {
    const q = this.ctx.schedule.quirks;
    const c: Record<string, unknown> = {
      id: q.openRouter ? `gen-${this.ctx.requestId}` : `chatcmpl-${this.ctx.requestId}`,
      ...(q.openRouter ? { provider: q.openRouter.provider } : {}),
      object: 'chat.completion.chunk',
      created: this.ctx.createdSec,
      model: this.ctx.model,
      system_fingerprint: 'fp_tokenscope',
      choices,
      ...extra,
    };
    // With include_usage, every chunk but the last carries "usage": null.
    if (this.ctx.withUsage && !('usage' in c)) c.usage = null;
    if (q.obfuscation) c.obfuscation = padding(JSON.stringify(choices));
    return sse(c);
  }

  /** The delta fields that carry reasoning text (or null them on an answer chunk), per dialect. */
  private reasoningFields(text: string | null): Record<string, unknown> {
    const q = this.ctx.schedule.quirks;
    if (q.openRouter)
      return {
        reasoning: text,
        reasoning_details: text === null ? [] : [{ type: 'reasoning.text', text, format: 'unknown', index: 0 }],
      };
    if (q.reasoningDetails)
      return text === null
        ? {}
        : {
            reasoning_details: [
              { type: 'reasoning.text', id: 'reasoning-text-1', format: 'MiniMax-response-v1', index: 0, text },
            ],
          };
    return { [this.ctx.schedule.openaiReasoningField]: text };
  }

  open(): string[] {
    if (!this.ctx.schedule.emptyRoleChunk) return [];
    this.sentRole = true;
    return [
      this.chunk([
        { index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null },
      ]),
    ];
  }

  content(channel: Channel, text: string, tokens: number): string {
    // Once the role has gone out, a channel's frames differ only in their text: built once around a marker and
    // filled in after, so that a server streaming 256 × 1,000 chunks/s spends its CPU on sending, not on JSON.
    if (this.sentRole && !this.inline && !this.ctx.schedule.quirks.obfuscation) {
      let parts = this.framed.get(channel);
      if (!parts) {
        parts = this.buildContent(channel, TEXT_MARKER, tokens).split(JSON.stringify(TEXT_MARKER));
        this.framed.set(channel, parts);
      }
      return parts.join(JSON.stringify(text));
    }
    return this.buildContent(channel, text, tokens);
  }

  private buildContent(channel: Channel, text: string, tokens: number): string {
    const hasVisibleReasoning = this.ctx.schedule.reasoningVisible && this.ctx.schedule.reasoningTokens > 0;
    const delta: Record<string, unknown> = {};
    if (!this.sentRole) {
      delta.role = 'assistant';
      this.sentRole = true;
    }
    if (this.inline) delta.content = this.inline.text(channel, text, tokens);
    // DeepSeek style: the other channel's field is present and null.
    else if (channel === 'reasoning') Object.assign(delta, { content: null, ...this.reasoningFields(text) });
    else
      Object.assign(
        delta,
        hasVisibleReasoning || this.ctx.schedule.quirks.openRouter
          ? { content: text, ...this.reasoningFields(null) }
          : { content: text },
      );
    return this.chunk([{ index: 0, delta, logprobs: null, finish_reason: null }]);
  }

  close(times: ServerTimes): string[] {
    const q = this.ctx.schedule.quirks;
    const u = this.ctx.usage;
    const generated = u.answerTokens + u.reasoningTokens;
    const decodeMs = times.now - times.firstGeneratedAt;
    // llama.cpp puts its timings (with draft counts when speculating) on the final chunk.
    const timings = q.llamacppDraft
      ? {
          timings: {
            cache_n: u.cachedInputTokens,
            prompt_n: u.inputTokens - u.cachedInputTokens,
            prompt_ms: times.firstGeneratedAt - times.startedAt,
            prompt_per_token_ms: (times.firstGeneratedAt - times.startedAt) / Math.max(1, u.inputTokens),
            prompt_per_second: u.inputTokens / Math.max(1e-3, (times.firstGeneratedAt - times.startedAt) / 1000),
            predicted_n: generated,
            predicted_ms: decodeMs,
            predicted_per_token_ms: decodeMs / Math.max(1, generated),
            predicted_per_second: generated / Math.max(1e-3, decodeMs / 1000),
            draft_n: q.llamacppDraft.draftTokens,
            draft_n_accepted: q.llamacppDraft.accepted,
          },
        }
      : {};
    const out = [this.chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], timings)];
    if (this.ctx.withUsage) {
      const usage: Record<string, unknown> = openaiUsage(u, this.ctx.schedule.usageDialect);
      if (q.openRouter)
        Object.assign(usage, {
          cost: q.openRouter.costUsd,
          is_byok: false,
          cost_details: { upstream_inference_cost: null },
        });
      out.push(
        this.chunk([], { usage, ...(q.vllmMetrics ? { metrics: vllmMetrics(q.vllmMetrics, times, generated) } : {}) }),
      );
    }
    out.push('data: [DONE]\n\n');
    return out;
  }

  streamError(): string {
    if (this.ctx.schedule.quirks.bareErrorEvent)
      return sseEvent('error', {
        type: 'server_error',
        message: 'The server had an error while processing your request. Sorry about that!',
      });
    return sse({
      error: {
        message: 'The server had an error while processing your request. Sorry about that!',
        type: 'server_error',
        param: null,
        code: null,
      },
    });
  }

  malformed(): string {
    return `data: {"id":"chatcmpl-${this.ctx.requestId}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":\n\n`;
  }
}

/** vLLM's per-request `metrics` (docs.vllm.ai/en/latest/features/per_request_metrics, read 2026-12-03). */
function vllmMetrics(m: NonNullable<ResolvedSchedule['quirks']['vllmMetrics']>, t: ServerTimes, generated: number) {
  const scheduledAt = t.receivedAt + m.queueTimeMs;
  const generationMs = t.now - t.firstGeneratedAt;
  const spec = m.spec && {
    speculative_decoding: {
      mean_acceptance_length: 1 + m.spec.acceptedTokens / m.spec.steps,
      draft_acceptance_rate: m.spec.acceptedTokens / m.spec.draftTokens,
      num_spec_steps: m.spec.steps,
      num_accepted_draft_tokens: m.spec.acceptedTokens,
      num_draft_tokens: m.spec.draftTokens,
      num_spec_tokens: m.spec.numSpecTokens,
    },
  };
  return {
    time_to_first_token_ms: t.firstGeneratedAt - scheduledAt,
    generation_time_ms: generationMs,
    queue_time_ms: m.queueTimeMs,
    mean_itl_ms: generated > 1 ? generationMs / (generated - 1) : null,
    tokens_per_second: generated / ((t.now - scheduledAt) / 1000),
    ...spec,
  };
}

// ---------------------------------------------------------------- Anthropic Messages

function anthropicUsage(u: Usage) {
  // Anthropic's input_tokens excludes cache reads and writes; they are reported apart.
  return {
    input_tokens: u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens,
    cache_creation_input_tokens: u.cacheWriteTokens,
    cache_read_input_tokens: u.cachedInputTokens,
  };
}

/** Opaque stand-in for the thinking block's signature (real ones are long base64 strings). */
const SIGNATURE = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxaDlN0+7sQoPOt0LMiMDnPtb0G1rZ3aG9rZW5zY29wZS10ZXN0LXNlcnZlcg==';

class AnthropicEncoder implements StreamEncoder {
  contentType = 'text/event-stream; charset=utf-8';
  private block: { index: number; channel: Channel } | undefined;
  private nextIndex = 0;
  constructor(private ctx: StreamContext) {}

  open(): string[] {
    const usage = this.ctx.withUsage ? { usage: { ...anthropicUsage(this.ctx.usage), output_tokens: 1 } } : {};
    return [
      sseEvent('message_start', {
        type: 'message_start',
        message: {
          id: `msg_${this.ctx.requestId}`,
          type: 'message',
          role: 'assistant',
          model: this.ctx.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          ...usage,
        },
      }),
      sseEvent('ping', { type: 'ping' }),
    ];
  }

  private closeBlock(): string {
    if (!this.block) return '';
    const { index, channel } = this.block;
    this.block = undefined;
    const sig =
      channel === 'reasoning'
        ? sseEvent('content_block_delta', {
            type: 'content_block_delta',
            index,
            delta: { type: 'signature_delta', signature: SIGNATURE },
          })
        : '';
    return sig + sseEvent('content_block_stop', { type: 'content_block_stop', index });
  }

  content(channel: Channel, text: string): string {
    let prefix = '';
    if (this.block?.channel !== channel) {
      prefix = this.closeBlock();
      const index = this.nextIndex++;
      this.block = { index, channel };
      const content_block =
        channel === 'reasoning' ? { type: 'thinking', thinking: '', signature: '' } : { type: 'text', text: '' };
      prefix += sseEvent('content_block_start', { type: 'content_block_start', index, content_block });
    }
    const delta = channel === 'reasoning' ? { type: 'thinking_delta', thinking: text } : { type: 'text_delta', text };
    return prefix + sseEvent('content_block_delta', { type: 'content_block_delta', index: this.block!.index, delta });
  }

  close(): string[] {
    const out: string[] = [];
    const stop = this.closeBlock();
    if (stop) out.push(stop);
    // output_tokens in message_delta is cumulative and includes thinking tokens, hidden or not.
    const usage = this.ctx.withUsage
      ? { usage: { output_tokens: this.ctx.usage.answerTokens + this.ctx.usage.reasoningTokens } }
      : {};
    out.push(
      sseEvent('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        ...usage,
      }),
    );
    out.push(sseEvent('message_stop', { type: 'message_stop' }));
    return out;
  }

  streamError(): string {
    if (this.ctx.schedule.quirks.bareErrorEvent)
      return sseEvent('error', { type: 'overloaded_error', message: 'Overloaded' });
    return sseEvent('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  }

  malformed(): string {
    return 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":\n\n';
  }
}

// ---------------------------------------------------------------- Ollama /api/chat (NDJSON)

function ollamaStats(ctx: StreamContext, t: ServerTimes) {
  if (!ctx.withUsage) return {};
  // As Ollama's runner measures: prompt eval ends when the first token is sampled; eval runs from then to the end.
  return {
    total_duration: ns(t.now - t.receivedAt),
    load_duration: ns(t.startedAt - t.receivedAt),
    prompt_eval_count: ctx.usage.inputTokens,
    ...(ctx.schedule.quirks.ollama?.promptCachedTokens !== undefined
      ? { prompt_eval_cached_count: ctx.schedule.quirks.ollama.promptCachedTokens }
      : {}),
    prompt_eval_duration: ns(t.firstGeneratedAt - t.startedAt),
    eval_count: ctx.usage.answerTokens + ctx.usage.reasoningTokens,
    eval_duration: ns(t.now - t.firstGeneratedAt),
  };
}

const epochNow = () => performance.timeOrigin + performance.now();

class OllamaEncoder implements StreamEncoder {
  contentType = 'application/x-ndjson';
  private inline: InlineThinking | undefined;
  constructor(private ctx: StreamContext) {
    if (ctx.schedule.quirks.inlineThinking) this.inline = new InlineThinking(ctx);
  }

  private line(message: Record<string, unknown>, rest: Record<string, unknown>) {
    return (
      JSON.stringify({
        model: this.ctx.model,
        created_at: rfc3339Nano(epochNow()),
        message: { role: 'assistant', content: '', ...message },
        ...rest,
      }) + '\n'
    );
  }

  open(): string[] {
    return [];
  }

  content(channel: Channel, text: string, tokens: number): string {
    if (this.inline) return this.line({ content: this.inline.text(channel, text, tokens) }, { done: false });
    return this.line(channel === 'reasoning' ? { thinking: text } : { content: text }, { done: false });
  }

  close(times: ServerTimes): string[] {
    return [this.line({}, { done_reason: 'stop', done: true, ...ollamaStats(this.ctx, times) })];
  }

  streamError(): string {
    return JSON.stringify({ error: 'an error was encountered while running the model: unexpected EOF' }) + '\n';
  }

  malformed(): string {
    return `{"model":${JSON.stringify(this.ctx.model)},"message":{"role":"assistant","content":\n`;
  }
}

// ---------------------------------------------------------------- Gemini streamGenerateContent?alt=sse

function geminiUsage(ctx: StreamContext, answer: number, thoughts: number) {
  const u = ctx.usage;
  return {
    promptTokenCount: u.inputTokens,
    candidatesTokenCount: answer,
    totalTokenCount: u.inputTokens + answer + thoughts,
    ...(u.cachedInputTokens > 0 ? { cachedContentTokenCount: u.cachedInputTokens } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: u.inputTokens }],
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
  };
}

class GeminiEncoder implements StreamEncoder {
  contentType = 'text/event-stream';
  private answer = 0;
  private thoughts = 0;
  constructor(private ctx: StreamContext) {}

  private frame(parts: unknown[], finishReason?: string) {
    const candidate: Record<string, unknown> = { content: { parts, role: 'model' } };
    if (finishReason) candidate.finishReason = finishReason;
    candidate.index = 0;
    const usage = this.ctx.withUsage ? { usageMetadata: geminiUsage(this.ctx, this.answer, this.thoughts) } : {};
    return sseCrlf({ candidates: [candidate], ...usage, modelVersion: this.ctx.model, responseId: this.ctx.requestId });
  }

  /** Hidden thinking is still counted as it is generated (thoughtsTokenCount runs ahead of the text). */
  countHidden(tokens: number) {
    this.thoughts += tokens;
  }

  open(): string[] {
    return [];
  }

  content(channel: Channel, text: string, tokens: number): string {
    if (channel === 'reasoning') this.thoughts += tokens;
    else this.answer += tokens;
    return this.frame([channel === 'reasoning' ? { text, thought: true } : { text }]);
  }

  close(): string[] {
    this.answer = this.ctx.usage.answerTokens;
    this.thoughts = this.ctx.usage.reasoningTokens;
    return [this.frame([{ text: '' }], 'STOP')];
  }

  streamError(): string {
    return sseCrlf({
      error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' },
    });
  }

  malformed(): string {
    return 'data: {"candidates":[{"content":{"parts":[{"text":\r\n\r\n';
  }
}

export function createEncoder(ctx: StreamContext): StreamEncoder & { countHidden?(tokens: number): void } {
  switch (ctx.protocol) {
    case 'openai-chat':
      return new OpenAIEncoder(ctx);
    case 'anthropic':
      return new AnthropicEncoder(ctx);
    case 'ollama':
      return new OllamaEncoder(ctx);
    case 'gemini':
      return new GeminiEncoder(ctx);
  }
}

// ---------------------------------------------------------------- non-streaming bodies

export function wholeBody(ctx: StreamContext, reasoning: string, answer: string, times: ServerTimes): unknown {
  const u = ctx.usage;
  const visibleReasoning = ctx.schedule.reasoningVisible && reasoning.length > 0;
  switch (ctx.protocol) {
    case 'openai-chat':
      return {
        id: `chatcmpl-${ctx.requestId}`,
        object: 'chat.completion',
        created: ctx.createdSec,
        model: ctx.model,
        system_fingerprint: 'fp_tokenscope',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: answer,
              ...(visibleReasoning ? { [ctx.schedule.openaiReasoningField]: reasoning } : {}),
              refusal: null,
            },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        ...(ctx.schedule.includeUsage ? { usage: openaiUsage(u, ctx.schedule.usageDialect) } : {}),
      };
    case 'anthropic':
      return {
        id: `msg_${ctx.requestId}`,
        type: 'message',
        role: 'assistant',
        model: ctx.model,
        content: [
          ...(visibleReasoning ? [{ type: 'thinking', thinking: reasoning, signature: SIGNATURE }] : []),
          { type: 'text', text: answer },
        ],
        stop_reason: 'end_turn',
        stop_sequence: null,
        ...(ctx.withUsage
          ? { usage: { ...anthropicUsage(u), output_tokens: u.answerTokens + u.reasoningTokens } }
          : {}),
      };
    case 'ollama':
      return {
        model: ctx.model,
        created_at: rfc3339Nano(epochNow()),
        message: { role: 'assistant', content: answer, ...(visibleReasoning ? { thinking: reasoning } : {}) },
        done_reason: 'stop',
        done: true,
        ...ollamaStats(ctx, times),
      };
    case 'gemini':
      return {
        candidates: [
          {
            content: {
              parts: [...(visibleReasoning ? [{ text: reasoning, thought: true }] : []), { text: answer }],
              role: 'model',
            },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        ...(ctx.withUsage ? { usageMetadata: geminiUsage(ctx, u.answerTokens, u.reasoningTokens) } : {}),
        modelVersion: ctx.model,
        responseId: ctx.requestId,
      };
  }
}

// ---------------------------------------------------------------- errors

export interface ErrorResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};
const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};
const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Invalid request.',
  401: 'Invalid authentication.',
  402: 'Insufficient Balance',
  403: 'Permission denied.',
  404: 'Not found.',
  429: 'Rate limit reached for requests. Please try again later.',
  500: 'Internal server error.',
  502: 'Bad gateway.',
  503: 'The server is overloaded or not ready yet.',
  529: 'Overloaded',
};

/**
 * Error bodies of specific providers, byte for byte as documented (each read 2026-12-03). Used with a
 * `{ kind: 'status', status, body }` fault.
 */
export const PROVIDER_ERRORS = {
  /** Kimi: no balance left, 429 (platform.moonshot.ai/docs/api/errors). */
  kimiNoBalance: {
    status: 429,
    body: JSON.stringify({
      error: {
        message: 'Your account org-tokenscope<ak-tokenscope> is suspended, please check your plan and billing details',
        type: 'exceeded_current_quota_error',
      },
    }),
  },
  /** Kimi: busy engine, 429, retryable. */
  kimiOverloaded: {
    status: 429,
    body: JSON.stringify({
      error: { message: 'The engine is currently overloaded, please try again later', type: 'engine_overloaded_error' },
    }),
  },
  /** Kimi: request rate limit, 429, retryable. */
  kimiRateLimit: {
    status: 429,
    body: JSON.stringify({
      error: {
        message:
          'Your account org-tokenscope<ak-tokenscope> request reached max request: 3, please try again after 1 seconds',
        type: 'rate_limit_reached_error',
      },
    }),
  },
  /** Z.ai / Zhipu: account in arrears, 429 with business code 1113 (docs.z.ai/api-reference/api-code). */
  zaiArrears: {
    status: 429,
    body: JSON.stringify({ error: { code: '1113', message: '余额不足或无可用资源包,请充值。' } }),
  },
  /** OpenAI: quota exhausted, 429 insufficient_quota (platform.openai.com/docs/guides/error-codes). */
  openaiQuota: {
    status: 429,
    body: JSON.stringify({
      error: {
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    }),
  },
  /** DeepSeek: no balance, 402 (api-docs.deepseek.com/quick_start/error_codes). */
  deepseekNoBalance: {
    status: 402,
    body: JSON.stringify({
      error: { message: 'Insufficient Balance', type: 'unknown_error', param: null, code: 'invalid_request_error' },
    }),
  },
  /** DeepSeek: server overloaded, 503, retryable. */
  deepseekOverloaded: {
    status: 503,
    body: JSON.stringify({
      error: {
        message: 'Server overloaded, please try again later.',
        type: 'unknown_error',
        param: null,
        code: 'invalid_request_error',
      },
    }),
  },
  /** Gemini: model overloaded, 503 UNAVAILABLE, retryable (ai.google.dev/gemini-api/docs/troubleshooting). */
  geminiUnavailable: {
    status: 503,
    body: JSON.stringify({
      error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' },
    }),
  },
  /**
   * Gemini: a per-minute limit, 429 RESOURCE_EXHAUSTED whose words say "quota" and whose wait is only in the body's
   * RetryInfo (no retry-after header); it clears, so it is retried.
   */
  geminiRateLimit: {
    status: 429,
    body: JSON.stringify({
      error: {
        code: 429,
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [
              {
                quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
                quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
              },
            ],
          },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' },
        ],
      },
    }),
  },
  /** Anthropic: 529 overloaded_error, retryable (docs.anthropic.com/en/api/errors). */
  anthropicOverloaded: {
    status: 529,
    body: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
  },
} as const;

/** An error response in the protocol's real shape. `code` fills OpenAI's error.code / Google's ErrorInfo reason. */
export function errorResponse(
  protocol: ProtocolId,
  status: number,
  opts: { message?: string; code?: string | null; retryAfterSec?: number; requestId?: string } = {},
): ErrorResponse {
  const message = opts.message ?? DEFAULT_MESSAGES[status] ?? `Error ${status}.`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.retryAfterSec !== undefined) headers['retry-after'] = String(opts.retryAfterSec);
  let body: unknown;
  switch (protocol) {
    case 'openai-chat': {
      const type = status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error';
      const code = opts.code !== undefined ? opts.code : status === 429 ? 'rate_limit_exceeded' : null;
      body = { error: { message, type, param: null, code } };
      break;
    }
    case 'anthropic':
      if (opts.requestId) headers['request-id'] = `req_${opts.requestId}`;
      body = {
        type: 'error',
        error: { type: ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), message },
        ...(opts.requestId ? { request_id: `req_${opts.requestId}` } : {}),
      };
      break;
    case 'ollama':
      body = { error: message };
      break;
    case 'gemini': {
      const details: unknown[] = [];
      if (opts.code)
        details.push({
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: opts.code,
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        });
      if (opts.retryAfterSec !== undefined)
        details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${opts.retryAfterSec}s` });
      body = {
        error: {
          code: status,
          message,
          status: GOOGLE_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'UNKNOWN'),
          ...(details.length ? { details } : {}),
        },
      };
      break;
    }
  }
  return { status, body: JSON.stringify(body), headers };
}

/** The model is not configured: each service's real 404. */
export function unknownModel(protocol: ProtocolId, model: string, requestId: string): ErrorResponse {
  switch (protocol) {
    case 'openai-chat':
      return errorResponse(protocol, 404, {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        code: 'model_not_found',
      });
    case 'anthropic':
      return errorResponse(protocol, 404, { message: `model: ${model}`, requestId });
    case 'ollama':
      return errorResponse(protocol, 404, { message: `model '${model}' not found` });
    case 'gemini':
      return errorResponse(protocol, 404, {
        message: `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      });
  }
}

/**
 * A missing or wrong key, as each service answers it. Gemini differs from the rest: a wrong key is a
 * 400 INVALID_ARGUMENT (reason API_KEY_INVALID) and a missing key a 403 PERMISSION_DENIED, never a 401.
 */
export function authError(protocol: ProtocolId, present: boolean, requestId: string): ErrorResponse {
  switch (protocol) {
    case 'openai-chat':
      return present
        ? errorResponse(protocol, 401, {
            message:
              'Incorrect API key provided: sk-****. You can find your API key at https://platform.openai.com/account/api-keys.',
            code: 'invalid_api_key',
          })
        : errorResponse(protocol, 401, {
            message:
              "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            code: null,
          });
    case 'anthropic':
      return errorResponse(protocol, 401, {
        message: present ? 'invalid x-api-key' : 'x-api-key header is required',
        requestId,
      });
    case 'ollama':
      return errorResponse(protocol, 401, { message: 'unauthorized' });
    case 'gemini':
      return present
        ? errorResponse(protocol, 400, {
            message: 'API key not valid. Please pass a valid API key.',
            code: 'API_KEY_INVALID',
          })
        : errorResponse(protocol, 403, {
            message:
              "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
          });
  }
}

export function htmlPage(status: number): string {
  if (status === 200) {
    return '<!DOCTYPE html>\n<html><head><title>Sign in to continue</title></head><body><h1>Network login required</h1><p>Please sign in to access the internet.</p></body></html>\n';
  }
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}
