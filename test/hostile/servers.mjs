/**
 * Hostile and broken model servers on 127.0.0.1, for test/hostile and `npm run bench:hostile`. Each
 * behaviour writes the bytes a real (or really misbehaving) server sends: OpenAI chat.completion.chunk
 * SSE frames, Ollama /api/chat NDJSON lines, whole JSON bodies, HTML pages, gzip. Endless writers honour
 * back-pressure and stop when the client goes, so a test never buffers more than the socket holds.
 * Plain JavaScript so that the benchmark script can use it without a build.
 */
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';

const CREATED = 1764547200;

/** One OpenAI streaming frame, as api.openai.com / api.deepseek.com send it. */
export function openaiFrame(delta, extra = {}) {
  return `data: ${JSON.stringify({ id: 'chatcmpl-hostile', object: 'chat.completion.chunk', created: CREATED, model: 'm', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
}

export function openaiUsage(usage) {
  return `data: ${JSON.stringify({ id: 'chatcmpl-hostile', object: 'chat.completion.chunk', created: CREATED, model: 'm', choices: [], usage })}\n\n`;
}

/** A normal short OpenAI stream: role chunk, tokens, finish, usage, [DONE]. */
export function openaiStream(
  tokens,
  usage = { prompt_tokens: 3, completion_tokens: tokens.length, total_tokens: 3 + tokens.length },
) {
  return (
    openaiFrame({ role: 'assistant', content: '' }) +
    tokens.map((t) => openaiFrame({ content: t })).join('') +
    `data: ${JSON.stringify({ id: 'chatcmpl-hostile', object: 'chat.completion.chunk', created: CREATED, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n` +
    (usage ? openaiUsage(usage) : '') +
    'data: [DONE]\n\n'
  );
}

const TOKENS = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.'];

/** Writes `next()` pieces until it returns null or the client goes; waits for 'drain' when the socket is full. */
function pump(res, next, onBytes = () => {}) {
  let closed = false;
  res.on('close', () => (closed = true));
  const go = () => {
    while (!closed) {
      const piece = next();
      if (piece === null) return void res.end();
      onBytes(Buffer.byteLength(piece));
      if (!res.write(piece)) return void res.once('drain', go);
    }
  };
  go();
}

/** Writes the SSE frames of `text` one by one, 5 ms apart (a real stream's reads, so rates can be measured). */
function paced(res, text) {
  const frames = text.split(/(?<=\n\n)/);
  let i = 0;
  const timer = setInterval(() => {
    if (i < frames.length) res.write(frames[i++]);
    else {
      clearInterval(timer);
      res.end();
    }
  }, 5);
  res.on('close', () => clearInterval(timer));
}

/** Writes `piece` every `everyMs` until the client goes. */
function drip(res, piece, everyMs) {
  const timer = setInterval(() => res.write(piece), everyMs);
  res.on('close', () => clearInterval(timer));
}

/**
 * Behaviours, chosen by the model name of a POST (openai-chat and Ollama paths alike).
 * `sent` counts the bytes written to each behaviour, to show that a client stopped reading.
 */
export const BEHAVIOURS = {
  /** Ignores max_tokens: token frames as fast as the client reads, forever. */
  endless(res, sent) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let i = 0;
    pump(
      res,
      () => openaiFrame({ content: TOKENS[i++ % TOKENS.length] }),
      (n) => (sent.endless = (sent.endless ?? 0) + n),
    );
  },
  /** A token frame every 50 ms, forever (for Ctrl-C while streaming). */
  'endless-slow'(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(openaiFrame({ role: 'assistant', content: '' }));
    drip(res, openaiFrame({ content: ' tick' }), 50);
  },
  /** One Ollama NDJSON line of 100 MB (a content field that never ends in time), then the final line. */
  'ndjson-line'(res, sent) {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const piece = 'a'.repeat(64 * 1024);
    let left = 100 * 1024 * 1024;
    let state = 0;
    pump(
      res,
      () => {
        if (state === 0)
          return (
            (state = 1),
            '{"model":"m","created_at":"2026-12-01T00:00:00Z","message":{"role":"assistant","content":"'
          );
        if (left > 0) return ((left -= piece.length), piece);
        if (state === 1)
          return (
            (state = 2),
            '"},"done":false}\n{"model":"m","created_at":"2026-12-01T00:00:01Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","eval_count":1,"eval_duration":1000000}\n'
          );
        return null;
      },
      (n) => (sent['ndjson-line'] = (sent['ndjson-line'] ?? 0) + n),
    );
  },
  /** 14 MiB of SSE lines with unknown fields (under the 16 MiB cap), then a normal stream. */
  junk(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const line = 'x-junk: 0123456789abcdef\n';
    const block = line.repeat(Math.floor((64 * 1024) / line.length));
    let left = 14 * 1024 * 1024;
    let tail = false;
    pump(res, () => {
      if (left > 0) return ((left -= block.length), block);
      if (!tail) return ((tail = true), '\n' + openaiStream(TOKENS));
      return null;
    });
  },
  /** gzip-compressed SSE, though no Accept-Encoding was sent (a misconfigured proxy). */
  gzip(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
    res.end(gzipSync(openaiStream(TOKENS)));
  },
  /** A whole chat.completion JSON body: the server ignored "stream": true. */
  json(res) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-hostile',
        object: 'chat.completion',
        created: CREATED,
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: 'The quick brown fox.' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
      }),
    );
  },
  /** A login page without any content-type header. */
  'html-untyped'(res) {
    res.removeHeader('content-type');
    res.writeHead(200);
    res.end('<!DOCTYPE html><html><head><title>Sign in to continue</title></head><body>Please sign in.</body></html>');
  },
  /** 200 with the SSE content type and no body at all. */
  empty(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end();
  },
  204(res) {
    res.writeHead(204);
    res.end();
  },
  /** Ollama answering a request whose extraBody says "stream": false: one JSON object with the whole answer. */
  'stream-false'(res) {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({
        model: 'm',
        created_at: '2026-12-01T00:00:00Z',
        message: { role: 'assistant', content: 'The quick brown fox.' },
        done: true,
        done_reason: 'stop',
        total_duration: 1e9,
        prompt_eval_count: 3,
        eval_count: 5,
        eval_duration: 5e8,
      }),
    );
  },
  /** A well-formed stream that carries no token (a content filter stopping at once). */
  'no-token'(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(
      openaiStream([], { prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 }).replace(
        '"finish_reason":"stop"',
        '"finish_reason":"content_filter"',
      ),
    );
  },
  /** Tokens, then the usage frame with a single newline and no blank line, then a clean close. */
  'usage-no-blank'(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const full = openaiStream(TOKENS, { prompt_tokens: 3, completion_tokens: 10, total_tokens: 13 });
    res.end(full.slice(0, full.indexOf('data: [DONE]')).replace(/\n\n$/, '\n'));
  },
  /** Tokens, then a final frame cut in the middle of its JSON, then a clean close. */
  'truncated-tail'(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(
      TOKENS.map((t) => openaiFrame({ content: t })).join('') +
        'data: {"id":"chatcmpl-hostile","object":"chat.completion.chunk","choi',
    );
  },
  /** Events separated by single newlines (no blank lines at all). */
  'single-newline'(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(openaiStream(TOKENS, { prompt_tokens: 3, completion_tokens: 10, total_tokens: 13 }).replace(/\n\n/g, '\n'));
  },
  /** Usage counts a broken server might send: negative, fractional, absurd. */
  'usage-negative'(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    paced(res, openaiStream(TOKENS, { prompt_tokens: 3, completion_tokens: -5, total_tokens: -2 }));
  },
  'usage-fractional'(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    paced(res, openaiStream(TOKENS, { prompt_tokens: 3, completion_tokens: 2.5, total_tokens: 5.5 }));
  },
  'usage-huge'(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    paced(res, openaiStream(TOKENS, { prompt_tokens: 1e308, completion_tokens: 1e308, total_tokens: 1e308 }));
  },
  /** A normal stream, for control. */
  ok(res) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    paced(res, openaiStream(TOKENS));
  },
};

/** What GET /v1/models and /api/tags do: answer, drip one byte every 100 ms, or send an endless body. */
export const MODEL_LISTS = {
  ok: (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        object: 'list',
        data: [{ id: 'hostile-model', object: 'model', owned_by: 'me' }],
        models: [{ name: 'hostile-model' }],
      }),
    );
  },
  drip: (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"object":"list","data":[{"id":"drip');
    drip(res, 'p', 100);
  },
  huge: (res, sent) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const piece = ` ${'"padding",'.repeat(6500)}`;
    let started = false;
    pump(
      res,
      () => (started ? piece : ((started = true), '{"object":"list","padding":[')),
      (n) => (sent.models = (sent.models ?? 0) + n),
    );
  },
};

/**
 * Starts a hostile server. POSTs to /v1/chat/completions or /api/chat behave as BEHAVIOURS[model];
 * GETs of /v1/models and /api/tags as MODEL_LISTS[modelList]. Resolves to { url, port, sent, close }.
 */
export function startHostileServer({ modelList = 'ok' } = {}) {
  const sent = {};
  const server = createServer((req, res) => {
    if (req.method === 'GET') return MODEL_LISTS[modelList](res, sent);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (s) => (body += s));
    req.on('end', () => {
      let model = '';
      try {
        model = JSON.parse(body).model ?? '';
      } catch {
        /* not JSON */
      }
      const behaviour = BEHAVIOURS[model];
      if (!behaviour) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return void res.end(
          JSON.stringify({
            error: {
              message: `The model \`${model}\` does not exist`,
              type: 'invalid_request_error',
              code: 'model_not_found',
            },
          }),
        );
      }
      behaviour(res, sent);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        sent,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
