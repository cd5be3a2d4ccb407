/** Renders a comparison of two benchmark reports as Markdown or JSON. Pure. */
import { COMPARE_METRICS, formatCompareValue, type ReportComparison } from '../compare';
import { formatPct } from './format';
import { mdCell } from './export';

export function comparisonMarkdown(c: ReportComparison): string {
  const head = [
    'Model',
    ...COMPARE_METRICS.map((m) => `${m.label}${m.unit === 'USD' ? '' : ` (${m.unit})`}: A → B (Δ)`),
    'Runs ok A / B',
  ];
  const rows = c.models.map((m) => [
    mdCell(m.label === m.id ? m.id : `${m.label} (${m.id})`),
    ...COMPARE_METRICS.map(({ metric }) => {
      const d = m.metrics[metric];
      const text = `${formatCompareValue(metric, d.a)} → ${formatCompareValue(metric, d.b)} (${formatPct(d.deltaPct)})`;
      return d.better === 'b' ? `${text} better` : d.better === 'a' ? `${text} worse` : text;
    }),
    `${m.inA ? m.runsA : '—'} / ${m.inB ? m.runsB : '—'}`,
  ]);
  const table = [head, head.map((_, i) => (i === 0 ? '---' : '---:')), ...rows].map((r) => `| ${r.join(' | ')} |`);
  return [
    '# Tokenscope comparison',
    '',
    `A: ${mdCell(c.a.name)} (${c.a.startedAt}, ${c.a.runs} run(s), concurrency ${c.a.concurrency})  `,
    `B: ${mdCell(c.b.name)} (${c.b.startedAt}, ${c.b.runs} run(s), concurrency ${c.b.concurrency})`,
    '',
    ...table,
    '',
    'Medians over successful runs; Δ is B relative to A, and "better"/"worse" says how B fares (lower TTFT, e2e and cost, higher decode rate are better).',
    ...(c.notes.length ? ['', ...c.notes.map((n) => `- ${mdCell(n)}`)] : []),
    '',
  ].join('\n');
}

export function comparisonJson(c: ReportComparison): string {
  return JSON.stringify(c, null, 2) + '\n';
}
