/**
 * Measurement fidelity: how late does Tokenscope read what the server sent?
 * Starts the local streaming test server in its own process, streams known schedules through
 * Tokenscope's engine (streamRequest + computeRunMetrics) and through a bare node:http client (the
 * floor a client on this machine can reach), at several concurrencies, and prints, against the
 * server's own record of when it sent each chunk: TTFT error p50/p99, decode tok/s error, and
 * client CPU time per token.   Usage: npm run bench:fidelity [-- --quick]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { computeRunMetrics } from '../../src/core/metrics';
import { decodeTrace, streamRaw } from '../../src/core/stream/streamRequest';
import { loadTokenizer } from '../../src/core/tokenizers';
import type { ModelSpec } from '../../src/core/types';
import type { Schedule } from '../../test/server/schedule';
import { percentile } from '../../src/core/stats';

type Sched = Schedule & { name: string };
const quick = process.argv.includes('--quick');
const SCHEDULES: Sched[] = [
  { name: '40 tok/s, 1-token chunks', ttftMs: 300, tokensPerSecond: 40, outputTokens: quick ? 30 : 60 },
  { name: '40 tok/s, 3-token chunks', ttftMs: 300, tokensPerSecond: 40, tokensPerChunk: 3, outputTokens: quick ? 30 : 60 },
  { name: '1000 tok/s, 1-token chunks', ttftMs: 300, tokensPerSecond: 1000, outputTokens: quick ? 300 : 1000 },
  { name: '1000 tok/s, 3-token chunks', ttftMs: 300, tokensPerSecond: 1000, tokensPerChunk: 3, outputTokens: quick ? 300 : 1000 },
  { name: 'hidden reasoning, 40 tok/s', ttftMs: 300, tokensPerSecond: 40, outputTokens: quick ? 30 : 60, reasoningTokens: 40, reasoningVisible: false },
];
const CONCURRENCY = quick ? [1, 64] : [1, 64, 256];

interface ServerRecord {
  body: { messages?: { content: string }[] };
  receivedAt: number;
  chunks: { sentAt: number; tokens: number }[];
  truth: { ttftMs: number | null; decodeTps: number | null };
}

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'test-server.js'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (s: string) => {
      const m = /listening on (http:\/\/\S+)/.exec(s);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`test server exited with ${code}`)));
  });
}

async function control(url: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url + path, { method: body === undefined ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}

/** The floor: a bare node:http client that stamps the first read holding a content token. */
function bareRequest(url: string, model: string, prompt: string, agent: http.Agent): Promise<{ start: number; first: number | null; tokensReads: number[] }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: prompt }] });
    const start = performance.now();
    let first: number | null = null;
    const req = http.request(`${url}/v1/chat/completions`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', (buf: Buffer) => {
        const t = performance.now();
        if (first === null && buf.includes('"content":" ')) first = t;
      });
      res.on('end', () => resolve({ start, first, tokensReads: [] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function pool<T>(n: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await task(i);
    }
  }));
  return out;
}

const fmt = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—');

async function main() {
  const { child, url } = await startServer();
  const o200k = await loadTokenizer('o200k');
  const counter = { name: o200k.name, count: (t: string) => o200k.count(t) };
  const rows: string[][] = [['schedule', 'client', 'conc', 'TTFT err p50 ms', 'TTFT err p99 ms', 'tok/s err p50 %', 'tok/s err max %', 'CPU µs/token', 'loop delay p99 ms']];
  // performance.timeOrigin differs per process: express both sides in epoch ms.
  const epoch = (t: number) => performance.timeOrigin + t;
  try {
    for (const s of SCHEDULES) {
      await control(url, '/__models', { models: { bench: s } });
      for (const conc of CONCURRENCY) {
        const n = Math.max(conc, quick ? 4 : 8);
        for (const client of ['tokenscope', 'bare node:http'] as const) {
          if (client === 'bare node:http' && s.reasoningVisible === false) continue; // the floor needs content-token detection only once
          await control(url, '/__reset', {});
          const agent = new http.Agent({ keepAlive: true, maxSockets: conc });
          const spec: ModelSpec = { id: 'bench', protocol: 'openai-chat', baseUrl: `${url}/v1`, model: 'bench', region: 'local', tokenizer: 'o200k' };
          const loop = monitorEventLoopDelay({ resolution: 5 });
          loop.enable();
          const cpu0 = process.cpuUsage();
          // Decoding and metrics happen after the streams end, as in the runner, so that no parsing
          // competes with the reads being timed.
          const raw = await pool(n, conc, async (i) => {
            const prompt = `run ${i}`;
            if (client === 'tokenscope') {
              const raw = await streamRaw(spec, { prompt, maxTokens: 4096, timeoutMs: 120_000, stallTimeoutMs: 60_000, agent });
              return { prompt, raw };
            }
            const r = await bareRequest(url, 'bench', prompt, agent);
            return { prompt, firstEpoch: r.first === null ? null : epoch(r.first) };
          });
          const measured = raw.map((x) => {
            if (!('raw' in x) || !x.raw) return { prompt: x.prompt, firstEpoch: x.firstEpoch ?? null, tps: null, tokens: s.outputTokens };
            const trace = decodeTrace(x.raw, spec);
            const m = computeRunMetrics(trace, { spec, modelCounter: counter, startedAt: '' });
            const firstRead = trace.events.find((e) => e.event.kind === 'token');
            return { prompt: x.prompt, firstEpoch: firstRead ? epoch(firstRead.t) : null, tps: m.decodeTps, tokens: m.streamedTokens ?? 0 };
          });
          const cpu = process.cpuUsage(cpu0);
          loop.disable();
          agent.destroy();
          const { records } = (await control(url, "/__records")) as { records: ServerRecord[] };
          const byPrompt = new Map(records.map((r) => [r.body.messages?.[0]?.content ?? '', r]));
          const ttftErr: number[] = [];
          const tpsErr: number[] = [];
          let tokens = 0;
          for (const m of measured) {
            const rec = byPrompt.get(m.prompt);
            if (!rec || m.firstEpoch === null || !rec.chunks.length) continue;
            ttftErr.push(m.firstEpoch - rec.chunks[0].sentAt); // sentAt is already epoch ms in /__records
            if (m.tps !== null && rec.truth.decodeTps) tpsErr.push((m.tps / rec.truth.decodeTps - 1) * 100);
            tokens += m.tokens;
          }
          ttftErr.sort((a, b) => a - b);
          const absTps = tpsErr.map(Math.abs).sort((a, b) => a - b);
          rows.push([
            s.name,
            client,
            String(conc),
            fmt(percentile(ttftErr, 0.5), 2),
            fmt(percentile(ttftErr, 0.99), 2),
            client === 'tokenscope' ? fmt(percentile(tpsErr.slice().sort((a, b) => a - b), 0.5), 3) : '—',
            client === 'tokenscope' ? fmt(absTps[absTps.length - 1], 3) : '—',
            fmt(((cpu.user + cpu.system) / Math.max(1, tokens)), 1),
            fmt(Math.max(0, loop.percentile(99) / 1e6 - 5), 1), // minus the 5 ms sampling interval
          ]);
          process.stderr.write(`  done: ${s.name} / ${client} / ${conc}\n`);
        }
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n'));
  console.log(`\nmachine: ${require('node:os').cpus().length} cores, node ${process.version}; server and client share the machine.`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
