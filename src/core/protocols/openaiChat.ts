/**
 * OpenAI Chat Completions streaming (SSE). Also spoken by DeepSeek, Qwen (DashScope compatible mode),
 * Kimi, GLM, MiniMax, vLLM, SGLang, llama.cpp server, LM Studio and Ollama's /v1.
 * Dialect differences handled here: reasoning in `delta.reasoning_content` (DeepSeek, Qwen, Kimi, GLM)
 * or `delta.reasoning` (vLLM, OpenRouter); cached tokens in `prompt_tokens_details.cached_tokens` or
 * DeepSeek's `prompt_cache_hit_tokens`; llama.cpp's `timings` with draft statistics; MiniMax's inline
 * `<think>` (see inlineThinking.ts) and `reasoning_details`; OpenRouter's `usage.cost` and `provider`; vLLM's
 * per-request `metrics`; SGLang's `meta_info`. SSE comments (DeepSeek's `: keep-alive` while queued,
 * OpenRouter's `: OPENROUTER PROCESSING`) never reach the decoder: the framer drops them, so they are never
 * tokens and never TTFT, though their bytes still reset the stall timer. OpenAI's `obfuscation` padding field
 * on deltas is ignored the same way.
 */
import type { StreamEvent, UsageReport } from '../types';
import { errorEvent, joinUrl, jsonErrorMessage, jsonHeaders, num, obj, type WireProtocol } from './protocol';

export const openaiChat: WireProtocol = {
  id: 'openai-chat',
  framing: 'sse',
  inlineThinking: true,
  buildRequest(spec, prompt, opts) {
    const maxField = spec.maxTokensField ?? 'max_tokens';
    const body: Record<string, unknown> = {
      model: spec.model,
      messages: [{ role: 'user', content: prompt }],
      stream: true,
      // Without this most servers send no usage at all in a stream.
      stream_options: { include_usage: true },
      [maxField]: opts.maxTokens,
      ...spec.extraBody,
    };
    return {
      url: joinUrl(spec.baseUrl, 'chat/completions'),
      headers: jsonHeaders({ ...spec.headers, authorization: opts.apiKey ? `Bearer ${opts.apiKey}` : undefined }),
      body: JSON.stringify(body),
    };
  },
  decode(payload, eventName) {
    // An error the server marks with `event: error`, whatever its payload (OpenAI may send one with no `error` key).
    if (eventName === 'error') return [errorEvent(payload)];
    if (payload.trim() === '[DONE]') return [{ kind: 'done' }];
    const data = obj(JSON.parse(payload));
    if (!data) return [];
    if (data.error !== undefined) return [errorEvent(payload)];
    const events: StreamEvent[] = [];
    const choices = Array.isArray(data.choices) ? data.choices : [];
    for (const choice of choices) {
      const delta = obj(obj(choice)?.delta);
      if (!delta) continue;
      const reasoning = reasoningText(delta);
      if (reasoning) events.push({ kind: 'token', channel: 'reasoning', text: reasoning });
      if (typeof delta.content === 'string' && delta.content.length > 0)
        events.push({ kind: 'token', channel: 'answer', text: delta.content });
    }
    const usage = obj(data.usage);
    if (usage) {
      events.push({ kind: 'usage', usage: openaiUsage(usage) });
      // OpenRouter names the upstream provider on every chunk; once, from the usage chunk, is enough.
      if (typeof data.provider === 'string' && data.provider)
        events.push({ kind: 'servedBy', provider: data.provider });
    }
    const timings = obj(data.timings);
    if (timings) {
      events.push({
        kind: 'serverTiming',
        evalCount: num(timings.predicted_n),
        evalDurationMs: num(timings.predicted_ms),
        promptEvalCount: num(timings.prompt_n),
        promptEvalDurationMs: num(timings.prompt_ms),
        draftTokens: num(timings.draft_n),
        draftAccepted: num(timings.draft_n_accepted),
      });
    }
    events.push(...vllmMetrics(obj(data.metrics)), ...sglangMetaInfo(obj(data.meta_info)));
    return events;
  },
  errorMessage: jsonErrorMessage,
};

function openaiUsage(u: Record<string, unknown>): UsageReport {
  const completion = obj(u.completion_tokens_details);
  const prompt = obj(u.prompt_tokens_details);
  return {
    inputTokens: num(u.prompt_tokens),
    outputTokens: num(u.completion_tokens),
    reasoningTokens: num(completion?.reasoning_tokens),
    cachedInputTokens: num(prompt?.cached_tokens) ?? num(u.prompt_cache_hit_tokens),
    acceptedPredictionTokens: num(completion?.accepted_prediction_tokens),
    rejectedPredictionTokens: num(completion?.rejected_prediction_tokens),
    // OpenRouter: what the request cost in USD (openrouter.ai/docs/use-cases/usage-accounting, read 2026-12-03).
    costUsd: num(u.cost),
  };
}

/**
 * The reasoning text of a delta: `reasoning_content` (DeepSeek, Qwen, Kimi, GLM), `reasoning` (vLLM, OpenRouter),
 * else the text of `reasoning_details[]` (MiniMax with reasoning_split: true; OpenRouter's structured form, which
 * repeats `reasoning`, so it is read only when neither field is there). Encrypted details carry no text.
 */
function reasoningText(delta: Record<string, unknown>): string {
  const flat = delta.reasoning_content ?? delta.reasoning;
  if (typeof flat === 'string' && flat) return flat;
  if (!Array.isArray(delta.reasoning_details)) return '';
  let text = '';
  for (const d of delta.reasoning_details) {
    const detail = obj(d);
    const t = detail?.text ?? detail?.summary;
    if (typeof t === 'string') text += t;
  }
  return text;
}

/**
 * vLLM per-request metrics on the usage chunk (--enable-per-request-metrics, --per-request-spec-decode-metrics;
 * docs.vllm.ai/en/latest/features/per_request_metrics and speculative_decoding/acceptance_metrics, read 2026-12-03).
 */
function vllmMetrics(m: Record<string, unknown> | undefined): StreamEvent[] {
  if (!m) return [];
  const events: StreamEvent[] = [];
  const queueMs = num(m.queue_time_ms);
  const serverTtftMs = num(m.time_to_first_token_ms);
  if (queueMs !== undefined || serverTtftMs !== undefined) events.push({ kind: 'serverTiming', queueMs, serverTtftMs });
  const spec = obj(m.speculative_decoding);
  const drafts = num(spec?.num_spec_steps);
  const draftTokens = num(spec?.num_draft_tokens);
  const acceptedTokens = num(spec?.num_accepted_draft_tokens);
  if (drafts !== undefined && draftTokens !== undefined && acceptedTokens !== undefined)
    events.push({
      kind: 'serverSpec',
      stats: { source: 'vllm', scope: 'request', drafts, draftTokens, acceptedTokens },
    });
  return events;
}

/** SGLang's meta_info (opt-in `return_meta_info` on its OpenAI API): verify steps and its own acceptance length. */
function sglangMetaInfo(m: Record<string, unknown> | undefined): StreamEvent[] {
  const verifyCount = num(m?.spec_verify_ct);
  if (verifyCount === undefined) return [];
  const acceptLength = num(m?.spec_accept_length);
  return [
    {
      kind: 'serverSpec',
      stats: {
        source: 'sglang',
        verifyCount,
        completionTokens: num(m?.completion_tokens) ?? 0,
        ...(acceptLength !== undefined ? { acceptLength } : {}),
      },
    },
  ];
}
