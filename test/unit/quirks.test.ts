/** Provider wire quirks at the decoder and classifier level: what each changes and where the line falls. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measuredAcceptance, serverStatsFromEvents, specCounters } from '../../src/core/advisor/serverStats';
import { httpError, retryable } from '../../src/core/errors';
import { protocolFor } from '../../src/core/protocols';
import { inlineThinkingSplitter } from '../../src/core/protocols/inlineThinking';
import { jsonErrorCodes, jsonRetryDelaySec } from '../../src/core/protocols/protocol';
import type { ModelSpec, StreamEvent } from '../../src/core/types';
import { PROVIDER_ERRORS } from '../server/wire';

const openai = protocolFor('openai-chat');
const spec: ModelSpec = {
  id: 'kimi-k2',
  protocol: 'openai-chat',
  baseUrl: 'https://api.moonshot.ai/v1',
  model: 'kimi-k2.6',
  region: 'CN',
};
const classify = (e: { status: number; body: string }, s: ModelSpec = spec) =>
  httpError(s, e.status, { message: openai.errorMessage(e.body), codes: jsonErrorCodes(e.body) });

/** Runs answer pieces through the splitter, one piece per "read"; returns [read, channel, text] triples. */
function split(pieces: string[]): [number, string, string][] {
  const s = inlineThinkingSplitter();
  const out: [number, string, string][] = [];
  const take = (read: number, events: StreamEvent[]) => {
    for (const e of events) if (e.kind === 'token') out.push([read, e.channel, e.text]);
  };
  pieces.forEach((p, read) => take(read, s.push([{ kind: 'token', channel: 'answer', text: p }])));
  take(pieces.length - 1, s.flush());
  return out;
}
const joined = (out: [number, string, string][], channel: string) =>
  out
    .filter(([, c]) => c === channel)
    .map(([, , t]) => t)
    .join('');

