/**
 * Sends one run's request and returns its raw trace: a missing key, a request that cannot be sent and an
 * overload notice after a 200 all become this run's error (naming the model), and rate limits and overload are
 * retried per the policy (retry.ts). Decoding the trace is left to the caller, after the streams close.
 */
import { keyHint, modelWho, redact } from './errors';
import { withRetries, type RetryHooks, type RetryPolicy } from './retry';
import { ReadBuffer } from './stream/readBuffer';
import { decodeTrace, streamRaw, type RawTrace, type StreamRequestOptions } from './stream/streamRequest';
import type { ModelSpec, RunError } from './types';

/** Sends again after a request failed on a connection the server had already closed (see streamRawOrFail). */
const STALE_CONNECTION_RETRIES = 3;
/** Responses this small are decoded at once to see whether they are only an overload notice (cheap: a few events). */
const EARLY_DECODE_BYTES = 4096;

/**
 * An overload reported as an error event before any token, after a 200 (Anthropic's `event: error`
 * overloaded_error): retried like a 529. Only tiny responses are decoded here, so no stream's timing pays for it.
 */
function earlyOverload(raw: RawTrace, spec: ModelSpec, apiKey: string | undefined): RunError | undefined {
  if (raw.status !== 200 || raw.bytes > EARLY_DECODE_BYTES || !raw.body.bytes().includes('error')) return undefined;
  const error = decodeTrace(raw, spec, apiKey).error;
  return error?.kind === 'overloaded' ? error : undefined;
}

/**
 * streamRaw, but a request that cannot even be built or sent (a header Node refuses, a bug) fails this run
 * with a message naming the model instead of aborting the whole benchmark.
 */
async function streamRawOrFail(spec: ModelSpec, opts: StreamRequestOptions): Promise<RawTrace> {
  const now = performance.now();
  try {
    let raw = await streamRaw(spec, opts);
    // A kept-alive connection the server closed just as the request went out: nothing was processed, so the
    // request goes again at once on another connection (a few times at most: several idle ones may be stale).
    for (let i = 0; i < STALE_CONNECTION_RETRIES && raw.staleConnection && !opts.signal?.aborted; i++)
      raw = await streamRaw(spec, opts);
    return raw;
  } catch (e) {
    const message = redact(
      `${modelWho(spec)}: the request could not be sent (${(e as Error).message}). Check this model's "baseUrl" and "headers".`,
      opts.apiKey,
    );
    return {
      requestStart: now,
      endAt: performance.now(),
      times: [],
      body: new ReadBuffer(),
      bytes: 0,
      error: { kind: 'config', message },
    };
  }
}

/** One run's request, retried per `policy`; the trace's error is the final word on how it failed. */
export async function sendRun(
  spec: ModelSpec,
  opts: StreamRequestOptions,
  policy: RetryPolicy,
  hooks: Omit<RetryHooks, 'signal'> = {},
): Promise<RawTrace> {
  if (spec.apiKeyEnv && !opts.apiKey) {
    const now = performance.now();
    return {
      requestStart: now,
      endAt: now,
      times: [],
      body: new ReadBuffer(),
      bytes: 0,
      error: { kind: 'auth', message: `${spec.id}: no API key — ${spec.apiKeyEnv} is not set. ${keyHint(spec)}` },
    };
  }
  const { outcome, finalError } = await withRetries(
    () => streamRawOrFail(spec, opts),
    (raw) => raw.error ?? earlyOverload(raw, spec, opts.apiKey),
    policy,
    { ...hooks, signal: opts.signal },
  );
  if (finalError) outcome.error = finalError;
  return outcome;
}
