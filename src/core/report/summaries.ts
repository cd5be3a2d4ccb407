/**
 * Region medians as every view computes them, so the panel and the sidebar show one set of numbers: every
 * successful run of the region's models pooled (the rule the history's leaderboard and weekly report follow).
 * Pure, and free of Node modules: the webviews bundle it too.
 */
import { summarize } from '../stats';
import { REGIONS, type Region, type RunMetrics, type Summary } from '../types';

export interface RegionSummary<M extends string> {
  region: Region;
  /** Models of the region with at least one successful run. */
  models: number;
  metrics: Record<M, Summary | null>;
}

/** Pooled medians per region over successful runs (CN, US, local order; regions without one are left out). */
export function regionSummaries<M extends keyof RunMetrics & string>(
  runs: readonly { region: Region; modelId: string; run: Pick<RunMetrics, 'ok'> & Partial<Record<M, unknown>> }[],
  metrics: readonly M[],
): RegionSummary<M>[] {
  const out: RegionSummary<M>[] = [];
  for (const region of REGIONS) {
    const ok = runs.filter((r) => r.region === region && r.run.ok);
    if (!ok.length) continue;
    const values = (m: M) => ok.map((r) => r.run[m]).map((v) => (typeof v === 'number' ? v : null));
    out.push({
      region,
      models: new Set(ok.map((r) => r.modelId)).size,
      metrics: Object.fromEntries(metrics.map((m) => [m, summarize(values(m))])) as Record<M, Summary | null>,
    });
  }
  return out;
}
