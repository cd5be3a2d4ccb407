/**
 * Plain-text table of a benchmark report, for terminals. Every rate says how its tokens were
 * counted; numbers the server reported about itself are marked as such.
 */
import { printable } from '../text';
import type { BenchmarkReport, ModelResult, Summary } from '../types';
import { hostGroupLines, priceSourceLine } from './hostGroups';
import { formatUsd, speculationView } from './resultsView';

const fixed = (digits: number) => (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const f0 = fixed(0);
const f1 = fixed(1);

function med(s: Summary | null | undefined, fmt = f0): string {
  if (!s) return '—';
  return s.n > 1 ? `${fmt(s.median)} ±${fmt(s.mad)}` : fmt(s.median);
}

function usd(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : formatUsd(v);
}

/** Renders rows as aligned columns. */
export function alignColumns(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

function row(r: ModelResult): string[] {
  const ok = r.runs.filter((x) => x.ok);
  const s = r.summary;
  const tokenSource = [...new Set(ok.map((x) => x.tokenSource))].join('+') || '—';
  const medianOf = (pick: (x: (typeof ok)[number]) => number | null) => {
    const xs = ok.map(pick).filter((v): v is number => v !== null).sort((a, b) => a - b);
    return xs.length ? xs[Math.floor((xs.length - 1) / 2)] : null;
  };
  const server = medianOf((x) => x.serverDecodeTps);
  return [
    printable(r.id),
    printable(r.region),
    `${r.okRuns}/${r.okRuns + r.failedRuns}`,
    med(s.ttftMs),
    med(s.ttfoMs),
    med(s.decodeTps, f1) + (server !== null ? ` (server ${f1(server)})` : ''),
    med(s.normalizedTps, f1),
    med(s.e2eMs),
    f1(s.itlMs?.median),
    `${f0(medianOf((x) => x.inputTokens))}/${f0(medianOf((x) => x.outputTokens))}/${f0(medianOf((x) => x.reasoningTokens))}`,
    printable(tokenSource),
    usd(s.costUsd?.median),
    speculationView(r.speculation)?.text ?? '—',
  ];
}

export function formatReportTable(report: BenchmarkReport): string {
  const header = ['model', 'region', 'ok', 'TTFT ms', 'TTFO ms', 'tok/s (own tokens)', 'tok/s (o200k)', 'e2e ms', 'ITL ms', 'in/out/reasoning', 'tokens from', 'cost/run', 'spec. decoding (est.)'];
  const lines = [alignColumns([header, ...report.results.map(row)])];
  lines.push('', `Medians ± median absolute deviation over ${report.settings.runs} run(s) per model. "tok/s (own tokens)" counts each model's own tokens; "tok/s (o200k)" re-counts the same text with one reference tokenizer so models compare fairly.`);
  const costs = priceSourceLine(report.results);
  if (costs) lines.push(printable(costs));
  const groups = hostGroupLines(report.results);
  if (groups.length) lines.push('', ...groups.map((l) => printable(l)));
  const notes = report.results.flatMap((r) => [
    ...(r.speculation ? [`speculative decoding (estimated), ${printable(r.id)}: ${printable(r.speculation.verdict)}`] : []),
    ...r.warnings.map((w) => `warning: ${printable(w)}`),
    ...r.runs.filter((x) => !x.ok).map((x) => `failed: ${printable(x.error ?? x.errorKind ?? 'unknown error')}`),
  ]);
  if (notes.length) lines.push('', ...[...new Set(notes)]);
  return lines.join('\n');
}
