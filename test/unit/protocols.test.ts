import { describe, expect, it } from 'vitest';
import { protocolFor } from '../../src/core/protocols';
import { ndjsonFramer, sseFramer } from '../../src/core/stream/framing';
import type { ModelSpec } from '../../src/core/types';

const spec = (protocol: ModelSpec['protocol'], extra: Partial<ModelSpec> = {}): ModelSpec => ({
  id: 'm',
  protocol,
  baseUrl: 'https://api.example.com/v1',
  model: 'mod-1',
  region: 'US',
  ...extra,
});

describe('openai-chat dialect', () => {
  const p = protocolFor('openai-chat');
  it('asks for usage in the stream and puts the key only in the authorization header', () => {
    const req = p.buildRequest(spec('openai-chat'), 'hi', { maxTokens: 64, apiKey: 'sk-secret' });
    expect(req.url.href).toBe('https://api.example.com/v1/chat/completions');
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({
      model: 'mod-1',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 64,
    });
    expect(req.body).not.toContain('sk-secret');
    expect(req.headers.authorization).toBe('Bearer sk-secret');
  });
  it('uses max_completion_tokens where the model says so', () => {
    const body = JSON.parse(
      p.buildRequest(spec('openai-chat', { maxTokensField: 'max_completion_tokens' }), 'hi', { maxTokens: 9 }).body,
    );
    expect(body.max_completion_tokens).toBe(9);
    expect(body.max_tokens).toBeUndefined();
  });
  it('treats a role-only chunk as no token', () => {
    expect(p.decode('{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}')).toEqual([]);
  });
  it('reads DeepSeek reasoning_content and vLLM reasoning as the reasoning channel', () => {
    expect(p.decode('{"choices":[{"delta":{"reasoning_content":"hmm"}}]}')).toEqual([
      { kind: 'token', channel: 'reasoning', text: 'hmm' },
    ]);
    expect(p.decode('{"choices":[{"delta":{"reasoning":"so"}}]}')).toEqual([
      { kind: 'token', channel: 'reasoning', text: 'so' },
    ]);
    expect(p.decode('{"choices":[{"delta":{"content":"Hi"}}]}')).toEqual([
      { kind: 'token', channel: 'answer', text: 'Hi' },
    ]);
  });
  it('reads usage with reasoning and cached tokens, in OpenAI and DeepSeek shapes', () => {
    const [openai] = p.decode(
      '{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":50,"completion_tokens_details":{"reasoning_tokens":30},"prompt_tokens_details":{"cached_tokens":4}}}',
    );
    expect(openai).toEqual({
      kind: 'usage',
      usage: { inputTokens: 10, outputTokens: 50, reasoningTokens: 30, cachedInputTokens: 4 },
    });
    const [deepseek] = p.decode(
      '{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_cache_hit_tokens":8,"prompt_cache_miss_tokens":2}}',
    );
    expect(deepseek).toMatchObject({ usage: { cachedInputTokens: 8 } });
  });
  it('reads llama.cpp draft statistics', () => {
    const events = p.decode(
      '{"choices":[],"timings":{"predicted_n":100,"predicted_ms":2000,"draft_n":60,"draft_n_accepted":45}}',
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'serverTiming',
        evalCount: 100,
        evalDurationMs: 2000,
        draftTokens: 60,
        draftAccepted: 45,
      }),
    );
  });
  it('turns [DONE] into done and an error object into an error event', () => {
    expect(p.decode('[DONE]')).toEqual([{ kind: 'done' }]);
    expect(p.decode('{"error":{"message":"boom","type":"server_error"}}')).toEqual([
      { kind: 'error', message: 'server_error: boom', code: 'server_error' },
    ]);
  });
  it('throws on invalid JSON so the caller can fail the run', () => {
    expect(() => p.decode('{"choices":[')).toThrow();
  });
});

