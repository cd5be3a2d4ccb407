/**
 * The test server's provider quirks on the wire, read with plain fetch (never Tokenscope's own client): each is
 * the shape the provider documents, so the client tests in quirks.test.ts measure against real bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenText, type Schedule } from '../server/schedule';
import { startStreamServer, type StreamServer } from '../server/streamServer';
import { PROVIDER_ERRORS } from '../server/wire';

let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
});
afterAll(() => server.close());

async function openai(name: string, schedule: Schedule): Promise<{ text: string; chunks: Record<string, unknown>[] }> {
  server.setModel(name, schedule);
  const res = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: name,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  const text = await res.text();
  const chunks = text
    .split('\n\n')
    .filter((b) => b.startsWith('data: {'))
    .map((b) => JSON.parse(b.slice(6)) as Record<string, unknown>);
  return { text, chunks };
}
const deltas = (chunks: Record<string, unknown>[]) =>
  chunks.flatMap((c) => (c.choices as { delta?: Record<string, unknown> }[]).map((x) => x.delta ?? {}));

describe('test server quirks on the wire', () => {
  it('MiniMax inline thinking: "<think>\\n" opens the first reasoning chunk, "\\n</think>\\n\\n" the first answer chunk', async () => {
    const { chunks } = await openai('w-inline', {
      ttftMs: 0,
      tokensPerSecond: 2000,
      outputTokens: 2,
      reasoningTokens: 2,
      quirks: { inlineThinking: { tag: 'think' } },
    });
    const content = deltas(chunks)
      .map((d) => d.content)
      .filter((c) => typeof c === 'string' && c !== '');
    expect(content).toEqual([
      `<think>\n${tokenText('reasoning', 0, 1)}`,
      tokenText('reasoning', 1, 1),
      `\n</think>\n\n${tokenText('answer', 0, 1)}`,
      tokenText('answer', 1, 1),
    ]);
  });
  it('a cut closing tag: "\\n</thi" ends the last reasoning chunk, "nk>\\n\\n" opens the answer', async () => {
    const { chunks } = await openai('w-cut', {
      ttftMs: 0,
      tokensPerSecond: 2000,
      outputTokens: 1,
      reasoningTokens: 1,
      quirks: { inlineThinking: { tag: 'think', splitCloseTag: true } },
    });
    const content = deltas(chunks)
      .map((d) => d.content)
      .filter((c) => typeof c === 'string' && c !== '');
    expect(content).toEqual([`<think>\n${tokenText('reasoning', 0, 1)}\n</thi`, `nk>\n\n${tokenText('answer', 0, 1)}`]);
  });
  it('MiniMax reasoning_split: reasoning_details with type, id, format, index and text', async () => {
    const { chunks } = await openai('w-details', {
      ttftMs: 0,
      tokensPerSecond: 2000,
      outputTokens: 1,
      reasoningTokens: 1,
      quirks: { reasoningDetails: true },
    });
    expect(deltas(chunks)).toContainEqual(
      expect.objectContaining({
        reasoning_details: [
          {
            type: 'reasoning.text',
            id: 'reasoning-text-1',
            format: 'MiniMax-response-v1',
            index: 0,
            text: tokenText('reasoning', 0, 1),
          },
        ],
      }),
    );
  });
  it('DeepSeek keep-alive comments go out, byte for byte, before the first data line only', async () => {
    const { text } = await openai('w-ka', {
      ttftMs: 250,
      tokensPerSecond: 2000,
      outputTokens: 3,
      emptyRoleChunk: false,
      quirks: { keepAlive: { everyMs: 50, comment: 'keep-alive' } },
    });
    const firstData = text.indexOf('data: ');
    expect(text.slice(0, firstData)).toMatch(/^(: keep-alive\n\n){3,}$/);
    expect(text.slice(firstData)).not.toContain(': keep-alive');
  });
  it('OpenRouter: provider on every chunk, reasoning beside reasoning_details, usage with cost', async () => {
    const { chunks } = await openai('w-or', {
      ttftMs: 0,
      tokensPerSecond: 2000,
      outputTokens: 1,
      reasoningTokens: 1,
      quirks: { openRouter: { provider: 'DeepInfra', costUsd: 0.00042 } },
    });
    expect(chunks.every((c) => c.provider === 'DeepInfra' && String(c.id).startsWith('gen-'))).toBe(true);
    expect(deltas(chunks)).toContainEqual(
      expect.objectContaining({
        reasoning: tokenText('reasoning', 0, 1),
        reasoning_details: [expect.objectContaining({ type: 'reasoning.text', text: tokenText('reasoning', 0, 1) })],
      }),
    );
    expect(chunks.at(-1)!.usage).toMatchObject({ cost: 0.00042, is_byok: false, completion_tokens: 2 });
  });
  it('vLLM per-request metrics and speculative_decoding ride the usage chunk', async () => {
    const { chunks } = await openai('w-vllm', {
      ttftMs: 30,
      tokensPerSecond: 500,
      outputTokens: 10,
      quirks: {
        vllmMetrics: { queueTimeMs: 10, spec: { steps: 43, draftTokens: 129, acceptedTokens: 10, numSpecTokens: 3 } },
      },
    });
    const m = chunks.at(-1)!.metrics as Record<string, number | Record<string, number>>;
    expect(m.queue_time_ms).toBe(10);
    expect(m.time_to_first_token_ms as number).toBeGreaterThan(15);
    expect(m.speculative_decoding).toMatchObject({
      num_spec_steps: 43,
      num_draft_tokens: 129,
      num_accepted_draft_tokens: 10,
      num_spec_tokens: 3,
    });
    expect((m.speculative_decoding as Record<string, number>).mean_acceptance_length).toBeCloseTo(1 + 10 / 43, 12);
  });
  it('OpenAI obfuscation: a padding field on every chunk', async () => {
    const { chunks } = await openai('w-obf', {
      ttftMs: 0,
      tokensPerSecond: 2000,
      outputTokens: 2,
      quirks: { obfuscation: true },
    });
    expect(chunks.every((c) => typeof c.obfuscation === 'string' && (c.obfuscation as string).length >= 4)).toBe(true);
  });
  it('Ollama cold start: load_duration is the load, prompt_eval_cached_count is there', async () => {
    server.setModel('w-cold', {
      ttftMs: 300,
      tokensPerSecond: 1000,
      outputTokens: 2,
      quirks: { ollama: { modelLoadMs: 250, promptCachedTokens: 7 } },
    });
    const res = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'w-cold', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const last = JSON.parse((await res.text()).trim().split('\n').at(-1)!) as Record<string, number>;
    expect(last.load_duration).toBe(250e6);
    expect(last.prompt_eval_cached_count).toBe(7);
    expect(last.prompt_eval_duration / 1e6).toBeGreaterThan(30); // the rest of the 300 ms wait
  });
  it('provider error bodies are served as given, with their status', async () => {
    server.setModel('w-zai', {
      ttftMs: 0,
      tokensPerSecond: 100,
      outputTokens: 1,
      fault: { kind: 'status', ...PROVIDER_ERRORS.zaiArrears },
    });
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'w-zai', stream: true }),
    });
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ error: { code: '1113', message: '余额不足或无可用资源包,请充值。' } });
  });
});
