/**
 * Retries of rate limits (429) and overload (503, 529, an in-stream overloaded error): the server's retry-after
 * when it gives one, else exponential backoff with jitter; a wait longer than the policy allows fails the run.
 */
import { retryable } from './errors';
import type { RunError } from './types';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  /** A retry-after longer than this fails the run instead of waiting. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 60_000 };

export interface RetryHooks {
  signal?: AbortSignal;
  /** Called before each wait; `attempt` counts from 1. */
  onRetry?: (retry: { attempt: number; waitMs: number; reason: string }) => void;
  /** Uniform in [0, 1): the backoff's jitter (Math.random unless a test fixes it). */
  random?: () => number;
  /** Waits `ms` or until the signal aborts. */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Calls `send` until its outcome is not a retryable failure (per `failureOf`), the policy runs out or the signal
 * aborts. Returns the last outcome and, when retrying decided how it failed (gave up, or the server asked for a
 * wait longer than allowed), `finalError`: the failure with a sentence saying so appended.
 */
export async function withRetries<T>(
  send: () => Promise<T>,
  failureOf: (outcome: T) => RunError | undefined,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<{ outcome: T; finalError?: RunError }> {
  const random = hooks.random ?? Math.random;
  const wait = hooks.wait ?? sleep;
  for (let attempt = 0; ; attempt++) {
    const outcome = await send();
    const err = failureOf(outcome);
    if (!err || !retryable(err.kind) || hooks.signal?.aborted) return { outcome };
    if (attempt >= policy.maxRetries) {
      const gaveUp = attempt > 0 ? ` Gave up after ${attempt} ${attempt === 1 ? 'retry' : 'retries'}.` : '';
      const later = err.kind === 'overloaded' ? ' Try again later.' : '';
      return { outcome, finalError: { ...err, message: `${err.message}${gaveUp}${later}` } };
    }
    const backoff = policy.baseDelayMs * 2 ** attempt * (0.5 + random());
    const waitMs = err.retryAfterSec !== undefined ? err.retryAfterSec * 1000 : backoff;
    if (waitMs > policy.maxDelayMs) {
      return {
        outcome,
        finalError: {
          ...err,
          message: `${err.message} That is longer than the ${policy.maxDelayMs / 1000} s Tokenscope waits; not retried.`,
        },
      };
    }
    hooks.onRetry?.({ attempt: attempt + 1, waitMs, reason: err.message });
    await wait(waitMs, hooks.signal);
  }
}
