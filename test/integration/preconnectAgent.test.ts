/**
 * Connections opened ahead: requests take them instead of connecting, a connection the server closed while idle is
 * never handed out, and a cancelled or failed pre-connect leaves nothing behind.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openedAhead, PreconnectHttpAgent } from '../../src/core/stream/preconnectAgent';

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
