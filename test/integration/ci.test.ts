/**
 * Tokenscope in CI, end to end: the built CLI in separate processes against the local streaming server, whose
 * send records are the ground truth. SLO met/total, the regression gate's exit status, job summary and JUnit,
 * four shard processes started together and merged, compared with one process doing the same runs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeRuns } from '../../src/core/report/reportParts';
import { percentile } from '../../src/core/stats';
import type { BenchmarkReport } from '../../src/core/types';
import { startStreamServer, truth, type StreamServer } from '../server/streamServer';
import { runCli } from './cliProcess';

let server: StreamServer;
let dir: string;
const file = (name: string) => join(dir, name);
const readReport = (name: string) => JSON.parse(readFileSync(file(name), 'utf8')) as BenchmarkReport;
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

function config(
  name: string,
  models: { id: string; protocol: string; model: string }[],
  settings: Record<string, unknown> = {},
) {
  const entries = models.map((m) => ({
    id: m.id,
    protocol: m.protocol,
    baseUrl: m.protocol === 'openai-chat' ? `${server.url}/v1` : server.url,
    model: m.model,
    region: 'local',
    tokenizer: 'o200k',
    price: { inputPerM: 1, outputPerM: 2 },
  }));
  writeFileSync(file(name), JSON.stringify({ models: entries, settings }));
  return file(name);
}

beforeAll(async () => {
  server = await startStreamServer();
  server.setModel('quick', { ttftMs: 30, tokensPerSecond: 200, outputTokens: 20 });
  server.setModel('late', { ttftMs: 400, tokensPerSecond: 200, outputTokens: 20 });
  server.setModel('steady', { ttftMs: 40, tokensPerSecond: 200, outputTokens: 20 });
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-ci-'));
  writeFileSync(file('prompt.md'), 'Summarise the plot of Hamlet in two sentences.');
});
afterAll(() => server.close());

describe('SLO', () => {
  it('two models, one meeting and one missing the SLO: met/total agree with the server record', async () => {
    server.reset();
    const cfg = config('slo.json', [
      { id: 'meets', protocol: 'openai-chat', model: 'quick' },
      { id: 'misses', protocol: 'anthropic', model: 'late' },
    ]);
    // Limits far from both schedules (30 and 400 ms to the first token, 200 tok/s), so a busy machine cannot flip a run.
    const r = await runCli([
      'bench',
      file('prompt.md'),
      '-c',
      cfg,
      '-n',
      '3',
      '--slo',
      'ttft<=200,tps>=50',
      '--json',
      file('slo-out.json'),
    ]);
    expect(r.stderr).not.toMatch(/unexpected/);
    expect(r.code).toBe(0);
    const rep = readReport('slo-out.json');
    expect(rep.settings.slo).toBe('ttft<=200,tps>=50');
    const [meets, misses] = rep.results;
    expect(meets.slo).toMatchObject({ met: 3, total: 3, share: 1 });
    expect(misses.slo).toMatchObject({ met: 0, total: 3, share: 0 });
    // The server's own send times say the same: every 'quick' first token within 200 ms, every 'late' one past it.
    const truths = (model: string) => server.records.filter((x) => x.model === model).map((x) => truth(x).ttftMs!);
    expect(truths('quick').every((t) => t <= 200)).toBe(true);
    expect(truths('late').every((t) => t > 200)).toBe(true);
    // goodput: one client, 3 requests that met it, over the model's total run time
    const busy = meets.runs.reduce((s, x) => s + x.e2eMs!, 0) / 1000;
    expect(meets.slo!.goodputRps).toBeCloseTo(3 / busy, 6);
    expect(misses.slo!.goodputRps).toBe(0);
    expect(r.stdout).toMatch(/meets .*3\/3 \(100%\)/);
    expect(r.stdout).toMatch(/misses .*0\/3 \(0%\)/);
  });

  it('a bad SLO exits 2 naming the bad term, before any request', async () => {
    server.reset();
    const cfg = config('slo-bad.json', [{ id: 'meets', protocol: 'openai-chat', model: 'quick' }]);
    const r = await runCli(['bench', file('prompt.md'), '-c', cfg, '--slo', 'ttft<=800,ttfx<=3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SLO term "ttfx<=3": unknown metric "ttfx"/);
    const fromConfig = await runCli([
      'bench',
      file('prompt.md'),
      '-c',
      config('slo-bad2.json', [{ id: 'meets', protocol: 'openai-chat', model: 'quick' }], { slo: 'tps>=fast' }),
    ]);
    expect(fromConfig.code).toBe(2);
    expect(fromConfig.stderr).toMatch(/slo-bad2\.json: settings\.slo: SLO term "tps>=fast"/);
    expect(server.records).toHaveLength(0);
  });
});

describe('regression gate', () => {
  it('exit 0 on an unchanged model, 3 on a slower one, with the job summary and JUnit naming it', async () => {
    server.reset();
    const cfg = config('gate.json', [
      { id: 'gate-steady', protocol: 'openai-chat', model: 'steady' },
      { id: 'gate-other', protocol: 'ollama', model: 'quick' },
    ]);
    const history = file('history.jsonl');
    const args = ['bench', file('prompt.md'), '-c', cfg, '--no-progress'];
    const seed = await runCli([...args, '-n', '6', '--history', history]);
    expect(seed.code).toBe(0);

    // Generous tolerance: an unchanged model must pass on a loaded CI machine; the slowdown below is 10×.
    const gate = ['--gate', history, '--gate-tolerance', '150%', '-n', '3'];
    const summary1 = file('summary1.md');
    const same = await runCli([...args, ...gate, '--junit', file('same.xml')], { GITHUB_STEP_SUMMARY: summary1 });
    expect(same.stderr).toMatch(/gate: gate-steady: pass: within 150% of the history's 6 run\(s\)/);
    expect(same.code).toBe(0);
    expect(readFileSync(summary1, 'utf8')).toMatch(/No regression/);
    expect(readFileSync(file('same.xml'), 'utf8')).toMatch(/tests="2" failures="0"/);

    server.setModel('steady', { ttftMs: 400, tokensPerSecond: 200, outputTokens: 20 });
    const summary2 = file('summary2.md');
    writeFileSync(summary2, '## earlier step\n');
    const slower = await runCli([...args, ...gate, '--junit', file('slower.xml'), '--history', history], {
      GITHUB_STEP_SUMMARY: summary2,
    });
    server.setModel('steady', { ttftMs: 40, tokensPerSecond: 200, outputTokens: 20 });
    expect(slower.code).toBe(3);
    expect(slower.stderr).toMatch(
      /gate: gate-steady: REGRESSION: slower than its history: TTFT median [\d.]+ ms vs history p90 [\d.]+ ms/,
    );
    expect(slower.stderr).toMatch(/gate: gate-other: pass/);
    const md = readFileSync(summary2, 'utf8');
    expect(md.startsWith('## earlier step\n')).toBe(true); // appended, not replaced
    expect(md).toMatch(/\| gate-steady \| ❌ regression \|/);
    expect(md).toMatch(/\| gate-other \| ✅ pass \|/);
    const xml = readFileSync(file('slower.xml'), 'utf8');
    expect(xml).toMatch(/tests="2" failures="1"/);
    expect(xml).toMatch(/name="gate-steady"[^>]*>\s*<failure message="slower than its history: TTFT median/);
    // Only the seeding run and the slower run wrote to the history (the gate read it before the append).
    const lines = readFileSync(history, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2 * (6 + 3));
  });

  it('a model with no history passes with a note', async () => {
    const cfg = config('gate-new.json', [{ id: 'brand-new', protocol: 'gemini', model: 'quick' }]);
    const r = await runCli(['bench', file('prompt.md'), '-c', cfg, '-n', '2', '--gate', file('history.jsonl')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/brand-new: pass \(too little history\): passed with a note: only 0 comparable run\(s\)/);
  });
});

/**
 * The server's truth for each measured run of a report: the record of the same model received closest to the
 * run's start (warm-up requests are in the records too, and are never the closest to a measured run).
 */
