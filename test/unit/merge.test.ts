import { describe, expect, it } from 'vitest';
import { mergeReports, mergeWarnings, type NamedReport } from '../../src/core/merge';
import { summarizeRuns } from '../../src/core/report/reportParts';
import { percentile } from '../../src/core/stats';
import { report, result, run } from '../extension/fixtures';

const shardOf = (
  index: number,
  count: number,
  ttfts: number[],
  over: Parameters<typeof report>[1] = {},
): NamedReport => ({
  name: `shard-${index}.json`,
  report: report(
    [
      result(
        'm1',
        'CN',
        ttfts.map((t) => run({ ttftMs: t, e2eMs: t * 10 })),
      ),
    ],
    {
      settings: { runs: ttfts.length, warmup: 1, concurrency: 2, maxTokens: 512, timeoutMs: 120000 },
      shard: { index, count, plannedRuns: 8, runs: ttfts.length },
      startedAt: `2026-12-03T10:00:0${index}.000Z`,
      finishedAt: `2026-12-03T10:01:0${index}.000Z`,
      ...over,
    },
  ),
});

describe('mergeReports', () => {
  it('two shards of 8 runs merge into 8 runs whose median is the median of all 8 (not the mean of the two medians)', () => {
    const a = [100, 110, 120, 900];
    const b = [130, 140, 150, 160];
    const merged = mergeReports([shardOf(1, 2, a), shardOf(2, 2, b)]);
    const r = merged.results[0];
    expect(r.runs).toHaveLength(8);
    expect(r.okRuns).toBe(8);
    const all = [...a, ...b].sort((x, y) => x - y);
    expect(r.summary.ttftMs!.median).toBe(percentile(all, 0.5));
    expect(r.summary.ttftMs!.median).toBe(135);
    // what averaging the parts' medians would give instead
    expect((percentile(a, 0.5) + percentile(b, 0.5)) / 2).not.toBe(135);
    expect(r.summary).toEqual(summarizeRuns(r.runs));
    expect(merged.settings.runs).toBe(8);
    expect(merged.startedAt).toBe('2026-12-03T10:00:01.000Z');
    expect(merged.finishedAt).toBe('2026-12-03T10:01:02.000Z');
    expect(merged.mergedFrom!.map((p) => p.shard!.index)).toEqual([1, 2]);
    expect(merged.shard).toBeUndefined();
  });

  it('counts failed runs from the raw runs and recomputes the SLO over all of them', () => {
    const a = shardOf(1, 2, [100, 200]);
    a.report.results[0].runs.push(
      run({ ok: false, errorKind: 'server', error: 'm1: server error (HTTP 500).', ttftMs: null }),
    );
    a.report.settings.slo = 'ttft<=150';
    const b = shardOf(2, 2, [120, 300]);
    b.report.settings.slo = 'ttft<=150';
    const merged = mergeReports([a, b]);
    expect(merged.results[0]).toMatchObject({ okRuns: 4, failedRuns: 1 });
    expect(merged.results[0].slo).toMatchObject({ met: 2, total: 5 });
    expect(merged.settings.slo).toBe('ttft<=150');
  });

  it('refuses different prompts, settings, model sets or endpoints, naming the difference', () => {
    const base = shardOf(1, 2, [100]);
    const other = (over: Parameters<typeof report>[1]) => shardOf(2, 2, [100], over);
    expect(() => mergeReports([base, other({ prompt: { chars: 1, sha256: 'b'.repeat(64) } })])).toThrow(
      /shard-2\.json was run with a different prompt than shard-1\.json \(sha256 bbbbbbbbbbbb… vs aaaaaaaaaaaa…\)/,
    );
    expect(() =>
      mergeReports([
        base,
        other({ settings: { runs: 1, warmup: 1, concurrency: 8, maxTokens: 512, timeoutMs: 120000 } }),
      ]),
    ).toThrow(/settings\.concurrency 8 but shard-1\.json has 2/);
    const extra = other({});
    extra.report.results.push(result('m2', 'US', [run()]));
    expect(() => mergeReports([base, extra])).toThrow(/different set of models .*it adds m2/);
    const moved = other({});
    moved.report.results[0].host = 'elsewhere.example.com';
    expect(() => mergeReports([base, moved])).toThrow(
      /model m1: host is "elsewhere\.example\.com" in shard-2\.json but "m1\.example\.com" in shard-1\.json/,
    );
    expect(() => mergeReports([base, shardOf(1, 2, [100])])).toThrow(
      /both shard 1\/2; merging them would count those runs twice/,
    );
    const third = shardOf(2, 2, [100]);
    third.name = 'again.json';
    expect(() => mergeReports([base, shardOf(2, 2, [100]), third])).toThrow(
      /shard-2\.json and again\.json are both shard 2\/2/,
    );
    expect(() => mergeReports([shardOf(1, 4, [1]), shardOf(2, 2, [1])])).toThrow(
      /shard 2\/2 of 8 runs but shard-1\.json is shard 1\/4 of 8 runs: they belong to different plans/,
    );
  });

  it('warns when a shard of the plan is missing', () => {
    expect(mergeWarnings([shardOf(1, 4, [1]), shardOf(3, 4, [1])])).toEqual([
      'shard(s) 2, 4 of 4 are missing: the merged result holds only part of the plan',
    ]);
    expect(mergeWarnings([shardOf(1, 2, [1]), shardOf(2, 2, [1])])).toEqual([]);
  });
});
