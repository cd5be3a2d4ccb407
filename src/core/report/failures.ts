/**
 * How failures read in every view: a short label per failed run ("401", "timeout"), a model's failed runs grouped
 * by distinct error (one card per error, with its count), and the finish message that names every failed model.
 * Pure: no `vscode`.
 */
import type { BenchmarkReport, ErrorKind } from '../types';

/** Short label of a failure: the HTTP status where the message carries one, else the error kind. */
export function failureLabel(kind: ErrorKind | string | undefined, error?: string | null): string {
  const status = /\bHTTP (\d{3})\b/.exec(error ?? '')?.[1];
  return status ?? kind ?? 'error';
}

export interface ErrorGroup {
  /** The error message, shown once. */
  message: string;
  kind?: ErrorKind;
  /** failureLabel of the group. */
  label: string;
  /** Runs that failed with exactly this message. */
  count: number;
  /** Indexes (0-based, measured runs) of those runs. */
  runs: number[];
}

/** Failed runs grouped by message, in order of first occurrence; cancelled runs are not failures. */
export function groupErrors(
  runs: readonly { ok: boolean; error: string | null; errorKind?: ErrorKind }[],
): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  runs.forEach((r, i) => {
    if (r.ok || r.errorKind === 'cancelled') return;
    const message = r.error ?? `run failed (${r.errorKind ?? 'unknown error'})`;
    const g = groups.get(message);
    if (g) {
      g.count++;
      g.runs.push(i);
    } else
      groups.set(message, {
        message,
        ...(r.errorKind ? { kind: r.errorKind } : {}),
        label: failureLabel(r.errorKind, r.error),
        count: 1,
        runs: [i],
      });
  });
  return [...groups.values()];
}

export interface FailedModel {
  id: string;
  label: string;
  failedRuns: number;
  measuredRuns: number;
  /** Distinct failure labels, e.g. ["401"]. */
  labels: string[];
  /** True when some failure is a missing or rejected key. */
  auth: boolean;
}

/** Every model with at least one failed measured run. */
export function failedModels(report: BenchmarkReport): FailedModel[] {
  return report.results
    .map((r) => {
      const measured = r.runs.filter((x) => !x.warmup);
      const groups = groupErrors(measured);
      return {
        id: r.id,
        label: r.label ?? r.id,
        failedRuns: groups.reduce((s, g) => s + g.count, 0),
        measuredRuns: measured.filter((x) => x.errorKind !== 'cancelled').length,
        labels: [...new Set(groups.map((g) => g.label))],
        auth: groups.some((g) => g.kind === 'auth'),
      };
    })
    .filter((m) => m.failedRuns > 0);
}

/** The one-line finish message: every failed model with its failure and count; null when nothing failed. */
export function failureSummary(report: BenchmarkReport): string | null {
  const failed = failedModels(report);
  if (!failed.length) return null;
  const models = report.results.length;
  const parts = failed.map(
    (m) =>
      `${m.label} (failed: ${m.labels.join(', ')}; ${m.failedRuns} of ${m.measuredRuns} run${m.measuredRuns === 1 ? '' : 's'})`,
  );
  return `${failed.length} of ${models} model${models === 1 ? '' : 's'} had failed runs: ${parts.join('; ')}.`;
}
