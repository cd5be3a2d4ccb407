/**
 * Property-based fuzzing of the stream framers and the four protocol decoders (fast-check, fixed seed; a larger
 * run on demand with FUZZ_RUNS, see fuzzConfig.ts):
 * - SSE: any events (multi-line data, event names, ids, comments, retry and unknown fields) with LF, CRLF, CR or
 *   mixed line ends, cut at arbitrary points, give exactly the events of one-shot feeding — and the intended ones.
 * - NDJSON: any JSON lines with LF/CRLF ends, blank lines and a missing final newline, cut anywhere: same lines.
 * - Each decoder over a valid stream in its real wire shape (the test server's encoders) with arbitrary text,
 *   cut anywhere: the same events as one-shot, and the streamed text is exactly what was sent.
 * - Each decoder on arbitrary JSON (and JSON shaped like its protocol) never throws and returns well-formed
 *   events; on arbitrary text it throws nothing but a SyntaxError (which the client reports as 'malformed').
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protocolFor } from '../../src/core/protocols';
import { ndjsonFramer, sseFramer } from '../../src/core/stream/framing';
import type { ProtocolId, StreamEvent } from '../../src/core/types';
import { fuzz, fuzzTimeout, splitAt } from './fuzzConfig';
import { decodeAll, piecesArb, wireStream } from './fuzzWire';

/** Test timeout for a property of `runs` cases (scales with FUZZ_RUNS). */
const within = (runs: number) => ({ timeout: fuzzTimeout(runs, 1) });

const PROTOCOLS: ProtocolId[] = ['openai-chat', 'anthropic', 'ollama', 'gemini'];
const cuts = fc.array(fc.nat(), { maxLength: 40 });

// ---------------------------------------------------------------- SSE

/** A field value: any text without line breaks. */
const lineText = fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ''));

interface SseEvent {
  name?: string;
  data: string[];
  id?: string;
  comment?: string;
  retry?: string;
  unknown?: string;
}

const sseEvent: fc.Arbitrary<SseEvent> = fc.record(
  {
    name: lineText,
    data: fc.array(lineText, { minLength: 0, maxLength: 4 }),
    id: lineText,
    comment: lineText,
    retry: fc.oneof(fc.nat().map(String), lineText),
    unknown: lineText,
  },
  { requiredKeys: ['data'] },
);

type Eol = '\n' | '\r\n' | '\r' | 'mixed';

/** Serialises events; a blank line ends each. With CR-only ends a CR is never followed by a bare LF (that would read as CRLF). */
function serializeSse(events: SseEvent[], eol: Eol, pick: number[]): string {
  let i = 0;
  const end = () => (eol === 'mixed' ? ((pick[i++ % Math.max(1, pick.length)] ?? 0) % 2 ? '\r\n' : '\n') : eol);
  let out = '';
  for (const e of events) {
    if (e.comment !== undefined) out += `:${e.comment}${end()}`;
    if (e.name !== undefined) out += `event: ${e.name}${end()}`;
    if (e.id !== undefined) out += `id: ${e.id}${end()}`;
    for (const d of e.data) out += `data: ${d}${end()}`;
    if (e.retry !== undefined) out += `retry: ${e.retry}${end()}`;
    if (e.unknown !== undefined) out += `x-${e.unknown.replace(/:/g, '')}: 1${end()}`;
    out += end();
  }
  return out;
}

/** What a conforming parser dispatches: events with at least one data line. */
function expectedSse(events: SseEvent[]): [string, string | undefined][] {
  return events.filter((e) => e.data.length > 0).map((e) => [e.data.join('\n'), e.name || undefined]);
}

function feedSse(pieces: string[]): [string, string | undefined][] {
  const got: [string, string | undefined][] = [];
  const f = sseFramer((data, name) => got.push([data, name]));
  for (const p of pieces) f.feed(p);
  f.end();
  return got;
}