function measuredTruth(rep: BenchmarkReport): { id: string; ttftMs: number }[] {
  return rep.results.flatMap((r) =>
    r.runs.map((run) => {
      const start = Date.parse(run.startedAt);
      const rec = server.records
        .filter((x) => x.model === r.model)
        .sort((a, b) => Math.abs(a.receivedAtEpochMs - start) - Math.abs(b.receivedAtEpochMs - start))[0];
      return { id: r.id, ttftMs: truth(rec).ttftMs! };
    }),
  );
}

describe('shards', () => {
  it('four shard processes started together, merged, equal one process doing the same runs', async () => {
    const cfg = config('shard.json', [
      { id: 'sh-quick', protocol: 'openai-chat', model: 'quick' },
      { id: 'sh-late', protocol: 'anthropic', model: 'late' },
    ]);
    // One warm-up run per process (the default): each shard opens its own connections, as each machine would.
    const base = ['bench', file('prompt.md'), '-c', cfg, '-n', '8', '--no-progress'];

    server.reset();
    const single = await runCli([...base, '--json', file('single.json')]);
    expect(single.code).toBe(0);
    const singleTruth = measuredTruth(readReport('single.json'));

    server.reset();
    // Far enough ahead for four processes to load on a busy 2-core machine shared with other work.
    const startAt = new Date(Date.now() + 12_000);
    startAt.setMilliseconds(0);
    const iso = startAt.toISOString();
    const shards = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        runCli([...base, '--shard', `${i}/4`, '--start-at', iso, '--json', file(`part-${i}.json`)]),
      ),
    );
    shards.forEach((s) => {
      expect(s.code, s.stderr).toBe(0);
      expect(s.stderr).toMatch(/Waiting until .* to start shard \d\/4/);
    });
    const shardRecords = [...server.records];
    // Nothing was sent before the common start time, and every shard began within a second of it.
    const firstReceived = Math.min(...shardRecords.map((x) => x.receivedAtEpochMs));
    expect(firstReceived).toBeGreaterThanOrEqual(startAt.getTime() - 5);
    for (let i = 1; i <= 4; i++) {
      const part = readReport(`part-${i}.json`);
      expect(part.shard).toMatchObject({ index: i, count: 4, plannedRuns: 8, runs: 2, startAt: iso });
      // the benchmark (warm-up first) began at the start time, not when the process was launched
      const began = Date.parse(part.startedAt) - startAt.getTime();
      expect(began).toBeGreaterThanOrEqual(-1);
      expect(began).toBeLessThan(1000);
    }

    const merged = await runCli([
      'merge',
      ...[1, 2, 3, 4].map((i) => file(`part-${i}.json`)),
      '-o',
      file('merged.json'),
      '--junit',
      file('merged.xml'),
    ]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(readFileSync(file('merged.xml'), 'utf8')).toMatch(/<testsuites name="tokenscope" tests="2" failures="0"/);
    expect(merged.stderr).toMatch(/Merged 4 file\(s\), 16 run\(s\) of 2 model\(s\)/);
    const m = readReport('merged.json');
    const shardTruth = measuredTruth(m);
    const s = readReport('single.json');
    expect(m.settings).toEqual(s.settings);
    for (const id of ['sh-quick', 'sh-late']) {
      const mr = m.results.find((r) => r.id === id)!;
      const sr = s.results.find((r) => r.id === id)!;
      expect(mr.runs).toHaveLength(8);
      expect(mr.okRuns).toBe(8);
      // recomputed from all 8 raw runs
      expect(mr.summary).toEqual(summarizeRuns(mr.runs));
      expect(mr.summary.ttftMs!.median).toBe(median(mr.runs.map((x) => x.ttftMs!)));
      // the same counts as one process; timings within a few ms of it and of the server's truth
      for (const k of ['outputTokens', 'costUsd'] as const) expect(mr.summary[k]).toEqual(sr.summary[k]);
      expect(mr.summary.ttftMs!.n).toBe(sr.summary.ttftMs!.n);
      const truthMedian = (t: typeof shardTruth) => median(t.filter((x) => x.id === id).map((x) => x.ttftMs));
      expect(shardTruth.filter((x) => x.id === id)).toHaveLength(8);
      expect(Math.abs(mr.summary.ttftMs!.median - truthMedian(shardTruth))).toBeLessThan(8);
      expect(Math.abs(sr.summary.ttftMs!.median - truthMedian(singleTruth))).toBeLessThan(8);
      expect(Math.abs(mr.summary.ttftMs!.median - sr.summary.ttftMs!.median)).toBeLessThan(15);
      expect(
        Math.abs(mr.summary.decodeTps!.median - sr.summary.decodeTps!.median) / sr.summary.decodeTps!.median,
      ).toBeLessThan(0.1);
    }
  }, 60_000);

  it('merge refuses parts of different prompts, naming the files; compare accepts them with a note', async () => {
    writeFileSync(file('other-prompt.md'), 'Something else entirely.');
    const cfg = config('refuse.json', [
      { id: 'sh-quick', protocol: 'openai-chat', model: 'quick' },
      { id: 'sh-late', protocol: 'anthropic', model: 'late' },
    ]);
    const one = await runCli([
      'bench',
      file('prompt.md'),
      '-c',
      cfg,
      '-n',
      '2',
      '--warmup',
      '0',
      '--shard',
      '1/2',
      '--json',
      file('prompt-a.json'),
    ]);
    expect(one.code).toBe(0);
    const other = await runCli([
      'bench',
      file('other-prompt.md'),
      '-c',
      cfg,
      '-n',
      '2',
      '--warmup',
      '0',
      '--shard',
      '2/2',
      '--json',
      file('prompt-b.json'),
    ]);
    expect(other.code).toBe(0);
    const r = await runCli(['merge', file('prompt-a.json'), file('prompt-b.json'), '-o', file('bad-merge.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/merge refused: .*prompt-b\.json was run with a different prompt than .*prompt-a\.json/);

    // Comparing them is allowed, with the difference noted.
    const cmp = await runCli(['report', '--compare', file('prompt-a.json'), file('prompt-b.json'), '--format', 'json']);
    expect(cmp.code, cmp.stderr).toBe(0);
    const json = JSON.parse(cmp.stdout);
    expect(json.models.map((m: { id: string }) => m.id)).toEqual(['sh-quick', 'sh-late']);
    expect(json.models[1].metrics.ttftMs.a).toBeGreaterThan(150);
    expect(json.notes.join(' ')).toMatch(/different prompts/);
    const md = await runCli(['report', '--compare', file('prompt-a.json'), file('prompt-b.json')]);
    expect(md.stdout).toMatch(/\| sh-late \| \d+ → \d+ \(/);
  });
});
