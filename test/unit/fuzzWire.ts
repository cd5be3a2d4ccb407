/** Valid streams in each protocol's real wire shape, for the fuzz tests (unit and integration). */
import fc from 'fast-check';
import { protocolFor } from '../../src/core/protocols';
import { framerFor } from '../../src/core/stream/framing';
import type { Channel, ProtocolId, StreamEvent } from '../../src/core/types';
import { resolveSchedule } from '../server/schedule';
import { createEncoder, type StreamContext } from '../server/wire';

export interface Piece {
  channel: Channel;
  text: string;
}

/** A whole response in the protocol's real shape (the test server's encoders), carrying `pieces`. */
export function wireStream(protocol: ProtocolId, pieces: Piece[]): string {
  const reasoning = pieces.filter((p) => p.channel === 'reasoning').length;
  const answer = pieces.length - reasoning;
  const schedule = resolveSchedule({
    ttftMs: 0,
    tokensPerSecond: 100,
    outputTokens: answer,
    reasoningTokens: reasoning,
  });
  const ctx: StreamContext = {
    protocol,
    model: 'fuzz-model',
    schedule,
    usage: {
      inputTokens: 5,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: reasoning,
      answerTokens: answer,
    },
    withUsage: true,
    requestId: 'fz1',
    createdSec: 1,
  };
  const enc = createEncoder(ctx);
  let out = enc.open().join('');
  for (const p of pieces) out += enc.content(p.channel, p.text, 1);
  return out + enc.close({ receivedAt: 0, startedAt: 0, firstGeneratedAt: 1, now: 2 }).join('');
}

/** Token text: arbitrary code points, or runs of 2-, 3- and 4-byte UTF-8 characters, combining marks and ZWJ emoji. */
export const tokenTextArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
  fc
    .array(fc.constantFrom('你', '好', '😀', '𝄞', 'é', 'ß', 'e\u0301', 'ক্ষ', '👩‍👩‍👧', '\u202e', '"', '\\', '\n'), {
      minLength: 1,
      maxLength: 6,
    })
    .map((a) => a.join('')),
);

/** Reasoning pieces first, then answer pieces (as the encoders expect), each with non-empty text. */
export const piecesArb: fc.Arbitrary<Piece[]> = fc
  .tuple(fc.array(tokenTextArb, { maxLength: 5 }), fc.array(tokenTextArb, { minLength: 1, maxLength: 8 }))
  .map(([r, a]) => [
    ...r.map((text) => ({ channel: 'reasoning' as const, text })),
    ...a.map((text) => ({ channel: 'answer' as const, text })),
  ]);

export function decodeAll(protocol: ProtocolId, pieces: string[]): StreamEvent[] {
  const p = protocolFor(protocol);
  const events: StreamEvent[] = [];
  const framer = framerFor(p.framing, (payload, name) => events.push(...p.decode(payload, name)));
  for (const piece of pieces) framer.feed(piece);
  framer.end();
  return events;
}
