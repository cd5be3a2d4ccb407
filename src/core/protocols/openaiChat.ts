/**
 * OpenAI Chat Completions streaming (SSE). Also spoken by DeepSeek, Qwen (DashScope compatible mode),
 * Kimi, GLM, MiniMax, vLLM, SGLang, llama.cpp server, LM Studio and Ollama's /v1.
 * Dialect differences handled here: reasoning in `delta.reasoning_content` (DeepSeek, Qwen, Kimi, GLM)
 * or `delta.reasoning` (vLLM, OpenRouter); cached tokens in `prompt_tokens_details.cached_tokens` or
 * DeepSeek's `prompt_cache_hit_tokens`; llama.cpp's `timings` with draft statistics.
 */
import type { StreamEvent, UsageReport } from '../types';
import { joinUrl, jsonErrorMessage, jsonHeaders, num, obj, type WireProtocol } from './protocol';

export const openaiChat: WireProtocol = {
  id: 'openai-chat',
  framing: 'sse',
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
  decode(payload) {
    if (payload.trim() === '[DONE]') return [{ kind: 'done' }];
    const data = obj(JSON.parse(payload));
    if (!data) return [];
    const events: StreamEvent[] = [];
    if (data.error !== undefined) {
      events.push({ kind: 'error', message: jsonErrorMessage(payload) ?? 'error event in stream' });
      return events;
    }
    const choices = Array.isArray(data.choices) ? data.choices : [];
    for (const choice of choices) {
      const delta = obj(obj(choice)?.delta);
      if (!delta) continue;
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === 'string' && reasoning.length > 0) events.push({ kind: 'token', channel: 'reasoning', text: reasoning });
      if (typeof delta.content === 'string' && delta.content.length > 0) events.push({ kind: 'token', channel: 'answer', text: delta.content });
    }
    const usage = obj(data.usage);
    if (usage) events.push({ kind: 'usage', usage: openaiUsage(usage) });
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
  };
}
