/**
 * Faults that test/integration/faults.test.ts does not cover: 402, 404 (status and unknown model), 500, 502
 * (JSON and a gateway's HTML page), Anthropic 529 overloaded_error, DNS failure, TLS failure (self-signed
 * certificate; verification stays on), connection refused, and a redirect to another host (not followed, the
 * key never reaches it). Each failed run has a specific message naming the model, the successful model in the
 * same benchmark keeps its runs, and every test is bounded in time.
 */
import { Agent as HttpsAgent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark, type BenchmarkOptions } from '../../src/core/runner';
import { streamRequest } from '../../src/core/stream/streamRequest';
import type { ModelResult, ModelSpec } from '../../src/core/types';
import { startStreamServer, type Fault, type StreamServer } from '../server/streamServer';
import { ALL_PROTOCOLS, specFor } from './helpers';
import {
  closedPort,
  openaiStream,
  selfSignedCert,
  startHttpsServer,
  startRawServer,
  type RawServer,
} from './reliability.helpers';

const T = 15_000; // per-test bound: every case below settles in well under a second

let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
  server.setModel('ok', { ttftMs: 10, tokensPerSecond: 400, outputTokens: 12 });
});
afterAll(() => server.close());

/** Runs the spec beside a healthy model; checks the healthy runs are intact and returns the faulty model's result. */
async function withHealthy(spec: ModelSpec, extra: Partial<BenchmarkOptions> = {}): Promise<ModelResult> {
  const good = specFor(server, 'openai-chat', 'ok');
  const report = await runBenchmark({
    models: [spec, good],
    prompt: 'hello',
    runs: 2,
    timeoutMs: 10_000,
    stallTimeoutMs: 5_000,
    retry: { maxRetries: 0 },
    ...extra,
  });
  const [bad, ok] = report.results;
  expect(ok.okRuns).toBe(2);
  expect(ok.runs.every((r) => r.ok && r.streamedTokens === 12)).toBe(true);
  expect(bad.runs).toHaveLength(2);
  expect(bad.okRuns).toBe(0);
  expect(bad.failedRuns).toBe(2);
  for (const run of bad.runs) {
    expect(run.ok).toBe(false);
    expect(run.error).toContain(spec.id); // names the model
  }
  return bad;
}

async function faulty(protocol: (typeof ALL_PROTOCOLS)[number], fault: Fault): Promise<ModelResult> {
  const name = `rf-${protocol}-${JSON.stringify(fault)}`;
  server.setModel(name, { ttftMs: 10, tokensPerSecond: 400, outputTokens: 12, fault });
  return withHealthy(specFor(server, protocol, name));
}

