/**
 * Tests of the local streaming test server itself, with plain fetch (never Tokenscope's own client):
 * each wire format parses as the real one would, the records keep to the schedule, and every fault
 * behaves as specified.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import {
  ANSWER_WORDS,
  REASONING_WORDS,
  planChunks,
  resolveSchedule,
  tokenText,
  type Schedule,
} from '../server/schedule';
import { startStreamServer, truth, type RequestRecord, type StreamServer } from '../server/streamServer';

// ---------------------------------------------------------------- helpers

interface Read {
  t: number;
  text: string;
}
interface Collected {
  status: number;
  headers: Headers;
  text: string;
  reads: Read[];
  error?: unknown;
}

/** POSTs and reads the whole body, stamping each network read. A mid-stream failure lands in `error`. */
async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Collected> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const reads: Read[] = [];
  const decoder = new TextDecoder();
  let error: unknown;
  try {
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      reads.push({ t: performance.now(), text: decoder.decode(value, { stream: true }) });
    }
  } catch (e) {
    error = e;
  }
  return { status: res.status, headers: res.headers, text: reads.map((r) => r.text).join(''), reads, error };
}

interface SseEvent {
  event?: string;
  data: string;
}
/** Splits an SSE body into events (LF or CRLF line ends). */
function parseSse(text: string): SseEvent[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const ev: SseEvent = { data: '' };
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) ev.event = line.slice(6).trim();
        else if (line.startsWith('data:')) ev.data += line.slice(5).trimStart();
      }
      return ev;
    });
}
/** Parsed wire JSON: shapes are asserted field by field. */
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const json = (e: SseEvent): Json => JSON.parse(e.data);

const o200kEnc = new Tiktoken(o200k);
const cl100kEnc = new Tiktoken(cl100k);

const lastRecord = (s: StreamServer): RequestRecord => s.records[s.records.length - 1];
const openaiBody = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  stream: true,
  messages: [{ role: 'user', content: 'Say something.' }],
  ...extra,
});
const anthropicBody = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  stream: true,
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Say something.' }],
  ...extra,
});
const ollamaBody = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: 'Say something.' }],
  ...extra,
});
const geminiBody = { contents: [{ role: 'user', parts: [{ text: 'Say something.' }] }] };
const geminiUrl = (s: StreamServer, model: string, query = '') =>
  `${s.url}/v1beta/models/${model}:streamGenerateContent?alt=sse${query}`;

/** Schedule error of each sent chunk: (sentAt − receivedAt) − planned offset, ms. */
function chunkErrors(rec: RequestRecord, schedule: Schedule): number[] {
  const sent = planChunks(resolveSchedule(schedule)).chunks.filter((c) => c.visible);
  expect(rec.chunks.length).toBe(sent.length);
  return rec.chunks.map((c, i) => c.sentAt - rec.receivedAt - sent[i].atMs);
}

// ---------------------------------------------------------------- shared server

let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

describe('token text', () => {
  it('every word is exactly one token in o200k and cl100k, also when concatenated', () => {
    for (const w of [...ANSWER_WORDS, ...REASONING_WORDS]) {
      expect(o200kEnc.encode(w), w).toHaveLength(1);
      expect(cl100kEnc.encode(w), w).toHaveLength(1);
    }
    const text = tokenText('reasoning', 0, 300) + tokenText('answer', 0, 500);
    expect(o200kEnc.encode(text)).toHaveLength(800);
    expect(cl100kEnc.encode(text)).toHaveLength(800);
  });

  it('plans chunks at ttft + g·1000/tps and never across the reasoning/answer boundary', () => {
    const plan = planChunks(
      resolveSchedule({ ttftMs: 100, tokensPerSecond: 50, tokensPerChunk: 4, outputTokens: 10, reasoningTokens: 6 }),
    );
    expect(plan.chunks.map((c) => [c.channel, c.tokens, c.atMs])).toEqual([
      ['reasoning', 4, 100],
      ['reasoning', 2, 180],
      ['answer', 4, 220],
      ['answer', 4, 300],
      ['answer', 2, 380],
    ]);
    expect(plan.endAtMs).toBe(420);
    expect(() => resolveSchedule({ ttftMs: 0, tokensPerSecond: 0, outputTokens: 1 })).toThrow(/tokensPerSecond/);
  });
});

