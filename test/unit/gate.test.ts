import { describe, expect, it } from 'vitest';
import {
  evaluateGate,
  GateHistory,
  parseTolerance,
  parseWindow,
  promptSizeClass,
  type GateOptions,
} from '../../src/core/gate';
import { recordsFromReport, type HistoryRecord } from '../../src/core/history';
import { gateLines, gateMarkdown } from '../../src/core/report/gateReport';
import { junitXml } from '../../src/core/report/junit';
import type { RunMetrics } from '../../src/core/types';
import { report, result, run } from '../extension/fixtures';

const DAY = 86_400_000;
const NOW = '2026-12-03T10:00:00.000Z';

/** History: `n` runs of a model, one a day back from NOW, ttft spread around `ttft`. */
function history(id: string, n: number, over: (i: number) => Partial<RunMetrics>): HistoryRecord[] {
  const runs = Array.from({ length: n }, (_, i) =>
    run({ startedAt: new Date(Date.parse(NOW) - (i + 1) * DAY).toISOString(), ...over(i) }),
  );
  return recordsFromReport(report([result(id, 'CN', runs)]), { category: 'chat', storePrompt: false });
}

function gateOf(current: ReturnType<typeof report>, records: HistoryRecord[], options: Partial<GateOptions> = {}) {
  const opts = { windowMs: 28 * DAY, tolerance: 0.1, windowText: '4w', ...options };
  const h = new GateHistory(current, opts);
  records.forEach((r) => h.add(r));
  return evaluateGate(h, opts);
}

// ttft 300..390, e2e 2300..2390, tps 50..59: p90 ttft = 381, p90 e2e 2381, p10 tps = 50.9
const steady = history('m', 10, (i) => ({ ttftMs: 300 + i * 10, e2eMs: 2300 + i * 10, decodeTps: 50 + i }));