describe.each(ALL_PROTOCOLS)('%s: HTTP error statuses', (protocol) => {
  it('402: no balance, says to top up at that provider', { timeout: T }, async () => {
    // DeepSeek's real body for an empty balance.
    const body =
      protocol === 'openai-chat'
        ? JSON.stringify({
            error: {
              message: 'Insufficient Balance',
              type: 'unknown_error',
              param: null,
              code: 'invalid_request_error',
            },
          })
        : undefined;
    const bad = await faulty(protocol, { kind: 'status', status: 402, ...(body ? { body } : {}) });
    const run = bad.runs[0];
    expect(run.errorKind).toBe('payment');
    expect(run.error).toMatch(
      /the account is out of balance or quota \(HTTP 402: .*(Insufficient Balance|billing_error).*\)\. Top up the balance with the provider \(127\.0\.0\.1:\d+\) and run again; this is not retried\./,
    );
  });

  it('404 from the server: names the model and says what to check', { timeout: T }, async () => {
    const bad = await faulty(protocol, { kind: 'status', status: 404 });
    expect(bad.runs[0].errorKind).toBe('not-found');
    expect(bad.runs[0].error).toMatch(
      /model "rf-.*" or the endpoint path was not found \(HTTP 404.*\)\. The provider may have retired the model \(the built-in catalog was read on 2026-12-03\)\. Run "tokenscope models" to list current ids, and check "model" and "baseUrl"/,
    );
  });

  it('404 for a model the server does not have: the provider says which', { timeout: T }, async () => {
    const bad = await withHealthy(specFor(server, protocol, 'no-such-model-xyz'));
    expect(bad.runs[0].errorKind).toBe('not-found');
    expect(bad.runs[0].error).toMatch(/model "no-such-model-xyz"/);
    expect(bad.runs[0].error).toMatch(/HTTP 404: .*no-such-model-xyz/); // the provider's own words follow
  });

  it('404 for a built-in entry: names the date its id was read', { timeout: T }, async () => {
    const bad = await withHealthy(specFor(server, protocol, 'deepseek-chat', { readOn: '2026-12-03' }));
    expect(bad.runs[0].error).toMatch(
      /may have retired the model \(this entry's id was read on 2026-12-03\)\. Run "tokenscope models"/,
    );
  });

  it('500: a server error carrying the provider message', { timeout: T }, async () => {
    const bad = await faulty(protocol, { kind: 'status', status: 500 });
    expect(bad.runs[0].errorKind).toBe('server');
    expect(bad.runs[0].error).toMatch(/server error \(HTTP 500: .*Internal server error/);
  });

  it('502 (JSON body): a server error', { timeout: T }, async () => {
    const bad = await faulty(protocol, { kind: 'status', status: 502 });
    expect(bad.runs[0].errorKind).toBe('server');
    expect(bad.runs[0].error).toMatch(/HTTP 502/);
  });

  it("502 from a gateway's HTML page: a server error with the page title", { timeout: T }, async () => {
    const bad = await faulty(protocol, { kind: 'html', status: 502 });
    expect(bad.runs[0].errorKind).toBe('server');
    expect(bad.runs[0].error).toMatch(/server error \(HTTP 502: 502 Bad Gateway\)/);
  });
});

describe('anthropic 529 overloaded_error', () => {
  it(
    'is "overloaded" and says to try later (retries are off here; quirks.test.ts covers them)',
    { timeout: T },
    async () => {
      const t0 = performance.now();
      const bad = await faulty('anthropic', { kind: 'status', status: 529 });
      expect(performance.now() - t0).toBeLessThan(5_000);
      expect(bad.runs[0].errorKind).toBe('overloaded');
      expect(bad.runs[0].error).toMatch(
        /anthropic:rf-anthropic.*overloaded \(HTTP 529: overloaded_error: Overloaded\)\. Try again later\./,
      );
    },
  );
});

describe('network faults', () => {
  it('DNS failure: a name under .invalid never resolves', { timeout: 30_000 }, async () => {
    // RFC 6761: .invalid names never resolve, so no real host is ever contacted.
    const spec: ModelSpec = {
      id: 'dns-model',
      protocol: 'openai-chat',
      baseUrl: 'http://tokenscope-reliability-test.invalid/v1',
      model: 'm',
      region: 'US',
      tokenizer: 'o200k',
    };
    const bad = await withHealthy(spec, { timeoutMs: 25_000, stallTimeoutMs: 25_000 });
    expect(bad.runs[0].errorKind).toBe('dns');
    expect(bad.runs[0].error).toMatch(
      /^dns-model \(tokenscope-reliability-test\.invalid\): the host name could not be resolved \((ENOTFOUND|EAI_AGAIN)\)\. Check "baseUrl"/,
    );
  });

  it('connection refused: says nothing is listening there', { timeout: T }, async () => {
    const port = await closedPort();
    const spec: ModelSpec = {
      id: 'refused-model',
      protocol: 'anthropic',
      baseUrl: `http://127.0.0.1:${port}`,
      model: 'm',
      region: 'US',
      tokenizer: 'o200k',
    };
    const bad = await withHealthy(spec);
    expect(bad.runs[0].errorKind).toBe('network');
    expect(bad.runs[0].error).toBe(
      `refused-model (127.0.0.1:${port}): connection refused — nothing is listening at 127.0.0.1:${port}. Is the server running?`,
    );
  });

  describe('TLS', () => {
    let tls: { key: string; cert: string };
    let https: RawServer;
    beforeAll(async () => {
      tls = await selfSignedCert();
      https = await startHttpsServer(tls, (_, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(openaiStream([' secure', ' hello']));
      });
    }, 30_000);
    afterAll(() => https?.close());

    it(
      'a self-signed certificate fails with kind "tls", before any request or key is sent',
      { timeout: T },
      async () => {
        expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).not.toBe('0'); // verification is on in this process
        const spec: ModelSpec = {
          id: 'tls-model',
          protocol: 'openai-chat',
          baseUrl: `${https.url}/v1`,
          model: 'm',
          region: 'US',
          tokenizer: 'o200k',
          apiKeyEnv: 'TS_RELIABILITY_TLS_KEY',
        };
        const bad = await withHealthy(spec, {
          resolveApiKey: (s) => (s.id === 'tls-model' ? 'tls-secret-key-0123456789' : undefined),
        });
        expect(bad.runs[0].errorKind).toBe('tls');
        expect(bad.runs[0].error).toMatch(
          /^tls-model \(127\.0\.0\.1:\d+\): the TLS connection failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|[A-Z_]*CERT[A-Z_]*)\)\. Check the server's certificate/,
        );
        expect(https.seen).toHaveLength(0); // the handshake failed: no HTTP request, so no key, reached the server
      },
    );

    it(
      'the same server works once its certificate is trusted (the failure above is verification, not a broken server)',
      { timeout: T },
      async () => {
        const spec: ModelSpec = {
          id: 'tls-trusted',
          protocol: 'openai-chat',
          baseUrl: `${https.url}/v1`,
          model: 'm',
          region: 'US',
          tokenizer: 'o200k',
        };
        const agent = new HttpsAgent({ ca: tls.cert });
        const trace = await streamRequest(spec, {
          prompt: 'x',
          maxTokens: 5,
          timeoutMs: 5_000,
          stallTimeoutMs: 5_000,
          agent,
        });
        agent.destroy();
        expect(trace.error).toBeUndefined();
        expect(
          trace.events
            .filter((e) => e.event.kind === 'token')
            .map((e) => (e.event as { text: string }).text)
            .join(''),
        ).toBe(' secure hello');
      },
    );
  });

  describe('redirect to another host', () => {
    let target: RawServer;
    let redirector: RawServer;
    let status = 307;
    beforeAll(async () => {
      target = await startRawServer((_, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(openaiStream([' stolen']));
      });
      redirector = await startRawServer((req, res) => {
        res.writeHead(status, { location: `${target.url}${req.path}`, 'content-type': 'text/plain' });
        res.end('Temporary Redirect');
      });
    });
    afterAll(async () => {
      await target?.close();
      await redirector?.close();
    });

    it.each([301, 302, 303, 307, 308])(
      '%d: not followed; the other host sees no request and no key',
      { timeout: T },
      async (code) => {
        status = code;
        target.seen.length = 0;
        redirector.seen.length = 0;
        const key = `rk${code}Zq8vW3xN1pL6tY4mB9`;
        const spec: ModelSpec = {
          id: `redirect-model-${code}`,
          protocol: 'openai-chat',
          baseUrl: `${redirector.url}/v1`,
          model: 'm',
          region: 'US',
          tokenizer: 'o200k',
          apiKeyEnv: 'TS_RELIABILITY_REDIRECT_KEY',
        };
        const bad = await withHealthy(spec, { resolveApiKey: (s) => (s.id === spec.id ? key : undefined) });
        expect(bad.runs[0].errorKind).toBe('network');
        expect(bad.runs[0].error).toBe(
          `redirect-model-${code} (127.0.0.1:${redirector.port}): the server redirected to ${target.url}/v1/chat/completions (HTTP ${code}); Tokenscope does not follow redirects, so keys never leave the configured host. Point "baseUrl" at the final address.`,
        );
        // The configured host got the key (that is where it belongs); the other host got nothing at all.
        expect(redirector.seen).toHaveLength(2);
        expect(redirector.seen[0].headers.authorization).toBe(`Bearer ${key}`);
        expect(target.seen).toHaveLength(0);
      },
    );
  });
});

