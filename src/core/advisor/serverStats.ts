/**
 * Speculation statistics that servers report themselves, turned into measured acceptance:
 * - llama.cpp: `timings.draft_n`, `timings.draft_n_accepted` (StreamEvent 'serverTiming' draftTokens/draftAccepted);
 * - vLLM: Prometheus counters `vllm:spec_decode_num_drafts`, `_num_draft_tokens`, `_num_accepted_tokens`
 *   (exposed with a `_total` suffix), cumulative since server start — diff two scrapes around a run;
 * - SGLang: `meta_info.spec_verify_ct` with the completion tokens;
 * - OpenAI predicted outputs: `accepted_prediction_tokens` / `rejected_prediction_tokens`.
 * Acceptance length (tokens per target step, bonus token included) for vLLM is 1 + accepted ÷ drafts.
 */
import type { ServerSpecStats, StreamEvent, UsageReport, VllmSpecCounters } from '../types';
import { alphaFromAcceptanceLength } from './leviathan';

// Defined in the core's shared types (reports carry them); re-exported for the advisor's callers.
export type { ServerSpecStats, VllmSpecCounters };

// ---- Prometheus text exposition format ----

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface PromParse {
  samples: PromSample[];
  /** # TYPE lines: metric family → type. */
  types: Record<string, string>;
  /** Lines that could not be parsed (1-based line numbers), for diagnostics. */
  badLines: number[];
}

function parseValue(s: string): number {
  switch (s) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
  }
  const v = Number(s);
  return s.trim() === '' ? NaN : v;
}

/** Parses the Prometheus text exposition format (version 0.0.4; the OpenMetrics `# EOF` line is accepted). */
export function parsePrometheusText(text: string): PromParse {
  const samples: PromSample[] = [];
  const types: Record<string, string> = {};
  const badLines: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln].trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      const t = line.match(/^#\s*TYPE\s+(\S+)\s+(\S+)/);
      if (t) types[t[1]] = t[2];
      continue;
    }
    const nameMatch = line.match(/^[a-zA-Z_:][a-zA-Z0-9_:]*/);
    if (!nameMatch) {
      badLines.push(ln + 1);
      continue;
    }
    const name = nameMatch[0];
    let i = name.length;
    const labels: Record<string, string> = {};
    if (line[i] === '{') {
      i++;
      let ok = false;
      while (i < line.length) {
        while (line[i] === ' ' || line[i] === ',') i++;
        if (line[i] === '}') {
          i++;
          ok = true;
          break;
        }
        const lm = line.slice(i).match(/^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"/);
        if (!lm) break;
        i += lm[0].length;
        let value = '';
        let closed = false;
        while (i < line.length) {
          const ch = line[i];
          if (ch === '\\') {
            const nx = line[i + 1];
            value += nx === 'n' ? '\n' : nx === '"' ? '"' : nx === '\\' ? '\\' : '\\' + (nx ?? '');
            i += 2;
          } else if (ch === '"') {
            i++;
            closed = true;
            break;
          } else {
            value += ch;
            i++;
          }
        }
        if (!closed) break;
        labels[lm[1]] = value;
      }
      if (!ok) {
        badLines.push(ln + 1);
        continue;
      }
    }
    const rest = line.slice(i).trim().split(/\s+/);
    const value = parseValue(rest[0] ?? '');
    if (rest[0] === undefined || rest[0] === '' || (Number.isNaN(value) && rest[0] !== 'NaN')) {
      badLines.push(ln + 1);
      continue;
    }
    const ts = rest[1] !== undefined ? Number(rest[1]) : undefined;
    samples.push({ name, labels, value, ...(ts !== undefined && Number.isFinite(ts) ? { timestampMs: ts } : {}) });
  }
  return { samples, types, badLines };
}

// ---- vLLM speculative-decoding counters ----

/**
 * The counter names per server. llama.cpp's server exposes the same four under its own prefix
 * (tools/server/server-task.cpp in ggml-org/llama.cpp, read 2026-12-03: `llamacpp:spec_decode_num_drafts_total`,
 * `_num_draft_tokens_total`, `_num_accepted_tokens_total`, `_num_accepted_tokens_per_pos_total{position}`).
 */
