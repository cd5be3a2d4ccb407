/**
 * No false successes: a 200 that is not a stream, or a stream without a token, is a failed run of a
 * specific kind, and enters the history as a failure; the last SSE event counts at a clean end; usage
 * counts that are not whole numbers in range never enter the medians.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsFromReport } from '../../src/core/history';
import { runBenchmark } from '../../src/core/runner';
import { sseFramer } from '../../src/core/stream/framing';
import type { ModelResult, ModelSpec, ProtocolId } from '../../src/core/types';
import { startHostileServer, type HostileServer } from './servers.mjs';

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(() => server.close());

function spec(model: string, protocol: ProtocolId = 'openai-chat'): ModelSpec {
  return {
    id: `hostile-${model}`,
    protocol,
    baseUrl: protocol === 'openai-chat' ? `${server.url}/v1` : server.url,
    model,
    region: 'local',
    tokenizer: 'o200k',
    price: { inputPerM: 1, outputPerM: 2 },
  };
}

async function bench(
  model: string,
  protocol: ProtocolId = 'openai-chat',
): Promise<{ result: ModelResult; history: ReturnType<typeof recordsFromReport> }> {
  const report = await runBenchmark({
    models: [spec(model, protocol)],
    prompt: 'Write a haiku about tokens.',
    runs: 1,
    warmup: 0,
    timeoutMs: 10_000,
  });
  return { result: report.results[0], history: recordsFromReport(report, { category: 'chat', storePrompt: false }) };
}

describe('a 200 that is not a stream is a failed run', () => {
  const cases: [string, ProtocolId, string, RegExp][] = [
    [
      'gzip',
      'openai-chat',
      'not-a-stream',
      /answered HTTP 200 with a compressed body \(content-encoding: gzip\) though Tokenscope asked for none/,
    ],
    [
      'json',
      'openai-chat',
      'not-a-stream',
      /answered with one JSON body instead of a stream\. It ignored "stream": true/,
    ],
    [
      'html-untyped',
      'openai-chat',
      'not-a-stream',
      /answered with an HTML page instead of a stream \("Sign in to continue"\)/,
    ],
    ['empty', 'openai-chat', 'not-a-stream', /answered HTTP 200 with an empty body instead of a stream/],
    ['204', 'openai-chat', 'not-a-stream', /answered HTTP 204 \(no content\) instead of a stream/],
    ['stream-false', 'ollama', 'not-a-stream', /answered with one JSON body instead of a stream/],
    ['no-token', 'openai-chat', 'no-tokens', /the stream ended without a single token after \d+ event\(s\)/],
  ];
  for (const [model, protocol, kind, message] of cases) {
    it(`${model} (${protocol}): ${kind}, a failure in the history too`, async () => {
      const { result, history } = await bench(model, protocol);
      const run = result.runs[0];
      expect(run.ok).toBe(false);
      expect(run.errorKind).toBe(kind);
      expect(run.error).toMatch(new RegExp(`^hostile-${model} \\(127\\.0\\.0\\.1:\\d+\\): `));
      expect(run.error).toMatch(message);
      expect(result.failedRuns).toBe(1);
      expect(result.summary.decodeTps ?? null).toBeNull();
      expect(history).toHaveLength(1);
      expect(history[0].metrics).toMatchObject({ ok: false, errorKind: kind });
    });
  }
});

describe('the last SSE event counts at a clean end', () => {
  it('a trailing usage frame without its blank line is kept', async () => {
    const { result } = await bench('usage-no-blank');
    const run = result.runs[0];
    expect(run.ok).toBe(true);
    expect(run.tokenSource).toBe('usage');
    expect(run.outputTokens).toBe(10);
    expect(run.inputTokens).toBe(3);
  });

  it('a final frame cut inside its JSON is malformed, not a success', async () => {
    const { result } = await bench('truncated-tail');
    const run = result.runs[0];
    expect(run.ok).toBe(false);
    expect(run.errorKind).toBe('malformed');
    expect(run.error).toMatch(
      /not valid JSON after \d+ token chunk\(s\): "\{\\"id\\":\\"chatcmpl-hostile\\",\\"object\\":\\"chat\.completion\.chunk\\",\\"choi"/,
    );
    // What arrived before it is kept.
    expect(run.answerText).toBe('The quick brown fox jumps over the lazy dog.');
  });

  it('events separated by single newlines give their tokens and usage', async () => {
    const { result } = await bench('single-newline');
    const run = result.runs[0];
    expect(run.ok).toBe(true);
    expect(run.answerText).toBe('The quick brown fox jumps over the lazy dog.');
    expect(run.tokenSource).toBe('usage');
    expect(run.outputTokens).toBe(10);
  });
});

describe('usage counts must be whole numbers from 0 to 10,000,000', () => {
  const cases: [string, string][] = [
    ['usage-negative', 'outputTokens = -5'],
    ['usage-fractional', 'outputTokens = 2.5'],
    ['usage-huge', 'outputTokens = 1e+308'],
  ];
  for (const [model, shown] of cases) {
    it(`${model}: the tokenizer count is used instead, with a note, and the rate is real`, async () => {
      const { result } = await bench(model);
      const run = result.runs[0];
      expect(run.ok).toBe(true);
      expect(run.tokenSource).toBe('tokenizer');
      expect(run.outputTokens).toBe(run.tokenizerCount);
      expect(run.outputTokens).toBeGreaterThanOrEqual(9);
      expect(run.notes.join(' ')).toMatch(
        /^the provider's usage reported .*, not a whole number from 0 to 10,000,000; output tokens were counted with o200k\S* instead$/,
      );
      expect(run.notes.join(' ')).toContain(shown);
      expect(result.warnings.join(' ')).toContain(shown);
      expect(run.decodeTps).toBeGreaterThan(0);
      // An input count that was not believed leaves the cost unknown rather than absurd.
      if (model === 'usage-huge') expect([run.inputTokens, run.costUsd]).toEqual([null, null]);
      else {
        expect(run.inputTokens).toBe(3);
        expect(Number.isFinite(run.costUsd)).toBe(true);
      }
    });
  }
});

describe('the SSE framer at a clean end', () => {
  const tail = (wire: string) => {
    const got: string[] = [];
    const framer = sseFramer((payload) => got.push(payload));
    framer.feed(wire);
    framer.end();
    return got;
  };
  it('delivers a last event without its blank line, whatever the line ends', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      expect(tail(`data: a${eol}${eol}data: b${eol}`), JSON.stringify(eol)).toEqual(['a', 'b']);
      expect(tail(`data: a${eol}${eol}data: b`), JSON.stringify(eol)).toEqual(['a', 'b']);
    }
  });
  it('delivers nothing extra after a complete stream, and nothing for a field without data', () => {
    expect(tail('data: a\n\n')).toEqual(['a']);
    expect(tail('data: a\n\nevent: ping\n')).toEqual(['a']);
    expect(tail(': keep-alive\n')).toEqual([]);
  });
});
