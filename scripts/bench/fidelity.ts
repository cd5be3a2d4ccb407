/**
 * Measurement fidelity, measured the way peer benchmark clients are judged: for every request, the client's TTFT
 * minus the server's own arrival → first-token time. Slowness anywhere in the client (building and sending the
 * request, connecting, reading late) counts against it.
 *
 * The local streaming test server runs in its own process and reports each request's record id as its input tokens
 * (nothing streamed changes), so every run pairs exactly with the server's record. Each schedule and concurrency is measured as one fresh burst
 * for three clients in the same run:
 *   - bare node:http: a client that only sends and stamps the first token read (the floor on this machine);
 *   - tokenscope --warmup 0: the full engine (runBenchmark) on fresh connections;
 *   - tokenscope default: the full engine with the settings a user gets (one warm-up run).
 * It prints p50 and worst case of every figure, checks each against its target and exits 1 when one is missed.
 *   Usage: npm run bench:fidelity [-- --quick] [--only CONC[/CLIENT]] [--schedule N] [--server-nice N]
 *   FIDELITY_DEBUG=1 lists each run off by > 0.5%; FIDELITY_DEBUG=all lists every run with its first and last
 *   reads' lag behind the server's sends. FIDELITY_SERVER_FLAGS passes node flags to the test server (e.g.
 *   "--cpu-prof --cpu-prof-dir=/tmp/prof") and echoes its output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import { join } from 'node:path';
import { USER_DEFAULT_WARMUP } from '../../src/core/defaults';
import { runBenchmark } from '../../src/core/runner';
import { percentile } from '../../src/core/stats';
import { loadTokenizer } from '../../src/core/tokenizers';
import type { ModelSpec } from '../../src/core/types';
import type { Schedule } from '../../test/server/schedule';

type Sched = Schedule & { name: string };
const quick = process.argv.includes('--quick');
const TAG = { tagUsage: true } as const;
const SCHEDULES: Sched[] = [
  { name: '40 tok/s, 1-token chunks', ttftMs: 300, tokensPerSecond: 40, outputTokens: quick ? 30 : 60, ...TAG },
  {
    name: '40 tok/s, 3-token chunks',
    ttftMs: 300,
    tokensPerSecond: 40,
    tokensPerChunk: 3,
    outputTokens: quick ? 30 : 60,
    ...TAG,
  },
  { name: '1000 tok/s, 1-token chunks', ttftMs: 300, tokensPerSecond: 1000, outputTokens: quick ? 300 : 1000, ...TAG },
  {
    name: '1000 tok/s, 3-token chunks',
    ttftMs: 300,
    tokensPerSecond: 1000,
    tokensPerChunk: 3,
    outputTokens: quick ? 300 : 1000,
    ...TAG,
  },
  {
    name: 'hidden reasoning, 40 tok/s',
    ttftMs: 300,
    tokensPerSecond: 40,
    outputTokens: quick ? 30 : 60,
    reasoningTokens: 40,
    reasoningVisible: false,
    ...TAG,
  },
];
const ALL_CLIENTS = ['bare node:http', 'tokenscope --warmup 0', 'tokenscope default'] as const;
type Client = (typeof ALL_CLIENTS)[number];
/** `--only CONC[/CLIENT]` (e.g. `--only 256/default`) measures one slice, for profiling with `node --cpu-prof`. */
const only = process.argv.includes('--only') ? (process.argv[process.argv.indexOf('--only') + 1] ?? '') : undefined;
const CONCURRENCY = only ? [Number(only.split('/')[0])] : quick ? [1, 64] : [1, 64, 256];
/** `--server-nice N`: run the test server at nice N (diagnostic; see startServer). */
const serverNice = process.argv.includes('--server-nice')
  ? Number(process.argv[process.argv.indexOf('--server-nice') + 1])
  : undefined;
const CLIENTS: readonly Client[] = only?.includes('/')
  ? ALL_CLIENTS.filter((c) => c.endsWith(only.split('/')[1]))
  : ALL_CLIENTS;

/** Targets; `floor` ones compare with the bare client's figure of the same burst. */
const TARGETS = {
  defaultAt64: { p50: 10, p99: 25 },
  freshBurstVsFloor: 1.1,
  tpsErrP99Pct: 0.5,
  /** vLLM's benchmark client measured on this kind of machine, µs of client CPU per streamed token. */
  cpuPerToken: { 1: 440, 64: 80, 256: 55 } as Record<number, number>,
};

