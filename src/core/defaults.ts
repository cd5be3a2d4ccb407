/** Benchmark settings used when neither a flag, a config file nor an editor setting gives one. Pure. */

export const DEFAULTS = {
  runs: 3,
  warmup: 0,
  concurrency: 1,
  maxTokens: 512,
  timeoutMs: 120_000,
  stallTimeoutMs: 30_000,
} as const;

/**
 * Warm-up runs the CLI and the editor use unless told otherwise: the first request to a host pays for
 * the connection (DNS, TLS) and often reads tens of ms slow, which one unmeasured run absorbs.
 */
export const USER_DEFAULT_WARMUP = 1;
