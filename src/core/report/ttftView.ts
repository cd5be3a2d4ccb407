/**
 * The results panel's "where TTFT goes" view of one model: cold vs warm prompt cache, the stacked TTFT bar
 * (network, waiting for the first byte, first byte to first token) and TTFT against prompt length. Pure.
 */
import { median } from '../stats';
import type { CacheComparison, CacheMode, ModelResult, RunMetrics } from '../types';
import { formatUsd } from './format';

/** Cold vs warm as the panel shows it: the comparison, the warm runs that hit, and display texts. */
export interface CacheView extends CacheComparison {
  warmHits: number;
  warmRuns: number;
  /** Display texts: cold, warm, saving ("120 ms (40%)"), cost saving. */
  text: { cold: string; warm: string; saving: string; cost: string };
}

/** Medians of each segment of TTFT over the runs with phases; the three add up to about the TTFT. */
export interface PhaseBarView {
  /** Request start → request handed to the OS: DNS, connect, TLS and upload. */
  networkMs: number;
  /** Request sent → first response byte: the round trip, queueing and the server's work before it answers. */
  serverMs: number;
  /** First byte → first token: prompt processing behind an already open stream, and framing. */
  streamMs: number;
  /** The provider's own processing time where it reports one (server-reported). */
  processingMs: number | null;
  freshConnections: number;
  reusedConnections: number;
}

export interface SweepView {
  points: { inputTokens: number; ttftMs: number | null }[];
  prefill: { tokensPerSec: number | null; overheadMs: number; text: string } | null;
}

const ms = (v: number | null) => (v === null ? '—' : `${v.toFixed(0)} ms`);
const pct = (v: number | null) => (v === null ? '' : ` (${v.toFixed(0)}%)`);

export function cacheView(r: ModelResult): CacheView | undefined {
  const c = r.cache;
  if (!c) return undefined;
  const warm = r.byCache?.warm;
  return {
    coldTtftMs: c.coldTtftMs,
    warmTtftMs: c.warmTtftMs,
    savingMs: c.savingMs,
    savingPct: c.savingPct,
    inputCostSavingUsd: c.inputCostSavingUsd,
    inputCostSavingPct: c.inputCostSavingPct,
    warmHits: warm?.hits ?? 0,
    warmRuns: warm?.runs ?? 0,
    neverHit: c.neverHit,
    note: c.note,
    text: {
      cold: ms(c.coldTtftMs),
      warm: ms(c.warmTtftMs),
      saving: c.savingMs === null ? '—' : `${ms(c.savingMs)}${pct(c.savingPct)}`,
      cost: c.inputCostSavingUsd === null ? '—' : `${formatUsd(c.inputCostSavingUsd)}${pct(c.inputCostSavingPct)}`,
    },
  };
}

/** The stacked bar from the measured runs (cold ones when both ran, so the bar matches the summary). */
export function phaseBarView(r: ModelResult): PhaseBarView | undefined {
  const both = r.byCache?.cold && r.byCache?.warm;
  const runs = r.runs.filter(
    (x): x is RunMetrics & { phases: NonNullable<RunMetrics['phases']> } =>
      x.ok && !x.warmup && !!x.phases && x.ttftMs !== null && (!both || x.cacheState === 'cold'),
  );
  const segs = runs
    .map((x) => ({
      sent: x.phases.sentMs,
      first: x.phases.firstByteMs,
      ttft: x.ttftMs!,
      proc: x.serverProcessingMs ?? null,
      reused: x.connectionReused === true,
    }))
    .filter((x): x is typeof x & { sent: number; first: number } => x.sent !== null && x.first !== null);
  if (!segs.length) return undefined;
  const procs = segs.map((x) => x.proc).filter((v): v is number => v !== null);
  return {
    networkMs: median(segs.map((x) => x.sent)),
    serverMs: median(segs.map((x) => Math.max(0, x.first - x.sent))),
    streamMs: median(segs.map((x) => Math.max(0, x.ttft - x.first))),
    processingMs: procs.length ? median(procs) : null,
    freshConnections: segs.filter((x) => !x.reused).length,
    reusedConnections: segs.filter((x) => x.reused).length,
  };
}

export function sweepView(r: ModelResult): SweepView | undefined {
  if (!r.sweep?.length) return undefined;
  const fit = r.prefill;
  return {
    points: r.sweep.map((p) => ({ inputTokens: p.inputTokens, ttftMs: p.ttftMs?.median ?? null })),
    prefill: fit
      ? {
          tokensPerSec: fit.tokensPerSec,
          overheadMs: fit.overheadMs,
          text:
            fit.tokensPerSec === null
              ? `TTFT did not grow with the prompt; overhead ${fit.overheadMs.toFixed(0)} ms`
              : `prefill ${Math.round(fit.tokensPerSec).toLocaleString('en-US')} tok/s, overhead ${fit.overheadMs.toFixed(0)} ms`,
        }
      : null,
  };
}

/** The optional ModelRow fields, present only where the report has the data. */
export function ttftFields(r: ModelResult): { cache?: CacheView; phaseBar?: PhaseBarView; sweep?: SweepView } {
  const cache = cacheView(r);
  const phaseBar = phaseBarView(r);
  const sweep = sweepView(r);
  return { ...(cache ? { cache } : {}), ...(phaseBar ? { phaseBar } : {}), ...(sweep ? { sweep } : {}) };
}

/** What a report says about how the cache state was controlled. */
export function cacheModeNote(mode: CacheMode): string {
  const cold = 'cold runs start their prompt with a unique 8-character tag, so no prefix cache can hit';
  const warm =
    'warm runs repeat the prompt after one uncounted priming request (Anthropic requests carry cache_control)';
  return mode === 'cold'
    ? `Cache: ${cold}.`
    : mode === 'warm'
      ? `Cache: ${warm}.`
      : `Cache: ${cold}; ${warm}. Summaries are the cold runs.`;
}
