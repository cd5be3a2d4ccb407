/**
 * The regression gate's verdict for people: terminal lines, and a Markdown table for a CI job summary
 * (GitHub's $GITHUB_STEP_SUMMARY). Pure: no file system.
 */
import type { GateCheck, GateModelVerdict, GateResult } from '../gate';
import { printable } from '../terminalText';
import { mdCell } from './export';
import { withUnit } from './format';

const STATUS_WORD: Record<GateModelVerdict['status'], string> = {
  pass: 'pass',
  regression: 'REGRESSION',
  'no-history': 'pass (too little history)',
  'no-data': 'no data',
};

/** One line per model for the terminal, then the overall verdict. */
export function gateLines(gate: GateResult): string[] {
  const lines = gate.models.map((m) => `gate: ${printable(m.id)}: ${STATUS_WORD[m.status]}: ${printable(m.reason)}`);
  const tol = `${Math.round(gate.tolerance * 100)}%`;
  lines.push(
    gate.regressions
      ? `gate: ${gate.regressions} model(s) regressed against the last ${gate.window} of history (tolerance ${tol}): exit status 3`
      : `gate: no regression against the last ${gate.window} of history (tolerance ${tol})`,
  );
  return lines;
}

/** A Markdown section for a CI job summary. */
export function gateMarkdown(gate: GateResult): string {
  const head = [
    'Model',
    'Verdict',
    'TTFT median (history p90)',
    'e2e median (history p90)',
    'decode tok/s median (history p10)',
    'History runs',
    'Compared with',
    'Runs ok',
  ];
  const rows = gate.models.map((m) => {
    const byMetric = (metric: GateCheck['metric']) => {
      const c = m.checks.find((x) => x.metric === metric)!;
      const text = `${withUnit(c.now, c.unit)} (${withUnit(c.baseline, c.unit)})`;
      return c.regressed ? `**${text}** ❌` : text;
    };
    return [
      mdCell(m.id),
      m.status === 'regression'
        ? '❌ regression'
        : m.status === 'pass'
          ? '✅ pass'
          : m.status === 'no-history'
            ? '✅ pass (too little history)'
            : '⚠️ no data',
      byMetric('ttftMs'),
      byMetric('e2eMs'),
      byMetric('decodeTps'),
      String(m.historyRuns),
      mdCell(`${m.cacheState} cache, ${m.sizeClass} prompt`),
      `${m.okRuns}/${m.okRuns + m.failedRuns}`,
    ];
  });
  const table = [head, head.map((_, i) => (i === 0 || i === 1 || i === 6 ? '---' : '---:')), ...rows].map(
    (r) => `| ${r.join(' | ')} |`,
  );
  const verdict = gate.regressions ? `**${gate.regressions} model(s) regressed.**` : 'No regression.';
  const reasons = gate.models.filter((m) => m.status !== 'pass').map((m) => `- ${mdCell(m.id)}: ${mdCell(m.reason)}`);
  return [
    '## Tokenscope regression gate',
    '',
    `${verdict} Each model's medians against its own runs in the history from ${gate.from} to ${gate.until} (${gate.window}), same cache state and prompt-size class; tolerance ${Math.round(gate.tolerance * 100)}%.`,
    '',
    ...table,
    ...(reasons.length ? ['', ...reasons] : []),
    '',
  ].join('\n');
}
