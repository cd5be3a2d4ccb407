/**
 * The parts of a BenchmarkReport that the runner and the live report (report/live.ts) build alike: the header
 * (tool, times, prompt hash, settings) and each model's result, whose counts and summaries derive from its runs.
 */
import { createHash } from 'node:crypto';
import { hostOf } from '../keyEnv';
import { summarize } from '../stats';
import type { BenchmarkReport, MetricName, ModelResult, ModelSpec, RunMetrics } from '../types';
import { TOOL_VERSION } from '../version';

export const SUMMARY_METRICS: readonly MetricName[] = [
  'ttftMs',
  'ttfoMs',
  'decodeTps',
  'e2eMs',
  'itlMs',
  'setupMs',
  'normalizedTps',
  'charsPerSec',
  'costUsd',
  'outputTokens',
];

/** Everything of a report but its results and client load; the prompt is kept as its length and hash only. */
export function reportHeader(
  prompt: string,
  settings: BenchmarkReport['settings'],
  startedAt: string,
  finishedAt = startedAt,
): Pick<BenchmarkReport, 'tool' | 'startedAt' | 'finishedAt' | 'prompt' | 'settings'> {
  return {
    tool: { name: 'tokenscope', version: TOOL_VERSION },
    startedAt,
    finishedAt,
    prompt: { chars: prompt.length, sha256: createHash('sha256').update(prompt).digest('hex') },
    settings,
  };
}

/** Summaries over the successful runs of one model. */
export function summarizeRuns(runs: readonly RunMetrics[]): ModelResult['summary'] {
  const ok = runs.filter((r) => r.ok);
  const summary: ModelResult['summary'] = {};
  for (const m of SUMMARY_METRICS) summary[m] = summarize(ok.map((r) => r[m]));
  return summary;
}

/** Adds a measured run to its model's result (counts and summaries stay derived from the runs). */
export function recordRun(result: ModelResult, metrics: RunMetrics): void {
  result.runs.push(metrics);
  if (metrics.ok) result.okRuns++;
  else if (metrics.errorKind === 'cancelled') result.cancelledRuns++;
  else result.failedRuns++;
}

/** An empty result for a model, before any run. */
export function emptyResult(spec: ModelSpec): ModelResult {
  return {
    id: spec.id,
    ...(spec.label ? { label: spec.label } : {}),
    region: spec.region,
    protocol: spec.protocol,
    model: spec.model,
    host: hostOf(spec.baseUrl),
    ...(spec.provider ? { provider: spec.provider } : {}),
    ...(spec.baseModel ? { baseModel: spec.baseModel } : {}),
    runs: [],
    summary: {},
    okRuns: 0,
    failedRuns: 0,
    cancelledRuns: 0,
    warnings: [],
  };
}