describe('regression gate', () => {
  it('passes an unchanged model and fails a slower one, naming metric, now and history', () => {
    const same = report([result('m', 'CN', [run({ ttftMs: 340, e2eMs: 2340, decodeTps: 54 })])], { startedAt: NOW });
    expect(gateOf(same, steady).models[0]).toMatchObject({ status: 'pass', historyRuns: 10 });

    const slower = report([result('m', 'CN', [run({ ttftMs: 430, e2eMs: 2350, decodeTps: 54 })])], { startedAt: NOW });
    const g = gateOf(slower, steady);
    expect(g.regressions).toBe(1);
    const v = g.models[0];
    expect(v.status).toBe('regression');
    const ttft = v.checks.find((c) => c.metric === 'ttftMs')!;
    expect(ttft.baseline).toBeCloseTo(381, 6);
    expect(ttft.limit).toBeCloseTo(419.1, 6);
    expect(ttft.regressed).toBe(true);
    expect(v.checks.find((c) => c.metric === 'e2eMs')!.regressed).toBe(false);
    expect(v.reason).toMatch(/TTFT median 430 ms vs history p90 381 ms \(limit 419 ms\)/);
    expect(gateLines(g).join('\n')).toMatch(/m: REGRESSION/);
    expect(gateMarkdown(g)).toMatch(/\| m \| ❌ regression \| \*\*430 ms \(381 ms\)\*\* ❌/);
  });

  it('the tolerance decides: 430 ms passes at 15%', () => {
    const slower = report([result('m', 'CN', [run({ ttftMs: 430, e2eMs: 2350, decodeTps: 54 })])], { startedAt: NOW });
    expect(gateOf(slower, steady, { tolerance: 0.15 }).regressions).toBe(0);
  });

  it('a slower decode rate (below p10 by more than the tolerance) is a regression', () => {
    const g = gateOf(
      report([result('m', 'CN', [run({ ttftMs: 340, e2eMs: 2340, decodeTps: 45 })])], { startedAt: NOW }),
      steady,
    );
    expect(g.models[0].checks.find((c) => c.metric === 'decodeTps')).toMatchObject({
      regressed: true,
      baselineName: 'p10',
    });
  });

  it('compares like with like: other models, other size classes, other cache states, old runs and failures are left out', () => {
    const noise = [
      ...history('other', 10, () => ({ ttftMs: 1 })),
      ...history('m', 10, () => ({ ttftMs: 10, inputTokens: 50_000 })),
      ...history('m', 10, () => ({ ttftMs: 10, ok: false, error: 'x' })),
      // the history records a cache state per run (a missing one reads as cold)
      ...history('m', 10, () => ({ ttftMs: 10 })).map((r) => ({ ...r, cacheState: 'warm' as const })),
      ...history('m', 40, () => ({ ttftMs: 10 })).slice(30), // 31..40 days back: outside 4w
    ];
    const g = gateOf(report([result('m', 'CN', [run({ ttftMs: 340 })])], { startedAt: NOW }), noise);
    expect(g.models[0]).toMatchObject({ status: 'no-history', historyRuns: 0 });
    expect(g.models[0].reason).toMatch(
      /passed with a note: only 0 comparable run\(s\) .*cold cache, tiny \(≤256 tokens\) prompt.*needs 5/,
    );
    expect(g.regressions).toBe(0);
    // a warm-cache run is judged against the warm history only (ttft 10 ms there, so 340 ms regresses)
    const warm = gateOf(
      report([result('m', 'CN', [run({ ttftMs: 340, cacheState: 'warm' } as Partial<RunMetrics>)])], {
        startedAt: NOW,
      }),
      noise,
    );
    expect(warm.models[0]).toMatchObject({ status: 'regression', cacheState: 'warm', historyRuns: 10 });
  });

  it('a benchmark with cold and warm runs of one model is judged per cache state; JUnit keeps one testcase', () => {
    const warmHistory = history('m', 10, () => ({ ttftMs: 50, e2eMs: 2000, decodeTps: 55 })).map((r) => ({
      ...r,
      cacheState: 'warm' as const,
    }));
    const cur = report(
      [
        result('m', 'CN', [
          run({ ttftMs: 340, e2eMs: 2340, decodeTps: 54 }),
          run({ ttftMs: 120, e2eMs: 2000, decodeTps: 55, cacheState: 'warm' } as Partial<RunMetrics>),
        ]),
      ],
      { startedAt: NOW },
    );
    const g = gateOf(cur, [...steady, ...warmHistory]);
    expect(g.models.map((m) => [m.cacheState, m.status, m.okRuns])).toEqual([
      ['cold', 'pass', 1],
      ['warm', 'regression', 1],
    ]);
    expect(g.models[1].reason).toMatch(/TTFT median 120 ms vs history p90 50\.0 ms .*warm cache/);
    const xml = junitXml(cur, g);
    expect(xml.match(/<testcase /g)).toHaveLength(1);
    expect(xml).toMatch(/<failure message="slower than its history: TTFT median 120 ms/);
  });

  it('a model with too little history passes with a note', () => {
    const g = gateOf(report([result('m', 'CN', [run({ ttftMs: 5000 })])], { startedAt: NOW }), steady.slice(0, 4));
    expect(g.models[0].status).toBe('no-history');
    expect(g.regressions).toBe(0);
  });

  it('JUnit XML: one testcase per model, failure on regression or failed runs, text escaped', () => {
    const cur = report(
      [
        result('fine', 'CN', [run({ ttftMs: 340 })]),
        result('m', 'CN', [run({ ttftMs: 900 })]),
        result('broken<&>', 'US', [
          run(),
          run({
            ok: false,
            errorKind: 'auth',
            error: 'broken: the API key is missing or was rejected (HTTP 401). Set "KEY".',
          }),
        ]),
      ],
      { startedAt: NOW },
    );
    const xml = junitXml(cur, gateOf(cur, [...steady, ...history('fine', 10, (i) => ({ ttftMs: 300 + i * 10 }))]));
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toMatch(/tests="3" failures="2"/);
    expect(xml).toMatch(/<testcase classname="tokenscope.CN" name="fine"[^>]*>\s*<system-out>/);
    expect(xml).toMatch(/name="m"[^>]*>\s*<failure message="slower than its history: TTFT median 900 ms/);
    expect(xml).toMatch(
      /name="broken&lt;&amp;&gt;"[^>]*>\s*<failure message="1 run\(s\) failed: broken: the API key .*&quot;KEY&quot;/,
    );
  });

  it('parses windows, tolerances and size classes', () => {
    expect(parseWindow('4w')).toBe(28 * DAY);
    expect(parseWindow('36h')).toBe(1.5 * DAY);
    expect(() => parseWindow('4 months')).toThrow(/--gate-window must be a length such as 4w/);
    expect(parseTolerance('10%')).toBeCloseTo(0.1);
    expect(parseTolerance('25')).toBeCloseTo(0.25);
    expect(() => parseTolerance('-5%')).toThrow(/--gate-tolerance/);
    expect([100, 256, 257, 5000, 20000, 200000, null].map(promptSizeClass)).toEqual([
      'tiny (≤256 tokens)',
      'tiny (≤256 tokens)',
      'short (257–2,048)',
      'medium (2,049–16,384)',
      'long (16,385–131,072)',
      'very long (>131,072)',
      'unknown size (no input token count)',
    ]);
  });
});