// ---------------------------------------------------------------- the four formats

describe('openai-chat', () => {
  it('streams chat.completion.chunk events: role chunk, reasoning_content, content, finish, usage, [DONE]', async () => {
    server.setModel('ds', {
      ttftMs: 20,
      tokensPerSecond: 500,
      outputTokens: 6,
      reasoningTokens: 4,
      inputTokens: 30,
      cachedInputTokens: 10,
    });
    const r = await post(
      `${server.url}/v1/chat/completions`,
      openaiBody('ds', { stream_options: { include_usage: true } }),
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(r.text);
    expect(events.at(-1)!.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map(json);
    for (const c of chunks) {
      expect(c.object).toBe('chat.completion.chunk');
      expect(c.model).toBe('ds');
      expect(c.id).toBe(chunks[0].id);
      expect(c).toHaveProperty('usage'); // null on all but the last, with include_usage
    }
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    const deltas = chunks.slice(1, -2).map((c: Json) => c.choices[0].delta);
    expect(deltas).toHaveLength(10);
    expect(deltas.slice(0, 4).every((d: Json) => d.content === null && typeof d.reasoning_content === 'string')).toBe(
      true,
    );
    expect(deltas.slice(4).every((d: Json) => typeof d.content === 'string' && d.reasoning_content === null)).toBe(
      true,
    );
    expect(
      deltas
        .slice(0, 4)
        .map((d: Json) => d.reasoning_content)
        .join(''),
    ).toBe(tokenText('reasoning', 0, 4));
    expect(
      deltas
        .slice(4)
        .map((d: Json) => d.content)
        .join(''),
    ).toBe(tokenText('answer', 0, 6));
    const finish = chunks.at(-2);
    expect(finish.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(finish.usage).toBeNull();
    const usage = chunks.at(-1);
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toEqual({
      prompt_tokens: 30,
      completion_tokens: 10,
      total_tokens: 40,
      prompt_tokens_details: { cached_tokens: 10 },
      completion_tokens_details: { reasoning_tokens: 4 },
    });
    const rec = lastRecord(server);
    expect(rec).toMatchObject({
      protocol: 'openai-chat',
      model: 'ds',
      path: '/v1/chat/completions',
      status: 200,
      outcome: 'complete',
      stream: true,
    });
    expect(rec.chunks.map((c) => c.channel)).toEqual([...Array(4).fill('reasoning'), ...Array(6).fill('answer')]);
  });

  it('sends no usage chunk unless the request asked for it; also serves /chat/completions and delta.reasoning', async () => {
    server.setModel('vllm', {
      ttftMs: 5,
      tokensPerSecond: 1000,
      outputTokens: 3,
      reasoningTokens: 2,
      openaiReasoningField: 'reasoning',
      emptyRoleChunk: false,
    });
    const r = await post(`${server.url}/chat/completions`, openaiBody('vllm'));
    const chunks = parseSse(r.text).slice(0, -1).map(json);
    expect(chunks.some((c: Json) => c.choices.length === 0 || 'usage' in c)).toBe(false);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: null, reasoning: ' think' });
    expect(chunks.filter((c: Json) => c.choices[0].delta.reasoning).length).toBe(2);
    expect(lastRecord(server).path).toBe('/chat/completions');
  });

  it('answers stream:false with one chat.completion', async () => {
    server.setModel('plain', { ttftMs: 5, tokensPerSecond: 1000, outputTokens: 5, inputTokens: 7 });
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'plain', messages: [] }),
    });
    const body = (await res.json()) as Json;
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0].message.content).toBe(tokenText('answer', 0, 5));
    expect(body.usage.completion_tokens).toBe(5);
    expect(lastRecord(server).stream).toBe(false);
  });
});

