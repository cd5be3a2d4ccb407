import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from '../../src/core/retry';
import type { RunError } from '../../src/core/types';

type Outcome = { error?: RunError };

/** Runs withRetries over a fixed sequence of outcomes, recording the waits instead of sleeping. */
async function run(
  outcomes: Outcome[],
  policy: Partial<RetryPolicy> = {},
  opts: { random?: number; signal?: AbortSignal } = {},
) {
  let sent = 0;
  const waits: number[] = [];
  const retries: { attempt: number; waitMs: number; reason: string }[] = [];
  const result = await withRetries(
    async () => outcomes[Math.min(sent++, outcomes.length - 1)],
    (o) => o.error,
    { ...DEFAULT_RETRY, ...policy },
    {
      random: () => opts.random ?? 0.5,
      wait: async (ms) => void waits.push(ms),
      onRetry: (r) => retries.push(r),
      signal: opts.signal,
    },
  );
  return { ...result, sent, waits, retries };
}

const rateLimit = (retryAfterSec?: number): Outcome => ({
  error: {
    kind: 'rate-limit',
    status: 429,
    message: 'm: rate limited (HTTP 429).',
    ...(retryAfterSec !== undefined ? { retryAfterSec } : {}),
  },
});
const overloaded: Outcome = { error: { kind: 'overloaded', status: 529, message: 'm: overloaded (HTTP 529).' } };
const ok: Outcome = {};

describe('withRetries', () => {
  it('returns the first success without waiting', async () => {
    const r = await run([ok]);
    expect(r).toMatchObject({ sent: 1, waits: [], outcome: ok });
    expect(r.finalError).toBeUndefined();
  });

  it('waits what retry-after asks, then succeeds', async () => {
    const r = await run([rateLimit(2), ok]);
    expect(r.sent).toBe(2);
    expect(r.waits).toEqual([2000]);
    expect(r.retries).toEqual([{ attempt: 1, waitMs: 2000, reason: 'm: rate limited (HTTP 429).' }]);
    expect(r.finalError).toBeUndefined();
  });

  it('backs off exponentially with jitter when no retry-after is given', async () => {
    const low = await run([overloaded, overloaded, overloaded, ok], { baseDelayMs: 100 }, { random: 0 });
    expect(low.waits).toEqual([50, 100, 200]);
    const high = await run([overloaded, overloaded, ok], { baseDelayMs: 100 }, { random: 0.99 });
    expect(high.waits.map(Math.round)).toEqual([149, 298]);
  });

  it('gives up after maxRetries and says how many, with "try again later" for overload', async () => {
    const r = await run([overloaded], { maxRetries: 2, baseDelayMs: 1 });
    expect(r.sent).toBe(3);
    expect(r.finalError).toEqual({
      ...overloaded.error,
      message: 'm: overloaded (HTTP 529). Gave up after 2 retries. Try again later.',
    });
    const one = await run([rateLimit()], { maxRetries: 1, baseDelayMs: 1 });
    expect(one.finalError?.message).toBe('m: rate limited (HTTP 429). Gave up after 1 retry.');
  });

  it('with no retries allowed, fails at once and does not claim to have retried', async () => {
    const r = await run([overloaded], { maxRetries: 0 });
    expect(r.sent).toBe(1);
    expect(r.finalError?.message).toBe('m: overloaded (HTTP 529). Try again later.');
  });

  it('does not wait longer than maxDelayMs: a long retry-after fails the run and says why', async () => {
    const r = await run([rateLimit(120), ok], { maxDelayMs: 60_000 });
    expect(r.sent).toBe(1);
    expect(r.waits).toEqual([]);
    expect(r.finalError?.message).toBe(
      'm: rate limited (HTTP 429). That is longer than the 60 s Tokenscope waits; not retried.',
    );
  });

  it('never retries other failures, and leaves their error alone', async () => {
    const auth: Outcome = { error: { kind: 'auth', status: 401, message: 'm: key rejected.' } };
    const r = await run([auth, ok]);
    expect(r.sent).toBe(1);
    expect(r.outcome).toBe(auth);
    expect(r.finalError).toBeUndefined();
  });

  it('stops retrying once the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await run([rateLimit(1), ok], {}, { signal: controller.signal });
    expect(r.sent).toBe(1);
    expect(r.finalError).toBeUndefined();
  });
});
