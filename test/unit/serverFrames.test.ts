/**
 * The test server builds each OpenAI content frame once per channel and fills in the text after: every frame must
 * still be the one a fresh build gives (same fields, the text exactly as given, escaped as JSON).
 */
import { describe, expect, it } from 'vitest';
import { resolveSchedule, type Schedule } from '../server/schedule';
import { createEncoder, type StreamContext } from '../server/wire';

const TEXTS = ['Hi', ' a "quote"', 'line\nbreak', ' → ünï 字', 'back\\slash', '\u2028', ''];

function frames(schedule: Schedule, channel: 'answer' | 'reasoning'): Record<string, unknown>[] {
  const ctx: StreamContext = {
    protocol: 'openai-chat',
    model: 'm',
    schedule: resolveSchedule(schedule),
    usage: { inputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 3, answerTokens: 3 },
    withUsage: true,
    requestId: 'r1',
    createdSec: 1,
  };
  const enc = createEncoder(ctx);
  enc.open();
  return TEXTS.map((t) => {
    const frame = enc.content(channel, t, 1);
    expect(frame.startsWith('data: ') && frame.endsWith('\n\n')).toBe(true);
    return JSON.parse(frame.slice('data: '.length)) as Record<string, unknown>;
  });
}

/** The frame with its text (and the first frame's role) taken out. */
function shape(frame: Record<string, unknown>, field: string): unknown {
  const copy = structuredClone(frame) as { choices: { delta: Record<string, unknown> }[] };
  const delta = copy.choices[0].delta;
  delete delta.role;
  delta[field] = '<text>';
  if (Array.isArray(delta.reasoning_details)) delta.reasoning_details = '<details>';
  return copy;
}

const base: Schedule = { ttftMs: 1, tokensPerSecond: 100, outputTokens: 3 };
const cases: [string, Schedule, 'answer' | 'reasoning', string][] = [
  ['plain answer', base, 'answer', 'content'],
  ['answer beside visible reasoning', { ...base, reasoningTokens: 3 }, 'answer', 'content'],
  ['DeepSeek reasoning_content', { ...base, reasoningTokens: 3 }, 'reasoning', 'reasoning_content'],
  [
    'OpenRouter reasoning',
    { ...base, reasoningTokens: 3, quirks: { openRouter: { provider: 'X', costUsd: 0 } } },
    'reasoning',
    'reasoning',
  ],
  ['role in its own chunk first', { ...base, emptyRoleChunk: true }, 'answer', 'content'],
];

describe('test server content frames', () => {
  it.each(cases)(
    '%s: each frame carries its own text in the first frame’s shape',
    (_name, schedule, channel, field) => {
      const out = frames(schedule, channel);
      out.forEach((f, i) => {
        const delta = (f.choices as { delta: Record<string, unknown> }[])[0].delta;
        expect(delta[field]).toBe(TEXTS[i]);
        // The first frame (it carries the role, unless a role chunk went first) is built whole; the rest from the template.
        expect(shape(f, field)).toEqual(shape(out[0], field));
      });
    },
  );
});