describe('anthropic', () => {
  it('streams the Messages event sequence with a thinking block and cumulative output_tokens', async () => {
    server.setModel('claude', {
      ttftMs: 20,
      tokensPerSecond: 500,
      outputTokens: 5,
      reasoningTokens: 3,
      inputTokens: 50,
      cachedInputTokens: 20,
    });
    const r = await post(`${server.url}/v1/messages`, anthropicBody('claude'));
    expect(r.status).toBe(200);
    const events = parseSse(r.text);
    for (const e of events) expect(json(e).type).toBe(e.event);
    const names = events.map((e) => {
      const d = json(e);
      return d.type === 'content_block_delta'
        ? d.delta.type
        : d.type === 'content_block_start'
          ? `start:${d.content_block.type}`
          : d.type;
    });
    expect(names).toEqual([
      'message_start',
      'ping',
      'start:thinking',
      'thinking_delta',
      'thinking_delta',
      'thinking_delta',
      'signature_delta',
      'content_block_stop',
      'start:text',
      'text_delta',
      'text_delta',
      'text_delta',
      'text_delta',
      'text_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const start = json(events[0]).message;
    expect(start).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [],
      stop_reason: null,
    });
    expect(start.usage).toMatchObject({ input_tokens: 30, cache_read_input_tokens: 20 }); // input_tokens excludes cache reads
    const blocks = events.map(json).filter((d: Json) => d.type === 'content_block_start');
    expect(blocks.map((d: Json) => d.index)).toEqual([0, 1]);
    const text = events
      .map(json)
      .filter((d: Json) => d.delta?.type === 'text_delta')
      .map((d: Json) => d.delta.text)
      .join('');
    expect(text).toBe(tokenText('answer', 0, 5));
    const delta = json(events.at(-2)!);
    expect(delta).toMatchObject({
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 8 },
    });
  });

  it('hidden reasoning: no thinking block, but output_tokens counts it', async () => {
    server.setModel('claude-hidden', {
      ttftMs: 10,
      tokensPerSecond: 1000,
      outputTokens: 4,
      reasoningTokens: 6,
      reasoningVisible: false,
    });
    const r = await post(`${server.url}/v1/messages`, anthropicBody('claude-hidden'));
    const data = parseSse(r.text).map(json);
    expect(data.some((d: Json) => d.content_block?.type === 'thinking' || d.delta?.type === 'thinking_delta')).toBe(
      false,
    );
    expect(data.find((d: Json) => d.type === 'content_block_start').index).toBe(0);
    expect(data.find((d: Json) => d.type === 'message_delta').usage.output_tokens).toBe(10);
  });
});

