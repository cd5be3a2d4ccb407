/**
 * Sends one streaming request and records when each network read arrived.
 * The timestamp is taken first thing in the 'data' handler, before any decoding, so parsing cost
 * never shifts a measured time. The promise never rejects: failures come back in `trace.error`,
 * with everything that arrived before them kept.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import { httpError, networkError, parseRetryAfter, redact } from '../errors';
import { protocolFor } from '../protocols';
import { printable } from '../text';
import type { ModelSpec, RunError, StreamTrace } from '../types';
import { framerFor } from './framing';

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
}

const MAX_ERROR_BODY = 64 * 1024;

export function streamRequest(spec: ModelSpec, opts: StreamRequestOptions): Promise<StreamTrace> {
  const protocol = protocolFor(spec.protocol);
  const req = protocol.buildRequest(spec, opts.prompt, { maxTokens: opts.maxTokens, apiKey: opts.apiKey });
  const trace: StreamTrace = { requestStart: 0, events: [], reads: 0, bytes: 0 };
  const who = `${spec.id} (${req.url.host})`;

  return new Promise<StreamTrace>((resolve) => {
    let settled = false;
    let tokenReads = 0;
    let lastTokenRead = -1;
    let currentRead = 0;
    let currentT = 0;
    let timer: NodeJS.Timeout | undefined;

    const finish = (error?: RunError) => {
      if (settled) return;
      settled = true;
      trace.endAt = performance.now();
      // Messages carry server text (error bodies, stream error events, page titles): no key, no control characters.
      if (error) trace.error = { ...error, message: printable(redact(error.message, opts.apiKey)) };
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (error) request.destroy();
      resolve(trace);
    };
    const onAbort = () => finish({ kind: 'cancelled', message: `${who}: cancelled.` });

    // Decoding runs after the read was stamped; events inherit that read's time.
    const framer = framerFor(protocol.framing, (payload, eventName) => {
      if (settled) return;
      let events;
      try {
        events = protocol.decode(payload, eventName);
      } catch {
        finish({ kind: 'malformed', message: `${who}: the server sent a chunk that is not valid JSON after ${tokenReads} token chunk(s): ${JSON.stringify(payload.slice(0, 80))}. What arrived before it is kept.` });
        return;
      }
      for (const event of events) {
        trace.events.push({ t: currentT, read: currentRead, event });
        if (event.kind === 'token' && lastTokenRead !== currentRead) {
          lastTokenRead = currentRead;
          tokenReads++;
        }
        if (event.kind === 'error') {
          finish({ kind: 'stream-error', message: `${who}: the server reported an error inside the stream after ${tokenReads} token chunk(s): ${event.message}. What arrived before it is kept.` });
          return;
        }
      }
    });

    const transport = req.url.protocol === 'https:' ? https : http;
    trace.requestStart = performance.now();
    const request = transport.request(req.url, {
      method: 'POST',
      headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) },
      agent: opts.agent,
    });
    request.setNoDelay(true);
    // Socket idle timeout: covers a server that never answers and a stream that stalls.
    request.setTimeout(opts.stallTimeoutMs, () =>
      finish(
        trace.headersAt === undefined
          ? { kind: 'timeout', message: `${who}: no response within ${opts.stallTimeoutMs} ms.` }
          : { kind: 'stall', message: `${who}: the stream stalled for more than ${opts.stallTimeoutMs} ms after ${tokenReads} token chunk(s); what arrived is kept.` },
      ),
    );
    timer = setTimeout(() => finish({ kind: 'timeout', message: `${who}: the request took longer than the ${opts.timeoutMs} ms limit; what arrived is kept.` }), opts.timeoutMs);

    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('response', (res) => {
      trace.headersAt = performance.now();
      trace.status = res.statusCode ?? 0;
      const status = trace.status;
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
      const decoder = new TextDecoder('utf-8');
      res.on('data', (buf: Buffer) => {
        const t = performance.now();
        currentT = t;
        currentRead = trace.reads++;
        trace.bytes += buf.length;
        framer.feed(decoder.decode(buf, { stream: true }));
      });
      res.on('end', () => {
        if (settled) return;
        framer.feed(decoder.decode());
        framer.end();
        finish();
      });
      res.on('aborted', () => finish(networkError(spec, Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), true, tokenReads)));
      res.on('error', (err: NodeJS.ErrnoException) => finish(networkError(spec, err, true, tokenReads)));
    });
    request.on('error', (err: NodeJS.ErrnoException) => finish(networkError(spec, err, trace.headersAt !== undefined, tokenReads)));
    request.end(req.body);
  });
}

function htmlTitle(body: string): string | undefined {
  const m = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(body);
  return m ? m[1].trim() : undefined;
}
