/**
 * Where the time before the first byte goes: DNS, TCP connect, TLS, sending the request, waiting for
 * headers and the first body byte. Stamps come from node:http socket events with performance.now();
 * nothing is computed on the hot path, only recorded.
 */
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { median } from '../stats';
import type { PhaseSummary, RunMetrics, RunPhases } from '../types';
import { openedAhead } from './preconnectAgent';

/** Raw performance.now() stamps of one request; undefined where the event did not happen. */
export interface PhaseStamps {
  lookupAt?: number;
  connectAt?: number;
  secureConnectAt?: number;
  sentAt?: number;
  reused?: boolean;
}

/**
 * Records the socket events of a request. A kept-alive socket has already connected, so only 'finish'
 * (the request handed to the OS) fires; `reusedSocket` says so.
 */
export function watchPhases(request: ClientRequest): PhaseStamps {
  const stamps: PhaseStamps = {};
  request.once('socket', (socket: Socket) => {
    // A connection opened ahead of its request counts as reused: this request paid for no connect.
    stamps.reused = request.reusedSocket || openedAhead(socket);
    if (stamps.reused) return;
    socket.once('lookup', () => (stamps.lookupAt = performance.now()));
    socket.once('connect', () => (stamps.connectAt = performance.now()));
    socket.once('secureConnect', () => (stamps.secureConnectAt = performance.now()));
  });
  request.once('finish', () => (stamps.sentAt = performance.now()));
  return stamps;
}

/** The phases as ms from request start. */
export function phasesFrom(
  stamps: PhaseStamps,
  requestStart: number,
  headersAt: number | undefined,
  firstByteAt: number | undefined,
): RunPhases {
  const at = (t: number | undefined) => (t === undefined ? null : t - requestStart);
  return {
    dnsMs: at(stamps.lookupAt),
    connectMs: at(stamps.connectAt),
    tlsMs: at(stamps.secureConnectAt),
    sentMs: at(stamps.sentAt),
    headersMs: at(headersAt),
    firstByteMs: at(firstByteAt),
  };
}

/** The phases that happened, in the order they must have happened. */
export const PHASE_ORDER = [
  'dnsMs',
  'connectMs',
  'tlsMs',
  'sentMs',
  'headersMs',
  'firstByteMs',
] as const satisfies readonly (keyof RunPhases)[];

/**
 * The provider's processing time from response headers, when it sends one: OpenAI's `openai-processing-ms`,
 * else the W3C `server-timing` header's largest `dur` (Google's front ends send one). See docs/providers.md.
 */
export function serverProcessingMs(headers: Record<string, string | string[] | undefined>): number | undefined {
  const first = (name: string) => {
    const raw = headers[name];
    return Array.isArray(raw) ? raw[0] : raw;
  };
  const openai = Number(first('openai-processing-ms'));
  if (first('openai-processing-ms') !== undefined && Number.isFinite(openai) && openai >= 0) return openai;
  const timing = first('server-timing');
  if (!timing) return undefined;
  const durs = [...timing.matchAll(/;\s*dur=([0-9.]+)/g)]
    .map((m) => Number(m[1]))
    .filter((v) => Number.isFinite(v) && v >= 0);
  return durs.length ? Math.max(...durs) : undefined;
}

/** Median phases over a model's successful measured runs; each phase over the runs where it happened. */
export function summarizePhases(runs: readonly RunMetrics[]): PhaseSummary | undefined {
  const ok = runs.filter((r) => r.ok && !r.warmup && r.phases);
  if (!ok.length) return undefined;
  const med = (pick: (r: RunMetrics) => number | null | undefined) => {
    const xs = ok.map(pick).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    return xs.length ? median(xs) : null;
  };
  return {
    dnsMs: med((r) => r.phases!.dnsMs),
    connectMs: med((r) => r.phases!.connectMs),
    tlsMs: med((r) => r.phases!.tlsMs),
    sentMs: med((r) => r.phases!.sentMs),
    headersMs: med((r) => r.phases!.headersMs),
    firstByteMs: med((r) => r.phases!.firstByteMs),
    ttftMs: med((r) => r.ttftMs),
    serverProcessingMs: med((r) => r.serverProcessingMs),
    freshConnections: ok.filter((r) => !r.connectionReused).length,
    reusedConnections: ok.filter((r) => r.connectionReused).length,
  };
}