describe('ollama', () => {
  it('streams NDJSON lines with thinking, then a done line with server timing in ns', async () => {
    const sched: Schedule = { ttftMs: 30, tokensPerSecond: 200, outputTokens: 10, reasoningTokens: 4, inputTokens: 12 };
    server.setModel('qwen3:8b', sched);
    const r = await post(`${server.url}/api/chat`, ollamaBody('qwen3:8b', { think: true }));
    expect(r.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = r.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(15);
    for (const l of lines.slice(0, -1)) {
      expect(l).toMatchObject({ model: 'qwen3:8b', done: false, message: { role: 'assistant' } });
      expect(l.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    }
    expect(
      lines
        .slice(0, 4)
        .map((l) => l.message.thinking)
        .join(''),
    ).toBe(tokenText('reasoning', 0, 4));
    expect(
      lines
        .slice(4, -1)
        .map((l) => l.message.content)
        .join(''),
    ).toBe(tokenText('answer', 0, 10));
    const done = lines.at(-1);
    expect(done).toMatchObject({
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 12,
      eval_count: 14,
      message: { role: 'assistant', content: '' },
    });
    for (const k of ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration'])
      expect(Number.isInteger(done[k])).toBe(true);
    // As Ollama measures: prompt eval ends when the first token is sampled, eval runs from there to the done
    // line (14 token slots at 200 tok/s ≈ 70 ms). Checked against the server's own clock readings.
    const rec = lastRecord(server);
    const ms = (n: number) => n / 1e6;
    expect(ms(done.load_duration + done.prompt_eval_duration)).toBeCloseTo(rec.chunks[0].sentAt - rec.receivedAt, 0);
    expect(ms(done.eval_duration)).toBeGreaterThan(rec.chunks.at(-1)!.sentAt - rec.chunks[0].sentAt);
    expect(ms(done.eval_duration)).toBeLessThan(rec.endedAt! - rec.chunks[0].sentAt + 0.5);
    expect(ms(done.total_duration)).toBeLessThanOrEqual(rec.endedAt! - rec.receivedAt + 0.01);
  });

  it('answers stream:false with a single JSON object', async () => {
    server.setModel('llama3', { ttftMs: 5, tokensPerSecond: 1000, outputTokens: 3 });
    const res = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify(ollamaBody('llama3', { stream: false })),
    });
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({ done: true, message: { content: tokenText('answer', 0, 3) }, eval_count: 3 });
  });
});

describe('gemini', () => {
  it('streams CRLF-framed SSE with thought parts and usageMetadata, ending in finishReason STOP', async () => {
    server.setModel('gemini-3.5-flash', {
      ttftMs: 20,
      tokensPerSecond: 500,
      tokensPerChunk: 2,
      outputTokens: 6,
      reasoningTokens: 4,
      inputTokens: 9,
      requireKey: 'gk',
    });
    const r = await post(geminiUrl(server, 'gemini-3.5-flash'), geminiBody, { 'x-goog-api-key': 'gk' });
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^data: \{.*\}\r\n\r\n/);
    const data = parseSse(r.text).map(json);
    expect(data).toHaveLength(6); // 2 thought chunks, 3 answer chunks, the finishing chunk
    for (const d of data) {
      expect(d.candidates[0].content.role).toBe('model');
      expect(d.candidates[0].index).toBe(0);
      expect(d.modelVersion).toBe('gemini-3.5-flash');
    }
    const parts = data.flatMap((d: Json) => d.candidates[0].content.parts);
    expect(
      parts
        .filter((p: Json) => p.thought)
        .map((p: Json) => p.text)
        .join(''),
    ).toBe(tokenText('reasoning', 0, 4));
    expect(
      parts
        .filter((p: Json) => !p.thought)
        .map((p: Json) => p.text)
        .join(''),
    ).toBe(tokenText('answer', 0, 6));
    expect(data.slice(0, -1).every((d: Json) => d.candidates[0].finishReason === undefined)).toBe(true);
    const last = data.at(-1);
    expect(last.candidates[0].finishReason).toBe('STOP');
    expect(last.usageMetadata).toMatchObject({
      promptTokenCount: 9,
      candidatesTokenCount: 6,
      thoughtsTokenCount: 4,
      totalTokenCount: 19,
    });
    expect(lastRecord(server).model).toBe('gemini-3.5-flash');
  });

  it('takes the key from ?key= too; hidden thoughts are only counted', async () => {
    server.setModel('gemini-hidden', {
      ttftMs: 10,
      tokensPerSecond: 1000,
      outputTokens: 3,
      reasoningTokens: 5,
      reasoningVisible: false,
      requireKey: 'gk',
    });
    const r = await post(geminiUrl(server, 'gemini-hidden', '&key=gk'), geminiBody);
    expect(r.status).toBe(200);
    const data = parseSse(r.text).map(json);
    expect(data.flatMap((d: Json) => d.candidates[0].content.parts).some((p: Json) => p.thought)).toBe(false);
    expect(data.at(-1).usageMetadata).toMatchObject({
      candidatesTokenCount: 3,
      thoughtsTokenCount: 5,
      totalTokenCount: 3 + 5 + data.at(-1).usageMetadata.promptTokenCount,
    });
  });
});

describe('non-streaming', () => {
  it('anthropic without stream and gemini :generateContent answer with one body once generation is done', async () => {
    server.setModel('whole', {
      ttftMs: 30,
      tokensPerSecond: 500,
      outputTokens: 5,
      reasoningTokens: 5,
      inputTokens: 11,
    });
    const an = (await (
      await fetch(`${server.url}/v1/messages`, {
        method: 'POST',
        body: JSON.stringify({ model: 'whole', max_tokens: 64, messages: [] }),
      })
    ).json()) as Json;
    expect(an).toMatchObject({
      type: 'message',
      stop_reason: 'end_turn',
      usage: { input_tokens: 11, output_tokens: 10 },
    });
    expect(an.content.map((b: Json) => b.type)).toEqual(['thinking', 'text']);
    expect(an.content[1].text).toBe(tokenText('answer', 0, 5));
    const rec = lastRecord(server);
    expect(rec.stream).toBe(false);
    expect(rec.headersSentAt! - rec.receivedAt).toBeGreaterThanOrEqual(30 + 10 * 2 - 0.5); // after the stop token's slot
    const ge = (await (
      await fetch(`${server.url}/v1beta/models/whole:generateContent`, {
        method: 'POST',
        body: JSON.stringify(geminiBody),
      })
    ).json()) as Json;
    expect(ge.candidates[0]).toMatchObject({ finishReason: 'STOP', content: { role: 'model' } });
    expect(ge.usageMetadata).toMatchObject({ candidatesTokenCount: 5, thoughtsTokenCount: 5 });
  });
});

