/**
 * Ollama's native /api/chat: NDJSON lines with `message.content` and `message.thinking`; the final
 * line (`done: true`) carries the server's own counts and durations in nanoseconds: `load_duration` (loading
 * the model into memory: seconds on a cold start, a few ms when it is resident) and, in newer builds,
 * `prompt_eval_cached_count` (prompt tokens served from the prefix cache) (docs.ollama.com/api/chat, read 2026-12-03).
 */
import type { StreamEvent } from '../types';
import { errorEvent, joinUrl, jsonErrorMessage, jsonHeaders, num, obj, type WireProtocol } from './protocol';

const NS_PER_MS = 1e6;

export const ollama: WireProtocol = {
  id: 'ollama',
  framing: 'ndjson',
  // Models without a thinking template (or older Ollama builds) write <think> into content.
  inlineThinking: true,
  buildRequest(spec, prompt, opts) {
    const extra = spec.extraBody ?? {};
    const body = {
      model: spec.model,
      messages: [{ role: 'user', content: prompt }],
      stream: true,
      ...extra,
      options: { num_predict: opts.maxTokens, ...(obj(extra.options) ?? {}) },
    };
    return {
      url: joinUrl(spec.baseUrl, 'api/chat'),
      headers: jsonHeaders({ ...spec.headers, authorization: opts.apiKey ? `Bearer ${opts.apiKey}` : undefined }),
      body: JSON.stringify(body),
    };
  },
  decode(line) {
    if (!line.trim()) return [];
    const data = obj(JSON.parse(line));
    if (!data) return [];
    if (data.error !== undefined) return [errorEvent(line)];
    const events: StreamEvent[] = [];
    const message = obj(data.message);
    if (typeof message?.thinking === 'string' && message.thinking)
      events.push({ kind: 'token', channel: 'reasoning', text: message.thinking });
    if (typeof message?.content === 'string' && message.content)
      events.push({ kind: 'token', channel: 'answer', text: message.content });
    if (data.done === true) {
      const ms = (ns: unknown) => {
        const v = num(ns);
        return v === undefined ? undefined : v / NS_PER_MS;
      };
      events.push({
        kind: 'usage',
        usage: {
          inputTokens: num(data.prompt_eval_count),
          outputTokens: num(data.eval_count),
          cachedInputTokens: num(data.prompt_eval_cached_count),
        },
      });
      events.push({
        kind: 'serverTiming',
        evalCount: num(data.eval_count),
        evalDurationMs: ms(data.eval_duration),
        promptEvalCount: num(data.prompt_eval_count),
        promptEvalDurationMs: ms(data.prompt_eval_duration),
        loadDurationMs: ms(data.load_duration),
      });
      events.push({ kind: 'done', reason: typeof data.done_reason === 'string' ? data.done_reason : undefined });
    }
    return events;
  },
  errorMessage: jsonErrorMessage,
};
