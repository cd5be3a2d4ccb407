import { createParser } from 'eventsource-parser';

/** Receives one complete payload: an SSE event's data (with its event name) or one NDJSON line. */
export type PayloadSink = (payload: string, eventName: string | undefined) => void;

export interface Framer {
  /** Feeds decoded text; payloads completed by it are passed to the sink synchronously. */
  feed(text: string): void;
  /** Flushes a trailing payload that was not newline-terminated. */
  end(): void;
}

export function sseFramer(sink: PayloadSink): Framer {
  const parser = createParser({ onEvent: (ev) => sink(ev.data, ev.event) });
  // The parser holds back a CR that ends its input, to see whether an LF follows. At the end of the stream
  // that CR is a line end: without this, a stream with CR line ends would lose its last event.
  let endsWithCr = false;
  return {
    feed(text) {
      if (!text) return;
      parser.feed(text);
      endsWithCr = text.charCodeAt(text.length - 1) === 13;
    },
    end() {
      if (endsWithCr) parser.feed('\n');
      endsWithCr = false;
      parser.reset({ consume: true });
    },
  };
}

export function ndjsonFramer(sink: PayloadSink): Framer {
  let pending = '';
  return {
    feed(text) {
      pending += text;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        if (line.trim()) sink(line, undefined);
        nl = pending.indexOf('\n');
      }
    },
    end() {
      const line = pending.trim();
      pending = '';
      if (line) sink(line, undefined);
    },
  };
}

export function framerFor(framing: 'sse' | 'ndjson', sink: PayloadSink): Framer {
  return framing === 'sse' ? sseFramer(sink) : ndjsonFramer(sink);
}
