import { CATALOG_READ_ON } from './catalog';
import { oneLine } from './text';
import type { ErrorKind, ModelSpec, RunError } from './types';

/** How to supply a key, in words a CLI user and an editor user both understand. */
export function keyHint(spec: ModelSpec): string {
  const env = spec.apiKeyEnv ? `set the environment variable ${spec.apiKeyEnv}` : 'add "apiKeyEnv" to this model in the config and set that variable';
  return `To fix: ${env}, or in VS Code run "Tokenscope: Set API Key".`;
}

/** Shortest run of a key's characters that redact() removes when it appears on its own. */
export const MIN_KEY_FRAGMENT = 8;

/**
 * Removes the key from text: every whole occurrence, and every run of 8 or more of its characters (a
 * provider that echoes part of the key, e.g. "sk-abcd1234…wxyz", or a message clipped in the middle of it).
 */
export function redact(text: string, apiKey: string | undefined): string {
  if (!apiKey || apiKey.length < 4) return text;
  const out = text.split(apiKey).join('***');
  const n = MIN_KEY_FRAGMENT;
  if (apiKey.length < n || out.length < n) return out;
  const fragments = new Set<string>();
  for (let i = 0; i + n <= apiKey.length; i++) fragments.add(apiKey.slice(i, i + n));
  let mark: Uint8Array | undefined;
  for (let i = 0; i + n <= out.length; i++) {
    if (fragments.has(out.slice(i, i + n))) (mark ??= new Uint8Array(out.length)).fill(1, i, i + n);
  }
  if (!mark) return out;
  let result = '';
  for (let i = 0; i < out.length; ) {
    if (!mark[i]) {
      result += out[i++];
      continue;
    }
    result += '***';
    while (i < out.length && mark[i]) i++;
  }
  return result;
}

/** Provider text inside a message: one line, at most `max` characters, control characters escaped. */
function clip(text: string, max = 300): string {
  return oneLine(text, max);
}

/** How every message names a model: its id and the host it was sent to. */
export function modelWho(spec: ModelSpec): string {
  return `${spec.id} (${new URL(spec.baseUrl).host})`;
}

/** Maps an HTTP error status to a specific message that names the model. */
export function httpError(spec: ModelSpec, status: number, providerMessage: string | undefined, retryAfterSec?: number, location?: string): RunError {
  const who = modelWho(spec);
  const detail = providerMessage ? `: ${clip(providerMessage)}` : '';
  let kind: ErrorKind;
  let message: string;
  // Gemini answers a bad key with 400 API_KEY_INVALID, not 401.
  const badKey = status === 400 && /api[ _-]?key[ _-]?(not valid|invalid)|API_KEY_INVALID|invalid api key/i.test(providerMessage ?? '');
  if (status === 401 || status === 403 || badKey) {
    kind = 'auth';
    message = `${who}: the API key is missing or was rejected (HTTP ${status}${detail}). ${keyHint(spec)}`;
  } else if (status === 402) {
    kind = 'payment';
    message = `${who}: the account has insufficient balance (HTTP 402${detail}). Top up the account with the provider.`;
  } else if (status === 404) {
    kind = 'not-found';
    // Model ids are retired often; say how old the id's facts are and where the current ones are listed.
    const age = spec.readOn ? `this entry's id was read on ${spec.readOn}` : `the built-in catalog was read on ${CATALOG_READ_ON}`;
    message = `${who}: model "${spec.model}" or the endpoint path was not found (HTTP 404${detail}). The provider may have retired the model (${age}). Run "tokenscope models" to list current ids, and check "model" and "baseUrl" for this model.`;
  } else if (status === 429) {
    kind = 'rate-limit';
    const wait = retryAfterSec !== undefined ? ` The server asked to wait ${retryAfterSec} s.` : '';
    message = `${who}: rate limited (HTTP 429${detail}).${wait}`;
  } else if (status === 529) {
    kind = 'overloaded';
    message = `${who}: the provider is overloaded (HTTP 529${detail}). Try again later.`;
  } else if (status >= 300 && status < 400) {
    kind = 'network';
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

/** Maps a socket-level failure to a specific error. */
export function networkError(spec: ModelSpec, err: NodeJS.ErrnoException, headersArrived: boolean, readsSoFar: number): RunError {
  const host = new URL(spec.baseUrl).host;
  const who = modelWho(spec);
  const code = err.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', message: `${who}: the host name could not be resolved (${code}). Check "baseUrl" and the network.` };
  if (/CERT|SSL|TLS|ERR_TLS|DEPTH_ZERO|SELF_SIGNED/i.test(code) || /certificate|ssl|tls/i.test(err.message))
    return { kind: 'tls', message: `${who}: the TLS connection failed (${code || err.message}). Check the server's certificate and "baseUrl".` };
  if (code === 'ECONNREFUSED') return { kind: 'network', message: `${who}: connection refused — nothing is listening at ${host}. Is the server running?` };
  if (headersArrived)
    return { kind: 'dropped', message: `${who}: the connection dropped mid-stream after ${readsSoFar} network read(s) (${code || err.message}); what arrived is kept.` };
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
