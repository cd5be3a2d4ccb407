/**
 * Merges benchmark reports of the same prompt and config (the shards of one plan, or repeated runs on
 * several machines) into one report. Summaries are recomputed from all raw runs, never averaged from the
 * parts' medians; reports of different prompts or configs are refused with the difference named.
 */
import { basename } from 'node:path';
import { summarizeRuns } from './report/reportParts';
import { applySlo, parseSlo } from './slo';
import type { MergedPart } from './shard';
import type { BenchmarkReport, ModelResult } from './types';

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

export interface NamedReport {
  /** Where the report came from (a file name), for messages. */
  name: string;
  report: BenchmarkReport;
}

/** Every setting must match except the number of runs (what shards split); settings added later are compared too. */
const MAY_DIFFER = new Set(['runs']);
/** What identifies a model's endpoint; the same id pointing elsewhere is a different config. */
const SAME_MODEL_FIELDS = ['protocol', 'model', 'host', 'region'] as const;

/** Checks that a parsed JSON value looks like a benchmark report; throws MergeError naming the file otherwise. */
export function asReport(value: unknown, name: string): BenchmarkReport {
  const r = value as Partial<BenchmarkReport> | null;
  const ok =
    !!r &&
    typeof r === 'object' &&
    r.tool?.name === 'tokenscope' &&
    typeof r.prompt?.sha256 === 'string' &&
    !!r.settings &&
    typeof r.settings === 'object' &&
    Array.isArray(r.results) &&
    r.results.every((x) => x && typeof x.id === 'string' && Array.isArray(x.runs));
  if (!ok)
    throw new MergeError(
      `${name} is not a Tokenscope benchmark report (write one with "tokenscope bench --json FILE" or the panel's Export Results → JSON)`,
    );
  return r as BenchmarkReport;
}

function show(v: unknown): string {
  return v === undefined ? '(none)' : JSON.stringify(v);
}

/** Throws MergeError naming the first difference between `b` and the reference `a`. */
function checkCompatible(a: NamedReport, b: NamedReport): void {
  if (a.report.prompt.sha256 !== b.report.prompt.sha256)
    throw new MergeError(
      `${b.name} was run with a different prompt than ${a.name} (sha256 ${b.report.prompt.sha256.slice(0, 12)}… vs ${a.report.prompt.sha256.slice(0, 12)}…); only runs of the same prompt can be merged`,
    );
  const sa = a.report.settings as unknown as Record<string, unknown>;
  const sb = b.report.settings as unknown as Record<string, unknown>;
  for (const k of new Set([...Object.keys(sa), ...Object.keys(sb)])) {
    if (!MAY_DIFFER.has(k) && JSON.stringify(sa[k]) !== JSON.stringify(sb[k]))
      throw new MergeError(
        `${b.name} has settings.${k} ${show(sb[k])} but ${a.name} has ${show(sa[k])}; only runs of the same config can be merged`,
      );
  }
  const ids = (x: NamedReport) => x.report.results.map((r) => r.id);
  const missing = ids(a).filter((id) => !ids(b).includes(id));
  const extra = ids(b).filter((id) => !ids(a).includes(id));
  if (missing.length || extra.length)
    throw new MergeError(
      `${b.name} ran a different set of models than ${a.name}${missing.length ? `: it lacks ${missing.join(', ')}` : ''}${extra.length ? `${missing.length ? ';' : ':'} it adds ${extra.join(', ')}` : ''}; only runs of the same config can be merged`,
    );
  for (const ra of a.report.results) {
    const rb = b.report.results.find((r) => r.id === ra.id)!;
    for (const k of SAME_MODEL_FIELDS)
      if (ra[k] !== rb[k])
        throw new MergeError(
          `model ${ra.id}: ${k} is ${show(rb[k])} in ${b.name} but ${show(ra[k])} in ${a.name}; only runs of the same config can be merged`,
        );
  }
  const ha = a.report.shard;
  const hb = b.report.shard;
  if (ha && hb && (ha.count !== hb.count || ha.plannedRuns !== hb.plannedRuns))
    throw new MergeError(
      `${b.name} is shard ${hb.index}/${hb.count} of ${hb.plannedRuns} runs but ${a.name} is shard ${ha.index}/${ha.count} of ${ha.plannedRuns} runs: they belong to different plans`,
    );
}

