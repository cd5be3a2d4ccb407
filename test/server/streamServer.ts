/**
 * A local streaming server that speaks four real LLM wire formats on a known schedule: the ground truth
 * for Tokenscope's integration tests, end-to-end tests and fidelity benchmarks.
 *
 * Every send is scheduled against an absolute target (request arrival + the plan's offset), never as a
 * chain of relative delays, so timer error does not accumulate; each record keeps the exact
 * performance.now() taken just before each write, which is the truth a client's numbers are judged by.
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Channel, ProtocolId } from '../../src/core/types';
import {
  estimateInputTokens,
  planChunks,
  resolveSchedule,
  tokenText,
  type Fault,
  type ResolvedSchedule,
  type Schedule,
} from './schedule';
import { PrefixCache, processPrompt } from './promptCache';
import {
  authError,
  createEncoder,
  errorResponse,
  htmlPage,
  unknownModel,
  wholeBody,
  type ErrorResponse,
  type ServerTimes,
  type StreamContext,
  type Usage,
} from './wire';

export type { Fault, Schedule } from './schedule';

export interface ChunkRecord {
  /** performance.now() just before the write. */
  sentAt: number;
  /**
   * First and last visible chunk only: performance.now() once the write has gone to the socket. Node's HTTP
   * response holds a tick's chunked writes until the tick ends, so a late timer that writes many chunks at once
   * sends the first of them only after building the rest; this stamp is taken just after that.
   */
  writtenAt?: number;
  tokens: number;
  channel: Channel;
}

export type Outcome =
  | 'pending' // still streaming (or a 'no-response' request still held open)
  | 'complete' // the full response was sent
  | 'error' // answered with an error status (unknown model, bad key, bad request, status fault)
  | 'html' // answered with an HTML page
  | 'dropped' // socket destroyed mid-stream by a 'drop' fault
  | 'stream-error' // ended by an in-stream error event
  | 'client-aborted' // the client went away before the end
  | 'server-closed'; // close() ended it

export interface RequestRecord {
  id: number;
  protocol: ProtocolId;
  /** Model name from the body (gemini: from the path); '' if the body had none. */
  model: string;
  path: string;
  /** Request headers, lowercased (keys included: tests check they went where they should). */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (the raw text if it did not parse). */
  body: unknown;
  stream: boolean;
  /** Which TCP connection carried the request (1, 2, … in the order connections were accepted): shows reuse. */
  connection: number;
  /** performance.now() when the request (its headers) arrived: t0 of the schedule. */
  receivedAt: number;
  receivedAtEpochMs: number;
  headersSentAt?: number;
  /** Content chunks actually sent (hidden reasoning is generated but never sent, so never here). */
  chunks: ChunkRecord[];
  endedAt?: number;
  status?: number;
  outcome: Outcome;
  /** The fault applied to this request, if any. */
  fault?: Fault;
  /** Token counts this response reports (or would report, had usage been asked for). */
  usage?: Usage;
  /** performance.now() of each SSE comment line sent (keep-alive quirk): never tokens, never TTFT. */
  comments: number[];
  /** Simulated prefix cache: whether this request hit it. */
  cacheHit?: boolean;
  /** The TTFT this request was scheduled with (prefill and cache included). */
  scheduledTtftMs?: number;
  /** The value sent in openai-processing-ms, when the schedule asks for it. */
  processingMs?: number;
}

export interface Truth {
  /** Request received -> first content chunk of any channel. */
  ttftMs: number | null;
  /** Request received -> first answer chunk. */
  ttfoMs: number | null;
  /** Tokens after the first chunk ÷ (last chunk − first chunk). */
  decodeTps: number | null;
  /** Request received -> last content chunk. */
  e2eMs: number | null;
  /** Tokens that were streamed (hidden reasoning excluded). */
  streamedTokens: number;
}

