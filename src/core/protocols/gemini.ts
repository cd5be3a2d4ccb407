/**
 * Gemini `streamGenerateContent?alt=sse`: each event is a GenerateContentResponse; thought parts
 * carry `thought: true`. `candidatesTokenCount` excludes thoughts, which come in `thoughtsTokenCount`.
 */
import type { StreamEvent } from '../types';
import { errorEvent, joinUrl, jsonErrorMessage, jsonHeaders, num, obj, sum, type WireProtocol } from './protocol';

export const gemini: WireProtocol = {
  id: 'gemini',
  framing: 'sse',
  buildRequest(spec, prompt, opts) {
    const extra = spec.extraBody ?? {};
    const body = {
      contents: [{ role: 'user', parts: [{ text: prompt }] }],
      ...extra,
      generationConfig: {
        maxOutputTokens: opts.maxTokens,
        // Thought summaries are only streamed when asked for.
        ...(spec.reasoning ? { thinkingConfig: { includeThoughts: true } } : {}),
        ...(obj(extra.generationConfig) ?? {}),
      },
    };
    const url = joinUrl(spec.baseUrl, `v1beta/models/${encodeURIComponent(spec.model)}:streamGenerateContent`);
    url.searchParams.set('alt', 'sse');
    return {
      url,
      headers: jsonHeaders({ ...spec.headers, 'x-goog-api-key': opts.apiKey }),
      body: JSON.stringify(body),
    };
  },
  decode(payload, eventName) {
    if (eventName === 'error') return [errorEvent(payload)];
    const parsed: unknown = JSON.parse(payload);
    const data = obj(Array.isArray(parsed) ? parsed[0] : parsed);
    if (!data) return [];
    if (data.error !== undefined) return [errorEvent(payload)];
    const events: StreamEvent[] = [];
    const candidates = Array.isArray(data.candidates) ? data.candidates : [];
    const first = obj(candidates[0]);
    const parts = obj(first?.content)?.parts;
    if (Array.isArray(parts)) {
      for (const part of parts) {
        const p = obj(part);
        if (typeof p?.text === 'string' && p.text)
          events.push({ kind: 'token', channel: p.thought === true ? 'reasoning' : 'answer', text: p.text });
      }
    }
    const usage = obj(data.usageMetadata);
    if (usage) {
      const candidatesTokens = num(usage.candidatesTokenCount);
      const thoughts = num(usage.thoughtsTokenCount);
      const output =
        candidatesTokens === undefined && thoughts === undefined
          ? undefined
          : sum(candidatesTokens ?? 0, thoughts ?? 0);
      events.push({
        kind: 'usage',
        usage: {
          inputTokens: num(usage.promptTokenCount),
          outputTokens: output,
          reasoningTokens: thoughts,
          cachedInputTokens: num(usage.cachedContentTokenCount),
        },
      });
    }
    return events;
  },
  errorMessage: jsonErrorMessage,
};
