import type { ModelSpec, ProtocolId, StreamEvent } from '../types';

export interface RequestOptions {
  maxTokens: number;
  apiKey?: string;
  /** Mark the prompt as cacheable where the protocol needs it (Anthropic's cache_control). */
  cacheControl?: boolean;
}

/** A fully built HTTP request. `headers` may hold the key: never log or store them. */
export interface HttpRequestSpec {
  url: URL;
  headers: Record<string, string>;
  body: string;
}

/**
 * One wire protocol. Most vendors speak OpenAI Chat Completions with small differences, so
 * protocols are per dialect, not per vendor; the differences live inside each decoder.
 */
export interface WireProtocol {
  id: ProtocolId;
  /** How payloads are framed on the wire. */
  framing: 'sse' | 'ndjson';
  /** Whether answer text may open with inline `<think>…</think>` reasoning (see inlineThinking.ts). */
  inlineThinking?: boolean;
  buildRequest(spec: ModelSpec, prompt: string, opts: RequestOptions): HttpRequestSpec;
  /** Decodes one SSE data payload (with its event name) or one NDJSON line. Throws on invalid JSON. */
  decode(payload: string, eventName?: string): StreamEvent[];
  /** Pulls the provider's own message out of an error body, if it has the provider's shape. */
  errorMessage(body: string): string | undefined;
}

/** Joins a base URL and a path without doubling or dropping slashes. */
export function joinUrl(baseUrl: string, path: string): URL {
  return new URL(baseUrl.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, ''));
}

export function jsonHeaders(extra: Record<string, string | undefined>): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'text/event-stream, application/x-ndjson, application/json',
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) headers[k] = v;
  return headers;
}

/** Reads `error.message` / `error` / `message` from a JSON error body. */
export function jsonErrorMessage(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const obj = (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown> | undefined;
    if (!obj || typeof obj !== 'object') return undefined;
    const err = obj.error;
    if (typeof err === 'string') return err;
    if (err && typeof err === 'object') {
      const e = err as Record<string, unknown>;
      const type = typeof e.type === 'string' ? e.type : typeof e.status === 'string' ? e.status : undefined;
      const msg = typeof e.message === 'string' ? e.message : undefined;
      if (msg) return type ? `${type}: ${msg}` : msg;
    }
    if (typeof obj.message === 'string') return obj.message;
  } catch {
    /* not JSON */
  }
  return undefined;
}

/**
 * The machine-readable codes of a JSON error body: `error.code`, `error.type`, `error.status` (Google), a
 * top-level `code`/`type`, and Google's ErrorInfo `reason`. Numbers come back as strings (Z.ai's "1113").
 */
export function jsonErrorCodes(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const top = obj(Array.isArray(parsed) ? parsed[0] : parsed);
  if (!top) return [];
  const err = obj(top.error);
  // Anthropic's envelope says type "error" around the real type: that one is no code.
  const codes: unknown[] = [err?.code, err?.type, err?.status, top.code, top.type === 'error' ? undefined : top.type];
  if (Array.isArray(err?.details)) for (const d of err.details) codes.push(obj(d)?.reason);
  return codes.filter((c) => (typeof c === 'string' && c !== '') || typeof c === 'number').map(String);
}

/**
 * Google's RetryInfo `retryDelay` ("20s") in an error body, in seconds: Gemini says how long to wait there, not in
 * a retry-after header (ai.google.dev/gemini-api/docs/rate-limits, read 2026-12-03).
 */
export function jsonRetryDelaySec(body: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const details = obj(obj(Array.isArray(parsed) ? parsed[0] : parsed)?.error)?.details;
    if (!Array.isArray(details)) return undefined;
    for (const d of details) {
      const m = /^(\d+(?:\.\d+)?)s$/.exec(String(obj(d)?.retryDelay ?? ''));
      if (m) return Number(m[1]);
    }
  } catch {
    /* not JSON */
  }
  return undefined;
}

/**
 * An error event from a payload the server marked as an error (`event: error`), whatever its shape: the
 * provider's message if it has one, else the payload itself (OpenAI and Anthropic may send a payload with no
 * `error` key, or one that is not JSON).
 */
export function errorEvent(payload: string): StreamEvent {
  const codes = jsonErrorCodes(payload);
  const message = jsonErrorMessage(payload) ?? errorValue(payload) ?? (payload.trim() || 'error event in stream');
  // A named code ("UNAVAILABLE") says more than a numeric one (Google's 503).
  const code = codes.find((c) => !/^\d+$/.test(c)) ?? codes[0];
  return { kind: 'error', message, ...(code !== undefined ? { code } : {}) };
}

/** An `error` value with no message in it, as JSON text (Ollama may send any shape). */
function errorValue(payload: string): string | undefined {
  try {
    const err = obj(JSON.parse(payload))?.error;
    return err === undefined ? undefined : JSON.stringify(err);
  } catch {
    return undefined;
  }
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The sum of token counts, or undefined if it overflows (a hostile server can send 1e308). */
export function sum(...vs: number[]): number | undefined {
  return num(vs.reduce((a, b) => a + b, 0));
}

export function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
