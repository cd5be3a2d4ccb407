/**
 * Sends one streaming request and records when each network read arrived.
 * The timestamp is taken first thing in the 'data' handler and nothing else happens there: decoding
 * runs later, so parsing cost never shifts a measured time. Nothing rejects: failures come back in
 * `error`, with everything that arrived before them kept.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import { httpError, modelWho, networkError, parseRetryAfter, redact } from '../errors';
import { protocolFor } from '../protocols';
import { printable } from '../text';
import type { ModelSpec, RunError, StreamTrace } from '../types';
import { framerFor } from './framing';
import { phasesFrom, serverProcessingMs, watchPhases, type PhaseStamps } from './phases';

export interface StreamRequestOptions {
  prompt: string;
  maxTokens: number;
  apiKey?: string;
  /** Whole-request limit. */
  timeoutMs: number;
  /** Longest silence allowed between reads (and before the headers). */
  stallTimeoutMs: number;
  signal?: AbortSignal;
  agent?: http.Agent;
  /** Anthropic: mark the prompt with cache_control so its prompt cache can be used. */
  cacheControl?: boolean;
}

const MAX_ERROR_BODY = 64 * 1024;

/**
 * The bytes of one response as they arrived, before any decoding. The hot path only stamps and keeps
 * each read; decoding waits (see decodeTrace) so that at high concurrency one stream's parsing never
 * delays another stream's timestamps.
 */
export interface RawTrace {
  requestStart: number;
  headersAt?: number;
  endAt?: number;
  status?: number;
  /** Arrival time of each network read, and its bytes. */
  times: number[];
  chunks: Buffer[];
  bytes: number;
  /** A transport-level failure (HTTP status, network, timeout, cancel). Stream-content errors come from decoding. */
  error?: RunError;
  /** Socket event stamps (DNS, connect, TLS, sent). */
  phaseStamps?: PhaseStamps;
  serverProcessingMs?: number;
}

/** Sends the request and records every read; never rejects. */
export function streamRaw(spec: ModelSpec, opts: StreamRequestOptions): Promise<RawTrace> {
  const protocol = protocolFor(spec.protocol);
  const req = protocol.buildRequest(spec, opts.prompt, { maxTokens: opts.maxTokens, apiKey: opts.apiKey, ...(opts.cacheControl ? { cacheControl: true } : {}) });
  const raw: RawTrace = { requestStart: 0, times: [], chunks: [], bytes: 0 };
  const who = modelWho(spec);

  return new Promise<RawTrace>((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (error?: RunError) => {
      if (settled) return;
      settled = true;
      raw.endAt = performance.now();
      if (error) raw.error = { ...error, message: safeMessage(error.message, opts.apiKey) };
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (error) request.destroy();
      resolve(raw);
    };
    const onAbort = () => finish({ kind: 'cancelled', message: `${who}: cancelled.` });
    const reads = () => raw.times.length;

    const transport = req.url.protocol === 'https:' ? https : http;
    raw.requestStart = performance.now();
    const request = transport.request(req.url, {
      method: 'POST',
      headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) },
      agent: opts.agent,
    });
    request.setNoDelay(true);
    raw.phaseStamps = watchPhases(request);
    // Socket idle timeout: covers a server that never answers and a stream that stalls.
    request.setTimeout(opts.stallTimeoutMs, () =>
      finish(
        raw.headersAt === undefined
          ? { kind: 'timeout', message: `${who}: no response within ${opts.stallTimeoutMs} ms.` }
          : { kind: 'stall', message: `${who}: the stream stalled for more than ${opts.stallTimeoutMs} ms after ${reads()} read(s); what arrived is kept.` },
      ),
    );
    timer = setTimeout(() => finish({ kind: 'timeout', message: `${who}: the request took longer than the ${opts.timeoutMs} ms limit; what arrived is kept.` }), opts.timeoutMs);

    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('response', (res) => {
      raw.headersAt = performance.now();
      raw.status = res.statusCode ?? 0;
      raw.serverProcessingMs = serverProcessingMs(res.headers);
      const status = raw.status;
      const contentType = String(res.headers['content-type'] ?? '');
      if (status >= 300 || /text\/html/i.test(contentType)) {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (s: string) => {
          if (body.length < MAX_ERROR_BODY) body += s;
        });
        res.on('end', () => {
          if (status >= 300) {
            finish(httpError(spec, status, protocol.errorMessage(body) ?? htmlTitle(body), parseRetryAfter(res.headers['retry-after']), res.headers.location));
          } else {
            finish({ kind: 'not-a-stream', status, message: `${who}: the server answered with an HTML page instead of a stream${htmlTitle(body) ? ` ("${htmlTitle(body)}")` : ''}. Check "baseUrl" — a proxy or login page may be in the way.` });
          }
        });
        res.on('error', () => finish(httpError(spec, status, undefined)));
        return;
      }
      // The hot path: stamp first, keep the bytes, nothing else.
      res.on('data', (buf: Buffer) => {
        raw.times.push(performance.now());
        raw.chunks.push(buf);
        raw.bytes += buf.length;
      });
      res.on('end', () => finish());
      res.on('aborted', () => finish(networkError(spec, Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), true, reads())));
      res.on('error', (err: NodeJS.ErrnoException) => finish(networkError(spec, err, true, reads())));
    });
    request.on('error', (err: NodeJS.ErrnoException) => finish(networkError(spec, err, raw.headersAt !== undefined, reads())));
    request.end(req.body);
  });
}