/** What a perfect client would measure for this request, from the server's own send times. */
export function truth(r: RequestRecord): Truth {
  const c = r.chunks;
  const streamedTokens = c.reduce((n, x) => n + x.tokens, 0);
  if (c.length === 0) return { ttftMs: null, ttfoMs: null, decodeTps: null, e2eMs: null, streamedTokens };
  // When the server wrote the first and last chunk. Not the write's callback: that waits until the kernel has
  // taken every byte queued on the socket, and under load it came 250–580 ms after the client had read the
  // chunk. A client that reads late (a full socket buffer) is charged for it, as a real provider's would be.
  const sent = (x: ChunkRecord) => x.writtenAt ?? x.sentAt;
  const first = c[0];
  const last = c[c.length - 1];
  const firstAnswer = c.find((x) => x.channel === 'answer');
  const window = sent(last) - sent(first);
  return {
    ttftMs: sent(first) - r.receivedAt,
    ttfoMs: firstAnswer ? sent(firstAnswer) - r.receivedAt : null,
    decodeTps: c.length > 1 && window > 0 ? (streamedTokens - first.tokens) / (window / 1000) : null,
    e2eMs: sent(last) - r.receivedAt,
    streamedTokens,
  };
}

export interface StreamServerOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve GET /__records, POST /__reset and POST /__models (for out-of-process use; see main.ts). */
  controlRoutes?: boolean;
  /** Serve https with this key and certificate (PEM) instead of http. */
  tls?: { key: string; cert: string };
}

export interface StreamServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  setModel(name: string, schedule: Schedule): void;
  setModels(models: Record<string, Schedule>): void;
  /** Live list of generation requests, oldest first. */
  records: RequestRecord[];
  /** When each TCP connection was accepted (performance.now()), in order: connection id N is at index N − 1. */
  connectionsAcceptedAt: number[];
  /** Clear the records, the fault counters and the simulated prefix cache. */
  reset(): void;
  /** Stop listening and end every open request (held 'no-response' ones included). */
  close(): Promise<void>;
}

const now = () => performance.now();

/** How early a timer may fire and still send: Node's timers run on a whole-ms clock cached per loop turn. */
const EARLY_TOLERANCE_MS = 0.25;

interface Route {
  protocol: ProtocolId;
  /** Gemini names the model in the path; its action says whether to stream. */
  pathModel?: string;
  geminiAction?: string;
}

function routeOf(method: string, path: string): Route | undefined {
  if (method !== 'POST') return undefined;
  if (path === '/v1/chat/completions' || path === '/chat/completions') return { protocol: 'openai-chat' };
  if (path === '/v1/messages') return { protocol: 'anthropic' };
  if (path === '/api/chat') return { protocol: 'ollama' };
  const g = /^\/(?:v1beta|v1)\/models\/([^/:]+):(streamGenerateContent|generateContent)$/.exec(path);
  if (g) return { protocol: 'gemini', pathModel: decodeURIComponent(g[1]), geminiAction: g[2] };
  return undefined;
}

