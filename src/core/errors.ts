import { CATALOG_READ_ON } from './catalog';
import { oneLine } from './terminalText';
import type { ErrorKind, ModelSpec, RunError } from './types';

/** How to supply a key, in words a CLI user and an editor user both understand. */
export function keyHint(spec: ModelSpec): string {
  const env = spec.apiKeyEnv
    ? `set the environment variable ${spec.apiKeyEnv}`
    : 'add "apiKeyEnv" to this model in the config and set that variable';
  return `To fix: ${env}, or in VS Code run "Tokenscope: Set API Key".`;
}

export { MIN_KEY_FRAGMENT, redact } from './redact';

/** Provider text inside a message: one line, at most `max` characters, control characters escaped. */
function clip(text: string, max = 300): string {
  return oneLine(text, max);
}

/** How every message names a model: its id and the host it was sent to. */
export function modelWho(spec: ModelSpec): string {
  return `${spec.id} (${new URL(spec.baseUrl).host})`;
}

/** What an error response said, beyond its status. */
export interface ProviderErrorDetail {
  /** The provider's own message (or an HTML page's title). */
  message?: string;
  /** Machine-readable codes and types from the body (error.code, error.type, error.status). */
  codes?: readonly string[];
  /** Seconds the server asked us to wait (retry-after). */
  retryAfterSec?: number;
  /** A redirect's target. */
  location?: string;
}

/**
 * Body codes that mean "no money left", whatever the status (read 2026-12-03):
 * - OpenAI 429 `insufficient_quota` ("You exceeded your current quota, please check your plan and billing
 *   details"), platform.openai.com/docs/guides/error-codes;
 * - Kimi 429 `exceeded_current_quota_error`, platform.moonshot.ai/docs/api/errors;
 * - Z.ai / Zhipu 429 with body code "1113" ("Your account is in arrears, please recharge and try again"),
 *   docs.z.ai/api-reference/api-code;
 * - Anthropic 402 `billing_error`, docs.anthropic.com/en/api/errors.
 */
const PAYMENT_CODES = new Set(['insufficient_quota', 'exceeded_current_quota_error', '1113', 'billing_error']);
/**
 * The same, in words, for providers that only say it in the message (Kimi help centre: a 403 "insufficient
 * balance"). Not "exceeded your current quota": Gemini says that on a 429 for a per-minute limit, which clears.
 */
const PAYMENT_WORDS = /insufficient[ _]balance|account is in arrears|余额不足|欠费/i;
/**
 * Body codes that mean "busy, try again" on a status that would otherwise read differently: Kimi 429
 * `engine_overloaded_error` (platform.moonshot.ai/docs/api/errors), Anthropic `overloaded_error`
 * (docs.anthropic.com/en/api/errors), Google `UNAVAILABLE` (ai.google.dev/gemini-api/docs/troubleshooting).
 */
const OVERLOADED_CODES = new Set(['engine_overloaded_error', 'overloaded_error', 'UNAVAILABLE']);

/**
 * Maps an HTTP error status (and the body's codes) to a specific message that names the model. A 503
 * and Anthropic's 529 are "overloaded" (DeepSeek and Gemini answer a busy service with 503): the runner
 * retries them like a 429. Running out of money is "payment" whatever the status (Kimi and Z.ai answer it
 * with 429), and is never retried.
 */
