/**
 * Service-level objectives and goodput. An SLO is a comma-separated list of targets such as
 * "ttft<=800,ttfo<=2000,tps>=30,e2e<=10000" (times in ms, rates in tokens/s); the same text is accepted by
 * `bench --slo`, a config's `settings.slo` and the editor's `tokenscope.slo` setting.
 */
import type { BenchmarkReport, MetricName, ModelResult, RunMetrics, SloOp, SloResult, SloTarget } from './types';

// Defined in the core's shared types (reports carry them); re-exported for the SLO's callers.
export type { SloOp, SloResult, SloTarget } from './types';

/** Names accepted in an SLO term, with the metric each one reads. */
export const SLO_METRICS: Readonly<Record<string, MetricName>> = {
  ttft: 'ttftMs',
  ttfo: 'ttfoMs',
  tps: 'decodeTps',
  ntps: 'normalizedTps',
  e2e: 'e2eMs',
  itl: 'itlMs',
  setup: 'setupMs',
  cost: 'costUsd',
};

/** Unit words and the factor that turns them into the metric's own unit. */
const UNITS: Record<string, number> = { '': 1, ms: 1, s: 1000 };
const TIME_METRICS = new Set<MetricName>(['ttftMs', 'ttfoMs', 'e2eMs', 'itlMs', 'setupMs']);

export class SloError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SloError';
  }
}

const TERM_RE = /^([a-z0-9]+)(<=|>=|<|>|=<|=>)(-?\d+(?:\.\d+)?)([a-z]*)$/i;

/** Parses an SLO string; throws SloError naming the first bad term and what is accepted. */
export function parseSlo(text: string): SloTarget[] {
  const terms = text.split(',').map((t) => t.replace(/\s+/g, ''));
  if (terms.every((t) => t === '')) throw new SloError('the SLO is empty; give targets such as "ttft<=800,tps>=30"');
  const names = Object.keys(SLO_METRICS).join(', ');
  const targets: SloTarget[] = [];
  for (const term of terms) {
    if (term === '')
      throw new SloError(`the SLO "${text}" has an empty term (two commas in a row, or a trailing comma)`);
    const m = TERM_RE.exec(term);
    if (!m)
      throw new SloError(
        `SLO term "${term}" is not of the form NAME<=NUMBER or NAME>=NUMBER (e.g. "ttft<=800", "tps>=30"); names: ${names}`,
      );
    const [, rawName, rawOp, rawValue, rawUnit] = m;
    const metric = SLO_METRICS[rawName.toLowerCase()];
    if (!metric) throw new SloError(`SLO term "${term}": unknown metric "${rawName}"; use one of ${names}`);
    const unit = rawUnit.toLowerCase();
    const factor = UNITS[unit];
    if (factor === undefined || (unit !== '' && !TIME_METRICS.has(metric)))
      throw new SloError(
        `SLO term "${term}": unit "${rawUnit}" is not accepted for ${rawName}; times take ms (default) or s, other metrics no unit`,
      );
    const value = Number(rawValue) * factor;
    if (!Number.isFinite(value) || value < 0) throw new SloError(`SLO term "${term}": the limit must be a number ≥ 0`);
    const op = (rawOp === '=<' ? '<=' : rawOp === '=>' ? '>=' : rawOp) as SloOp;
    if (targets.some((t) => t.metric === metric && t.op[0] === op[0]))
      throw new SloError(`SLO term "${term}": ${rawName} already has ${op[0] === '<' ? 'an upper' : 'a lower'} limit`);
    targets.push({ metric, op, value, term: `${rawName.toLowerCase()}${op}${rawValue}${unit}` });
  }
  return targets;
}

/** Null when `text` is a valid SLO; otherwise what is wrong with it (naming the bad term). */
export function sloProblem(text: string): string | null {
  try {
    parseSlo(text);
    return null;
  } catch (e) {
    if (e instanceof SloError) return e.message;
    throw e;
  }
}

/** The SLO as one string again (for tables and the report's settings). */
export function formatSlo(targets: readonly SloTarget[]): string {
  return targets.map((t) => t.term).join(',');
}

/** Whether one run met every target. A failed run, or a missing value, never meets. */
export function runMeetsSlo(run: RunMetrics, targets: readonly SloTarget[]): boolean {
  if (!run.ok) return false;
  return targets.every((t) => {
    const v = run[t.metric];
    if (typeof v !== 'number' || !Number.isFinite(v)) return false;
    switch (t.op) {
      case '<=':
        return v <= t.value;
      case '<':
        return v < t.value;
      case '>=':
        return v >= t.value;
      case '>':
        return v > t.value;
    }
  });
}

/** How long a run kept its client busy: to the last token, else as far as it got. */
function busyMs(run: RunMetrics): number | null {
  return run.e2eMs ?? run.ttftMs ?? run.setupMs ?? null;
}

export function evaluateSlo(result: ModelResult, targets: readonly SloTarget[], concurrency: number): SloResult {
  const measured = result.runs.filter((r) => !r.warmup && r.errorKind !== 'cancelled');
  const met = measured.filter((r) => runMeetsSlo(r, targets)).length;
  const durations = measured.map(busyMs).filter((v): v is number => v !== null && v > 0);
  const busySec = durations.reduce((s, v) => s + v, 0) / 1000;
  return {
    met,
    total: measured.length,
    share: measured.length ? met / measured.length : 0,
    targets: targets.map((t) => ({ ...t })),
    goodputRps: busySec > 0 ? (concurrency * met) / busySec : null,
    concurrency,
  };
}

/** Adds `slo` to every result and the SLO text to the settings (in place; returns the report). */
export function applySlo(report: BenchmarkReport, targets: readonly SloTarget[]): BenchmarkReport {
  if (targets.length === 0) return report;
  report.settings.slo = formatSlo(targets);
  for (const r of report.results) r.slo = evaluateSlo(r, targets, report.settings.concurrency);
  return report;
}

/** "7/10 met (70%), goodput 1.4 req/s" */
export function sloCellText(slo: SloResult | undefined): string {
  if (!slo) return '—';
  const pct = slo.total ? ` (${Math.round(slo.share * 100)}%)` : '';
  const goodput =
    slo.goodputRps === null
      ? ''
      : `, ${slo.goodputRps < 10 ? slo.goodputRps.toFixed(2) : slo.goodputRps.toFixed(1)} req/s`;
  return `${slo.met}/${slo.total}${pct}${goodput}`;
}