describe('discovery', () => {
  it('lists the configured models in the OpenAI, Anthropic, Gemini and Ollama shapes', async () => {
    server.setModels({
      'm-a': { ttftMs: 1, tokensPerSecond: 10, outputTokens: 1 },
      'm-b': { ttftMs: 1, tokensPerSecond: 10, outputTokens: 1 },
    });
    const openai = (await (await fetch(`${server.url}/v1/models`)).json()) as Json;
    expect(openai.object).toBe('list');
    expect(openai.data.map((m: Json) => m.id)).toEqual(expect.arrayContaining(['m-a', 'm-b']));
    expect(openai.data[0].object).toBe('model');
    const anthropic = (await (
      await fetch(`${server.url}/v1/models`, { headers: { 'anthropic-version': '2023-06-01' } })
    ).json()) as Json;
    expect(anthropic.data.find((m: Json) => m.id === 'm-a')).toMatchObject({ type: 'model', id: 'm-a' });
    const gemini = (await (await fetch(`${server.url}/v1beta/models`)).json()) as Json;
    expect(gemini.models.map((m: Json) => m.name)).toEqual(expect.arrayContaining(['models/m-a']));
    const tags = (await (await fetch(`${server.url}/api/tags`)).json()) as Json;
    expect(tags.models.map((m: Json) => m.name)).toEqual(expect.arrayContaining(['m-a', 'm-b']));
  });
});

// ---------------------------------------------------------------- timing

// Client and server share this process and machine: a GC pause or a busy neighbour can delay one send by
// many ms. The records stay true (they hold the real send times), but a schedule check may miss, so these retry.
describe('timing', { retry: 2 }, () => {
  const cases: [string, Schedule][] = [
    ['40 tok/s', { ttftMs: 80, tokensPerSecond: 40, outputTokens: 40 }],
    ['1000 tok/s', { ttftMs: 50, tokensPerSecond: 1000, outputTokens: 400 }],
    ['250 tok/s, 4 per chunk', { ttftMs: 30, tokensPerSecond: 250, tokensPerChunk: 4, outputTokens: 200 }],
  ];
  for (const [name, sched] of cases) {
    it(`keeps to the schedule at ${name}`, async () => {
      server.setModel('timed', sched);
      const r = await post(`${server.url}/v1/chat/completions`, openaiBody('timed'));
      expect(r.error).toBeUndefined();
      const rec = lastRecord(server);
      const errs = chunkErrors(rec, sched);
      const sorted = [...errs].sort((a, b) => a - b);
      expect(sorted[0]).toBeGreaterThan(-0.5); // never meaningfully early
      expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(2); // median lateness
      const t = truth(rec);
      expect(Math.abs(t.ttftMs! - sched.ttftMs)).toBeLessThan(5);
      expect(t.ttfoMs).toBe(t.ttftMs);
      expect(t.decodeTps! / sched.tokensPerSecond).toBeGreaterThan(0.98);
      expect(t.decodeTps! / sched.tokensPerSecond).toBeLessThan(1.02);
      expect(t.streamedTokens).toBe(sched.outputTokens);
      // No drift: the last chunk is as close to its slot as the first.
      expect(Math.abs(errs.at(-1)!)).toBeLessThan(5);
      // A client cannot see a chunk before the server sent it.
      expect(r.reads[0].t).toBeGreaterThan(rec.receivedAt);
    });
  }

  it('hidden reasoning is generated at its slots: the first sent chunk waits for it, usage counts it', async () => {
    const sched: Schedule = {
      ttftMs: 40,
      tokensPerSecond: 100,
      outputTokens: 30,
      reasoningTokens: 20,
      reasoningVisible: false,
      inputTokens: 5,
    };
    server.setModel('o-series', sched);
    const r = await post(
      `${server.url}/v1/chat/completions`,
      openaiBody('o-series', { stream_options: { include_usage: true } }),
    );
    const chunks = parseSse(r.text).slice(0, -1).map(json);
    expect(chunks.some((c: Json) => c.choices[0]?.delta?.reasoning_content !== undefined)).toBe(false);
    expect(chunks.at(-1).usage).toMatchObject({
      completion_tokens: 50,
      completion_tokens_details: { reasoning_tokens: 20 },
    });
    const rec = lastRecord(server);
    expect(rec.chunks).toHaveLength(30);
    const t = truth(rec);
    expect(t.streamedTokens).toBe(30);
    expect(Math.abs(t.ttftMs! - (40 + 20 * 10))).toBeLessThan(5); // ttft + 20 hidden tokens at 10 ms each
    expect(Math.abs(t.decodeTps! - 100)).toBeLessThan(2);
  });

  it('visible reasoning: TTFT is the first reasoning chunk, TTFO the first answer chunk', async () => {
    server.setModel('r1', { ttftMs: 20, tokensPerSecond: 200, outputTokens: 5, reasoningTokens: 10 });
    await post(`${server.url}/v1/messages`, anthropicBody('r1'));
    const t = truth(lastRecord(server));
    expect(Math.abs(t.ttftMs! - 20)).toBeLessThan(5);
    expect(Math.abs(t.ttfoMs! - (20 + 10 * 5))).toBeLessThan(5);
    expect(t.streamedTokens).toBe(15);
  });

  it('keeps to the schedule with 16 concurrent streams', async () => {
    const sched: Schedule = { ttftMs: 60, tokensPerSecond: 100, outputTokens: 60 };
    server.setModel('busy', sched);
    await Promise.all(Array.from({ length: 16 }, () => post(`${server.url}/api/chat`, ollamaBody('busy'))));
    expect(server.records).toHaveLength(16);
    for (const rec of server.records) {
      const t = truth(rec);
      expect(Math.abs(t.ttftMs! - 60)).toBeLessThan(10);
      expect(Math.abs(t.decodeTps! / 100 - 1)).toBeLessThan(0.02);
    }
  });
});