function mergeResult(parts: ModelResult[]): ModelResult {
  const first = parts[0];
  const runs = parts.flatMap((p) => p.runs);
  const measured = runs.filter((r) => !r.warmup);
  const merged: ModelResult = {
    ...first,
    runs,
    okRuns: measured.filter((r) => r.ok).length,
    failedRuns: measured.filter((r) => !r.ok && r.errorKind !== 'cancelled').length,
    cancelledRuns: measured.filter((r) => r.errorKind === 'cancelled').length,
    summary: summarizeRuns(measured),
    warnings: [...new Set(parts.flatMap((p) => p.warnings))],
  };
  delete merged.slo;
  // The advisor's verdict is an estimate from one part's outputs of the same prompt: kept from the first part that has one.
  const speculation = parts.find((p) => p.speculation)?.speculation;
  if (speculation) merged.speculation = speculation;
  else delete merged.speculation;
  return merged;
}

/** Warnings about the set of parts that do not stop the merge (a shard missing from the plan). */
export function mergeWarnings(parts: readonly NamedReport[]): string[] {
  const shards = parts.map((p) => p.report.shard).filter((s) => s !== undefined);
  if (shards.length === 0) return [];
  const { count } = shards[0];
  const have = new Set(shards.map((s) => s.index));
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !have.has(i));
  const out: string[] = [];
  if (missing.length)
    out.push(`shard(s) ${missing.join(', ')} of ${count} are missing: the merged result holds only part of the plan`);
  if (shards.length !== parts.length) out.push('some files are shards and some are whole benchmarks');
  return out;
}

/** Merges reports of one prompt and config. Throws MergeError naming the first difference. */
export function mergeReports(parts: readonly NamedReport[]): BenchmarkReport {
  if (parts.length === 0) throw new MergeError('nothing to merge: give two or more report files');
  const [ref] = parts;
  for (const p of parts.slice(1)) checkCompatible(ref, p);
  const byShard = new Map<number, string>();
  for (const p of parts) {
    const s = p.report.shard;
    if (!s) continue;
    const twin = byShard.get(s.index);
    if (twin)
      throw new MergeError(
        `${twin} and ${p.name} are both shard ${s.index}/${s.count}; merging them would count those runs twice`,
      );
    byShard.set(s.index, p.name);
  }
  const results = ref.report.results.map((r) =>
    mergeResult(parts.map((p) => p.report.results.find((x) => x.id === r.id)!)),
  );
  const clients = parts.map((p) => p.report.client).filter((c) => c !== undefined);
  const runs = results.length ? Math.max(...results.map((r) => r.runs.filter((x) => !x.warmup).length)) : 0;
  const { slo, ...settings } = ref.report.settings;
  const merged: BenchmarkReport = {
    tool: { ...ref.report.tool },
    startedAt: parts.map((p) => p.report.startedAt).sort()[0],
    finishedAt: parts
      .map((p) => p.report.finishedAt)
      .sort()
      .at(-1)!,
    prompt: { ...ref.report.prompt },
    settings: { ...settings, runs },
    ...(clients.length
      ? {
          // The busiest part decides: a merged result is only as trustworthy as its most loaded client.
          client: {
            eventLoopDelayMeanMs: Math.max(...clients.map((c) => c.eventLoopDelayMeanMs)),
            eventLoopDelayP99Ms: Math.max(...clients.map((c) => c.eventLoopDelayP99Ms)),
            eventLoopDelayMaxMs: Math.max(...clients.map((c) => c.eventLoopDelayMaxMs)),
            possiblyClientBound: clients.some((c) => c.possiblyClientBound),
          },
        }
      : {}),
    results,
    mergedFrom: parts.map((p): MergedPart => ({
      file: basename(p.name),
      startedAt: p.report.startedAt,
      finishedAt: p.report.finishedAt,
      ...(p.report.shard ? { shard: { ...p.report.shard } } : {}),
    })),
  };
  if (slo) applySlo(merged, parseSlo(slo));
  return merged;
}