/**
 * Decodes a raw trace into timed events. Each event carries the arrival time of the read it came in.
 * A malformed payload or an error event inside the stream ends the trace there (what came before is
 * kept) and, having happened first, outranks any later transport error.
 */
export function decodeTrace(raw: RawTrace, spec: ModelSpec, apiKey?: string): StreamTrace {
  const protocol = protocolFor(spec.protocol);
  const who = modelWho(spec);
  const trace: StreamTrace = { requestStart: raw.requestStart, headersAt: raw.headersAt, endAt: raw.endAt, status: raw.status, events: [], reads: raw.times.length, bytes: raw.bytes };
  if (raw.phaseStamps) {
    trace.phases = phasesFrom(raw.phaseStamps, raw.requestStart, raw.headersAt, raw.times[0]);
    trace.connectionReused = raw.phaseStamps.reused === true;
  }
  if (raw.serverProcessingMs !== undefined) trace.serverProcessingMs = raw.serverProcessingMs;
  let contentError: RunError | undefined;
  let tokenReads = 0;
  let lastTokenRead = -1;
  let read = 0;
  const framer = framerFor(protocol.framing, (payload, eventName) => {
    if (contentError) return;
    let events;
    try {
      events = protocol.decode(payload, eventName);
    } catch {
      contentError = { kind: 'malformed', message: `${who}: the server sent a chunk that is not valid JSON after ${tokenReads} token chunk(s): ${JSON.stringify(payload.slice(0, 80))}. What arrived before it is kept.` };
      return;
    }
    for (const event of events) {
      if (event.kind === 'error') {
        contentError = { kind: 'stream-error', message: `${who}: the server reported an error inside the stream after ${tokenReads} token chunk(s): ${event.message}. What arrived before it is kept.` };
        return;
      }
      trace.events.push({ t: raw.times[read], read, event });
      if (event.kind === 'token' && lastTokenRead !== read) {
        lastTokenRead = read;
        tokenReads++;
      }
    }
  });
  const decoder = new TextDecoder('utf-8');
  for (read = 0; read < raw.chunks.length && !contentError; read++) framer.feed(decoder.decode(raw.chunks[read], { stream: true }));
  if (!contentError) {
    read = Math.max(0, raw.chunks.length - 1);
    framer.feed(decoder.decode());
    // A payload left without its terminating newline counts only if the stream ended cleanly.
    if (!raw.error) framer.end();
  }
  const error = contentError ?? raw.error;
  if (error) trace.error = { ...error, message: safeMessage(error.message, apiKey) };
  return trace;
}

/** Streams one request and decodes it as soon as it ends (for single requests; the runner defers decoding). */
export async function streamRequest(spec: ModelSpec, opts: StreamRequestOptions): Promise<StreamTrace> {
  return decodeTrace(await streamRaw(spec, opts), spec, opts.apiKey);
}

/** A message fit for any surface: no key, no control or bidi characters from server text. */
function safeMessage(message: string, apiKey: string | undefined): string {
  return printable(redact(message, apiKey));
}

function htmlTitle(body: string): string | undefined {
  const m = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(body);
  return m ? m[1].trim() : undefined;
}