describe('anthropic messages', () => {
  const p = protocolFor('anthropic');
  it('sends the key as x-api-key with a version header', () => {
    const req = p.buildRequest(spec('anthropic', { baseUrl: 'https://api.anthropic.com' }), 'hi', {
      maxTokens: 10,
      apiKey: 'k',
    });
    expect(req.url.href).toBe('https://api.anthropic.com/v1/messages');
    expect(req.headers['x-api-key']).toBe('k');
    expect(req.headers['anthropic-version']).toBe('2023-06-01');
    expect(JSON.parse(req.body)).toMatchObject({ stream: true, max_tokens: 10 });
  });
  it('decodes the event sequence', () => {
    const start = p.decode(
      '{"type":"message_start","message":{"usage":{"input_tokens":7,"cache_read_input_tokens":3,"output_tokens":1}}}',
      'message_start',
    );
    expect(start).toEqual([
      { kind: 'usage', usage: { inputTokens: 10, cachedInputTokens: 3, cacheWriteInputTokens: 0 } },
    ]);
    // Cache writes are billed apart from input: kept as their own count, and part of the prompt's total.
    const writing = p.decode(
      '{"type":"message_start","message":{"usage":{"input_tokens":7,"cache_creation_input_tokens":5,"cache_read_input_tokens":3,"output_tokens":1}}}',
      'message_start',
    );
    expect(writing).toEqual([
      { kind: 'usage', usage: { inputTokens: 15, cachedInputTokens: 3, cacheWriteInputTokens: 5 } },
    ]);
    expect(p.decode('{"type":"ping"}', 'ping')).toEqual([]);
    expect(
      p.decode('{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let"}}'),
    ).toEqual([{ kind: 'token', channel: 'reasoning', text: 'Let' }]);
    expect(
      p.decode('{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}}'),
    ).toEqual([]);
    expect(p.decode('{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hi"}}')).toEqual([
      { kind: 'token', channel: 'answer', text: 'Hi' },
    ]);
    expect(
      p.decode('{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":42}}'),
    ).toEqual([{ kind: 'usage', usage: { outputTokens: 42 } }]);
    expect(p.decode('{"type":"message_stop"}')).toEqual([{ kind: 'done' }]);
    expect(p.decode('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', 'error')).toEqual([
      { kind: 'error', message: 'overloaded_error: Overloaded', code: 'overloaded_error' },
    ]);
  });
});

describe('ollama native', () => {
  const p = protocolFor('ollama');
  it('sets num_predict and reads thinking, content and server timing', () => {
    const req = p.buildRequest(spec('ollama', { baseUrl: 'http://127.0.0.1:11434' }), 'hi', { maxTokens: 33 });
    expect(req.url.href).toBe('http://127.0.0.1:11434/api/chat');
    expect(JSON.parse(req.body).options.num_predict).toBe(33);
    expect(p.decode('{"message":{"role":"assistant","content":"","thinking":"hm"},"done":false}')).toEqual([
      { kind: 'token', channel: 'reasoning', text: 'hm' },
    ]);
    const last = p.decode(
      '{"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":12,"prompt_eval_duration":5000000,"eval_count":80,"eval_duration":2000000000}',
    );
    expect(last).toEqual([
      { kind: 'usage', usage: { inputTokens: 12, outputTokens: 80 } },
      { kind: 'serverTiming', evalCount: 80, evalDurationMs: 2000, promptEvalCount: 12, promptEvalDurationMs: 5 },
      { kind: 'done', reason: 'stop' },
    ]);
    expect(p.decode('{"error":"model not found"}')).toEqual([{ kind: 'error', message: 'model not found' }]);
  });
});

describe('gemini streamGenerateContent', () => {
  const p = protocolFor('gemini');
  it('asks for SSE and thoughts, with the key in a header', () => {
    const req = p.buildRequest(
      spec('gemini', {
        baseUrl: 'https://generativelanguage.googleapis.com',
        reasoning: true,
        model: 'gemini-3.5-flash',
      }),
      'hi',
      { maxTokens: 5, apiKey: 'g' },
    );
    expect(req.url.href).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-3.5-flash:streamGenerateContent?alt=sse',
    );
    expect(req.headers['x-goog-api-key']).toBe('g');
    expect(JSON.parse(req.body).generationConfig).toEqual({
      maxOutputTokens: 5,
      thinkingConfig: { includeThoughts: true },
    });
  });
  it('splits thought parts from answer parts and adds thoughts to output tokens', () => {
    const events = p.decode(
      '{"candidates":[{"content":{"parts":[{"text":"plan","thought":true},{"text":"Answer"}],"role":"model"}}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":10,"thoughtsTokenCount":20,"totalTokenCount":34}}',
    );
    expect(events).toEqual([
      { kind: 'token', channel: 'reasoning', text: 'plan' },
      { kind: 'token', channel: 'answer', text: 'Answer' },
      { kind: 'usage', usage: { inputTokens: 4, outputTokens: 30, reasoningTokens: 20, cachedInputTokens: undefined } },
    ]);
  });
});

describe('framing', () => {
  it('SSE: events split across arbitrary reads come out whole, with event names', () => {
    const got: [string, string | undefined][] = [];
    const f = sseFramer((d, e) => got.push([d, e]));
    const wire = 'event: ping\ndata: {"a":1}\n\ndata: {"b":\ndata: 2}\n\n: comment\n\ndata: [DONE]\n\n';
    for (const piece of wire.match(/.{1,3}/gs)!) f.feed(piece);
    expect(got).toEqual([
      ['{"a":1}', 'ping'],
      ['{"b":\n2}', undefined],
      ['[DONE]', undefined],
    ]);
  });
  it('NDJSON: lines split across reads, CRLF, and a last line without newline', () => {
    const got: string[] = [];
    const f = ndjsonFramer((d) => got.push(d));
    f.feed('{"a"');
    f.feed(':1}\r\n\n{"b":2}\n{"c"');
    f.feed(':3}');
    f.end();
    expect(got).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });
});
