/**
 * Reasoning sent inline in the answer text between `<think>` and `</think>`: MiniMax over its OpenAI-compatible
 * API without `reasoning_split`, and local servers started without a reasoning parser (llama.cpp, vLLM, SGLang,
 * LM Studio, Ollama's /v1). MiniMax-M3 writes `<mm:think>…</mm:think>` (vLLM's minimax_m3_reasoning_parser,
 * docs.vllm.ai, read 2026-12-03).
 *
 * Only a tag at the very start of the answer (after whitespace) opens thinking, so an answer that merely
 * mentions "<think>" is left alone. Tags can be split across chunks: text that may still turn out to be part
 * of a tag is held back until a later chunk settles it, so the answer's first token (hence TTFO) lands on the
 * read that carried the first answer character after the closing tag.
 */
import type { Channel, StreamEvent } from '../types';

const TAGS: readonly (readonly [open: string, close: string])[] = [
  ['<think>', '</think>'],
  ['<mm:think>', '</mm:think>'],
];

export interface InlineThinkingSplitter {
  /** Rewrites one payload's events: answer text inside the tags becomes reasoning. */
  push(events: StreamEvent[]): StreamEvent[];
  /** What is still held back when the stream ends. */
  flush(): StreamEvent[];
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag` (a tag that may be cut in two). */
function partialTagAtEnd(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) if (text.endsWith(tag.slice(0, n))) return n;
  return 0;
}

export function inlineThinkingSplitter(): InlineThinkingSplitter {
  // start: no answer text yet; thinking: inside the tags; after: past the closing tag, only whitespace so far.
  let state: 'start' | 'thinking' | 'after' | 'answer' = 'start';
  let held = '';
  let close = '';

  const feed = (text: string, out: StreamEvent[]) => {
    const emit = (channel: Channel, t: string) => t && out.push({ kind: 'token', channel, text: t });
    held += text;
    for (;;) {
      if (state === 'start') {
        const trimmed = held.trimStart();
        const tag = TAGS.find(([open]) => trimmed.startsWith(open));
        if (tag) {
          state = 'thinking';
          close = tag[1];
          held = trimmed.slice(tag[0].length);
          continue;
        }
        if (trimmed === '' || TAGS.some(([open]) => open.startsWith(trimmed))) return; // may still be a tag
        state = 'answer';
      } else if (state === 'thinking') {
        const end = held.indexOf(close);
        if (end < 0) {
          const keep = partialTagAtEnd(held, close);
          emit('reasoning', held.slice(0, held.length - keep));
          held = held.slice(held.length - keep);
          return;
        }
        emit('reasoning', held.slice(0, end));
        held = held.slice(end + close.length);
        state = 'after';
        continue;
      } else if (state === 'after') {
        // The blank line after </think> goes out with the first real answer text, which is what TTFO measures.
        if (held.trim() === '') return;
        state = 'answer';
      }
      emit('answer', held);
      held = '';
      return;
    }
  };

  return {
    push(events) {
      const out: StreamEvent[] = [];
      for (const e of events) {
        if (e.kind === 'token' && e.channel === 'answer') feed(e.text, out);
        else out.push(e);
      }
      return out;
    },
    flush() {
      const text = held;
      held = '';
      if (!text) return [];
      return [{ kind: 'token', channel: state === 'thinking' ? 'reasoning' : 'answer', text }];
    },
  };
}