describe('SSE framer under arbitrary chunk boundaries', () => {
  it('gives the same events as one-shot feeding, and the intended ones', within(300), () => {
    fc.assert(
      fc.property(
        fc.array(sseEvent, { maxLength: 8 }),
        fc.constantFrom<Eol>('\n', '\r\n', '\r', 'mixed'),
        fc.array(fc.nat(), { maxLength: 20 }),
        cuts,
        (events, eol, pick, at) => {
          const wire = serializeSse(events, eol, pick);
          const whole = feedSse([wire]);
          expect(whole).toEqual(expectedSse(events));
          expect(feedSse(splitAt(wire, at))).toEqual(whole);
        },
      ),
      fuzz(300),
    );
  });

  it('one character at a time (every CRLF split) gives the same events', within(100), () => {
    fc.assert(
      fc.property(
        fc.array(sseEvent, { maxLength: 5 }),
        fc.constantFrom<Eol>('\n', '\r\n', '\r', 'mixed'),
        fc.array(fc.nat(), { maxLength: 20 }),
        (events, eol, pick) => {
          const wire = serializeSse(events, eol, pick);
          expect(feedSse([...wire])).toEqual(expectedSse(events));
        },
      ),
      fuzz(100),
    );
  });

  it('arbitrary text never throws out of the framer', within(300), () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), cuts, (text, at) => {
        expect(() => feedSse(splitAt(text, at))).not.toThrow();
      }),
      fuzz(300),
    );
  });
});

// ---------------------------------------------------------------- NDJSON

function feedNd(pieces: string[]): string[] {
  const got: string[] = [];
  const f = ndjsonFramer((line) => got.push(line));
  for (const p of pieces) f.feed(p);
  f.end();
  return got;
}

describe('NDJSON framer under arbitrary chunk boundaries', () => {
  it('gives the same lines as one-shot feeding, each parsing to the value sent', within(300), () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('\n', '\r\n'), fc.boolean()), {
          maxLength: 10,
        }),
        fc.boolean(),
        cuts,
        (lines, finalNewline, at) => {
          let wire = '';
          lines.forEach(([v, eol, blankAfter], i) => {
            wire += JSON.stringify(v);
            if (i < lines.length - 1 || finalNewline) wire += eol;
            if (blankAfter && (i < lines.length - 1 || finalNewline)) wire += eol === '\n' ? ' \n' : '\r\n';
          });
          const whole = feedNd([wire]);
          expect(whole.map((l) => JSON.parse(l))).toEqual(lines.map(([v]) => JSON.parse(JSON.stringify(v))));
          expect(feedNd(splitAt(wire, at))).toEqual(whole);
        },
      ),
      fuzz(300),
    );
  });

  it('arbitrary text never throws out of the framer', within(300), () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), cuts, (text, at) => {
        expect(() => feedNd(splitAt(text, at))).not.toThrow();
      }),
      fuzz(300),
    );
  });
});

// ---------------------------------------------------------------- protocol decoders over their real wire shape

