/**
 * The results panel's "Compare with…" view: the deltas of two runs per model, as text the webview shows as is,
 * and each run's values for the overlaid distributions. Pure: no `vscode`, no DOM.
 */
import { COMPARE_METRICS, formatCompareValue, type CompareMetric, type ReportComparison } from '../compare';
import { formatPct } from './format';
import type { Region } from '../types';

export interface CompareCell {
  a: string;
  b: string;
  /** B relative to A, e.g. "−12.5%". */
  delta: string;
  /** Which run is better by this metric; null when equal or unknown. */
  better: 'a' | 'b' | null;
}

export interface CompareRow {
  id: string;
  label: string;
  region: Region;
  inA: boolean;
  inB: boolean;
  cells: Record<CompareMetric, CompareCell>;
  /** Each successful run's value, for the overlaid distributions. */
  values: Record<'ttftMs' | 'decodeTps', { a: number[]; b: number[] }>;
}

export interface CompareView {
  /** The baseline (the run picked with "Compare with…"). */
  a: { name: string; startedAt: string };
  /** The run the panel shows. */
  b: { name: string; startedAt: string };
  columns: { metric: CompareMetric; label: string; unit: string }[];
  rows: CompareRow[];
  notes: string[];
}

export function buildCompareView(c: ReportComparison): CompareView {
  return {
    a: { name: c.a.name, startedAt: c.a.startedAt },
    b: { name: c.b.name, startedAt: c.b.startedAt },
    columns: COMPARE_METRICS.map((m) => ({ metric: m.metric, label: m.label, unit: m.unit })),
    rows: c.models.map((m) => ({
      id: m.id,
      label: m.label,
      region: m.region,
      inA: m.inA,
      inB: m.inB,
      cells: Object.fromEntries(
        COMPARE_METRICS.map(({ metric }) => {
          const d = m.metrics[metric];
          return [
            metric,
            {
              a: formatCompareValue(metric, d.a),
              b: formatCompareValue(metric, d.b),
              delta: formatPct(d.deltaPct),
              better: d.better,
            },
          ];
        }),
      ) as Record<CompareMetric, CompareCell>,
      values: { ttftMs: { ...m.values.ttftMs }, decodeTps: { ...m.values.decodeTps } },
    })),
    notes: [...c.notes],
  };
}
