/**
 * The weekly report on a generated history of 1,000 runs over 12 weeks, against an expectation
 * computed here by the plainest method: each run's week is known from how it was generated (not
 * from the week code), medians are sort-and-take-the-middle, the streak is a backwards loop.
 * Also: the `report` and `history` CLI commands end to end (in-process).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
// The seeded generator of scripts/gen-history.mjs (mulberry32): data, not the code under test.
import { prng } from '../../scripts/gen-history.mjs';
import type { Io } from '../../src/cli/io';
import type { HistoryRecord } from '../../src/core/history/contract';
import type { Region, TaskCategory } from '../../src/core/types';

// ---- the generated history ----

// Twelve ISO weeks across the end of 2026, a 53-week year (worked out by hand from a calendar).
const WEEKS = [
  '2026-W45',
  '2026-W46',
  '2026-W47',
  '2026-W48',
  '2026-W49',
  '2026-W50',
  '2026-W51',
  '2026-W52',
  '2026-W53',
  '2027-W01',
  '2027-W02',
  '2027-W03',
];
const MONDAYS = [
  '2026-11-02',
  '2026-11-09',
  '2026-11-16',
  '2026-11-23',
  '2026-11-30',
  '2026-12-07',
  '2026-12-14',
  '2026-12-21',
  '2026-12-28',
  '2027-01-04',
  '2027-01-11',
  '2027-01-18',
];
const MODELS: { id: string; region: Region; label: string }[] = [
  { id: 'cn-a', region: 'CN', label: 'CN model A' },
  { id: 'cn-b', region: 'CN', label: 'CN model B' },
  { id: 'us-a', region: 'US', label: 'US model A' },
  { id: 'us-b', region: 'US', label: 'US | model B' },
  { id: 'loc', region: 'local', label: 'Local model' },
];
const CATEGORIES: TaskCategory[] = ['chat', 'coding-generate', 'translation'];

interface Gen {
  record: HistoryRecord;
  week: number;
}

/** 1,000 runs; run i is in week i % 12. CN is slower than US for 7 weeks, then faster for 5. */
function generate(): Gen[] {
  const rand = prng(20261102);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const out: Gen[] = [];
  for (let i = 0; i < 1000; i++) {
    const week = i % 12;
    const model = MODELS[int(0, MODELS.length - 1)];
    let category = CATEGORIES[int(0, 2)];
    // No US translation runs in 2027-W01: that week cannot decide the translation streak.
    if (week === 9 && model.region === 'US' && category === 'translation') category = 'chat';
    const seconds = int(0, 7 * 86_400 - 1);
    const time = new Date(Date.parse(`${MONDAYS[week]}T00:00:00Z`) + seconds * 1000 + int(0, 999)).toISOString();
    const ok = rand() >= 0.06;
    const base = model.region === 'CN' ? (week < 7 ? 40 : 80) : model.region === 'US' ? 60 : 30;
    const decode = base + int(-40, 40) / 4; // quarters: medians are exact in floating point
    const norm = model.region === 'local' || rand() < 0.1 ? null : base - 2 + int(-40, 40) / 8;
    const out_ = int(100, 900);
    const cost = model.region === 'local' ? null : (int(1, 400) * out_) / 1e8;
    out.push({
      week,
      record: {
        v: 1,
        time,
        modelId: model.id,
        label: model.label,
        region: model.region,
        protocol: model.region === 'local' ? 'ollama' : 'openai-chat',
        host: `${model.id}.example.test`,
        promptHash: String(int(0, 9)).repeat(64),
        category,
        tokenSource: 'usage',
        toolVersion: '0.1.0',
        metrics: {
          ok,
          error: ok ? null : 'HTTP 503',
          ...(ok ? {} : { errorKind: 'overloaded' as const }),
          reasoningVisible: false,
          chunks: 10,
          setupMs: 50,
          ttftMs: ok ? int(100, 2000) : null,
          ttfoMs: null,
          decodeTps: ok ? decode : null,
          e2eMs: null,
          itlMs: null,
          interChunkP50Ms: null,
          interChunkP95Ms: null,
          inputTokens: 500,
          outputTokens: ok ? out_ : null,
          reasoningTokens: null,
          cachedInputTokens: null,
          streamedTokens: null,
          costUsd: ok ? cost : null,
          charsPerSec: null,
          normalizedTps: ok ? norm : null,
          serverDecodeTps: null,
        },
      },
    });
  }
  return out;
}

