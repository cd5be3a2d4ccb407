/**
 * Sends one streaming request and records when each network read arrived.
 * The timestamp is taken first thing in the 'data' handler and nothing else happens there: decoding
 * runs later, so parsing cost never shifts a measured time. Nothing rejects: failures come back in
 * `error`, with everything that arrived before them kept.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import { httpError, isOverloadedCode, modelWho, networkError, parseRetryAfter, redact } from '../errors';
import { MAX_TIMER_MS, streamByteLimit } from '../limits';
import { protocolFor } from '../protocols';
import { inlineThinkingSplitter } from '../protocols/inlineThinking';
import { jsonErrorCodes, jsonRetryDelaySec } from '../protocols/protocol';
import { formatBytes } from '../regularFile';
import { oneLine, printable } from '../terminalText';
import type { ModelSpec, RunError, StreamEvent, StreamTrace } from '../types';
import { framerFor } from './framing';
import { phasesFrom, serverProcessingMs, watchPhases, type PhaseStamps } from './phases';
import { ReadBuffer } from './readBuffer';

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
  /** Response bytes after which the stream is cut off as running past max tokens (default: streamByteLimit(maxTokens)). */
  maxBytes?: number;
  /** Anthropic: mark the prompt with cache_control so its prompt cache can be used. */
  cacheControl?: boolean;
}

/** Bytes of an error page or a non-stream body kept for the message; reading stops there. */
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
  /** Arrival time of each network read. */
  times: number[];
  /** Each network read's bytes, in order. */
  body: ReadBuffer;
  bytes: number;
  /** Response headers that tell a stream from something else. */
  contentType?: string;
  /** A transport-level failure (HTTP status, network, timeout, cancel). Stream-content errors come from decoding. */
  error?: RunError;
  /** Socket event stamps (DNS, connect, TLS, sent). */
  phaseStamps?: PhaseStamps;
  /**
   * The request failed before any response on a connection that was already open (kept alive, or opened ahead):
   * the server had closed it as the request went out, so nothing was processed and sending again is safe.
   */
  staleConnection?: boolean;
  serverProcessingMs?: number;
}