const SPEC_COUNTERS = {
  vllm: 'vllm:spec_decode_num_',
  'llama.cpp': 'llamacpp:spec_decode_num_',
} as const;
export type CounterServer = keyof typeof SPEC_COUNTERS;

const matches = (sample: string, base: string) => sample === base || sample === `${base}_total`;

/**
 * The vLLM speculation counters in one scrape, summed over label sets (engines, models) unless `modelName` picks
 * one model's. Null when the scrape has no speculation counters (speculation off, or not vLLM).
 */
export function vllmSpecCounters(text: string | PromParse, modelName?: string): VllmSpecCounters | null {
  return specCounters(text, 'vllm', modelName);
}

/** The speculation counters of a vLLM or llama.cpp /metrics scrape (same meaning, different prefix). */
export function specCounters(
  text: string | PromParse,
  server: CounterServer,
  modelName?: string,
): VllmSpecCounters | null {
  const prefix = SPEC_COUNTERS[server];
  const names = {
    drafts: `${prefix}drafts`,
    draftTokens: `${prefix}draft_tokens`,
    acceptedTokens: `${prefix}accepted_tokens`,
    perPos: `${prefix}accepted_tokens_per_pos`,
  };
  const parsed = typeof text === 'string' ? parsePrometheusText(text) : text;
  let found = false;
  const c: VllmSpecCounters = { drafts: 0, draftTokens: 0, acceptedTokens: 0 };
  const perPos: number[] = [];
  for (const s of parsed.samples) {
    if (modelName !== undefined && s.labels.model_name !== undefined && s.labels.model_name !== modelName) continue;
    if (!Number.isFinite(s.value)) continue;
    if (matches(s.name, names.drafts)) {
      c.drafts += s.value;
      found = true;
    } else if (matches(s.name, names.draftTokens)) {
      c.draftTokens += s.value;
      found = true;
    } else if (matches(s.name, names.acceptedTokens)) {
      c.acceptedTokens += s.value;
      found = true;
    } else if (matches(s.name, names.perPos)) {
      const p = Number(s.labels.position);
      if (Number.isInteger(p) && p >= 0) perPos[p] = (perPos[p] ?? 0) + s.value;
    }
  }
  if (!found) return null;
  if (perPos.length) c.acceptedPerPosition = Array.from(perPos, (v) => v ?? 0);
  return c;
}

export interface CounterDiff {
  counters: VllmSpecCounters;
  /** True when a counter went down between the scrapes (server restarted); the later scrape is then used alone. */
  reset: boolean;
}

/** after − before, for counters scraped just before and just after a run. */
export function diffVllmSpecCounters(before: VllmSpecCounters | null, after: VllmSpecCounters): CounterDiff {
  if (!before) return { counters: after, reset: false };
  const reset =
    after.drafts < before.drafts ||
    after.draftTokens < before.draftTokens ||
    after.acceptedTokens < before.acceptedTokens;
  if (reset) return { counters: after, reset: true };
  const counters: VllmSpecCounters = {
    drafts: after.drafts - before.drafts,
    draftTokens: after.draftTokens - before.draftTokens,
    acceptedTokens: after.acceptedTokens - before.acceptedTokens,
  };
  if (after.acceptedPerPosition)
    counters.acceptedPerPosition = after.acceptedPerPosition.map((v, i) => v - (before.acceptedPerPosition?.[i] ?? 0));
  return { counters, reset: false };
}

// ---- measured acceptance ----

