import { describe, expect, it } from 'vitest';
import { compareReports } from '../../src/core/compare';
import { formatPct } from '../../src/core/report/format';
import { comparisonMarkdown } from '../../src/core/report/compareReport';
import { report, result, run } from '../extension/fixtures';

describe('compareReports', () => {
  const a = report([
    result('m1', 'CN', [
      run({ ttftMs: 200, decodeTps: 40, e2eMs: 2000, costUsd: 0.001 }),
      run({ ttftMs: 400, decodeTps: 60, e2eMs: 3000, costUsd: 0.001 }),
    ]),
    result('gone', 'US', [run()]),
  ]);
  const b = report(
    [
      result('m1', 'CN', [
        run({ ttftMs: 150, decodeTps: 30, e2eMs: 3300, costUsd: 0.002 }),
        run({ ttftMs: 150, decodeTps: 30, e2eMs: 3300, costUsd: 0.002 }),
        run({ ok: false, error: 'x', ttftMs: 1 }),
      ]),
      result('new', 'local', [run()]),
    ],
    { prompt: { chars: 1, sha256: 'c'.repeat(64) } },
  );
  const c = compareReports(a, b, { a: 'a.json', b: 'b.json' });

  it('per model: medians of both, B − A and which is better', () => {
    const m1 = c.models.find((m) => m.id === 'm1')!;
    expect(m1.metrics.ttftMs).toEqual({ a: 300, b: 150, delta: -150, deltaPct: -50, better: 'b' });
    expect(m1.metrics.decodeTps).toEqual({ a: 50, b: 30, delta: -20, deltaPct: -40, better: 'a' });
    expect(m1.metrics.e2eMs).toMatchObject({ a: 2500, b: 3300, delta: 800, better: 'a' });
    expect(m1.metrics.costUsd.deltaPct).toBeCloseTo(100);
    expect(m1.values.ttftMs).toEqual({ a: [200, 400], b: [150, 150] });
    expect(m1.runsB).toBe(2);
  });

  it('models in one run only, and a different prompt, are noted', () => {
    expect(c.models.map((m) => [m.id, m.inA, m.inB])).toEqual([
      ['m1', true, true],
      ['gone', true, false],
      ['new', false, true],
    ]);
    expect(c.notes.join(' ')).toMatch(/different prompts/);
    expect(c.notes).toContain('Only in a.json: gone.');
    expect(c.notes).toContain('Only in b.json: new.');
  });

  it('Markdown names both runs and shows the deltas', () => {
    const md = comparisonMarkdown(c);
    expect(md).toMatch(/A: a\.json/);
    expect(md).toMatch(
      /\| m1 label \\\(m1\\\) \| 300 → 150 \(−50\.0%\) better \| 50\.0 → 30\.0 \(−40\.0%\) worse \| 2500 → 3300 \(\+32\.0%\) worse \|/,
    );
    expect(formatPct(0.01)).toBe('0.0%');
    expect(formatPct(null)).toBe('—');
  });
});