/** Sends the request and records every read; never rejects. */
export function streamRaw(spec: ModelSpec, opts: StreamRequestOptions): Promise<RawTrace> {
  const protocol = protocolFor(spec.protocol);
  const req = protocol.buildRequest(spec, opts.prompt, {
    maxTokens: opts.maxTokens,
    apiKey: opts.apiKey,
    ...(opts.cacheControl ? { cacheControl: true } : {}),
  });
  const raw: RawTrace = { requestStart: 0, times: [], body: new ReadBuffer(), bytes: 0 };
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
    request.setTimeout(Math.min(opts.stallTimeoutMs, MAX_TIMER_MS), () =>
      finish(
        raw.headersAt === undefined
          ? { kind: 'timeout', message: `${who}: no response within ${opts.stallTimeoutMs} ms.` }
          : {
              kind: 'stall',
              message: `${who}: the stream stalled for more than ${opts.stallTimeoutMs} ms after ${reads()} read(s); what arrived is kept.`,
            },
      ),
    );
    timer = setTimeout(
      () =>
        finish({
          kind: 'timeout',
          message: `${who}: the request took longer than the ${opts.timeoutMs} ms limit; what arrived is kept.`,
        }),
      Math.min(opts.timeoutMs, MAX_TIMER_MS),
    );

    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('response', (res) => {
      raw.headersAt = performance.now();
      raw.status = res.statusCode ?? 0;
      raw.serverProcessingMs = serverProcessingMs(res.headers);
      const status = raw.status;
      const contentType = String(res.headers['content-type'] ?? '');
      raw.contentType = contentType;
      const encoding = String(res.headers['content-encoding'] ?? 'identity')
        .trim()
        .toLowerCase();
      if (status < 300 && encoding !== 'identity') {
        // Nothing asked for compression (no Accept-Encoding is sent), and compressed reads cannot be timed as tokens.
        return finish({
          kind: 'not-a-stream',
          status,
          message: `${who}: the server answered HTTP ${status} with a compressed body (content-encoding: ${oneLine(encoding, 40)}) though Tokenscope asked for none, so it is not a stream that can be timed. A proxy may be in the way; check "baseUrl".`,
        });
      }
      if (status === 204 || status === 205)
        return finish({
          kind: 'not-a-stream',
          status,
          message: `${who}: the server answered HTTP ${status} (no content) instead of a stream. Check "baseUrl" and the endpoint path.`,
        });
      const html = /text\/html/i.test(contentType);
      const json = status < 300 && /^application\/json\b/i.test(contentType.trim());
      if (status >= 300 || html || json) {
        let body = '';
        res.setEncoding('utf8');
        const done = () => {
          if (status >= 300) {
            finish(
              httpError(spec, status, {
                message: protocol.errorMessage(body) ?? htmlTitle(body),
                codes: jsonErrorCodes(body),
                retryAfterSec: parseRetryAfter(res.headers['retry-after']) ?? jsonRetryDelaySec(body),
                location: res.headers.location,
              }),
            );
          } else if (html) {
            finish({
              kind: 'not-a-stream',
              status,
              message: `${who}: the server answered with an HTML page instead of a stream${htmlTitle(body) ? ` ("${htmlTitle(body)}")` : ''}. Check "baseUrl" — a proxy or login page may be in the way.`,
            });
          } else {
            const said = protocol.errorMessage(body);
            finish({
              kind: 'not-a-stream',
              status,
              message: `${who}: the server answered with one JSON body instead of a stream${said ? ` ("${oneLine(said, 300)}")` : ''}. It ignored "stream": true — check "extraBody" for a "stream" setting and that "baseUrl" points at the model server.`,
            });
          }
        };
        res.on('data', (s: string) => {
          body += s;
          // Enough for a message: stop reading rather than take in an endless body.
          if (body.length >= MAX_ERROR_BODY) done();
        });
        res.on('end', done);
        res.on('error', () => finish(httpError(spec, status, undefined)));
        return;
      }
      const maxBytes = opts.maxBytes ?? streamByteLimit(opts.maxTokens);
      // The hot path: stamp first, keep the bytes, count them; nothing else.
      res.on('data', (buf: Buffer) => {
        const t = performance.now();
        if (settled) return; // cut off, timed out or cancelled: nothing more is kept
        raw.times.push(t);
        raw.body.append(buf);
        raw.bytes += buf.length;
        if (raw.bytes > maxBytes)
          finish({
            kind: 'overrun',
            message: `${who}: the server kept sending past max tokens: ${formatBytes(raw.bytes)} arrived for a limit of ${opts.maxTokens} token(s) (at most ${formatBytes(maxBytes)} expected), so the stream was cut off after ${reads()} read(s); what arrived is kept.`,
          });
      });
      res.on('end', () => finish());
      res.on('aborted', () =>
        finish(networkError(spec, Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), true, reads())),
      );
      res.on('error', (err: NodeJS.ErrnoException) => finish(networkError(spec, err, true, reads())));
    });
    request.on('error', (err: NodeJS.ErrnoException) => {
      if (raw.headersAt === undefined && raw.phaseStamps?.reused && (err.code === 'ECONNRESET' || err.code === 'EPIPE'))
        raw.staleConnection = true;
      finish(networkError(spec, err, raw.headersAt !== undefined, reads()));
    });
    request.end(req.body);
  });
}

/**
 * Decodes a raw trace into timed events. Each event carries the arrival time of the read it came in.
 * A malformed payload or an error event inside the stream ends the trace there (what came before is
 * kept) and, having happened first, outranks any later transport error. A response that ended cleanly
 * without a single token is a failure too, never a run with 0 tokens.
 */