// ---- the expectation, computed directly ----

function middle(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function cellOf(gs: Gen[]) {
  const ok = gs.map((g) => g.record.metrics).filter((m) => m.ok);
  const vals = (f: (m: (typeof ok)[number]) => number | null) => ok.map(f).filter((v): v is number => v !== null);
  return {
    runs: gs.length,
    failedRuns: gs.length - ok.length,
    medianDecodeTps: middle(vals((m) => m.decodeTps)),
    medianNormalizedTps: middle(vals((m) => m.normalizedTps)),
    medianTtftMs: middle(vals((m) => m.ttftMs)),
    costPerMOutput: middle(
      vals((m) => (m.costUsd !== null && m.outputTokens ? (m.costUsd / m.outputTokens) * 1e6 : null)),
    ),
  };
}

type Cell = ReturnType<typeof cellOf>;

function leaderOf(cn: Cell | undefined, us: Cell | undefined): 'CN' | 'US' | 'tie' | null {
  if (!cn || !us) return null;
  const useNorm = cn.medianNormalizedTps !== null && us.medianNormalizedTps !== null;
  const a = useNorm ? cn.medianNormalizedTps : cn.medianDecodeTps;
  const b = useNorm ? us.medianNormalizedTps : us.medianDecodeTps;
  if (a === null || b === null) return null;
  return a > b ? 'CN' : a < b ? 'US' : 'tie';
}

function streakOf(leaders: ('CN' | 'US' | 'tie' | null)[]) {
  const last = leaders[leaders.length - 1];
  if (last !== 'CN' && last !== 'US') return { leader: null, weeks: 0, from: null, to: null };
  let n = 0;
  for (let i = leaders.length - 1; i >= 0 && leaders[i] === last; i--) n++;
  return { leader: last, weeks: n, from: WEEKS[leaders.length - n], to: WEEKS[leaders.length - 1] };
}

function expectedReport(gens: Gen[]) {
  const inWeek = (w: number, f: (g: Gen) => boolean) => gens.filter((g) => g.week === w && f(g));
  const weeks = WEEKS.map((week, w) => {
    const regions: Partial<Record<Region, Cell>> = {};
    for (const region of ['CN', 'US', 'local'] as Region[]) {
      const gs = inWeek(w, (g) => g.record.region === region);
      if (gs.length) regions[region] = cellOf(gs);
    }
    const cn = regions.CN;
    const us = regions.US;
    const d = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : a - b);
    return {
      week,
      start: MONDAYS[w],
      regions,
      gap: {
        decodeTps: d(cn?.medianDecodeTps, us?.medianDecodeTps),
        normalizedTps: d(cn?.medianNormalizedTps, us?.medianNormalizedTps),
        ttftMs: d(cn?.medianTtftMs, us?.medianTtftMs),
        costPerMOutput: d(cn?.costPerMOutput, us?.costPerMOutput),
      },
      leader: leaderOf(cn, us),
    };
  });
  const streaks = [{ scope: 'all', ...streakOf(weeks.map((w) => w.leader)) }];
  for (const cat of ['coding-generate', 'translation', 'chat'] as TaskCategory[]) {
    const leaders = WEEKS.map((_, w) => {
      const c = (region: Region) => {
        const gs = inWeek(w, (g) => g.record.region === region && g.record.category === cat);
        return gs.length ? cellOf(gs) : undefined;
      };
      return leaderOf(c('CN'), c('US'));
    });
    streaks.push({ scope: cat, ...streakOf(leaders) });
  }
  const models = MODELS.map((m) => ({
    modelId: m.id,
    runs: gens.filter((g) => g.record.modelId === m.id).length,
    weeks: WEEKS.map((week, w) => ({ week, ...cellOf(inWeek(w, (g) => g.record.modelId === m.id)) })).filter(
      (x) => x.runs > 0,
    ),
  }));
  return { weeks, streaks, models, runs: gens.length, failedRuns: gens.filter((g) => !g.record.metrics.ok).length };
}

