/**
 * The history store's contract, shared by the CLI, the extension's sidebar and the weekly report.
 * Implementation: src/core/history/store.ts (append-only JSON Lines) and aggregate.ts.
 */
import type { CacheState, PriceSource, ProtocolId, Region, RunMetrics, TaskCategory, TokenSource } from '../types';

export const HISTORY_SCHEMA_VERSION = 1;

/** The metrics a history record keeps: everything numeric, no output text, no raw gap arrays. */
export type StoredMetrics = Pick<
  RunMetrics,
  | 'ok'
  | 'error'
  | 'errorKind'
  | 'setupMs'
  | 'ttftMs'
  | 'ttfoMs'
  | 'decodeTps'
  | 'e2eMs'
  | 'itlMs'
  | 'interChunkP50Ms'
  | 'interChunkP95Ms'
  | 'inputTokens'
  | 'outputTokens'
  | 'reasoningTokens'
  | 'cachedInputTokens'
  | 'streamedTokens'
  | 'reasoningVisible'
  | 'costUsd'
  | 'charsPerSec'
  | 'normalizedTps'
  | 'serverDecodeTps'
  | 'chunks'
> & {
  /** Addition: RunMetrics.hiddenTokens (generated but never streamed), where known. Optional: absent in records written before it existed. */
  hiddenTokens?: number | null;
};

/** One measured run. Never holds a key; holds the prompt text only when the user enabled it. */
export interface HistoryRecord {
  v: typeof HISTORY_SCHEMA_VERSION;
  /** ISO time the run started. */
  time: string;
  modelId: string;
  label?: string;
  region: Region;
  protocol: ProtocolId;
  /** Host of the base URL only. */
  host: string;
  /** sha256 of the prompt text. */
  promptHash: string;
  category: TaskCategory;
  tokenSource: TokenSource;
  toolVersion: string;
  metrics: StoredMetrics;
  prompt?: string;
  /** Addition: which local tokenizer counted, when tokenSource is 'tokenizer' (from RunMetrics.tokenizer). */
  tokenizer?: string;
  /** Addition: the prompt-cache state of the run (absent in older records, which were not controlled). */
  cacheState?: CacheState;
  /** Addition: the UTC hour (0–23) the run started, for by-hour reports. */
  hour?: number;
  /** Addition: where the run was made from, as the user labelled it (--location / tokenscope.location). */
  location?: string;
  /** Addition: sweep runs: the prompt size, in tokens, the prompt was built to. */
  targetInputTokens?: number;
  /** Addition: where the price behind metrics.costUsd came from (absent for unpriced runs and older records). */
  priceSource?: PriceSource;
}

export interface LeaderboardFilter {
  category?: TaskCategory | TaskCategory[];
  /** ISO time; records before it are left out. */
  since?: string;
}

/** Medians of one group of runs (a model or a region; in one week or over a period). */
export interface MedianCell {
  runs: number;
  failedRuns: number;
  medianDecodeTps: number | null;
  medianNormalizedTps: number | null;
  medianTtftMs: number | null;
  /** USD per million output tokens actually paid in those runs (cost ÷ output tokens), median over runs. */
  costPerMOutput: number | null;
}

export interface LeaderboardRow extends MedianCell {
  /** A model id, or a region name for region rows. */
  key: string;
  label?: string;
  region: Region;
  lastRun: string;
}

export interface Leaderboard {
  models: LeaderboardRow[];
  regions: LeaderboardRow[];
}

// Types the store and the readers add to the contract.

/** A damaged or unreadable line, skipped by the reader. `message` is complete and names the file and line. */
export interface HistoryWarning {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

export interface HistoryReadResult {
  records: HistoryRecord[];
  warnings: HistoryWarning[];
}
