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

/** Whether bytes spread over reads contain a tag (also across a boundary between two reads), raw or JSON-escaped. */
function includesAcross(chunks: readonly Buffer[], tag: string): boolean {
  // Go's encoding/json (Ollama) writes < and > as \u003c and \u003e.
  const needles = [tag, tag.replace('<', '\\u003c').replace('>', '\\u003e')].map((t) => Buffer.from(t));
  return needles.some((n) => {
    const k = n.length - 1;
    for (let i = 0; i < chunks.length; i++) {
      if (chunks[i].includes(n)) return true;
      // A boundary can only hold the tag if the needle's first byte is among the previous read's last k bytes:
      // checking that first saves a copy per read (thousands per response).
      const prev = i > 0 ? chunks[i - 1] : undefined;
      if (
        prev &&
        prev.indexOf(n[0], Math.max(0, prev.length - k)) !== -1 &&
        Buffer.concat([prev.subarray(-k), chunks[i].subarray(0, k)]).includes(n)
      )
        return true;
    }
    return false;
  });
}

/**
 * A splitter for one response. Given the response's bytes, it also knows a response that opens inside the
 * reasoning: a chat template that writes `<think>` into the prompt (DeepSeek-R1 and its distills, MiniMax-M3
 * with thinking_mode enabled) leaves only the closing tag in the output, so a response with a closing tag and no
 * opening one starts as reasoning. The bytes are searched for the whole tag: those models write it as one
 * token, so it never straddles two events (a tag cut across events is only recognised after an opening tag).
 */
export function inlineThinkingSplitter(response: readonly Buffer[] = []): InlineThinkingSplitter {
  // start: no answer text yet; thinking: inside the tags; after: past the closing tag, only whitespace so far.
  let state: 'start' | 'thinking' | 'after' | 'answer' = 'start';
  let held = '';
  let close = '';
  const prefilled = TAGS.find(([open, end]) => includesAcross(response, end) && !includesAcross(response, open));
  if (prefilled) {
    state = 'thinking';
    close = prefilled[1];
  }

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
