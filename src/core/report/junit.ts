/**
 * JUnit XML of a benchmark: one testcase per model, failing when the model's runs failed or the regression
 * gate found it slower, so any CI system's test view shows the verdict. Pure: no file system.
 */
import type { GateModelVerdict, GateResult } from '../gate';
import type { BenchmarkReport } from '../types';

/** Text safe in XML content and attribute values: characters XML 1.0 forbids are dropped, markup escaped. */
export function xmlText(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function failureOf(failedRuns: string[], verdicts: GateModelVerdict[]): { message: string; body: string } | null {
  const regressions = verdicts.filter((v) => v.status === 'regression').map((v) => v.reason);
  const parts = [...regressions];
  if (failedRuns.length) parts.push(`${failedRuns.length} run(s) failed: ${failedRuns[0]}`);
  if (parts.length === 0) return null;
  return { message: parts.join(' | '), body: [...regressions, ...failedRuns].join('\n') };
}

export function junitXml(report: BenchmarkReport, gate?: GateResult): string {
  const cases = report.results.map((r) => {
    // A model whose runs had several cache states has one verdict per state.
    const verdicts = gate?.models.filter((m) => m.id === r.id) ?? [];
    const failedRuns = r.runs
      .filter((x) => !x.ok && !x.warmup && x.errorKind !== 'cancelled')
      .map((x) => x.error ?? x.errorKind ?? 'unknown error');
    const failure = failureOf(failedRuns, verdicts);
    const seconds = r.runs.reduce((s, x) => s + (x.e2eMs ?? 0), 0) / 1000;
    const out = [
      `${r.okRuns}/${r.okRuns + r.failedRuns} runs ok`,
      r.summary.ttftMs ? `TTFT median ${r.summary.ttftMs.median.toFixed(0)} ms` : null,
      r.summary.decodeTps ? `decode median ${r.summary.decodeTps.median.toFixed(1)} tok/s` : null,
      r.summary.e2eMs ? `e2e median ${r.summary.e2eMs.median.toFixed(0)} ms` : null,
      r.slo ? `SLO ${report.settings.slo ?? ''}: ${r.slo.met}/${r.slo.total} met` : null,
      ...verdicts.map((v) => `gate: ${v.reason}`),
    ]
      .filter(Boolean)
      .join('\n');
    const lines = [
      `    <testcase classname="tokenscope.${xmlText(r.region)}" name="${xmlText(r.id)}" time="${seconds.toFixed(3)}">`,
    ];
    if (failure)
      lines.push(
        `      <failure message="${xmlText(failure.message)}" type="${verdicts.some((v) => v.status === 'regression') ? 'regression' : 'failed-runs'}">${xmlText(failure.body)}</failure>`,
      );
    lines.push(`      <system-out>${xmlText(out)}</system-out>`, '    </testcase>');
    return { failed: failure !== null, xml: lines.join('\n') };
  });
  const failures = cases.filter((c) => c.failed).length;
  const total = report.results.reduce((s, r) => s + r.runs.reduce((t, x) => t + (x.e2eMs ?? 0), 0), 0) / 1000;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tokenscope" tests="${cases.length}" failures="${failures}" time="${total.toFixed(3)}">`,
    `  <testsuite name="tokenscope benchmark" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${total.toFixed(3)}" timestamp="${xmlText(report.startedAt)}">`,
    ...cases.map((c) => c.xml),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