describe('inline <think> reasoning', () => {
  it('moves the tagged text to the reasoning channel; the answer starts after the closing tag', () => {
    const out = split(['<think>\nplan', ' more', '\n</think>\n\n', 'Hello', ' world']);
    expect(joined(out, 'reasoning')).toBe('\nplan more\n');
    expect(joined(out, 'answer')).toBe('\n\nHello world');
    // The read with only "</think>\n\n" carries no answer token: the first answer token is read 3.
    expect(out.find(([, c]) => c === 'answer')![0]).toBe(3);
  });
  it('handles tags cut anywhere across reads, and MiniMax-M3 <mm:think>', () => {
    const out = split(['<th', 'ink>a', 'b</th', 'ink>', 'X']);
    expect(joined(out, 'reasoning')).toBe('ab');
    expect(joined(out, 'answer')).toBe('X');
    expect(out.find(([, c]) => c === 'answer')![0]).toBe(4);
    const m3 = split(['<mm:think>r</mm:', 'think>A']);
    expect([joined(m3, 'reasoning'), joined(m3, 'answer')]).toEqual(['r', 'A']);
  });
  it('leaves an answer alone when the tag is not at its start, or is only a look-alike', () => {
    expect(split(['Use <think> tags', ' like this'])).toEqual([
      [0, 'answer', 'Use <think> tags'],
      [1, 'answer', ' like this'],
    ]);
    expect(joined(split(['<thought>x']), 'answer')).toBe('<thought>x');
    expect(joined(split(['<thi']), 'answer')).toBe('<thi'); // the stream ended on a would-be tag: it was answer text
  });
  it('thinking cut off by max_tokens stays reasoning, with no answer at all', () => {
    const out = split(['<think>long', ' thought</thi']);
    expect(joined(out, 'reasoning')).toBe('long thought</thi');
    expect(joined(out, 'answer')).toBe('');
  });
  it('a response with only the closing tag (the template wrote <think> into the prompt) starts as reasoning', () => {
    const pieces = ['Okay, the user', ' wants', '</think>', '\n\nHi'];
    const s = inlineThinkingSplitter(
      pieces.map((p) => Buffer.from(`data: ${JSON.stringify({ choices: [{ delta: { content: p } }] })}\n\n`)),
    );
    const out = pieces.flatMap((p) => s.push([{ kind: 'token', channel: 'answer', text: p }]));
    expect(out).toEqual([
      { kind: 'token', channel: 'reasoning', text: 'Okay, the user' },
      { kind: 'token', channel: 'reasoning', text: ' wants' },
      { kind: 'token', channel: 'answer', text: '\n\nHi' },
    ]);
    // Go's JSON (Ollama) escapes the tag; an answer that only mentions an opening tag is not reasoning.
    expect(
      inlineThinkingSplitter([Buffer.from('{"content":"a\\u003c/think\\u003eb"}')]).push([
        { kind: 'token', channel: 'answer', text: 'a' },
      ]),
    ).toEqual([{ kind: 'token', channel: 'reasoning', text: 'a' }]);
    expect(
      inlineThinkingSplitter([Buffer.from('Use <think> and </think>')]).push([
        { kind: 'token', channel: 'answer', text: 'Use' },
      ]),
    ).toEqual([{ kind: 'token', channel: 'answer', text: 'Use' }]);
  });
  it('finds the closing tag in the raw bytes wherever the reads cut it, raw or JSON-escaped (property)', () => {
    for (const body of ['data: {"content":"plan</think>Hi"}\n\n', '{"content":"plan\\u003c/think\\u003eHi"}\n']) {
      const bytes = Buffer.from(body);
      fc.assert(
        fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 3 }), (cuts) => {
          const at = [0, ...cuts.sort((a, b) => a - b), bytes.length];
          // Reads at least as long as the escaped tag: a tag then spans at most two of them, as the search assumes.
          const reads = at.slice(1).map((end, i) => bytes.subarray(at[i], end));
          fc.pre(reads.slice(1, -1).every((r) => r.length >= 19));
          const first = inlineThinkingSplitter(reads).push([{ kind: 'token', channel: 'answer', text: 'plan' }]);
          expect(first).toEqual([{ kind: 'token', channel: 'reasoning', text: 'plan' }]);
        }),
      );
    }
  });
  it('any split of the same bytes gives the same texts (property)', () => {
    const text = '\n<think>\nstep 1 < 2 </thin no\n</think>\n\nThe answer </think> stays';
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 12 }), (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), text.length];
        const out = split(at.slice(1).map((end, i) => text.slice(at[i], end)));
        expect(joined(out, 'reasoning')).toBe('\nstep 1 < 2 </thin no\n');
        expect(joined(out, 'answer')).toBe('\n\nThe answer </think> stays');
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('openai-chat dialect quirks', () => {
  it('MiniMax reasoning_split: reasoning_details[].text is reasoning', () => {
    const ev = openai.decode(
      '{"choices":[{"index":0,"delta":{"role":"assistant","reasoning_details":[{"type":"reasoning.text","id":"reasoning-text-1","format":"MiniMax-response-v1","index":0,"text":"Let me"}]}}]}',
    );
    expect(ev).toEqual([{ kind: 'token', channel: 'reasoning', text: 'Let me' }]);
  });
  it('OpenRouter: reasoning is read once (reasoning_details repeats it); cost, provider and encrypted details', () => {
    const chunk =
      '{"id":"gen-1","provider":"DeepInfra","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"hm","reasoning_details":[{"type":"reasoning.text","text":"hm","format":"unknown","index":0}]}}]}';
    expect(openai.decode(chunk)).toEqual([{ kind: 'token', channel: 'reasoning', text: 'hm' }]);
    expect(
      openai.decode('{"choices":[{"delta":{"reasoning_details":[{"type":"reasoning.encrypted","data":"gAAA"}]}}]}'),
    ).toEqual([]);
    const usage = openai.decode(
      '{"id":"gen-1","provider":"DeepInfra","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":20,"total_tokens":29,"cost":0.000123,"is_byok":false}}',
    );
    expect(usage).toContainEqual({
      kind: 'usage',
      usage: expect.objectContaining({ inputTokens: 9, outputTokens: 20, costUsd: 0.000123 }),
    });
    expect(usage).toContainEqual({ kind: 'servedBy', provider: 'DeepInfra' });
  });
  it('OpenAI obfuscation padding is not text', () => {
    expect(openai.decode('{"choices":[{"index":0,"delta":{"content":"Hi"}}],"obfuscation":"Xb3kP9"}')).toEqual([
      { kind: 'token', channel: 'answer', text: 'Hi' },
    ]);
  });
  it('vLLM per-request metrics and speculative decoding on the usage chunk', () => {
    const ev = openai.decode(
      '{"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":40},"metrics":{"time_to_first_token_ms":85.2,"queue_time_ms":12.3,"speculative_decoding":{"mean_acceptance_length":1.2325,"num_spec_steps":43,"num_accepted_draft_tokens":10,"num_draft_tokens":129,"num_spec_tokens":3}}}',
    );
    expect(ev).toContainEqual({ kind: 'serverTiming', queueMs: 12.3, serverTtftMs: 85.2 });
    const stats = serverStatsFromEvents(ev);
    expect(stats).toEqual([{ source: 'vllm', scope: 'request', drafts: 43, draftTokens: 129, acceptedTokens: 10 }]);
    const m = measuredAcceptance(stats[0]);
    expect(m.acceptanceLength).toBeCloseTo(1 + 10 / 43, 6); // vLLM's own mean_acceptance_length
    expect(m.notes.join(' ')).toMatch(/this request only/);
  });
  it('SGLang meta_info: its own acceptance length wins over completion ÷ verify steps', () => {
    const ev = openai.decode(
      '{"choices":[],"meta_info":{"completion_tokens":90,"spec_verify_ct":30,"spec_accept_length":2.9}}',
    );
    const m = measuredAcceptance(serverStatsFromEvents(ev)[0]);
    expect(m.acceptanceLength).toBe(2.9);
  });
});

