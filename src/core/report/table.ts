/**
 * Plain-text table of a benchmark report, for terminals. Every rate says how its tokens were
 * counted; numbers the server reported about itself are marked as such.
 */
import { printable } from '../terminalText';
import type { BenchmarkReport, ModelResult, Summary } from '../types';
import { hostGroupLines, priceSourceLine } from './hostGroups';
import { fixed, formatUsd } from './format';
import { speculationView } from './resultsView';
import { sloCellText } from '../slo';

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
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function row(r: ModelResult): string[] {
  const ok = r.runs.filter((x) => x.ok);
  const s = r.summary;
  const tokenSource = [...new Set(ok.map((x) => x.tokenSource))].join('+') || '—';
  const medianOf = (pick: (x: (typeof ok)[number]) => number | null) => {
    const xs = ok
      .map(pick)
      .filter((v): v is number => v !== null)
      .sort((a, b) => a - b);
    return xs.length ? xs[Math.floor((xs.length - 1) / 2)] : null;
  };
  const server = medianOf((x) => x.serverDecodeTps);
  // Summarized thinking: beside the generated-token rate, the rate of the text that actually arrived.
  const arrived = medianOf((x) => x.arrivedTps ?? null);
  return [
    printable(r.id),
    printable(r.region),
    `${r.okRuns}/${r.okRuns + r.failedRuns}`,
    med(s.ttftMs),
    med(s.ttfoMs),
    med(s.decodeTps, f1) +
      (server !== null ? ` (server ${f1(server)})` : '') +
      (arrived !== null ? ` (arrived ${f1(arrived)})` : ''),
    med(s.normalizedTps, f1),
    med(s.e2eMs),
    f1(s.itlMs?.median),
    `${f0(medianOf((x) => x.inputTokens))}/${f0(medianOf((x) => x.outputTokens))}/${f0(medianOf((x) => x.reasoningTokens))}`,
    printable(tokenSource),
    usd(s.costUsd?.median),
    speculationView(r.speculation)?.text ?? '—',
  ];
}

/** "5 run(s) per model", or how many finished when the benchmark was stopped early. */
function runsLine(report: BenchmarkReport): string {
  const planned = report.settings.runs;
  const finished = report.results.map((r) => r.okRuns + r.failedRuns);
  if (finished.every((n) => n === planned)) return `${planned} run(s) per model`;
  const lo = Math.min(...finished);
  const hi = Math.max(...finished);
  return `the runs that finished (${lo === hi ? lo : `${lo}–${hi}`} of ${planned} planned per model${report.interrupted ? `; stopped by ${printable(report.interrupted)}` : ''})`;
}

export function formatReportTable(report: BenchmarkReport): string {
  const header = [
    'model',
    'region',
    'ok',
    'TTFT ms',
    'TTFO ms',
    'tok/s (own tokens)',
    'tok/s (o200k)',
    'e2e ms',
    'ITL ms',
    'in/out/reasoning',
    'tokens from',
    'cost/run',
    'spec. decoding (est.)',
  ];
  const withSlo = report.results.some((r) => r.slo);
  const rows = report.results.map((r) => (withSlo ? [...row(r), sloCellText(r.slo)] : row(r)));
  const lines = [alignColumns([withSlo ? [...header, 'SLO met, goodput'] : header, ...rows])];
  if (withSlo)
    lines.push(
      '',
      `SLO ${printable(report.settings.slo ?? '')}: runs that met every target (failed runs count as missed); goodput = concurrency × runs that met it ÷ their models' total run time, in requests/s at concurrency ${report.settings.concurrency}.`,
    );
  lines.push(
    '',
    `Medians ± median absolute deviation over ${runsLine(report)}. "tok/s (own tokens)" counts each model's own tokens; "tok/s (o200k)" re-counts the same text with one reference tokenizer so models compare fairly.`,
  );
  const costs = priceSourceLine(report.results);
  if (costs) lines.push(printable(costs));
  const groups = hostGroupLines(report.results);
  if (groups.length) lines.push('', ...groups.map((l) => printable(l)));
  const notes = report.results.flatMap((r) => [
    ...(r.speculation
      ? [`speculative decoding (estimated), ${printable(r.id)}: ${printable(r.speculation.verdict)}`]
      : []),
    ...r.warnings.map((w) => `warning: ${printable(w)}`),
    ...r.runs
      .filter((x) => !x.ok && x.errorKind !== 'cancelled')
      .map((x) => `failed: ${printable(x.error ?? x.errorKind ?? 'unknown error')}`),
    ...(r.cancelledRuns
      ? [`cancelled: ${printable(r.id)}: ${r.cancelledRuns} run(s) in flight were cancelled (not counted)`]
      : []),
  ]);
  if (notes.length) lines.push('', ...[...new Set(notes)]);
  return lines.join('\n');
}
