/**
 * Request phases (DNS, connect, TLS, sent, headers, first byte) over http and https, on a fresh and on a reused
 * connection, and the provider's own processing time, against the test server's records.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHASE_ORDER } from '../../src/core/stream/phases';
import { PreconnectHttpsAgent } from '../../src/core/stream/preconnectAgent';
import { streamRequest } from '../../src/core/stream/streamRequest';
import { computeRunMetrics } from '../../src/core/metrics';
import type { ModelSpec, RunPhases, StreamTrace } from '../../src/core/types';
import { startStreamServer, truth, type StreamServer } from '../server/streamServer';
import { specFor } from './helpers';
import { selfSignedCert } from './reliability.helpers';

const SCHEDULE = { ttftMs: 60, tokensPerSecond: 400, outputTokens: 8, processingMsHeader: true };

let plain: StreamServer;
let secure: StreamServer;
let tls: { key: string; cert: string };
beforeAll(async () => {
  tls = await selfSignedCert();
  plain = await startStreamServer();
  secure = await startStreamServer({ tls });
  for (const s of [plain, secure]) s.setModel('phases', SCHEDULE);
});
afterAll(async () => {
  await plain.close();
  await secure.close();
});

function expectInOrder(p: RunPhases): number[] {
  const present = PHASE_ORDER.map((k) => p[k]).filter((v): v is number => v !== null);
  for (let i = 1; i < present.length; i++) expect(present[i]).toBeGreaterThanOrEqual(present[i - 1]);
  return present;
}

async function two(server: StreamServer, spec: ModelSpec, agent: http.Agent): Promise<StreamTrace[]> {
  const out: StreamTrace[] = [];
  for (let i = 0; i < 2; i++)
    out.push(
      await streamRequest(spec, {
        prompt: 'Say something.',
        maxTokens: 16,
        timeoutMs: 10_000,
        stallTimeoutMs: 5_000,
        agent,
      }),
    );
  expect(out.every((t) => !t.error)).toBe(true);
  return out;
}

describe('request phases', () => {
  it('http: a fresh connection has connect and no TLS; the reused one has neither; DNS only for a host name', async () => {
    const agent = new http.Agent({ keepAlive: true });
    try {
      const [fresh, reused] = await two(plain, specFor(plain, 'openai-chat', 'phases'), agent);
      expect(fresh.connectionReused).toBe(false);
      expect(fresh.phases!.dnsMs).toBeNull(); // 127.0.0.1 needs no lookup
      expect(fresh.phases!.connectMs).not.toBeNull();
      expect(fresh.phases!.tlsMs).toBeNull();
      expect(expectInOrder(fresh.phases!)).toHaveLength(4); // connect, sent, headers, first byte
      expect(reused.connectionReused).toBe(true);
      expect(reused.phases!.connectMs).toBeNull();
      expect(reused.phases!.dnsMs).toBeNull();
      expect(expectInOrder(reused.phases!)).toHaveLength(3); // sent, headers, first byte
    } finally {
      agent.destroy();
    }
    const byName = new http.Agent({ keepAlive: false, family: 4 } as http.AgentOptions);
    try {
      const spec = specFor(plain, 'openai-chat', 'phases', {
        baseUrl: plain.url.replace('127.0.0.1', 'localhost') + '/v1',
      });
      const [t] = await two(plain, spec, byName);
      expect(t.phases!.dnsMs).not.toBeNull();
      expect(expectInOrder(t.phases!)).toHaveLength(5); // dns, connect, sent, headers, first byte
    } finally {
      byName.destroy();
    }
  });

  it('https: TLS follows connect on a fresh connection and is skipped on a reused one', async () => {
    // Trust is scoped to this agent: the test's own certificate as its only CA; verification stays on.
    const agent = new https.Agent({ keepAlive: true, ca: tls.cert });
    try {
      const [fresh, reused] = await two(secure, specFor(secure, 'openai-chat', 'phases'), agent);
      expect(fresh.phases!.tlsMs).not.toBeNull();
      expect(fresh.phases!.tlsMs!).toBeGreaterThan(fresh.phases!.connectMs!);
      expect(expectInOrder(fresh.phases!)).toHaveLength(5); // no DNS for 127.0.0.1
      expect(reused.connectionReused).toBe(true);
      expect(reused.phases!.tlsMs).toBeNull();
      expect(reused.phases!.connectMs).toBeNull();
      expectInOrder(reused.phases!);
    } finally {
      agent.destroy();
    }
  });

  it('https: a connection opened ahead carries its first request with neither connect nor TLS in its phases', async () => {
    const agent = new PreconnectHttpsAgent({ keepAlive: true, ca: tls.cert });
    try {
      const before = secure.connectionsAcceptedAt.length;
      const spec = specFor(secure, 'openai-chat', 'phases');
      expect(await agent.preconnect(spec.baseUrl, 2, 5_000)).toBe(2);
      const opts = { prompt: 'Say something.', maxTokens: 16, timeoutMs: 10_000, stallTimeoutMs: 5_000, agent };
      const traces = await Promise.all([streamRequest(spec, opts), streamRequest(spec, opts)]);
      for (const t of traces) {
        expect(t.error).toBeUndefined();
        expect(t.connectionReused).toBe(true);
        expect(t.phases!.connectMs).toBeNull();
        expect(t.phases!.tlsMs).toBeNull();
      }
      expect(secure.connectionsAcceptedAt.length - before).toBe(2);
    } finally {
      agent.destroy();
    }
  });

  it('an https server with an unknown certificate is refused without the test CA', async () => {
    const agent = new https.Agent({ keepAlive: false });
    try {
      const t = await streamRequest(specFor(secure, 'openai-chat', 'phases'), {
        prompt: 'x',
        maxTokens: 4,
        timeoutMs: 5_000,
        stallTimeoutMs: 5_000,
        agent,
      });
      expect(t.error?.kind).toBe('tls');
    } finally {
      agent.destroy();
    }
  });

  it('keeps the provider processing time and TTFT lies after the first byte', async () => {
    const before = plain.records.length;
    const agent = new http.Agent({ keepAlive: true });
    try {
      const [trace] = await two(plain, specFor(plain, 'anthropic', 'phases'), agent);
      const record = plain.records[before];
      expect(trace.serverProcessingMs).toBe(record.processingMs);
      const metrics = computeRunMetrics(trace, {
        spec: specFor(plain, 'anthropic', 'phases'),
        startedAt: new Date().toISOString(),
      });
      expect(metrics.phases).toEqual(trace.phases);
      expect(metrics.connectionReused).toBe(false);
      expect(metrics.ttftMs!).toBeGreaterThanOrEqual(metrics.phases!.firstByteMs!);
      expect(Math.abs(metrics.ttftMs! - truth(record).ttftMs!)).toBeLessThan(10);
    } finally {
      agent.destroy();
    }
  });
});
