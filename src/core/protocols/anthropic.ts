/**
 * Anthropic Messages streaming (SSE with named events): message_start (input usage), ping,
 * content_block_start/delta/stop (text_delta, thinking_delta, signature_delta), message_delta
 * (output usage, which includes thinking tokens), message_stop, and in-stream `error` events.
 */
import type { StreamEvent } from '../types';
import { errorEvent, joinUrl, jsonErrorMessage, jsonHeaders, num, obj, sum, type WireProtocol } from './protocol';

export const ANTHROPIC_VERSION = '2023-06-01';

export const anthropic: WireProtocol = {
  id: 'anthropic',
  framing: 'sse',
  buildRequest(spec, prompt, opts) {
    const body = {
      model: spec.model,
      max_tokens: opts.maxTokens,
      stream: true,
      // Anthropic caches only what is marked: a warm benchmark marks the whole prompt.
      messages: [
        {
          role: 'user',
          content: opts.cacheControl ? [{ type: 'text', text: prompt, cache_control: { type: 'ephemeral' } }] : prompt,
        },
      ],
      ...spec.extraBody,
    };
    return {
      url: joinUrl(spec.baseUrl, 'v1/messages'),
      headers: jsonHeaders({ 'anthropic-version': ANTHROPIC_VERSION, ...spec.headers, 'x-api-key': opts.apiKey }),
      body: JSON.stringify(body),
    };
  },
  decode(payload, eventName) {
    // `event: error` is an error whatever its payload says (it may lack the `error` key, or not be JSON).
    if (eventName === 'error') return [errorEvent(payload)];
    const data = obj(JSON.parse(payload));
    if (!data) return [];
    const type = typeof data.type === 'string' ? data.type : eventName;
    const events: StreamEvent[] = [];
    switch (type) {
      case 'message_start': {
        const usage = obj(obj(data.message)?.usage);
        if (usage) {
          const cacheRead = num(usage.cache_read_input_tokens) ?? 0;
          const cacheWrite = num(usage.cache_creation_input_tokens) ?? 0;
          const input = num(usage.input_tokens);
          // input_tokens counts only the uncached part; the prompt is all three together.
          events.push({
            kind: 'usage',
            usage: {
              inputTokens: input === undefined ? undefined : sum(input, cacheRead, cacheWrite),
              cachedInputTokens: cacheRead,
              cacheWriteInputTokens: cacheWrite,
            },
          });
        }
        break;
      }
      case 'content_block_delta': {
        const delta = obj(data.delta);
        if (delta?.type === 'text_delta' && typeof delta.text === 'string' && delta.text)
          events.push({ kind: 'token', channel: 'answer', text: delta.text });
        if (delta?.type === 'thinking_delta' && typeof delta.thinking === 'string' && delta.thinking)
          events.push({ kind: 'token', channel: 'reasoning', text: delta.thinking });
        break;
      }
      case 'message_delta': {
        const usage = obj(data.usage);
        const output = num(usage?.output_tokens);
        if (output !== undefined) events.push({ kind: 'usage', usage: { outputTokens: output } });
        break;
      }
      case 'message_stop':
        events.push({ kind: 'done' });
        break;
      case 'error':
        events.push(errorEvent(payload));
        break;
      default:
        break; // ping, content_block_start/stop, signature deltas: carry no tokens
    }
    return events;
  },
  errorMessage: jsonErrorMessage,
};