describe.each(PROTOCOLS)('%s decoder', (protocol) => {
  it('a valid stream cut anywhere gives the one-shot events and exactly the text sent', within(200), () => {
    fc.assert(
      fc.property(piecesArb, cuts, (pieces, at) => {
        const wire = wireStream(protocol, pieces);
        const whole = decodeAll(protocol, [wire]);
        const tokens = whole.filter((e): e is Extract<StreamEvent, { kind: 'token' }> => e.kind === 'token');
        expect(tokens.map((t) => [t.channel, t.text])).toEqual(pieces.map((p) => [p.channel, p.text]));
        expect(whole.some((e) => e.kind === 'usage')).toBe(true);
        expect(decodeAll(protocol, splitAt(wire, at))).toEqual(whole);
      }),
      fuzz(200),
    );
  });

  const p = protocolFor(protocol);
  const any = fc.anything({
    maxDepth: 2,
    withNullPrototype: false,
    withBoxedValues: false,
    withMap: false,
    withSet: false,
    withTypedArray: false,
    withSparseArray: false,
    withDate: false,
    withObjectString: false,
  }) as fc.Arbitrary<unknown>;
  const num = fc.oneof(fc.double(), fc.integer(), fc.constant(null), fc.string({ maxLength: 3 }));
  const shaped: Record<ProtocolId, fc.Arbitrary<unknown>> = {
    'openai-chat': fc.record(
      {
        choices: fc.array(
          fc.record({ delta: fc.oneof(any, fc.record({ content: any, reasoning_content: any, reasoning: any })) }),
          { maxLength: 2 },
        ),
        usage: fc.oneof(
          any,
          fc.record({
            prompt_tokens: num,
            completion_tokens: num,
            completion_tokens_details: any,
            prompt_tokens_details: any,
          }),
        ),
        timings: any,
        error: any,
      },
      { requiredKeys: [] },
    ),
    anthropic: fc.record(
      {
        type: fc.constantFrom('message_start', 'content_block_delta', 'message_delta', 'message_stop', 'error', 'ping'),
        delta: fc.oneof(
          any,
          fc.record({ type: fc.constantFrom('text_delta', 'thinking_delta'), text: any, thinking: any }),
        ),
        message: fc.record({
          usage: fc.oneof(
            any,
            fc.record({ input_tokens: num, cache_read_input_tokens: num, cache_creation_input_tokens: num }),
          ),
        }),
        usage: fc.record({ output_tokens: num }),
        error: any,
      },
      { requiredKeys: ['type'] },
    ),
    ollama: fc.record(
      {
        message: fc.oneof(any, fc.record({ content: any, thinking: any })),
        done: fc.oneof(fc.boolean(), any),
        eval_count: num,
        eval_duration: num,
        prompt_eval_count: num,
        prompt_eval_duration: num,
        done_reason: any,
        error: any,
      },
      { requiredKeys: [] },
    ),
    gemini: fc.record(
      {
        candidates: fc.array(
          fc.record({
            content: fc.record({ parts: fc.array(fc.record({ text: any, thought: any }), { maxLength: 3 }) }),
          }),
          { maxLength: 2 },
        ),
        usageMetadata: fc.oneof(
          any,
          fc.record({
            promptTokenCount: num,
            candidatesTokenCount: num,
            thoughtsTokenCount: num,
            cachedContentTokenCount: num,
          }),
        ),
        error: any,
      },
      { requiredKeys: [] },
    ),
  };
  const finiteOrUndefined = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));

  it(
    'arbitrary JSON, and JSON shaped like this protocol, never throws and gives well-formed events',
    within(500),
    () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.jsonValue({ maxDepth: 3 }), shaped[protocol]),
          fc.option(fc.constantFrom('message_start', 'content_block_delta', 'error', 'x'), { nil: undefined }),
          (value, eventName) => {
            const payload = JSON.stringify(value) ?? 'null';
            const events = p.decode(payload, eventName);
            expect(Array.isArray(events)).toBe(true);
            for (const e of events) {
              switch (e.kind) {
                case 'token':
                  expect(['answer', 'reasoning']).toContain(e.channel);
                  expect(typeof e.text === 'string' && e.text.length > 0).toBe(true);
                  break;
                case 'usage':
                  for (const v of Object.values(e.usage)) expect(finiteOrUndefined(v), JSON.stringify(e)).toBe(true);
                  break;
                case 'serverTiming':
                  for (const [k, v] of Object.entries(e))
                    if (k !== 'kind') expect(finiteOrUndefined(v), JSON.stringify(e)).toBe(true);
                  break;
                case 'error':
                  expect(typeof e.message).toBe('string');
                  break;
                case 'done':
                  expect(e.reason === undefined || typeof e.reason === 'string').toBe(true);
                  break;
                default:
                  throw new Error(`unknown event ${JSON.stringify(e)}`);
              }
            }
          },
        ),
        fuzz(500),
      );
    },
  );

  it('arbitrary text throws nothing but a SyntaxError (reported as a malformed chunk)', within(500), () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        try {
          p.decode(text, undefined);
        } catch (e) {
          expect(e).toBeInstanceOf(SyntaxError);
        }
      }),
      fuzz(500),
    );
  });
});

describe('cases the fuzzer found (kept as plain examples)', () => {
  it('SSE with CR line ends keeps its last event at the end of the stream', () => {
    expect(feedSse(['data: a\r\r', 'data: b\r\r'])).toEqual([
      ['a', undefined],
      ['b', undefined],
    ]);
    expect(feedSse(['data: only\r', '\r'])).toEqual([['only', undefined]]);
  });
  it('an Ollama error that is an object without a usable toString is reported, not thrown', () => {
    expect(protocolFor('ollama').decode('{"error":{"toString":false}}')).toEqual([
      { kind: 'error', message: '{"toString":false}' },
    ]);
  });
  it('an Anthropic error whose type is not a string has no code', () => {
    expect(
      protocolFor('anthropic').decode('{"type":"error","error":{"type":{"toString":false},"message":"m"}}'),
    ).toEqual([{ kind: 'error', message: 'm', code: undefined }]);
  });
  it('token counts that overflow when summed are unknown, not Infinity', () => {
    const [gemini] = protocolFor('gemini').decode(
      '{"usageMetadata":{"candidatesTokenCount":1e308,"thoughtsTokenCount":1.7e308}}',
    );
    expect(gemini).toMatchObject({ kind: 'usage', usage: { outputTokens: undefined } });
    const [anthropic] = protocolFor('anthropic').decode(
      '{"type":"message_start","message":{"usage":{"input_tokens":1e308,"cache_read_input_tokens":1.7e308}}}',
    );
    expect(anthropic).toMatchObject({ kind: 'usage', usage: { inputTokens: undefined } });
  });
});