// ---------------------------------------------------------------- keys, unknown models, faults

describe('keys and unknown models', () => {
  beforeEach(() => server.setModel('locked', { ttftMs: 1, tokensPerSecond: 1000, outputTokens: 2, requireKey: 'K' }));

  it('openai-chat: Bearer key; 401 invalid_api_key on a wrong one', async () => {
    expect(
      (await post(`${server.url}/v1/chat/completions`, openaiBody('locked'), { authorization: 'Bearer K' })).status,
    ).toBe(200);
    const wrong = await post(`${server.url}/v1/chat/completions`, openaiBody('locked'), {
      authorization: 'Bearer nope',
    });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    expect(wrong.text).not.toContain('nope');
    const missing = await post(`${server.url}/v1/chat/completions`, openaiBody('locked'));
    expect(missing.status).toBe(401);
    expect(lastRecord(server).headers.authorization).toBeUndefined();
  });

  it('anthropic: x-api-key; 401 authentication_error', async () => {
    expect((await post(`${server.url}/v1/messages`, anthropicBody('locked'), { 'x-api-key': 'K' })).status).toBe(200);
    const wrong = await post(`${server.url}/v1/messages`, anthropicBody('locked'), { authorization: 'Bearer K' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('ollama: Bearer key; 401 {"error":"unauthorized"}', async () => {
    expect((await post(`${server.url}/api/chat`, ollamaBody('locked'), { authorization: 'Bearer K' })).status).toBe(
      200,
    );
    const wrong = await post(`${server.url}/api/chat`, ollamaBody('locked'), { authorization: 'Bearer X' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text)).toEqual({ error: 'unauthorized' });
  });

  it('gemini: a wrong key is 400 API_KEY_INVALID and a missing one 403, as Google answers', async () => {
    const wrong = await post(geminiUrl(server, 'locked'), geminiBody, { 'x-goog-api-key': 'bad' });
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.text).error).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
      details: [{ reason: 'API_KEY_INVALID' }],
    });
    const missing = await post(geminiUrl(server, 'locked'), geminiBody);
    expect(missing.status).toBe(403);
    expect(JSON.parse(missing.text).error.status).toBe('PERMISSION_DENIED');
  });

  it('an unknown model is a 404 in each protocol shape', async () => {
    const oa = await post(`${server.url}/v1/chat/completions`, openaiBody('nope'));
    expect(oa.status).toBe(404);
    expect(JSON.parse(oa.text).error.code).toBe('model_not_found');
    const an = await post(`${server.url}/v1/messages`, anthropicBody('nope'));
    expect(JSON.parse(an.text).error.type).toBe('not_found_error');
    const ol = await post(`${server.url}/api/chat`, ollamaBody('nope'));
    expect(JSON.parse(ol.text).error).toMatch(/not found/);
    const ge = await post(geminiUrl(server, 'nope'), geminiBody);
    expect(JSON.parse(ge.text).error.status).toBe('NOT_FOUND');
    expect(server.records.map((r) => r.status)).toEqual([404, 404, 404, 404]);
  });
});

