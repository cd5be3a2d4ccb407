/**
 * Ollama's native /api/chat: NDJSON lines with `message.content` and `message.thinking`; the final
 * line (`done: true`) carries the server's own counts and durations in nanoseconds.
 */
import type { StreamEvent } from '../types';
import { joinUrl, jsonErrorMessage, jsonHeaders, num, obj, type WireProtocol } from './protocol';

const NS_PER_MS = 1e6;

export const ollama: WireProtocol = {
  id: 'ollama',
  framing: 'ndjson',
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
    if (data.error !== undefined) return [{ kind: 'error', message: jsonErrorMessage(line) ?? (JSON.stringify(data.error) || 'error event in stream') }];
    const events: StreamEvent[] = [];
    const message = obj(data.message);
    if (typeof message?.thinking === 'string' && message.thinking) events.push({ kind: 'token', channel: 'reasoning', text: message.thinking });
    if (typeof message?.content === 'string' && message.content) events.push({ kind: 'token', channel: 'answer', text: message.content });
    if (data.done === true) {
      const evalDuration = num(data.eval_duration);
      const promptDuration = num(data.prompt_eval_duration);
      events.push({ kind: 'usage', usage: { inputTokens: num(data.prompt_eval_count), outputTokens: num(data.eval_count) } });
      events.push({
        kind: 'serverTiming',
        evalCount: num(data.eval_count),
        evalDurationMs: evalDuration === undefined ? undefined : evalDuration / NS_PER_MS,
        promptEvalCount: num(data.prompt_eval_count),
        promptEvalDurationMs: promptDuration === undefined ? undefined : promptDuration / NS_PER_MS,
      });
      events.push({ kind: 'done', reason: typeof data.done_reason === 'string' ? data.done_reason : undefined });
    }
    return events;
  },
  errorMessage: jsonErrorMessage,
};