/** Deep equality where numbers may differ in the last bits (a + (b − a)/2 vs (a + b)/2). */
function expectClose(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(expected)),
    );
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    expect(actual, path).toEqual(expected);
    return;
  }
  expect(typeof actual, path).toBe('object');
  expect(actual, path).not.toBeNull();
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  if (Array.isArray(e)) expect((a as unknown as unknown[]).length, `${path}.length`).toBe(e.length);
  else expect(Object.keys(a).sort(), `${path} keys`).toEqual(Object.keys(e).sort());
  for (const k of Object.keys(e)) expectClose(a[k], e[k], `${path}.${k}`);
}

// ---- CLI plumbing ----

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: Io = { out: (s) => void out.push(s), err: (s) => void err.push(s), env, isTTY: false };
  return { io: value, out: () => out.join(''), err: () => err.join('\n') };
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const x = io(env);
  const status = await main(args, x.io);
  return { status, out: x.out(), err: x.err() };
}

let dir: string;
let historyFile: string;
let gens: Gen[];
// The generated weeks run into 2027; records dated after tomorrow are refused, so the clock reads a
// date after the last of them (only Date is faked: timers and I/O run as usual).
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2027-02-01T00:00:00Z'));
});
afterAll(() => vi.useRealTimers());

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-report-'));
  historyFile = join(dir, 'history.jsonl');
  gens = generate();
  // Written in shuffled order: the report must not depend on the order of lines.
  const shuffled = [...gens];
  const rand = prng(7);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  writeFileSync(historyFile, shuffled.map((g) => JSON.stringify(g.record) + '\n').join(''));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report --weekly on 1,000 generated runs over 12 weeks', () => {
  it('the generated history is what the test says it is', () => {
    expect(gens).toHaveLength(1000);
    const perWeek = WEEKS.map((_, w) => gens.filter((g) => g.week === w).length);
    expect(perWeek.every((n) => n >= 83 && n <= 84)).toBe(true);
  });

  it('equals the hand-computed expectation (JSON)', async () => {
    const { status, out, err } = await cli(['report', '--weekly', '--history', historyFile, '--format', 'json']);
    expect(err).toBe('');
    expect(status).toBe(0);
    const report = JSON.parse(out);
    const expected = expectedReport(gens);

    expect(report.totals).toMatchObject({ runs: expected.runs, failedRuns: expected.failedRuns, models: 5 });
    expectClose(
      report.weeks.map((w: Record<string, unknown>) => ({
        week: w.week,
        start: w.start,
        regions: w.regions,
        gap: w.gap,
        leader: w.leader,
      })),
      expected.weeks,
    );
    expectClose(
      report.streaks.map((s: Record<string, unknown>) => ({
        scope: s.scope,
        leader: s.leader,
        weeks: s.weeks,
        from: s.from,
        to: s.to,
      })),
      expected.streaks,
    );
    expectClose(
      report.models.map((m: Record<string, unknown>) => ({ modelId: m.modelId, runs: m.runs, weeks: m.weeks })),
      expected.models,
    );
  });

  it('states the streak the data was built to show', async () => {
    const report = JSON.parse((await cli(['report', '--weekly', '--history', historyFile, '--format', 'json'])).out);
    // By construction: CN slower for 7 weeks, then faster for the last 5 (2026-W52 … 2027-W03).
    expect(report.headline).toBe(
      'CN has led US in median tok/s (o200k-normalised) for 5 consecutive weeks (2026-W52 … 2027-W03)',
    );
    expect(report.weeks.map((w: { leader: string }) => w.leader)).toEqual([
      'US',
      'US',
      'US',
      'US',
      'US',
      'US',
      'US',
      'CN',
      'CN',
      'CN',
      'CN',
      'CN',
    ]);
    // Translation has no US runs in 2027-W01, so its streak is only 2027-W02 … 2027-W03.
    expect(report.streaks.find((s: { scope: string }) => s.scope === 'translation')).toMatchObject({
      leader: 'CN',
      weeks: 2,
      from: '2027-W02',
      to: '2027-W03',
    });
  });

  it('filters by category, and moves week boundaries with --tz-offset', async () => {
    const t = JSON.parse(
      (await cli(['report', '--weekly', '--history', historyFile, '--format', 'json', '--category', 'translation']))
        .out,
    );
    expect(t.totals.runs).toBe(gens.filter((g) => g.record.category === 'translation').length);
    expect(t.headline).toBe(
      'CN has led US in median tok/s (o200k-normalised) on translation prompts for 2 consecutive weeks (2027-W02 … 2027-W03)',
    );
    // At UTC+08:00 the runs of the last 8 hours of each UTC week move to the next week, making a 13th week.
    const east = JSON.parse(
      (await cli(['report', '--weekly', '--history', historyFile, '--format', 'json', '--tz-offset', '+08:00'])).out,
    );
    expect(east.utcOffsetMinutes).toBe(480);
    expect(east.weeks.map((w: { week: string }) => w.week)).toEqual([...WEEKS, '2027-W04']);
    const moved = gens.filter(
      (g) => Date.parse(g.record.time) >= Date.parse(`${MONDAYS[g.week]}T00:00:00Z`) + 7 * 86_400_000 - 8 * 3_600_000,
    );
    expect(east.weeks[12].regions.CN?.runs ?? 0).toBe(
      moved.filter((g) => g.week === 11 && g.record.region === 'CN').length,
    );
    expect(east.totals.runs).toBe(1000);
  });

  it('prints Markdown fit for a wiki: the headline, tables with consistent columns, per-model trends', async () => {
    const { status, out } = await cli(['report', '--weekly', '--history', historyFile]);
    expect(status).toBe(0);
    expect(out).toContain(
      '**CN has led US in median tok/s (o200k-normalised) for 5 consecutive weeks (2026-W52 … 2027-W03).**',
    );
    for (const h of [
      '## Weekly medians by region',
      '## CN − US gap',
      '## Current streak by task category',
      '## Per-model trends',
    ])
      expect(out).toContain(h);
    // Every table row has as many cells as its header (escaped pipes do not count).
    const blocks = out.split('\n\n').filter((b) => b.startsWith('|'));
    expect(blocks).toHaveLength(4);
    for (const b of blocks) {
      const widths = b.split('\n').map((l) => l.replace(/\\\|/g, '').split('|').length);
      expect(new Set(widths).size).toBe(1);
    }
    expect(out).toContain('US \\| model B (us-b)');
    expect(out).toContain('| 2026-W53 | 2026-12-28 | CN |');
  });

  it('prints long-form CSV', async () => {
    const { out, err } = await cli(['report', '--weekly', '--history', historyFile, '--format', 'csv']);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'section,week,week_start,key,region,runs,failed_runs,median_decode_tps,median_normalized_tps,median_ttft_ms,cost_per_m_output,leader',
    );
    const count = (s: string) => lines.filter((l) => l.startsWith(s + ',')).length;
    expect(count('region')).toBe(36);
    expect(count('gap')).toBe(12);
    expect(count('model')).toBe(60);
    expect(lines.filter((l) => l.startsWith('model,')).every((l) => l.split(',').length === 12)).toBe(true);
    expect(err).toContain('CN has led US');
  });
});

