import { createParser } from 'eventsource-parser';

/** Receives one complete payload: an SSE event's data (with its event name) or one NDJSON line. */
export type PayloadSink = (payload: string, eventName: string | undefined) => void;

export interface Framer {
  /** Feeds decoded text; payloads completed by it are passed to the sink synchronously. */
  feed(text: string): void;
  /** The stream ended cleanly: delivers a trailing payload that lacks its final newline or blank line. */
  end(): void;
}

export function sseFramer(sink: PayloadSink): Framer {
  // eventsource-parser reports each line with an unknown field as an Error; building the stack trace of
  // millions of those (a server sending junk) costs seconds, and nothing reads them.
  const parser = createParser({ onEvent: (ev) => sink(ev.data, ev.event) });
  return {
    feed(text) {
      if (!text) return;
      const stackTraceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        parser.feed(text);
      } finally {
        Error.stackTraceLimit = stackTraceLimit;
      }
    },
    end() {
      // At a clean end the last event counts even without its blank line (and a held-back CR is a line
      // end): two line feeds end the open line and then the event. An empty event dispatches nothing.
      parser.feed('\n\n');
      parser.reset();
    },
  };
}

/** NDJSON lines; each read is searched once, so a line split over many reads costs linear time. */
export function ndjsonFramer(sink: PayloadSink): Framer {
  let parts: string[] = [];
  const emit = (line: string) => {
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (trimmed.trim()) sink(trimmed, undefined);
  };
  return {
    feed(text) {
      let start = 0;
      let nl = text.indexOf('\n');
      while (nl >= 0) {
        const tail = text.slice(start, nl);
        emit(parts.length ? parts.join('') + tail : tail);
        parts = [];
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      if (start < text.length) parts.push(start ? text.slice(start) : text);
    },
    end() {
      const line = parts.join('').trim();
      parts = [];
      if (line) sink(line, undefined);
    },
  };
}

export function framerFor(framing: 'sse' | 'ndjson', sink: PayloadSink): Framer {
  return framing === 'sse' ? sseFramer(sink) : ndjsonFramer(sink);
}
