/**
 * Sharding a benchmark across machines: `bench --shard i/n` runs the i-th of n equal parts of the plan
 * (the measured runs of every model), optionally from a common start time, and `tokenscope merge` joins the
 * parts (src/core/merge.ts). Each shard does its own warm-up runs: every machine opens its own connections.
 */

export interface ShardInfo {
  /** 1-based. */
  index: number;
  count: number;
  /** Measured runs per model of the whole plan (all shards together). */
  plannedRuns: number;
  /** Measured runs per model of this shard. */
  runs: number;
  /** The common start time the shard waited for, if one was given. */
  startAt?: string;
}

/** One input of a merged report. */
export interface MergedPart {
  /** The file's base name (never a full path: reports get shared). */
  file: string;
  startedAt: string;
  finishedAt: string;
  shard?: ShardInfo;
}

export class ShardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShardError';
  }
}

/** Parses "i/n" (1 ≤ i ≤ n ≤ 10,000). */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new ShardError(`--shard must be i/n (e.g. 2/4 = the second of four parts), got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 10_000) throw new ShardError(`--shard ${text}: the number of shards must be 1 to 10000`);
  if (index < 1 || index > count)
    throw new ShardError(`--shard ${text}: the shard number must be 1 to ${count} (shards are numbered from 1)`);
  return { index, count };
}

/**
 * Measured runs per model of shard `index` of `count`: run k of the plan (0-based) belongs to shard
 * (k mod count) + 1, so parts differ by at most one run and together cover the plan exactly once.
 */
export function shardRuns(plannedRuns: number, index: number, count: number): number {
  return Math.floor((plannedRuns - index) / count) + 1;
}

/** The shard's part of a plan of `plannedRuns` per model; refuses an empty part. */
export function planShard(plannedRuns: number, shard: { index: number; count: number }): ShardInfo {
  if (plannedRuns < shard.count)
    throw new ShardError(
      `--shard ${shard.index}/${shard.count}: ${plannedRuns} run(s) per model cannot be split into ${shard.count} parts; use at most ${plannedRuns} shards or raise --runs to ${shard.count} or more`,
    );
  return {
    index: shard.index,
    count: shard.count,
    plannedRuns,
    runs: shardRuns(plannedRuns, shard.index, shard.count),
  };
}

/** Longest wait --start-at accepts: a start time further out is more likely a typo than a plan. */
export const MAX_START_WAIT_MS = 24 * 3600_000;

/** Parses --start-at: an ISO date-time with a time zone (Z or ±hh:mm), so every machine reads the same instant. */
export function parseStartAt(text: string, now = Date.now()): Date {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim()))
    throw new ShardError(
      `--start-at must be an ISO date-time with a time zone, e.g. 2026-12-03T10:00:00Z, got "${text}" (without a zone each machine would read its own local time)`,
    );
  const t = Date.parse(text.trim());
  if (!Number.isFinite(t)) throw new ShardError(`--start-at "${text}" is not a valid date-time`);
  if (t - now > MAX_START_WAIT_MS)
    throw new ShardError(`--start-at ${text} is more than 24 hours away; check the date`);
  return new Date(t);
}

/** Resolves at `when` (at once if it has passed), or early when `signal` aborts; true if the time was reached. */
export function waitUntil(when: Date, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    let timer: ReturnType<typeof setTimeout>;
    // setTimeout is capped at 2^31-1 ms and drifts over long waits: re-arm in steps of at most a minute.
    const arm = () => {
      const left = when.getTime() - Date.now();
      if (left <= 0) return finish(true);
      timer = setTimeout(arm, Math.min(left, 60_000));
    };
    const onAbort = () => finish(false);
    function finish(reached: boolean) {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(reached);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    arm();
  });
}
