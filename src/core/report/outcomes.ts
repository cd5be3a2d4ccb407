/**
 * What the hover and the sidebar say about a model and a prompt, from the same data the panel uses: each model's
 * latest outcome in the history (a measurement, or the failure that came after it) and the speculative-decoding
 * estimate for a prompt. Pure: no `vscode`.
 */
import { createHash } from 'node:crypto';
import { advise } from '../advisor';
import type { TaskContext } from '../advisor/classify';
import type { HistoryRecord } from '../history/contract';
import type { BenchmarkReport } from '../types';
import type { ModelOutcome } from './outcomeTypes';
import { failureLabel } from './failures';

/** Per model id: its newest measurement and, when its newest run failed, that failure. */
export function latestOutcomes(records: readonly HistoryRecord[]): Map<string, ModelOutcome> {
  const out = new Map<string, ModelOutcome>();
  const newest = new Map<string, HistoryRecord>();
  for (const r of records) {
    const prev = newest.get(r.modelId);
    if (!prev || Date.parse(r.time) > Date.parse(prev.time)) newest.set(r.modelId, r);
    const tps = r.metrics.decodeTps;
    if (!r.metrics.ok || tps === null || !(tps > 0)) continue;
    const o = out.get(r.modelId) ?? {};
    if (!o.measured || Date.parse(o.measured.time) < Date.parse(r.time))
      o.measured = { decodeTps: tps, ttftMs: r.metrics.ttftMs, time: r.time };
    out.set(r.modelId, o);
  }
  for (const [id, r] of newest) {
    if (r.metrics.ok || r.metrics.errorKind === 'cancelled') continue;
    const o = out.get(id) ?? {};
    o.failed = {
      label: failureLabel(r.metrics.errorKind, r.metrics.error),
      error: r.metrics.error ?? 'failed',
      auth: r.metrics.errorKind === 'auth',
      time: r.time,
    };
    out.set(id, o);
  }
  return out;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface PromptAdvice {
  /** Where the estimate comes from: the models' outputs of the latest benchmark of this exact prompt, or the prompt alone. */
  basis: 'benchmark' | 'prompt';
  lines: string[];
}

/**
 * The speculative-decoding estimate for a prompt. When the latest benchmark ran this exact prompt, the panel's
 * per-model verdicts (replayed over what each model wrote) are the answer, so hover and panel agree; otherwise the
 * advisor's estimate from the prompt alone, labelled as such.
 */
export function promptAdvice(
  prompt: string,
  context: TaskContext | undefined,
  latest?: BenchmarkReport | null,
): PromptAdvice | undefined {
  if (latest && latest.prompt.sha256 === sha256(prompt)) {
    const lines = latest.results
      .filter((r) => r.speculation)
      .map((r) => `${r.label ?? r.id}: ${r.speculation!.verdict}`);
    if (lines.length) return { basis: 'benchmark', lines };
  }
  try {
    const a = advise({ prompt, context });
    return {
      basis: 'prompt',
      lines: [`${a.verdict} (from the prompt alone; benchmark it for an estimate from real output)`],
    };
  } catch {
    return undefined;
  }
}
