/**
 * Median TTFT and decode rate per model and UTC hour of day: does a provider slow down when its home region is
 * busy? Cold and uncontrolled runs only (a warm run's TTFT would flatter its hour), sweep runs left out (their
 * TTFT depends on the prompt size).
 */
import { median } from '../stats';
import type { TaskCategory } from '../types';
import type { HistoryRecord } from './contract';
import { isComparableRun } from './comparable';
import { csvField } from './render';

export interface ByHourRow {
  model: string;
  /** UTC hour the runs started, 0–23. */
  hour: number;
  ttftMs: number | null;
  decodeTps: number | null;
  runs: number;
}

export interface ByHourReport {
  rows: ByHourRow[];
}

export interface ByHourFilter {
  since?: string;
  /** Only runs made from this location label. */
  location?: string;
  category?: TaskCategory[];
}

/** The UTC hour of a record: stored, else from its start time. */
export function recordHour(r: HistoryRecord): number {
  return r.hour ?? new Date(r.time).getUTCHours();
}

/** Collects records one at a time (a history is read as a stream), then medians per model and hour. */
export class ByHourAggregator {
  private cells = new Map<string, { model: string; hour: number; ttft: number[]; tps: number[]; runs: number }>();
  private sinceMs: number | undefined;
  constructor(private filter: ByHourFilter = {}) {
    this.sinceMs = filter.since ? Date.parse(filter.since) : undefined;
  }

  add(r: HistoryRecord): void {
    if (!r.metrics.ok || !isComparableRun(r)) return;
    if (this.sinceMs !== undefined && Date.parse(r.time) < this.sinceMs) return;
    if (this.filter.category && !this.filter.category.includes(r.category)) return;
    if (this.filter.location !== undefined && (r.location ?? '') !== this.filter.location) return;
    const hour = recordHour(r);
    const key = `${r.modelId}\u0000${hour}`;
    let c = this.cells.get(key);
    if (!c) this.cells.set(key, (c = { model: r.modelId, hour, ttft: [], tps: [], runs: 0 }));
    c.runs++;
    if (r.metrics.ttftMs !== null) c.ttft.push(r.metrics.ttftMs);
    if (r.metrics.decodeTps !== null) c.tps.push(r.metrics.decodeTps);
  }

  result(): ByHourReport {
    const rows = [...this.cells.values()]
      .map((c) => ({
        model: c.model,
        hour: c.hour,
        ttftMs: c.ttft.length ? median(c.ttft) : null,
        decodeTps: c.tps.length ? median(c.tps) : null,
        runs: c.runs,
      }))
      .sort((a, b) => a.model.localeCompare(b.model) || a.hour - b.hour);
    return { rows };
  }
}

export function byHour(records: Iterable<HistoryRecord>, filter: ByHourFilter = {}): ByHourReport {
  const agg = new ByHourAggregator(filter);
  for (const r of records) agg.add(r);
  return agg.result();
}

const f = (digits: number) => (v: number | null) => (v === null ? '—' : v.toFixed(digits));

export function byHourMarkdown(r: ByHourReport): string {
  const out = ['# Tokenscope by hour (UTC)', ''];
  if (!r.rows.length) return out.concat('The history has no successful cold runs to report.', '').join('\n');
  out.push('| Model | Hour (UTC) | Runs | TTFT ms | tok/s |', '|---|---:|---:|---:|---:|');
  for (const x of r.rows)
    out.push(
      `| ${x.model.replace(/\|/g, '\\|')} | ${String(x.hour).padStart(2, '0')}:00 | ${x.runs} | ${f(0)(x.ttftMs)} | ${f(1)(x.decodeTps)} |`,
    );
  out.push(
    '',
    'Medians over successful cold (or uncontrolled) runs; warm-cache and prompt-sweep runs are left out.',
    '',
  );
  return out.join('\n');
}

export function byHourCsv(r: ByHourReport): string {
  return (
    [
      'model,hour,ttft_ms,decode_tps,runs',
      ...r.rows.map((x) => [x.model, x.hour, x.ttftMs, x.decodeTps, x.runs].map(csvField).join(',')),
    ].join('\n') + '\n'
  );
}