interface ServerRecord {
  id: number;
  receivedAt: number;
  /** writtenAt: first and last chunk, once the write had gone to the socket. */
  chunks: { sentAt: number; tokens: number; writtenAt?: number }[];
  truth: { ttftMs: number | null; decodeTps: number | null };
}

interface Sample {
  /** Client TTFT minus the server's arrival → first token, ms. */
  ttftErr: number[];
  /** Client decode rate vs the rate of the chunks as sent, %. */
  tpsErr: number[];
  cpuUsPerToken: number;
  /** The test server's CPU over the burst, µs per token (it shares the cores). */
  serverCpuUsPerToken?: number;
  /**
   * Cores the schedule needs to stream in real time: client (until the streams closed) and server CPU per token ×
   * the tokens per second all streams together carry.
   */
  coresNeeded?: number;
  /** The slowest run's decode rate as the server sent it, as a share of the schedule's, %. */
  serverPaceMinPct: number;
  cpuUserUsPerToken: number;
  /** Until the last stream closed (the engine decodes after that). */
  cpuStreamingUsPerToken: number;
  /** The engine's own event-loop monitor over the timed runs: the longest delay, ms. */
  loopDelayMaxMs?: number;
  /** Garbage-collection pauses during the burst (they delay reads), ms. */
  gcMajorMs: number;
  gcMinorMs: number;
}

const gcTotals = { majorMs: 0, minorMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) gcTotals.majorMs += e.duration;
    else gcTotals.minorMs += e.duration;
  }
}).observe({ entryTypes: ['gc'] });

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const args = [
      ...(process.env.FIDELITY_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []),
      join(__dirname, '..', 'test-server.js'),
      '--port',
      '0',
    ];
    // Diagnostic only: the server at a lower CPU priority shows how much of an error is the two processes
    // competing for the cores (a real provider's server is not on the client's machine); its figures are not the
    // ones to quote.
    const child =
      serverNice === undefined
        ? spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
        : spawn('nice', ['-n', String(serverNice), process.execPath, ...args], {
            stdio: ['ignore', 'pipe', 'inherit'],
          });
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (s: string) => {
      if (process.env.FIDELITY_SERVER_FLAGS) process.stderr.write(`server: ${s}`);
      const m = /listening on (http:\/\/\S+)/.exec(s);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`test server exited with ${code}`)));
  });
}

