/**
 * Comparing two benchmark reports (A = the baseline, B = the run compared with it): per model the medians of
 * TTFT, decode rate, e2e and cost in both, B − A as a difference and a percentage, and each run's values so
 * the two distributions can be drawn over each other. Pure: no file system, no `vscode`.
 */
import { formatUsd } from './report/format';
import { percentile } from './stats';
import type { BenchmarkReport, ModelResult, Region } from './types';

export const COMPARE_METRICS = [
  { metric: 'ttftMs', label: 'TTFT', unit: 'ms', better: 'lower' },
  { metric: 'decodeTps', label: 'decode rate', unit: 'tok/s', better: 'higher' },
  { metric: 'e2eMs', label: 'e2e', unit: 'ms', better: 'lower' },
  { metric: 'costUsd', label: 'cost/run', unit: 'USD', better: 'lower' },
] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number]['metric'];

export interface MetricDelta {
  /** Median of A's successful runs (null when it has none). */
  a: number | null;
  b: number | null;
  /** b − a. */
  delta: number | null;
  /** (b − a) ÷ a × 100. */
  deltaPct: number | null;
  /** Which side is better by this metric; null when equal or unknown. */
  better: 'a' | 'b' | null;
}

export interface ModelComparison {
  id: string;
  label: string;
  region: Region;
  /** Present in the baseline / in the compared run. */
  inA: boolean;
  inB: boolean;
  runsA: number;
  runsB: number;
  metrics: Record<CompareMetric, MetricDelta>;
  /** Each successful run's value, for overlaid distributions. */
  values: Record<'ttftMs' | 'decodeTps', { a: number[]; b: number[] }>;
}

export interface RunSide {
  name: string;
  startedAt: string;
  promptSha256: string;
  runs: number;
  concurrency: number;
}

export interface ReportComparison {
  a: RunSide;
  b: RunSide;
  /** Differences that make the comparison less like-for-like (different prompt, settings). */
  notes: string[];
  models: ModelComparison[];
}

function okValues(r: ModelResult | undefined, metric: CompareMetric): number[] {
  if (!r) return [];
  return r.runs
    .filter((x) => x.ok && !x.warmup)
    .map((x) => x[metric])
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

function medianOf(xs: number[]): number | null {
  return xs.length
    ? percentile(
        [...xs].sort((p, q) => p - q),
        0.5,
      )
    : null;
}

function delta(a: number | null, b: number | null, better: 'lower' | 'higher'): MetricDelta {
  const d = a !== null && b !== null ? b - a : null;
  const pct = d !== null && a !== null && a !== 0 ? (d / a) * 100 : null;
  const winner = d === null || d === 0 ? null : d < 0 === (better === 'lower') ? 'b' : 'a';
  return { a, b, delta: d, deltaPct: pct, better: winner };
}

function side(name: string, r: BenchmarkReport): RunSide {
  return {
    name,
    startedAt: r.startedAt,
    promptSha256: r.prompt.sha256,
    runs: r.settings.runs,
    concurrency: r.settings.concurrency,
  };
}

export function compareReports(
  a: BenchmarkReport,
  b: BenchmarkReport,
  names: { a: string; b: string },
): ReportComparison {
  const notes: string[] = [];
  if (a.prompt.sha256 !== b.prompt.sha256)
    notes.push(
      `The two runs used different prompts (sha256 ${a.prompt.sha256.slice(0, 12)}… vs ${b.prompt.sha256.slice(0, 12)}…): TTFT and cost depend on the prompt, so differences are not only the models'.`,
    );
  for (const k of ['concurrency', 'maxTokens'] as const)
    if (a.settings[k] !== b.settings[k])
      notes.push(`settings.${k} differs: ${a.settings[k]} in ${names.a}, ${b.settings[k]} in ${names.b}.`);
  const ids = [
    ...a.results.map((r) => r.id),
    ...b.results.map((r) => r.id).filter((id) => !a.results.some((r) => r.id === id)),
  ];
  const models = ids.map((id): ModelComparison => {
    const ra = a.results.find((r) => r.id === id);
    const rb = b.results.find((r) => r.id === id);
    const any = (ra ?? rb)!;
    const metrics = Object.fromEntries(
      COMPARE_METRICS.map((m) => [
        m.metric,
        delta(medianOf(okValues(ra, m.metric)), medianOf(okValues(rb, m.metric)), m.better),
      ]),
    ) as Record<CompareMetric, MetricDelta>;
    return {
      id,
      label: any.label ?? id,
      region: any.region,
      inA: !!ra,
      inB: !!rb,
      runsA: ra?.okRuns ?? 0,
      runsB: rb?.okRuns ?? 0,
      metrics,
      values: {
        ttftMs: { a: okValues(ra, 'ttftMs'), b: okValues(rb, 'ttftMs') },
        decodeTps: { a: okValues(ra, 'decodeTps'), b: okValues(rb, 'decodeTps') },
      },
    };
  });
  const onlyA = models.filter((m) => !m.inB).map((m) => m.id);
  const onlyB = models.filter((m) => !m.inA).map((m) => m.id);
  if (onlyA.length) notes.push(`Only in ${names.a}: ${onlyA.join(', ')}.`);
  if (onlyB.length) notes.push(`Only in ${names.b}: ${onlyB.join(', ')}.`);
  return { a: side(names.a, a), b: side(names.b, b), notes, models };
}

/** A value in its metric's unit, as the tables show it. */
export function formatCompareValue(metric: CompareMetric, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (metric === 'costUsd') return formatUsd(v);
  return metric === 'decodeTps' ? v.toFixed(1) : v.toFixed(0);
}