export function decodeTrace(raw: RawTrace, spec: ModelSpec, apiKey?: string): StreamTrace {
  const protocol = protocolFor(spec.protocol);
  const who = modelWho(spec);
  const trace: StreamTrace = {
    requestStart: raw.requestStart,
    headersAt: raw.headersAt,
    endAt: raw.endAt,
    status: raw.status,
    events: [],
    reads: raw.times.length,
    bytes: raw.bytes,
  };
  if (raw.phaseStamps) {
    trace.phases = phasesFrom(raw.phaseStamps, raw.requestStart, raw.headersAt, raw.times[0]);
    trace.connectionReused = raw.phaseStamps.reused === true;
  }
  if (raw.serverProcessingMs !== undefined) trace.serverProcessingMs = raw.serverProcessingMs;
  let contentError: RunError | undefined;
  let tokenReads = 0;
  let lastTokenRead = -1;
  let read = 0;
  let payloads = 0;
  let doneReason: string | undefined;
  const thinking = protocol.inlineThinking ? inlineThinkingSplitter([raw.body.bytes()]) : undefined;
  const framer = framerFor(protocol.framing, (payload, eventName) => {
    if (contentError) return;
    payloads++;
    const decoded = decodePayload(protocol.decode, payload, eventName);
    const events = decoded && thinking ? thinking.push(decoded) : decoded;
    if (!events) {
      contentError = {
        kind: 'malformed',
        message: `${who}: the server sent a chunk that is not valid JSON after ${tokenReads} token chunk(s): ${JSON.stringify(payload.slice(0, 80))}. What arrived before it is kept.`,
      };
      return;
    }
    for (const event of events) {
      if (event.kind === 'error') {
        // An overload reported before any token (Anthropic's `event: error` overloaded_error after the 200) is a 529 in all but status.
        contentError =
          tokenReads === 0 && isOverloadedCode(event.code)
            ? {
                kind: 'overloaded',
                message: `${who}: the provider is overloaded (an error event before any token: ${event.message}).`,
              }
            : {
                kind: 'stream-error',
                message: `${who}: the server reported an error inside the stream after ${tokenReads} token chunk(s): ${event.message}. What arrived before it is kept.`,
              };
        return;
      }
      trace.events.push({ t: raw.times[read], read, event });
      if (event.kind === 'done' && event.reason) doneReason = event.reason;
      if (event.kind === 'token' && event.text && lastTokenRead !== read) {
        lastTokenRead = read;
        tokenReads++;
      }
    }
  });
  const decoder = new TextDecoder('utf-8');
  for (read = 0; read < raw.body.count && !contentError; read++)
    framer.feed(decoder.decode(raw.body.read(read), { stream: true }));
  if (!contentError) {
    read = Math.max(0, raw.body.count - 1);
    framer.feed(decoder.decode());
    // A payload left without its terminating newline (or blank line) counts only if the stream ended cleanly.
    if (!raw.error) framer.end();
  }
  // Text held back at a possible <think> tag boundary arrived all the same.
  for (const event of thinking?.flush() ?? []) {
    const last = raw.times.length - 1;
    trace.events.push({ t: raw.times[last], read: last, event });
    if (event.kind === 'token' && event.text && lastTokenRead !== last) {
      lastTokenRead = last;
      tokenReads++;
    }
  }
  if (!contentError && !raw.error && tokenReads === 0) contentError = noTokenError(raw, who, payloads, doneReason);
  const error = contentError ?? raw.error;
  if (error) trace.error = { ...error, message: safeMessage(error.message, apiKey) };
  return trace;
}

/**
 * One payload's events; undefined when it is not valid JSON. SSE joins the data lines of an event with
 * newlines, so a server that separates its events by single newlines sends several JSON documents as one
 * payload: each line is then decoded on its own, and the payload is malformed only if one of them is.
 */
function decodePayload(
  decode: (payload: string, eventName?: string) => StreamEvent[],
  payload: string,
  eventName: string | undefined,
): StreamEvent[] | undefined {
  try {
    return decode(payload, eventName);
  } catch {
    if (!payload.includes('\n')) return undefined;
  }
  const events: StreamEvent[] = [];
  for (const line of payload.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(...decode(line, eventName));
    } catch {
      return undefined;
    }
  }
  return events;
}

/** Why a cleanly ended 2xx response held no token: not a stream at all, or a stream that said nothing. */
function noTokenError(raw: RawTrace, who: string, payloads: number, doneReason: string | undefined): RunError {
  const status = raw.status;
  if (raw.bytes === 0)
    return {
      kind: 'not-a-stream',
      status,
      message: `${who}: the server answered HTTP ${status} with an empty body instead of a stream. Check "baseUrl" and the endpoint path.`,
    };
  const head = raw.body.bytes().subarray(0, MAX_ERROR_BODY).toString('utf8').trimStart();
  if (payloads === 0 && head.startsWith('<')) {
    const title = htmlTitle(head);
    return {
      kind: 'not-a-stream',
      status,
      message: `${who}: the server answered with an HTML page instead of a stream${title ? ` ("${title}")` : ''}. Check "baseUrl" — a proxy or login page may be in the way.`,
    };
  }
  if (payloads === 0 && (head.startsWith('{') || head.startsWith('[')))
    return {
      kind: 'not-a-stream',
      status,
      message: `${who}: the server answered with one JSON body instead of a stream. It ignored "stream": true — check "extraBody" for a "stream" setting and that "baseUrl" points at the model server.`,
    };
  if (payloads === 0)
    return {
      kind: 'not-a-stream',
      status,
      message: `${who}: the server's answer (HTTP ${status}${raw.contentType ? `, ${oneLine(raw.contentType, 80)}` : ''}) holds no stream event; it begins ${JSON.stringify(oneLine(head, 80))}. Check "baseUrl" and "protocol" for this model.`,
    };
  const reason = doneReason ? ` (finish reason "${oneLine(doneReason, 80)}")` : '';
  return {
    kind: 'no-tokens',
    status,
    message: `${who}: the stream ended without a single token after ${payloads} event(s)${reason}, so there is nothing to time. Check the prompt, "maxTokens" and the provider's content filter.`,
  };
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