/** The key the request carries, where each service expects it. */
function presentedKey(protocol: ProtocolId, req: IncomingMessage, url: URL): string | undefined {
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const bearer = () => /^Bearer\s+(.+)$/i.exec(header('authorization') ?? '')?.[1];
  switch (protocol) {
    case 'openai-chat':
    case 'ollama':
      return bearer();
    case 'anthropic':
      return header('x-api-key');
    case 'gemini':
      return header('x-goog-api-key') ?? url.searchParams.get('key') ?? undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

/** One in-flight response, so close() can end it. */
interface Job {
  timer?: ReturnType<typeof setTimeout>;
  finished: boolean;
  finish(outcome: Outcome): void;
  res: ServerResponse;
}

export async function startStreamServer(opts: StreamServerOptions = {}): Promise<StreamServer> {
  const models = new Map<string, ResolvedSchedule>();
  const faultCounts = new Map<string, number>();
  const records: RequestRecord[] = [];
  const jobs = new Set<Job>();
  const prefixCache = new PrefixCache();
  let nextId = 1;
  const connectionIds = new WeakMap<object, number>();
  const connectionsAcceptedAt: number[] = [];

  const setModel = (name: string, schedule: Schedule) => {
    models.set(name, resolveSchedule(schedule));
    faultCounts.delete(name);
  };

  /** Answers at once, without a body stream (errors, status faults, HTML pages). */
  const send = (res: ServerResponse, rec: RequestRecord, e: ErrorResponse, outcome: Outcome = 'error') => {
    rec.status = e.status;
    rec.outcome = outcome;
    rec.headersSentAt = now();
    res.writeHead(e.status, e.headers ?? { 'content-type': 'application/json' });
    res.end(e.body);
    rec.endedAt = now();
  };

  const sendJson = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  /** Starts a job: tracked for close(), finished exactly once, ended early if the client goes away. */
  const track = (res: ServerResponse, rec: RequestRecord): Job => {
    const job: Job = {
      finished: false,
      res,
      finish(outcome) {
        if (job.finished) return;
        job.finished = true;
        if (job.timer) clearTimeout(job.timer);
        jobs.delete(job);
        rec.outcome = outcome;
        rec.endedAt = now();
      },
    };
    jobs.add(job);
    res.on('close', () => job.finish('client-aborted'));
    return job;
  };

  const handleGenerate = async (
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    url: URL,
    receivedAt: number,
  ) => {
    const { protocol } = route;
    const raw = await readBody(req);
    let body: unknown = raw;
    let parsed = true;
    try {
      body = raw.length ? JSON.parse(raw) : {};
    } catch {
      parsed = false;
    }
    const b = (parsed && body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const model = route.pathModel ?? (typeof b.model === 'string' ? b.model : '');
    const stream =
      protocol === 'gemini'
        ? route.geminiAction === 'streamGenerateContent'
        : protocol === 'ollama'
          ? b.stream !== false
          : b.stream === true;
    const id = nextId++;
    const requestId = `ts${id.toString(36).padStart(6, '0')}`;
    const rec: RequestRecord = {
      id,
      protocol,
      model,
      path: url.pathname + url.search,
      headers: { ...req.headers },
      body,
      stream,
      connection: connectionIds.get(req.socket) ?? 0,
      receivedAt,
      receivedAtEpochMs: performance.timeOrigin + receivedAt,
      chunks: [],
      outcome: 'pending',
      comments: [],
    };
    records.push(rec);

    if (!parsed)
      return send(
        res,
        rec,
        errorResponse(protocol, 400, { message: 'We could not parse the JSON body of your request.', requestId }),
      );
    const sched = models.get(model);
    if (!sched) return send(res, rec, unknownModel(protocol, model, requestId));
    if (sched.requireKey !== undefined) {
      const key = presentedKey(protocol, req, url);
      if (key !== sched.requireKey) return send(res, rec, authError(protocol, key !== undefined, requestId));
    }
    if (protocol === 'gemini' && stream && url.searchParams.get('alt') !== 'sse') {
      // Without alt=sse Gemini streams one JSON array; this server only speaks the SSE form.
      return send(
        res,
        rec,
        errorResponse(protocol, 400, { message: 'tokenscope test server: use ?alt=sse with streamGenerateContent' }),
      );
    }

    // Faults with `times` only hit the first N requests for this model.
    let fault = sched.fault;
    if (fault) {
      const times = fault.kind === 'status' || fault.kind === 'stream-error' ? fault.times : undefined;
      const n = faultCounts.get(model) ?? 0;
      if (times !== undefined && n >= times) fault = undefined;
      else faultCounts.set(model, n + 1);
    }
    rec.fault = fault;

    const inputTokens = sched.inputTokens ?? estimateInputTokens(body);
    const prompt = processPrompt(sched, inputTokens, sched.prefixCache ? prefixCache.check(model, body) : false);
    const usage: Usage = {
      inputTokens: sched.tagUsage ? id : inputTokens,
      cachedInputTokens: prompt.cachedInputTokens,
      cacheWriteTokens: sched.cacheWriteTokens,
      // Summarized thinking: usage bills the full thinking, of which only a summary streams.
      reasoningTokens: sched.quirks.summarizedThinking?.billedReasoningTokens ?? sched.reasoningTokens,
      answerTokens: sched.outputTokens,
    };
    rec.usage = usage;
    rec.scheduledTtftMs = prompt.ttftMs;
    if (sched.prefixCache) rec.cacheHit = prompt.cacheHit;

    if (fault?.kind === 'status') {
      const e =
        fault.body !== undefined
          ? {
              status: fault.status,
              body: fault.body,
              headers: {
                'content-type': 'application/json',
                ...(fault.retryAfterSec !== undefined ? { 'retry-after': String(fault.retryAfterSec) } : {}),
              },
            }
          : errorResponse(protocol, fault.status, { retryAfterSec: fault.retryAfterSec, requestId });
      return send(res, rec, e);
    }
    if (fault?.kind === 'html') {
      const status = fault.status ?? 200;
      return send(
        res,
        rec,
        { status, body: htmlPage(status), headers: { 'content-type': 'text/html; charset=utf-8' } },
        'html',
      );
    }
    const job = track(res, rec);
    if (fault?.kind === 'no-response') return; // held open until the client leaves or close()

    const withUsage =
      sched.includeUsage &&
      (protocol !== 'openai-chat' ||
        !stream ||
        (b.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true);
    const ctx: StreamContext = {
      protocol,
      model,
      schedule: { ...sched, ttftMs: prompt.ttftMs },
      usage,
      withUsage,
      requestId,
      createdSec: Math.floor(Date.now() / 1000),
    };
    if (stream) runStream(job, rec, ctx, fault);
    else runWhole(job, rec, ctx, fault);
  };

  /** Streams the plan: each chunk at its absolute target time, faults at their chunk boundary. */
  const runStream = (job: Job, rec: RequestRecord, ctx: StreamContext, fault: Fault | undefined) => {
    const { res } = job;
    const enc = createEncoder(ctx);
    const plan = planChunks(ctx.schedule);
    const lastVisible = plan.chunks.reduce((last, c, k) => (c.visible ? k : last), -1);
    res.socket?.setNoDelay(true);
    // OpenAI reports the time from receiving the request to answering it, in whole ms.
    if (ctx.schedule.processingMsHeader) rec.processingMs = Math.round(now() - rec.receivedAt);
    res.writeHead(200, {
      'content-type': enc.contentType,
      'cache-control': 'no-cache',
      ...(ctx.protocol === 'anthropic' ? { 'request-id': `req_${ctx.requestId}` } : { 'x-request-id': ctx.requestId }),
      ...(rec.processingMs !== undefined ? { 'openai-processing-ms': String(rec.processingMs) } : {}),
    });
    res.flushHeaders();
    rec.status = 200;
    rec.headersSentAt = now();
    for (const frame of enc.open()) res.write(frame);
    const stopKeepAlive = startKeepAlive(job, rec, ctx);

    let pendingFault = fault && 'afterChunks' in fault ? fault : undefined;
    let i = 0;
    let sent = 0;
    let shiftMs = 0; // added by a stall
    let firstGeneratedAt: number | undefined;

    const tick = () => {
      job.timer = undefined;
      while (!job.finished) {
        const chunk = plan.chunks[i]; // undefined: the stop token's slot
        const wait = rec.receivedAt + (chunk ? chunk.atMs : plan.endAtMs) + shiftMs - now();
        if (wait > EARLY_TOLERANCE_MS) {
          job.timer = setTimeout(tick, wait);
          return;
        }
        // A chunk fault fires where the (afterChunks+1)-th sent chunk would go (or before the end).
        if (pendingFault && (!chunk || chunk.visible) && sent >= pendingFault.afterChunks) {
          const f = pendingFault;
          pendingFault = undefined;
          if (f.kind === 'stall') {
            shiftMs += f.ms;
            continue;
          }
          if (f.kind === 'malformed') {
            res.write(enc.malformed());
          } else if (f.kind === 'drop') {
            job.finish('dropped');
            // Chunked writes are corked until the next tick; destroying now would discard the chunks this
            // tick wrote (a late timer writes several at once), so the client would see fewer than sent.
            setImmediate(() => res.destroy());
            return;
          } else {
            res.write(enc.streamError());
            job.finish('stream-error');
            res.end();
            return;
          }
        }
        if (!chunk) {
          stopKeepAlive();
          const t = now();
          // Ollama's load_duration: a cold start spends the first modelLoadMs of the wait loading the model.
          const loadMs = ctx.schedule.quirks.ollama?.modelLoadMs;
          const startedAt = loadMs !== undefined ? rec.receivedAt + loadMs : rec.headersSentAt!;
          const times: ServerTimes = {
            receivedAt: rec.receivedAt,
            startedAt,
            firstGeneratedAt: firstGeneratedAt ?? t,
            now: t,
          };
          for (const frame of enc.close(times)) res.write(frame);
          job.finish('complete');
          res.end();
          return;
        }
        if (chunk.visible) {
          stopKeepAlive();
          const frame = enc.content(
            chunk.channel,
            tokenText(chunk.channel, chunk.firstToken, chunk.tokens),
            chunk.tokens,
          );
          const sentAt = now();
          firstGeneratedAt ??= sentAt;
          const record: ChunkRecord = { sentAt, tokens: chunk.tokens, channel: chunk.channel };
          rec.chunks.push(record);
          res.write(frame);
          // Queued after the response's own uncork (registered at the tick's first write), so it runs once the
          // tick's writes have been handed to the socket.
          if (sent === 0 || i === lastVisible) process.nextTick(() => (record.writtenAt = now()));
          sent++;
        } else {
          firstGeneratedAt ??= now();
          enc.countHidden?.(chunk.tokens);
        }
        i++;
      }
    };
    tick();
  };

  /**
   * SSE comment lines every `everyMs` until the first token (DeepSeek's `: keep-alive` while a request is queued,
   * OpenRouter's `: OPENROUTER PROCESSING`). Returns the function that stops them.
   */
  const startKeepAlive = (job: Job, rec: RequestRecord, ctx: StreamContext): (() => void) => {
    const ka = ctx.schedule.quirks.keepAlive;
    if (!ka || ctx.protocol === 'ollama') return () => {};
    const timer = setInterval(() => {
      if (job.finished) return clearInterval(timer);
      rec.comments.push(now());
      job.res.write(`: ${ka.comment}\n\n`);
    }, ka.everyMs);
    job.res.on('close', () => clearInterval(timer));
    return () => clearInterval(timer);
  };

  /** Non-streaming: one body when generation would have finished; chunk faults map onto it. */
  const runWhole = (job: Job, rec: RequestRecord, ctx: StreamContext, fault: Fault | undefined) => {
    const plan = planChunks(ctx.schedule);
    const stall = fault?.kind === 'stall' ? fault.ms : 0;
    const firstAt = rec.receivedAt + (plan.chunks[0]?.atMs ?? plan.endAtMs);
    const fire = () => {
      const wait = rec.receivedAt + plan.endAtMs + stall - now();
      if (wait > EARLY_TOLERANCE_MS) {
        job.timer = setTimeout(fire, wait);
        return;
      }
      job.timer = undefined;
      const { res } = job;
      if (fault?.kind === 'drop') {
        job.finish('dropped');
        res.destroy();
        return;
      }
      if (fault?.kind === 'stream-error') {
        const e = errorResponse(ctx.protocol, ctx.protocol === 'anthropic' ? 529 : 500, { requestId: ctx.requestId });
        res.writeHead(e.status, e.headers);
        rec.status = e.status;
        job.finish('stream-error');
        res.end(e.body);
        return;
      }
      const s = ctx.schedule;
      const reasoning = s.reasoningVisible ? tokenText('reasoning', 0, s.reasoningTokens) : '';
      const answer = tokenText('answer', 0, s.outputTokens);
      const t = now();
      const json = JSON.stringify(
        wholeBody(ctx, reasoning, answer, {
          receivedAt: rec.receivedAt,
          startedAt: rec.receivedAt,
          firstGeneratedAt: Math.min(firstAt, t),
          now: t,
        }),
      );
      const text = fault?.kind === 'malformed' ? json.slice(0, Math.floor(json.length / 2)) : json;
      res.writeHead(200, { 'content-type': 'application/json' });
      rec.status = 200;
      rec.headersSentAt = now();
      if (s.reasoningVisible && s.reasoningTokens > 0)
        rec.chunks.push({ sentAt: rec.headersSentAt, tokens: s.reasoningTokens, channel: 'reasoning' });
      if (s.outputTokens > 0) rec.chunks.push({ sentAt: rec.headersSentAt, tokens: s.outputTokens, channel: 'answer' });
      job.finish('complete');
      res.end(text);
    };
    fire();
  };

  /** Discovery and control routes. Returns false if the path is not one of them. */
  const handleOther = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const path = url.pathname;
    const names = [...models.keys()];
    const created = Math.floor(Date.now() / 1000);
    if (req.method === 'GET' && path === '/v1/models') {
      // Anthropic and OpenAI share the path; the anthropic-version header tells them apart.
      if (req.headers['anthropic-version'] !== undefined) {
        sendJson(res, 200, {
          data: names.map((id) => ({
            type: 'model',
            id,
            display_name: id,
            created_at: new Date(created * 1000).toISOString(),
          })),
          has_more: false,
          first_id: names[0] ?? null,
          last_id: names[names.length - 1] ?? null,
        });
      } else {
        sendJson(res, 200, {
          object: 'list',
          data: names.map((id) => ({ id, object: 'model', created, owned_by: 'tokenscope-test' })),
        });
      }
      return true;
    }
    if (req.method === 'GET' && path === '/v1beta/models') {
      sendJson(res, 200, {
        models: names.map((n) => ({
          name: `models/${n}`,
          displayName: n,
          supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
        })),
      });
      return true;
    }
    if (req.method === 'GET' && path === '/api/tags') {
      sendJson(res, 200, {
        models: names.map((n) => ({
          name: n,
          model: n,
          modified_at: new Date(created * 1000).toISOString(),
          size: 0,
          digest: '0'.repeat(64),
          details: {
            parent_model: '',
            format: 'gguf',
            family: 'tokenscope',
            families: ['tokenscope'],
            parameter_size: '0B',
            quantization_level: 'Q4_K_M',
          },
        })),
      });
      return true;
    }
    if (!opts.controlRoutes) return false;
    if (req.method === 'GET' && path === '/__records') {
      sendJson(res, 200, { records: records.map(toEpochRecord) });
      return true;
    }
    if (req.method === 'POST' && path === '/__reset') {
      await readBody(req);
      server.reset();
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (req.method === 'POST' && path === '/__models') {
      try {
        const cfg = JSON.parse(await readBody(req)) as { models?: Record<string, Schedule> };
        server.setModels(cfg.models ?? {});
        sendJson(res, 200, { ok: true, models: [...models.keys()] });
      } catch (e) {
        sendJson(res, 400, { error: String(e instanceof Error ? e.message : e) });
      }
      return true;
    }
    return false;
  };

  const onRequest: RequestListener = (req, res) => {
    const receivedAt = now(); // t0: the request's headers have arrived
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routeOf(req.method ?? 'GET', url.pathname);
    const fail = (e: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: `tokenscope test server: ${e instanceof Error ? e.message : String(e)}` });
      else res.destroy();
    };
    if (route) {
      handleGenerate(req, res, route, url, receivedAt).catch(fail);
      return;
    }
    handleOther(req, res, url).then((handled) => {
      if (!handled) sendJson(res, 404, { error: `tokenscope test server: no route for ${req.method} ${url.pathname}` });
    }, fail);
  };
  const http = opts.tls
    ? createTlsServer({ noDelay: true, key: opts.tls.key, cert: opts.tls.cert }, onRequest)
    : createServer({ noDelay: true }, onRequest);

  http.on('connection', (socket) => connectionIds.set(socket, connectionsAcceptedAt.push(now())));

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';

  const server: StreamServer = {
    url: `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    setModel,
    setModels(record) {
      for (const [name, s] of Object.entries(record)) setModel(name, s);
    },
    records,
    connectionsAcceptedAt,
    reset() {
      records.length = 0;
      faultCounts.clear();
      prefixCache.clear();
    },
    close() {
      for (const job of [...jobs]) {
        job.finish('server-closed');
        job.res.destroy();
      }
      return new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections(); // idle keep-alive sockets too, so close() never waits on a client
      });
    },
  };
  return server;
}

/** A record with every performance.now() time turned into epoch ms, for out-of-process readers. */
export function toEpochRecord(r: RequestRecord): RequestRecord & { truth: Truth } {
  const epoch = (t: number | undefined) => (t === undefined ? undefined : performance.timeOrigin + t);
  return {
    ...r,
    receivedAt: epoch(r.receivedAt)!,
    headersSentAt: epoch(r.headersSentAt),
    endedAt: epoch(r.endedAt),
    chunks: r.chunks.map((c) => ({ ...c, sentAt: epoch(c.sentAt)!, writtenAt: epoch(c.writtenAt) })),
    truth: truth(r),
  };
}