describe('event: error without an error key', () => {
  it('is an error in every SSE protocol, JSON or not', () => {
    for (const id of ['openai-chat', 'anthropic', 'gemini'] as const) {
      const p = protocolFor(id);
      expect(p.decode('{"type":"server_error","message":"boom"}', 'error')).toEqual([
        { kind: 'error', message: 'boom', code: 'server_error' },
      ]);
      expect(p.decode('upstream timed out', 'error')).toEqual([{ kind: 'error', message: 'upstream timed out' }]);
    }
  });
});

describe('ollama final line', () => {
  it('reads load_duration (cold start) and prompt_eval_cached_count', () => {
    const ev = protocolFor('ollama').decode(
      '{"model":"m","message":{"role":"assistant","content":""},"done":true,"total_duration":8971147900,"load_duration":3868979700,"prompt_eval_count":948,"prompt_eval_cached_count":512,"prompt_eval_duration":691679000,"eval_count":142,"eval_duration":4401570000}',
    );
    expect(ev).toContainEqual({
      kind: 'usage',
      usage: { inputTokens: 948, outputTokens: 142, cachedInputTokens: 512 },
    });
    expect(ev).toContainEqual(expect.objectContaining({ kind: 'serverTiming', loadDurationMs: 3868.9797 }));
  });
});

describe('llama.cpp /metrics speculation counters', () => {
  it('are read like vLLM counters under their own prefix', () => {
    const scrape = [
      '# TYPE llamacpp:spec_decode_num_drafts_total counter',
      'llamacpp:spec_decode_num_drafts_total 200',
      'llamacpp:spec_decode_num_draft_tokens_total 1000',
      'llamacpp:spec_decode_num_accepted_tokens_total 600',
      'llamacpp:spec_decode_num_accepted_tokens_per_pos_total{position="0"} 180',
      'vllm:spec_decode_num_drafts_total 5',
    ].join('\n');
    const c = specCounters(scrape, 'llama.cpp')!;
    expect(c).toEqual({ drafts: 200, draftTokens: 1000, acceptedTokens: 600, acceptedPerPosition: [180] });
    const m = measuredAcceptance({ source: 'llama.cpp-metrics', ...c });
    expect([m.acceptanceRate, m.acceptanceLength]).toEqual([0.6, 4]);
    expect(specCounters('llamacpp:prompt_tokens_total 5', 'llama.cpp')).toBeNull();
  });
});

describe('error classification', () => {
  it('no money is payment whatever the status, never retried, and says to top up at that provider', () => {
    for (const e of [
      PROVIDER_ERRORS.kimiNoBalance,
      PROVIDER_ERRORS.zaiArrears,
      PROVIDER_ERRORS.openaiQuota,
      PROVIDER_ERRORS.deepseekNoBalance,
    ]) {
      const err = classify(e);
      expect(err.kind, e.body).toBe('payment');
      expect(retryable(err.kind)).toBe(false);
      expect(err.message).toMatch(
        /^kimi-k2 \(api\.moonshot\.ai\): the account is out of balance or quota \(HTTP 4\d\d: .+\)\. Top up the balance with the provider \(api\.moonshot\.ai\)/,
      );
    }
    expect(
      classify({
        status: 403,
        body: '{"error":{"message":"Your account has insufficient balance","type":"permission_denied_error"}}',
      }).kind,
    ).toBe('payment');
  });
  it('overload is retryable: 503 (DeepSeek, Gemini UNAVAILABLE), 529, and Kimi engine_overloaded_error on a 429', () => {
    for (const e of [
      PROVIDER_ERRORS.deepseekOverloaded,
      PROVIDER_ERRORS.geminiUnavailable,
      PROVIDER_ERRORS.anthropicOverloaded,
      PROVIDER_ERRORS.kimiOverloaded,
    ]) {
      const err = classify(e);
      expect(err.kind, e.body).toBe('overloaded');
      expect(retryable(err.kind)).toBe(true);
      expect(err.message).toMatch(new RegExp(`the provider is overloaded \\(HTTP ${e.status}: `));
    }
  });
  it('Gemini\'s per-minute 429 ("You exceeded your current quota") is a rate limit, with its RetryInfo wait', () => {
    const e = PROVIDER_ERRORS.geminiRateLimit;
    const g = protocolFor('gemini');
    expect(httpError(spec, e.status, { message: g.errorMessage(e.body), codes: jsonErrorCodes(e.body) }).kind).toBe(
      'rate-limit',
    );
    expect(jsonRetryDelaySec(e.body)).toBe(1);
    expect(jsonRetryDelaySec('{"error":{"details":[{"retryDelay":"oops"}]}}')).toBeUndefined();
  });
  it('a plain rate limit stays a rate limit; a 500 is not retried', () => {
    expect(classify(PROVIDER_ERRORS.kimiRateLimit).kind).toBe('rate-limit');
    expect(retryable('rate-limit')).toBe(true);
    expect(retryable(classify({ status: 500, body: '{}' }).kind)).toBe(false);
  });
  it('a rate-limit message that mentions topping up to raise the tier is not taken for no balance', () => {
    expect(
      classify({
        status: 429,
        body: '{"error":{"message":"Rate limit reached. Increase your cumulative top-up amount to upgrade your tier.","type":"rate_limit_reached_error"}}',
      }).kind,
    ).toBe('rate-limit');
  });
});
