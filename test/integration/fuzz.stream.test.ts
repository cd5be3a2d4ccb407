/**
 * Fuzzing the whole stream client (streamRequest: socket → TextDecoder → framer → decoder) through a tiny local
 * server that writes a response's bytes in arbitrary pieces, one write each (fixed seed; FUZZ_RUNS for more):
 * - a valid stream in each protocol, cut at arbitrary byte positions (inside multi-byte UTF-8 characters too),
 *   completes without error and yields exactly the text sent, the same events as one-shot decoding;
 * - random bytes as a 200 stream never throw out of the client: the run completes or fails cleanly as
 *   'malformed' (or 'stream-error' if the bytes happen to form an error event), within its time limit;
 * - random bytes as an error body or an HTML page give a 'server' / 'not-a-stream' error whose message is
 *   one printable line.
 */
import fc from 'fast-check';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamRequest } from '../../src/core/stream/streamRequest';
import type { ModelSpec, ProtocolId, StreamTrace } from '../../src/core/types';
import { fuzz, fuzzTimeout, splitAt } from '../unit/fuzzConfig';
import { decodeAll, piecesArb, wireStream } from '../unit/fuzzWire';
import { startRawServer, TERMINAL_UNSAFE, type RawServer } from './reliability.helpers';

const PROTOCOLS: ProtocolId[] = ['openai-chat', 'anthropic', 'ollama', 'gemini'];
const CONTENT_TYPE: Record<ProtocolId, string> = {
  'openai-chat': 'text/event-stream',
  anthropic: 'text/event-stream',
  ollama: 'application/x-ndjson',
  gemini: 'text/event-stream',
};

/** What the server sends next: a status, a content type and the body's pieces. */
let next: { status: number; contentType: string; pieces: Buffer[] } = {
  status: 200,
  contentType: 'text/plain',
  pieces: [],
};
let server: RawServer;

const tick = () => new Promise<void>((r) => setImmediate(r));

async function answer(res: ServerResponse) {
  const { status, contentType, pieces } = next;
  res.socket?.setNoDelay(true);
  res.writeHead(status, { 'content-type': contentType });
  res.flushHeaders();
  for (const p of pieces) {
    res.write(p);
    await tick(); // a separate write, and mostly a separate read on the client
  }
  res.end();
}

beforeAll(async () => {
  server = await startRawServer((_, res) => answer(res));
});
afterAll(() => server.close());

const spec = (protocol: ProtocolId): ModelSpec => ({
  id: `fuzz-${protocol}`,
  protocol,
  baseUrl: protocol === 'openai-chat' ? `${server.url}/v1` : server.url,
  model: 'fuzz-model',
  region: 'local',
});

/** One request with a hard bound: streamRequest never rejects, and must settle within its own limits. */
async function request(protocol: ProtocolId): Promise<StreamTrace> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error('streamRequest did not settle within 8 s')), 8_000)),
  );
  try {
    return await Promise.race([
      streamRequest(spec(protocol), { prompt: 'x', maxTokens: 16, timeoutMs: 5_000, stallTimeoutMs: 3_000 }),
      bound,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const byteCuts = fc.array(fc.nat(), { maxLength: 30 });

describe.each(PROTOCOLS)('%s through streamRequest', (protocol) => {
  it(
    'a valid stream cut at arbitrary byte positions gives exactly the text sent',
    { timeout: fuzzTimeout(50, 100) },
    async () => {
      let splitReads = 0; // runs whose bytes really arrived in several reads
      await fc.assert(
        fc.asyncProperty(piecesArb, byteCuts, async (pieces, cuts) => {
          const wire = wireStream(protocol, pieces);
          next = { status: 200, contentType: CONTENT_TYPE[protocol], pieces: splitAt(Buffer.from(wire, 'utf8'), cuts) };
          const trace = await request(protocol);
          if (trace.reads > 1) splitReads++;
          expect(trace.error).toBeUndefined();
          expect(trace.events.map((e) => e.event)).toEqual(decodeAll(protocol, [wire]));
          for (const channel of ['reasoning', 'answer'] as const) {
            const got = trace.events
              .flatMap((e) => (e.event.kind === 'token' && e.event.channel === channel ? [e.event.text] : []))
              .join('');
            expect(got).toBe(
              pieces
                .filter((p) => p.channel === channel)
                .map((p) => p.text)
                .join(''),
            );
          }
        }),
        fuzz(50),
      );
      expect(splitReads).toBeGreaterThan(10);
    },
  );

  it(
    'random bytes as a stream: completes with tokens or fails cleanly, never throws or hangs',
    { timeout: fuzzTimeout(50, 100) },
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 1500 }), byteCuts, async (bytes, cuts) => {
          next = { status: 200, contentType: CONTENT_TYPE[protocol], pieces: splitAt(Buffer.from(bytes), cuts) };
          const trace = await request(protocol);
          // Success means at least one token arrived; a response without one is never a run with 0 tokens.
          if (!trace.error) expect(trace.events.some((e) => e.event.kind === 'token' && e.event.text)).toBe(true);
          if (trace.error) {
            expect(['malformed', 'stream-error', 'not-a-stream', 'no-tokens']).toContain(trace.error.kind);
            expect(trace.error.message).toMatch(/^fuzz-/);
            expect(trace.error.message).not.toMatch(TERMINAL_UNSAFE);
          }
        }),
        fuzz(50),
      );
    },
  );
});

describe('random bytes where an error body or a page is expected', () => {
  it(
    'an error status: a server error (503: overloaded) with a one-line printable message',
    { timeout: fuzzTimeout(50, 100) },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...PROTOCOLS),
          fc.constantFrom(500, 502, 503),
          fc.uint8Array({ maxLength: 1500 }),
          byteCuts,
          async (protocol, status, bytes, cuts) => {
            next = { status, contentType: 'application/json', pieces: splitAt(Buffer.from(bytes), cuts) };
            const trace = await request(protocol);
            const [kind, words] =
              status === 503 ? ['overloaded', 'the provider is overloaded'] : ['server', 'server error'];
            expect(trace.error?.kind).toBe(kind);
            expect(trace.error?.message).toMatch(
              new RegExp(`^fuzz-${protocol} \\(127\\.0\\.0\\.1:\\d+\\): ${words} \\(HTTP ${status}`),
            );
            expect(trace.error?.message).not.toMatch(TERMINAL_UNSAFE);
            expect(trace.error?.message).not.toMatch(/\n/);
          },
        ),
        fuzz(50),
      );
    },
  );

  it('an HTML page: not a stream, with a printable title', { timeout: fuzzTimeout(50, 100) }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PROTOCOLS),
        fc.uint8Array({ maxLength: 600 }),
        byteCuts,
        async (protocol, bytes, cuts) => {
          const page = Buffer.concat([
            Buffer.from('<html><title>'),
            Buffer.from(bytes.filter((b) => b !== 0x3c)),
            Buffer.from('</title></html>'),
          ]);
          next = { status: 200, contentType: 'text/html; charset=utf-8', pieces: splitAt(page, cuts) };
          const trace = await request(protocol);
          expect(trace.error?.kind).toBe('not-a-stream');
          expect(trace.error?.message).not.toMatch(TERMINAL_UNSAFE);
        },
      ),
      fuzz(50),
    );
  });
});