describe('report and history commands', () => {
  it('exits 2 with a clear message when the history file does not exist', async () => {
    const missing = join(dir, 'nope.jsonl');
    const r = await cli(['report', '--weekly', '--history', missing]);
    expect(r.status).toBe(2);
    expect(r.err).toContain(`no history file at ${missing}`);
    expect(r.err).toContain('tokenscope bench --history');
  });

  it('uses TOKENSCOPE_HISTORY when --history is not given', async () => {
    const r = await cli(['report', '--weekly', '--format', 'json'], { TOKENSCOPE_HISTORY: historyFile });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out).totals.runs).toBe(1000);
    const m = await cli(['report', '--weekly'], { TOKENSCOPE_HISTORY: join(dir, 'nope.jsonl'), HOME: dir });
    expect(m.status).toBe(2);
  });

  it('rejects bad options with exit 2', async () => {
    for (const args of [
      ['--format', 'xml'],
      ['--category', 'poetry'],
      ['--tz-offset', 'CET'],
      ['--tz-offset', '900'],
      ['--since', 'last week'],
    ]) {
      const r = await cli(['report', '--weekly', '--history', historyFile, ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(/^tokenscope: --/);
    }
  });

  it('warns about damaged lines on stderr and reports the rest', async () => {
    const damaged = join(dir, 'damaged.jsonl');
    const lines = readFileSync(historyFile, 'utf8').split('\n');
    lines[10] = lines[10].slice(0, 40);
    writeFileSync(damaged, lines.join('\n').slice(0, -100));
    const r = await cli(['report', '--weekly', '--history', damaged, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(r.err).toContain('damaged.jsonl line 11: not valid JSON');
    expect(r.err).toContain('damaged.jsonl line 1000: the last line is incomplete');
    expect(JSON.parse(r.out).totals.runs).toBe(998);
  });

  it('prints the all-time leaderboard without --weekly', async () => {
    const r = await cli(['report', '--history', historyFile, '--format', 'json']);
    const lb = JSON.parse(r.out);
    expect(lb.regions.map((x: { key: string }) => x.key).sort()).toEqual(['CN', 'US', 'local']);
    expect(lb.models).toHaveLength(5);
    const md = await cli(['report', '--history', historyFile]);
    expect(md.out).toContain('## Models');
  });

  it('history export, import and clear', async () => {
    const own = join(dir, 'own.jsonl');
    const shared = join(dir, 'shared.jsonl');
    const part = readFileSync(historyFile, 'utf8').split('\n').slice(0, 600).join('\n') + '\n';
    writeFileSync(own, part);
    const exp = await cli(['history', 'export', shared, '--history', historyFile]);
    expect(exp.status).toBe(0);
    expect(exp.err).toContain('Exported 1000 record(s)');
    const imp = await cli(['history', 'import', shared, '--history', own]);
    expect(imp.status).toBe(0);
    expect(imp.err).toContain('400 new record(s), 600 already in');
    expect(JSON.parse((await cli(['report', '--weekly', '--history', own, '--format', 'json'])).out).totals.runs).toBe(
      1000,
    );
    expect((await cli(['history', 'import', join(dir, 'missing.jsonl'), '--history', own])).status).toBe(2);

    const noYes = await cli(['history', 'clear', '--history', own]);
    expect(noYes.status).toBe(2);
    expect(noYes.err).toContain('--yes');
    expect(readFileSync(own, 'utf8').length).toBeGreaterThan(0);
    expect((await cli(['history', 'clear', '--history', own, '--yes'])).status).toBe(0);
    expect(readFileSync(own, 'utf8')).toBe('');
    const empty = await cli(['report', '--weekly', '--history', own]);
    expect(empty.status).toBe(0);
    expect(empty.out).toContain('No benchmark history yet.');
  });
});