export function httpError(spec: ModelSpec, status: number, provider: ProviderErrorDetail = {}): RunError {
  const who = modelWho(spec);
  const providerMessage = provider.message;
  const codes = provider.codes ?? [];
  const retryAfterSec = provider.retryAfterSec;
  const detail = providerMessage ? `: ${clip(providerMessage)}` : '';
  const host = new URL(spec.baseUrl).host;
  let kind: ErrorKind;
  let message: string;
  // Gemini answers a bad key with 400 API_KEY_INVALID, not 401.
  const badKey =
    status === 400 &&
    /api[ _-]?key[ _-]?(not valid|invalid)|API_KEY_INVALID|invalid api key/i.test(providerMessage ?? '');
  const noMoney =
    status === 402 ||
    (status >= 400 &&
      status < 500 &&
      (codes.some((c) => PAYMENT_CODES.has(c)) || PAYMENT_WORDS.test(providerMessage ?? '')));
  const overloaded = status === 503 || status === 529 || (status === 429 && codes.some((c) => OVERLOADED_CODES.has(c)));
  if (noMoney) {
    kind = 'payment';
    message = `${who}: the account is out of balance or quota (HTTP ${status}${detail}). Top up the balance with the provider (${host}) and run again; this is not retried.`;
  } else if (status === 401 || status === 403 || badKey) {
    kind = 'auth';
    message = `${who}: the API key is missing or was rejected (HTTP ${status}${detail}). ${keyHint(spec)}`;
  } else if (status === 404) {
    kind = 'not-found';
    // Model ids are retired often; say how old the id's facts are and where the current ones are listed.
    const age = spec.readOn
      ? `this entry's id was read on ${spec.readOn}`
      : `the built-in catalog was read on ${CATALOG_READ_ON}`;
    message = `${who}: model "${spec.model}" or the endpoint path was not found (HTTP 404${detail}). The provider may have retired the model (${age}). Run "tokenscope models" to list current ids, and check "model" and "baseUrl" for this model.`;
  } else if (overloaded) {
    kind = 'overloaded';
    const wait = retryAfterSec !== undefined ? ` The server asked to wait ${retryAfterSec} s.` : '';
    message = `${who}: the provider is overloaded (HTTP ${status}${detail}).${wait}`;
  } else if (status === 429) {
    kind = 'rate-limit';
    const wait = retryAfterSec !== undefined ? ` The server asked to wait ${retryAfterSec} s.` : '';
    message = `${who}: rate limited (HTTP 429${detail}).${wait}`;
  } else if (status >= 300 && status < 400) {
    kind = 'network';
    const location = provider.location;
    message = `${who}: the server redirected to ${location ? clip(location, 200) : 'another address'} (HTTP ${status}); Tokenscope does not follow redirects, so keys never leave the configured host. Point "baseUrl" at the final address.`;
  } else if (status >= 500) {
    kind = 'server';
    message = `${who}: server error (HTTP ${status}${detail}).`;
  } else {
    kind = 'bad-request';
    message = `${who}: the request was refused (HTTP ${status}${detail}).`;
  }
  return { kind, message, status, retryAfterSec };
}

/** Whether an in-stream error code means the provider is overloaded (Anthropic `overloaded_error`, Google `UNAVAILABLE`). */
export function isOverloadedCode(code: string | undefined): boolean {
  return code !== undefined && OVERLOADED_CODES.has(code);
}

/** Failures that clear by themselves, so the runner waits and tries again (bounded): rate limits and overload. */
export function retryable(kind: ErrorKind | undefined): boolean {
  return kind === 'rate-limit' || kind === 'overloaded';
}

/** Maps a socket-level failure to a specific error. */
export function networkError(
  spec: ModelSpec,
  err: NodeJS.ErrnoException,
  headersArrived: boolean,
  readsSoFar: number,
): RunError {
  const host = new URL(spec.baseUrl).host;
  const who = modelWho(spec);
  const code = err.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return {
      kind: 'dns',
      message: `${who}: the host name could not be resolved (${code}). Check "baseUrl" and the network.`,
    };
  if (/CERT|SSL|TLS|ERR_TLS|DEPTH_ZERO|SELF_SIGNED/i.test(code) || /certificate|ssl|tls/i.test(err.message))
    return {
      kind: 'tls',
      message: `${who}: the TLS connection failed (${code || err.message}). Check the server's certificate and "baseUrl".`,
    };
  if (code === 'ECONNREFUSED')
    return {
      kind: 'network',
      message: `${who}: connection refused — nothing is listening at ${host}. Is the server running?`,
    };
  if (headersArrived)
    return {
      kind: 'dropped',
      message: `${who}: the connection dropped mid-stream after ${readsSoFar} network read(s) (${code || err.message}); what arrived is kept.`,
    };
  return { kind: 'network', message: `${who}: network error (${code || err.message}).` };
}

/** Parses Retry-After (seconds or an HTTP date) into seconds. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs);
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, (date - now) / 1000) : undefined;
}