describe('faults', () => {
  const base = { ttftMs: 10, tokensPerSecond: 500, outputTokens: 8 };

  it('status 429 with retry-after, only for the first `times` requests', async () => {
    server.setModel('limited', { ...base, fault: { kind: 'status', status: 429, retryAfterSec: 7, times: 1 } });
    const first = await post(`${server.url}/v1/chat/completions`, openaiBody('limited'));
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(JSON.parse(first.text).error.code).toBe('rate_limit_exceeded');
    const second = await post(`${server.url}/v1/chat/completions`, openaiBody('limited'));
    expect(second.status).toBe(200);
    expect(server.records.map((r) => r.fault?.kind)).toEqual(['status', undefined]);
    server.reset(); // clears the counter: the fault fires again
    expect((await post(`${server.url}/v1/chat/completions`, openaiBody('limited'))).status).toBe(429);
  });

  it('status 529 is anthropic overloaded_error; 429 on gemini carries RetryInfo; a custom body is sent as is', async () => {
    server.setModel('busy-claude', { ...base, fault: { kind: 'status', status: 529 } });
    const an = await post(`${server.url}/v1/messages`, anthropicBody('busy-claude'));
    expect(an.status).toBe(529);
    expect(JSON.parse(an.text)).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    server.setModel('busy-gemini', { ...base, fault: { kind: 'status', status: 429, retryAfterSec: 3 } });
    const ge = await post(geminiUrl(server, 'busy-gemini'), geminiBody);
    expect(JSON.parse(ge.text).error).toMatchObject({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      details: [{ retryDelay: '3s' }],
    });
    server.setModel('broke', {
      ...base,
      fault: { kind: 'status', status: 402, body: '{"error":{"message":"Insufficient Balance"}}' },
    });
    const ds = await post(`${server.url}/v1/chat/completions`, openaiBody('broke'));
    expect(ds.status).toBe(402);
    expect(ds.text).toBe('{"error":{"message":"Insufficient Balance"}}');
  });

  it('drop destroys the socket after N content chunks', async () => {
    server.setModel('dropper', { ...base, fault: { kind: 'drop', afterChunks: 3 } });
    const r = await post(`${server.url}/v1/chat/completions`, openaiBody('dropper'));
    expect(r.status).toBe(200);
    expect(r.error).toBeDefined();
    expect(r.text).not.toContain('[DONE]');
    const rec = lastRecord(server);
    expect(rec.chunks).toHaveLength(3);
    expect(rec.outcome).toBe('dropped');
  });

  it('stream-error sends the protocol error event after N chunks, then ends', async () => {
    const models = {
      'se-openai': 'openai',
      'se-anthropic': 'anthropic',
      'se-ollama': 'ollama',
      'se-gemini': 'gemini',
    } as const;
    for (const name of Object.keys(models))
      server.setModel(name, { ...base, fault: { kind: 'stream-error', afterChunks: 2 } });
    const oa = parseSse((await post(`${server.url}/v1/chat/completions`, openaiBody('se-openai'))).text);
    expect(json(oa.at(-1)!).error).toMatchObject({ type: 'server_error' });
    expect(oa.map((e) => e.data)).not.toContain('[DONE]');
    const an = parseSse((await post(`${server.url}/v1/messages`, anthropicBody('se-anthropic'))).text);
    expect(an.at(-1)!.event).toBe('error');
    expect(json(an.at(-1)!)).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const ol = (await post(`${server.url}/api/chat`, ollamaBody('se-ollama'))).text.trim().split('\n');
    expect(ol).toHaveLength(3);
    expect(JSON.parse(ol[2]).error).toEqual(expect.any(String));
    const ge = parseSse((await post(geminiUrl(server, 'se-gemini'), geminiBody)).text);
    expect(json(ge.at(-1)!).error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
    for (const rec of server.records) {
      expect(rec.outcome).toBe('stream-error');
      expect(rec.chunks).toHaveLength(2);
    }
  });

  it('malformed inserts one non-JSON frame, then the stream goes on to the end', async () => {
    server.setModel('garbled', { ...base, fault: { kind: 'malformed', afterChunks: 4 } });
    const r = await post(`${server.url}/v1/chat/completions`, openaiBody('garbled'));
    const events = parseSse(r.text);
    const bad = events.filter((e) => {
      try {
        JSON.parse(e.data);
        return false;
      } catch {
        return e.data !== '[DONE]';
      }
    });
    expect(bad).toHaveLength(1);
    expect(events.indexOf(bad[0])).toBe(5); // role chunk + 4 content chunks before it
    expect(events.at(-1)!.data).toBe('[DONE]');
    expect(lastRecord(server)).toMatchObject({ outcome: 'complete' });
    expect(lastRecord(server).chunks).toHaveLength(8);
  });

  it('stall pauses after N chunks and shifts the rest', { retry: 2 }, async () => {
    const sched: Schedule = {
      ttftMs: 10,
      tokensPerSecond: 200,
      outputTokens: 6,
      fault: { kind: 'stall', afterChunks: 2, ms: 150 },
    };
    server.setModel('staller', sched);
    await post(`${server.url}/api/chat`, ollamaBody('staller'));
    const rec = lastRecord(server);
    expect(rec.chunks).toHaveLength(6);
    expect(rec.outcome).toBe('complete');
    // Chunks 0-1 on their slots, chunks 2-5 on their slots + 150 ms (never early; the bound on lateness is
    // loose because this checks the stall, not timer precision).
    const errs = chunkErrors(rec, sched).map((e, i) => (i >= 2 ? e - 150 : e));
    for (const e of errs) {
      expect(e).toBeGreaterThan(-0.5);
      expect(e).toBeLessThan(30);
    }
    expect(rec.chunks[2].sentAt - rec.chunks[1].sentAt).toBeGreaterThan(150 - 30);
  });

  it('html answers with an HTML page (200 by default, 502 if asked)', async () => {
    server.setModel('portal', { ...base, fault: { kind: 'html' } });
    const a = await post(`${server.url}/v1/chat/completions`, openaiBody('portal'));
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/^text\/html/);
    expect(a.text).toMatch(/<html/i);
    server.setModel('gateway', { ...base, fault: { kind: 'html', status: 502 } });
    const b = await post(`${server.url}/v1/messages`, anthropicBody('gateway'));
    expect(b.status).toBe(502);
    expect(b.text).toContain('502 Bad Gateway');
  });

  it('records a client that goes away mid-stream', async () => {
    server.setModel('slow', { ttftMs: 10, tokensPerSecond: 50, outputTokens: 100 });
    const ac = new AbortController();
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(openaiBody('slow')),
      signal: ac.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.read();
    ac.abort();
    await new Promise((r) => setTimeout(r, 50));
    const rec = lastRecord(server);
    expect(rec.outcome).toBe('client-aborted');
    expect(rec.chunks.length).toBeLessThan(10);
  });
});

describe('close', () => {
  it('ends a held no-response request and in-flight streams without hanging', async () => {
    const s = await startStreamServer();
    s.setModel('silent', { ttftMs: 1, tokensPerSecond: 10, outputTokens: 5, fault: { kind: 'no-response' } });
    s.setModel('long', { ttftMs: 1, tokensPerSecond: 5, outputTokens: 1000 });
    const silent = fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify(openaiBody('silent')),
    }).then((r) => r.text());
    const long = post(`${s.url}/api/chat`, ollamaBody('long'));
    await new Promise((r) => setTimeout(r, 100));
    expect(s.records.map((r) => r.outcome)).toEqual(['pending', 'pending']);
    const started = performance.now();
    await s.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(silent).rejects.toThrow();
    expect((await long).error).toBeDefined();
    expect(s.records.map((r) => r.outcome)).toEqual(['server-closed', 'server-closed']);
  });
});