export interface MeasuredAcceptance {
  source: ServerSpecStats['source'];
  label: 'measured';
  /** Accepted ÷ drafted tokens (for predicted outputs: accepted ÷ (accepted + rejected)). */
  acceptanceRate: number | null;
  /** Tokens per target step, bonus token included. */
  acceptanceLength: number | null;
  /** Mean draft length per step, where known. */
  meanDraftLength: number | null;
  /** Per-token α that gives this acceptance length at the mean draft length (Leviathan's inverse). */
  impliedAlpha: number | null;
  notes: string[];
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export function measuredAcceptance(stats: ServerSpecStats): MeasuredAcceptance {
  const notes: string[] = [];
  let acceptanceRate: number | null = null;
  let acceptanceLength: number | null = null;
  let meanDraftLength: number | null = null;
  switch (stats.source) {
    case 'llama.cpp': {
      acceptanceRate = ratio(stats.draftAccepted, stats.draftTokens);
      // Every step emits its accepted draft tokens plus one, so steps = generated − accepted.
      if (stats.generatedTokens !== undefined && stats.generatedTokens > stats.draftAccepted) {
        acceptanceLength = stats.generatedTokens / (stats.generatedTokens - stats.draftAccepted);
        meanDraftLength = stats.draftTokens / (stats.generatedTokens - stats.draftAccepted);
      } else
        notes.push('llama.cpp reports no step count; acceptance length needs the generated token count (predicted_n)');
      break;
    }
    case 'vllm':
    case 'llama.cpp-metrics': {
      acceptanceRate = ratio(stats.acceptedTokens, stats.draftTokens);
      acceptanceLength = stats.drafts > 0 ? 1 + stats.acceptedTokens / stats.drafts : null;
      meanDraftLength = ratio(stats.draftTokens, stats.drafts);
      const server = stats.source === 'vllm' ? 'vLLM' : 'llama.cpp';
      if (stats.source === 'vllm' && stats.scope === 'request')
        notes.push('vLLM per-request metrics: this request only');
      else notes.push(`${server} counters are server-wide: other requests in the same window are included`);
      break;
    }
    case 'sglang': {
      if (stats.acceptLength !== undefined) {
        acceptanceLength = stats.acceptLength;
        notes.push(
          "SGLang meta_info.spec_accept_length: the server's own acceptance length for this request; no per-token acceptance rate",
        );
      } else {
        acceptanceLength = ratio(stats.completionTokens, stats.verifyCount);
        notes.push(
          'SGLang reports verify steps only: acceptance length = completion tokens ÷ spec_verify_ct; no per-token acceptance rate',
        );
      }
      break;
    }
    case 'openai-predicted': {
      acceptanceRate = ratio(
        stats.acceptedPredictionTokens,
        stats.acceptedPredictionTokens + stats.rejectedPredictionTokens,
      );
      notes.push(
        'OpenAI predicted outputs: share of the supplied prediction the model kept; not a per-step acceptance length',
      );
      break;
    }
  }
  let impliedAlpha: number | null = null;
  if (acceptanceLength !== null && meanDraftLength !== null && meanDraftLength > 0)
    impliedAlpha = alphaFromAcceptanceLength(acceptanceLength, meanDraftLength);
  if (stats.source !== 'openai-predicted' && acceptanceRate === null && acceptanceLength === null)
    notes.push('no drafts in the window: speculation looks off');
  return {
    source: stats.source,
    label: 'measured',
    acceptanceRate,
    acceptanceLength,
    meanDraftLength,
    impliedAlpha,
    notes,
  };
}

/**
 * The speculation statistics a run's stream carried: vLLM per-request and SGLang statistics (serverSpec), llama.cpp
 * draft timings (serverTiming) and OpenAI predicted outputs (usage). Empty when the server reported none.
 */
export function serverStatsFromEvents(events: readonly StreamEvent[]): ServerSpecStats[] {
  const out: ServerSpecStats[] = [];
  let draftTokens: number | undefined;
  let draftAccepted: number | undefined;
  let generated: number | undefined;
  let usage: UsageReport = {};
  for (const e of events) {
    if (e.kind === 'serverSpec') out.push(e.stats);
    else if (e.kind === 'serverTiming') {
      draftTokens = e.draftTokens ?? draftTokens;
      draftAccepted = e.draftAccepted ?? draftAccepted;
      generated = e.evalCount ?? generated;
    } else if (e.kind === 'usage')
      usage = { ...usage, ...Object.fromEntries(Object.entries(e.usage).filter(([, v]) => v !== undefined)) };
  }
  if (draftTokens !== undefined && draftAccepted !== undefined)
    out.push({
      source: 'llama.cpp',
      draftTokens,
      draftAccepted,
      ...(generated !== undefined ? { generatedTokens: generated } : {}),
    });
  if (usage.acceptedPredictionTokens !== undefined || usage.rejectedPredictionTokens !== undefined)
    out.push({
      source: 'openai-predicted',
      acceptedPredictionTokens: usage.acceptedPredictionTokens ?? 0,
      rejectedPredictionTokens: usage.rejectedPredictionTokens ?? 0,
    });
  return out;
}
