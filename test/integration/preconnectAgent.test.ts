/**
 * Connections opened ahead: requests take them instead of connecting, a connection the server closed while idle is
 * never handed out, a cancelled or failed pre-connect leaves nothing behind, and a request on a connection the
 * server closed just as it went out is sent again.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRun } from '../../src/core/sendRun';
import { openedAhead, PreconnectHttpAgent } from '../../src/core/stream/preconnectAgent';
import type { ModelSpec } from '../../src/core/types';

let server: http.Server;
let url: string;
const accepted: Socket[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    res.end('ok');
  });
  server.on('connection', (s) => accepted.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The server accepts a connection a little after the client sees it connected. */
async function acceptedSince(before: number, n: number): Promise<Socket[]> {
  for (let i = 0; i < 200 && accepted.length - before < n; i++) await new Promise((r) => setTimeout(r, 5));
  return accepted.slice(before);
}

function get(agent: http.Agent): Promise<{ body: string; ahead: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ body, ahead: openedAhead(req.socket!) }));
    });
    req.on('error', reject);
  });
}

describe('PreconnectHttpAgent', () => {
  it('opens the connections before any request, and the requests take them instead of connecting', async () => {
    const agent = new PreconnectHttpAgent({ keepAlive: true });
    const before = accepted.length;
    expect(await agent.preconnect(url, 3, 5000)).toBe(3);
    expect(await acceptedSince(before, 3)).toHaveLength(3);
    const answers = await Promise.all([get(agent), get(agent), get(agent)]);
    expect(answers.map((a) => a.body)).toEqual(['ok', 'ok', 'ok']);
    expect(answers.every((a) => a.ahead)).toBe(true);
    expect(accepted.length - before).toBe(3); // no request opened a connection of its own
    // Four at once: three reuse those (kept alive), the fourth has none left to take and connects as usual.
    const more = await Promise.all([get(agent), get(agent), get(agent), get(agent)]);
    expect(more.filter((a) => a.ahead)).toHaveLength(3);
    expect(await acceptedSince(before, 4)).toHaveLength(4);
    agent.destroy();
  });

  it('never hands out a connection the server closed while it was idle', async () => {
    const agent = new PreconnectHttpAgent({ keepAlive: true });
    const before = accepted.length;
    expect(await agent.preconnect(url, 2, 5000)).toBe(2);
    for (const s of await acceptedSince(before, 2)) s.destroy();
    // Wait until the client has seen the close: a connection closed in flight is the request's error to report.
    await new Promise((r) => setTimeout(r, 50));
    const answers = await Promise.all([get(agent), get(agent)]);
    expect(answers.map((a) => a.body)).toEqual(['ok', 'ok']);
    expect(answers.some((a) => a.ahead)).toBe(false);
    agent.destroy();
  });

  it('opens nothing when cancelled, and gives up on an origin that does not answer', async () => {
    const agent = new PreconnectHttpAgent({ keepAlive: true });
    const before = accepted.length;
    const controller = new AbortController();
    controller.abort();
    expect(await agent.preconnect(url, 4, 5000, controller.signal)).toBe(0);
    expect(accepted.length).toBe(before);
    // Nothing listens on port 9 of 127.0.0.1 here: refused, counted as not opened, no unhandled error.
    expect(await agent.preconnect('http://127.0.0.1:9/v1', 2, 2000)).toBe(0);
    agent.destroy();
  });

  it('destroy() closes the connections nobody took', async () => {
    const agent = new PreconnectHttpAgent({ keepAlive: true });
    const before = accepted.length;
    expect(await agent.preconnect(url, 2, 5000)).toBe(2);
    const mine = await acceptedSince(before, 2);
    expect(mine).toHaveLength(2);
    agent.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(mine.every((s) => s.destroyed || s.readableEnded)).toBe(true);
  });
});

describe('a request on a connection the server closes as it arrives', () => {
  const spec: ModelSpec = {
    id: 'stale',
    protocol: 'openai-chat',
    baseUrl: '',
    model: 'm',
    region: 'local',
    tokenizer: 'o200k',
  };
  const opts = { prompt: 'x', maxTokens: 8, timeoutMs: 5_000, stallTimeoutMs: 5_000 };
  const noRetry = { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0 };
  let closing: http.Server;
  const connections: Socket[] = [];
  let requests = 0;
  beforeAll(async () => {
    // The first connection is dropped when its request arrives (a server that had closed it as idle); the
    // others answer with a one-token stream.
    closing = http.createServer((req, res) => {
      requests++;
      if (req.socket === connections[0]) return req.socket.destroy();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n');
    });
    closing.on('connection', (s) => connections.push(s));
    await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
    spec.baseUrl = `http://127.0.0.1:${(closing.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => {
    closing.closeAllConnections();
    return new Promise<void>((resolve) => closing.close(() => resolve()));
  });

  it('is sent again on another connection when the connection was open before it (nothing was processed)', async () => {
    connections.length = 0;
    requests = 0;
    const agent = new PreconnectHttpAgent({ keepAlive: true });
    try {
      expect(await agent.preconnect(spec.baseUrl, 1, 5_000)).toBe(1);
      const raw = await sendRun(spec, { ...opts, agent }, noRetry);
      expect(raw.error).toBeUndefined();
      expect(raw.body.bytes().toString()).toContain('"hi"');
      expect(requests).toBe(2);
      expect(connections).toHaveLength(2);
    } finally {
      agent.destroy();
    }
  });

  it('fails with a network error, and is not sent again, on a connection it opened itself', async () => {
    connections.length = 0;
    requests = 0;
    const agent = new PreconnectHttpAgent({ keepAlive: true });
    try {
      const raw = await sendRun(spec, { ...opts, agent }, noRetry);
      expect(raw.error?.kind).toBe('network');
      expect(raw.staleConnection).toBeUndefined();
      expect(requests).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});