async function control(url: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url + path, {
    method: body === undefined ? 'GET' : 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

/**
 * The floor: sends, then stamps the reads that carry a token (counting a read's tokens as its events with text ×
 * the schedule's tokens per chunk); the record id comes with the usage. Its tok/s error is what stamping reads on
 * this machine costs before any decoding.
 */
function bareRequest(
  url: string,
  prompt: string,
  agent: http.Agent,
  tokensPerChunk: number,
): Promise<{ ttftMs: number | null; tps: number | null; id?: number; firstEpoch?: number; lastEpoch?: number }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({
      model: 'bench',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: prompt }],
    });
    const start = performance.now();
    let ttftMs: number | null = null;
    let firstAt = 0;
    let lastAt = 0;
    let firstTokens = 0;
    let tokens = 0;
    let tail = '';
    const req = http.request(
      `${url}/v1/chat/completions`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.on('data', (buf: Buffer) => {
          const t = performance.now();
          const text = buf.toString('latin1');
          const n = (text.match(/"(content|reasoning_content)":"[^"]/g)?.length ?? 0) * tokensPerChunk;
          if (n > 0) {
            if (ttftMs === null) {
              ttftMs = t - start;
              firstAt = t;
              firstTokens = n;
            }
            lastAt = t;
            tokens += n;
          }
          tail = (tail + text).slice(-512);
        });
        res.on('end', () => {
          const m = /"prompt_tokens":(\d+)/.exec(tail);
          resolve({
            ttftMs,
            tps: lastAt > firstAt ? (tokens - firstTokens) / ((lastAt - firstAt) / 1000) : null,
            id: m ? Number(m[1]) : undefined,
            firstEpoch: performance.timeOrigin + firstAt,
            lastEpoch: performance.timeOrigin + lastAt,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The test server's CPU time so far, µs (Linux: /proc; undefined elsewhere). */
function serverCpuUs(): number | undefined {
  try {
    const fields = readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return undefined;
  }
}
let serverPid: number | undefined;

async function burst(url: string, client: Client, conc: number, schedule: Sched): Promise<Sample> {
  await control(url, '/__reset', {});
  const server0 = serverCpuUs();
  const n = Math.max(conc, quick ? 8 : 16);
  const spec: ModelSpec = {
    id: 'bench',
    protocol: 'openai-chat',
    baseUrl: `${url}/v1`,
    model: 'bench',
    region: 'local',
    tokenizer: 'o200k',
  };
  const measured: {
    id?: number;
    ttftMs: number | null;
    tps: number | null;
    gaps?: number[];
    firstEpoch?: number;
    lastEpoch?: number;
  }[] = [];
  let tokens = 0;
  const cpu0 = process.cpuUsage();
  let streamingCpu: NodeJS.CpuUsage | undefined;
  let loopDelayMaxMs: number | undefined;
  const gc0 = { ...gcTotals };
  if (client === 'bare node:http') {
    const agent = new http.Agent({ keepAlive: true });
    // At most `conc` requests at a time, as the engine runs them.
    const all: Awaited<ReturnType<typeof bareRequest>>[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(conc, n) }, async () => {
        while (next < n) {
          next++;
          all.push(await bareRequest(url, 'Say something.', agent, schedule.tokensPerChunk ?? 1));
        }
      }),
    );
    agent.destroy();
    measured.push(...all);
    tokens = n * (schedule.outputTokens + (schedule.reasoningVisible === false ? 0 : (schedule.reasoningTokens ?? 0)));
  } else {
    const warmup = client === 'tokenscope default' ? USER_DEFAULT_WARMUP : 0;
    const report = await runBenchmark({
      models: [spec],
      prompt: 'Say something.',
      runs: n,
      warmup,
      concurrency: conc,
      maxTokens: 4096,
      // In a single burst (all runs at once), decoding starts when the last stream has closed, with the first
      // measured run-end: CPU up to there is the streaming part, the figure to hold against the bare client's.
      // With runs in turn, each is decoded before the next starts, so there is no such split.
      onProgress: (e) => {
        if (conc >= n && e.type === 'run-end' && !e.warmup && !streamingCpu) streamingCpu = process.cpuUsage(cpu0);
      },
    });
    loopDelayMaxMs = report.client?.eventLoopDelayMaxMs;
    for (const r of report.results[0].runs) {
      measured.push({ id: r.inputTokens ?? undefined, ttftMs: r.ttftMs, tps: r.decodeTps, gaps: r.interChunkMs });
      tokens += r.streamedTokens ?? 0;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const server1 = serverCpuUs();
  const serverCpu = server0 === undefined || server1 === undefined ? undefined : server1 - server0;
  streamingCpu ??= cpu;
  const { records } = (await control(url, '/__records')) as { records: ServerRecord[] };
  const byId = new Map(records.map((r) => [r.id, r]));
  const sample: Sample = {
    ttftErr: [],
    tpsErr: [],
    cpuUsPerToken: (cpu.user + cpu.system) / Math.max(1, tokens),
    serverCpuUsPerToken: serverCpu === undefined ? undefined : serverCpu / Math.max(1, tokens),
    coresNeeded:
      serverCpu === undefined
        ? undefined
        : ((streamingCpu.user + streamingCpu.system + serverCpu) / Math.max(1, tokens)) *
          Math.min(conc, n) *
          schedule.tokensPerSecond *
          1e-6,
    serverPaceMinPct:
      (Math.min(...records.flatMap((r) => (r.truth.decodeTps ? [r.truth.decodeTps] : []))) / schedule.tokensPerSecond) *
      100,
    cpuUserUsPerToken: cpu.user / Math.max(1, tokens),
    cpuStreamingUsPerToken: (streamingCpu.user + streamingCpu.system) / Math.max(1, tokens),
    loopDelayMaxMs,
    gcMajorMs: gcTotals.majorMs - gc0.majorMs,
    gcMinorMs: gcTotals.minorMs - gc0.minorMs,
  };
  for (const m of measured) {
    const rec = m.id === undefined ? undefined : byId.get(m.id);
    if (!rec || m.ttftMs === null || rec.truth.ttftMs === null)
      throw new Error(`${client}: a run could not be paired with the server's record (tag ${m.id})`);
    sample.ttftErr.push(m.ttftMs - rec.truth.ttftMs);
    if (m.tps !== null && rec.truth.decodeTps) sample.tpsErr.push((m.tps / rec.truth.decodeTps - 1) * 100);
    if (process.env.FIDELITY_DEBUG === 'all' && m.tps !== null && rec.truth.decodeTps) {
      const n = rec.chunks.reduce((a, c) => a + c.tokens, 0) - rec.chunks[0].tokens;
      const lastLag = m.ttftMs - rec.truth.ttftMs + (n / m.tps - n / rec.truth.decodeTps) * 1000;
      const t0 = Math.min(...records.map((r) => r.receivedAt));
      process.stderr.write(
        `RUN ${m.id} recv ${(rec.receivedAt - t0).toFixed(1)} first ${(rec.chunks[0].sentAt - t0).toFixed(1)} last ${(rec.chunks.at(-1)!.sentAt - t0).toFixed(1)} firstLag ${(m.ttftMs - rec.truth.ttftMs).toFixed(2)} lastLag ${lastLag.toFixed(2)} err ${((m.tps / rec.truth.decodeTps - 1) * 100).toFixed(3)} serverSlackFirst ${slack(rec.chunks[0])} serverSlackLast ${slack(rec.chunks.at(-1)!)} ${gapText(m.gaps, rec.chunks)}${m.lastEpoch ? ` clientFirst ${(m.firstEpoch! - t0).toFixed(1)} clientLast ${(m.lastEpoch - t0).toFixed(1)}` : ''}\n`,
      );
    }
    if (
      process.env.FIDELITY_DEBUG &&
      m.tps !== null &&
      rec.truth.decodeTps &&
      Math.abs(m.tps / rec.truth.decodeTps - 1) > 0.005
    )
      process.stderr.write(
        `  big tok/s error: id ${m.id} ours ${m.tps.toFixed(1)} truth ${rec.truth.decodeTps.toFixed(1)} ttftErr ${(m.ttftMs! - rec.truth.ttftMs).toFixed(1)} chunks ${rec.chunks.length} first ${rec.chunks[0]?.sentAt.toFixed(1)} last ${rec.chunks.at(-1)?.sentAt.toFixed(1)} received ${rec.receivedAt.toFixed(1)}\n`,
      );
  }
  return sample;
}

/** The longest gap between the client's reads and between the server's sends, and where each was. */
function gapText(gaps: number[] | undefined, chunks: { sentAt: number }[]): string {
  const at = (xs: number[]) => xs.reduce((best, x, i) => (x > xs[best] ? i : best), 0);
  const sends = chunks.slice(1).map((c, i) => c.sentAt - chunks[i].sentAt);
  const c = gaps?.length ? `clientMaxGap ${gaps[at(gaps)].toFixed(1)}@${at(gaps)}/${gaps.length}` : 'clientMaxGap —';
  return `${c} serverMaxGap ${sends.length ? `${sends[at(sends)].toFixed(1)}@${at(sends)}/${sends.length}` : '—'}`;
}

/** The server's own delay between stamping a chunk and writing it to the socket, ms. */
const slack = (c: { sentAt: number; writtenAt?: number }) =>
  c.writtenAt === undefined ? '—' : (c.writtenAt - c.sentAt).toFixed(2);
const fmt = (v: number | undefined, d = 1) => (v !== undefined && Number.isFinite(v) ? v.toFixed(d) : '—');
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const p = (xs: number[], q: number) => (xs.length ? percentile(sorted(xs), q) : NaN);
const worst = (xs: number[]) => (xs.length ? Math.max(...xs.map(Math.abs)) : NaN);

async function main() {
  const { child, url } = await startServer();
  serverPid = child.pid;
  await loadTokenizer('o200k'); // loaded once, as the runner would before its first request
  const header = [
    'schedule',
    'client',
    'conc',
    'TTFT err p50 ms',
    'p99 ms',
    'max ms',
    'tok/s err p50 %',
    'p99 |%|',
    'max |%|',
    'CPU µs/token',
  ];
  const rows: string[][] = [header];
  const misses: string[] = [];
  try {
    // Warm the JIT of both clients and the server before anything is timed.
    await control(url, '/__models', {
      models: { bench: { ttftMs: 5, tokensPerSecond: 1000, outputTokens: 50, ...TAG } },
    });
    for (const client of CLIENTS) await burst(url, client, 8, SCHEDULES[0]);

    const pick = process.argv.includes('--schedule')
      ? Number(process.argv[process.argv.indexOf('--schedule') + 1])
      : undefined;
    for (const s of pick === undefined ? SCHEDULES : [SCHEDULES[pick]]) {
      await control(url, '/__models', { models: { bench: s } });
      for (const conc of CONCURRENCY) {
        const byClient = new Map<Client, Sample>();
        for (const client of CLIENTS) {
          const sample = await burst(url, client, conc, s);
          byClient.set(client, sample);
          const absTps = sample.tpsErr.map(Math.abs);
          rows.push([
            s.name,
            client,
            String(conc),
            fmt(p(sample.ttftErr, 0.5), 2),
            fmt(p(sample.ttftErr, 0.99), 2),
            fmt(Math.max(...sample.ttftErr), 2),
            fmt(p(sample.tpsErr, 0.5), 3),
            fmt(p(absTps, 0.99), 3),
            fmt(worst(sample.tpsErr), 3),
            fmt(sample.cpuUsPerToken, 1),
          ]);
          process.stderr.write(
            `  done: ${s.name} / ${client} / ${conc} (CPU user ${fmt(sample.cpuUserUsPerToken, 1)} + system ${fmt(sample.cpuUsPerToken - sample.cpuUserUsPerToken, 1)} µs/token, ${fmt(sample.cpuStreamingUsPerToken, 1)} of it until the streams closed;${sample.loopDelayMaxMs === undefined ? '' : ` event-loop delay max ${fmt(sample.loopDelayMaxMs, 1)} ms;`} GC pauses major ${fmt(sample.gcMajorMs, 1)} + minor ${fmt(sample.gcMinorMs, 1)} ms; test server ${fmt(sample.serverCpuUsPerToken, 1)} µs/token, its slowest run at ${fmt(sample.serverPaceMinPct, 1)}% of the schedule's rate; the schedule needs ${fmt(sample.coresNeeded, 2)} of ${cpus().length} cores)\n`,
          );
          const floorTps = byClient.get('bare node:http')?.tpsErr.map(Math.abs);
          if (client !== 'bare node:http' && p(absTps, 0.99) > TARGETS.tpsErrP99Pct)
            misses.push(
              `${s.name}, ${client}, concurrency ${conc}: tok/s error p99 ${fmt(p(absTps, 0.99), 3)}% > ${TARGETS.tpsErrP99Pct}%${floorTps ? ` (bare node:http floor in this burst's row: ${fmt(p(floorTps, 0.99), 3)}%)` : ''}; streaming it needs ${fmt(sample.coresNeeded, 2)} of ${cpus().length} cores (client and test server) and the server's slowest run went at ${fmt(sample.serverPaceMinPct, 1)}% of the schedule's rate`,
            );
        }
        const floor = byClient.get('bare node:http')!;
        const fresh = byClient.get('tokenscope --warmup 0')!;
        const dflt = byClient.get('tokenscope default')!;
        if (s === SCHEDULES[0] && floor && fresh && dflt) {
          if (
            conc === 64 &&
            (p(dflt.ttftErr, 0.5) > TARGETS.defaultAt64.p50 || p(dflt.ttftErr, 0.99) > TARGETS.defaultAt64.p99)
          )
            misses.push(
              `default settings, concurrency 64: TTFT error p50 ${fmt(p(dflt.ttftErr, 0.5), 2)} / p99 ${fmt(p(dflt.ttftErr, 0.99), 2)} ms > ${TARGETS.defaultAt64.p50} / ${TARGETS.defaultAt64.p99} ms`,
            );
          if (conc >= 64)
            for (const q of [0.5, 0.99]) {
              const limit = Math.max(0, p(floor.ttftErr, q)) * TARGETS.freshBurstVsFloor;
              if (p(fresh.ttftErr, q) > limit)
                misses.push(
                  `--warmup 0, concurrency ${conc}: TTFT error p${q * 100} ${fmt(p(fresh.ttftErr, q), 2)} ms > 1.1 × the floor's ${fmt(p(floor.ttftErr, q), 2)} ms`,
                );
            }
          const cpuTarget = TARGETS.cpuPerToken[conc];
          if (cpuTarget !== undefined && dflt.cpuUsPerToken > cpuTarget)
            misses.push(
              `default settings, concurrency ${conc}: client CPU ${fmt(dflt.cpuUsPerToken, 1)} µs/token > ${cpuTarget}`,
            );
        }
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n'));
  console.log(
    `\n${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, node ${process.version}; server and clients share the machine${serverNice === undefined ? '' : ` (server at nice ${serverNice}: a diagnostic run, not the figures to quote)`}.`,
  );
  console.log(
    `Targets: default settings at concurrency 64 TTFT error p50 ≤ ${TARGETS.defaultAt64.p50} ms, p99 ≤ ${TARGETS.defaultAt64.p99} ms; --warmup 0 bursts of 64 and 256 within ${TARGETS.freshBurstVsFloor}× the floor (p50, p99); tok/s error p99 ≤ ${TARGETS.tpsErrP99Pct}%; client CPU at concurrency 1 / 64 / 256 ≤ ${Object.values(TARGETS.cpuPerToken).join(' / ')} µs/token (40 tok/s, 1-token chunks).`,
  );
  if (misses.length) {
    console.log(`\nMISSED ${misses.length} target(s):\n  ${misses.join('\n  ')}`);
    process.exitCode = 1;
  } else console.log('\nAll targets met.');
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