describe('a connection dropped right after a burst of chunks', () => {
  it.each(ALL_PROTOCOLS)(
    '%s: the client keeps every chunk the server wrote before the drop',
    { timeout: T },
    async (protocol) => {
      // A busy event loop makes the server's late timer write all due chunks and then drop, in one tick: the
      // writes must reach the socket before it is destroyed (they used to be lost, and the test flaked).
      const name = `burst-${protocol}`;
      server.setModel(name, {
        ttftMs: 30,
        tokensPerSecond: 1000,
        outputTokens: 20,
        fault: { kind: 'drop', afterChunks: 5 },
      });
      const block = setTimeout(() => {
        const until = performance.now() + 120;
        while (performance.now() < until) {
          /* busy: the event loop is held */
        }
      }, 5);
      try {
        const report = await runBenchmark({
          models: [specFor(server, protocol, name)],
          prompt: 'x',
          runs: 1,
          timeoutMs: 10_000,
          stallTimeoutMs: 5_000,
        });
        const run = report.results[0].runs[0];
        const record = server.records.filter((r) => r.model === name).at(-1)!;
        expect(record.chunks).toHaveLength(5);
        expect(run.errorKind).toBe('dropped');
        expect(run.chunks).toBe(5);
        expect(run.answerText).toBe(' the of and to in');
      } finally {
        clearTimeout(block);
      }
    },
  );
});
