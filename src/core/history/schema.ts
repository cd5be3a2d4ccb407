/**
 * Checks that a parsed JSON value is a HistoryRecord this version understands. Hand-written rather
 * than a schema library: it runs once per line on files of 100,000+ records and must stay cheap.
 * Unknown extra fields are allowed (a newer Tokenscope may add some); missing or mistyped known fields are not.
 */
import { PROTOCOLS, REGIONS, TASK_CATEGORIES } from '../types';
import { HISTORY_SCHEMA_VERSION, type HistoryRecord, type StoredMetrics } from './contract';

/** The numeric metrics of a record: each must be present, as a number or null. */
export const NUMERIC_METRICS = [
  'setupMs',
  'ttftMs',
  'ttfoMs',
  'decodeTps',
  'e2eMs',
  'itlMs',
  'interChunkP50Ms',
  'interChunkP95Ms',
  'inputTokens',
  'outputTokens',
  'reasoningTokens',
  'cachedInputTokens',
  'streamedTokens',
  'costUsd',
  'charsPerSec',
  'normalizedTps',
  'serverDecodeTps',
] as const satisfies readonly (keyof StoredMetrics)[];

const regions = new Set<string>(REGIONS);
const protocols = new Set<string>(PROTOCOLS);
const categories = new Set<string>(TASK_CATEGORIES);
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DAY_MS = 86_400_000;
/** How a record dated after tomorrow is described; such a record would stretch every weekly report to its date. */
export const FUTURE_PROBLEM = 'is dated after tomorrow';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why a stored price source is not one (a hand-edited or foreign line), or null. */
function priceSourceProblem(p: unknown): string | null {
  if (!isObject(p)) return 'priceSource must be an object';
  if (p.kind === 'provider') return null;
  if (p.kind === 'config')
    return p.readOn === undefined || typeof p.readOn === 'string' ? null : 'priceSource.readOn must be a string';
  if (p.kind !== 'genai-prices') return 'priceSource.kind must be genai-prices, config or provider';
  for (const k of ['package', 'version', 'dataDate', 'providerId', 'modelId'])
    if (typeof p[k] !== 'string') return `priceSource.${k} must be a string`;
  return p.data === 'bundled' || p.data === 'updated' ? null : 'priceSource.data must be bundled or updated';
}

function numOrNull(x: unknown): boolean {
  return x === null || typeof x === 'number';
}

function str(o: Record<string, unknown>, k: string): string | null {
  return typeof o[k] === 'string' && (o[k] as string).length > 0 ? null : `${k} must be a non-empty string`;
}

/**
 * Null when `v` is a valid record; otherwise what is wrong with it, in a few words. A record dated
 * after tomorrow (by `now`, this machine's clock) is refused: a day's slack covers clocks and time zones.
 */
export function recordProblem(v: unknown, now = Date.now()): string | null {
  if (!isObject(v)) return 'not a JSON object';
  if (v.v !== HISTORY_SCHEMA_VERSION) {
    return typeof v.v === 'number' && v.v > HISTORY_SCHEMA_VERSION
      ? `schema version ${v.v} is newer than this Tokenscope understands (${HISTORY_SCHEMA_VERSION})`
      : `schema version must be ${HISTORY_SCHEMA_VERSION}, got ${JSON.stringify(v.v) ?? 'none'}`;
  }
  if (typeof v.time !== 'string' || !TIME_RE.test(v.time) || !Number.isFinite(Date.parse(v.time)))
    return 'time must be an ISO date-time';
  if (Date.parse(v.time) > now + DAY_MS)
    return `${FUTURE_PROBLEM} (${v.time.slice(0, 10)}; this machine's date is ${new Date(now).toISOString().slice(0, 10)})`;
  const bad = str(v, 'modelId') ?? str(v, 'host') ?? str(v, 'promptHash') ?? str(v, 'toolVersion');
  if (bad) return bad;
  if (typeof v.region !== 'string' || !regions.has(v.region)) return `region must be one of ${REGIONS.join(', ')}`;
  if (typeof v.protocol !== 'string' || !protocols.has(v.protocol))
    return `protocol must be one of ${PROTOCOLS.join(', ')}`;
  if (typeof v.category !== 'string' || !categories.has(v.category))
    return `category must be one of ${TASK_CATEGORIES.join(', ')}`;
  if (v.tokenSource !== 'usage' && v.tokenSource !== 'tokenizer') return 'tokenSource must be usage or tokenizer';
  if (v.label !== undefined && typeof v.label !== 'string') return 'label must be a string';
  if (v.prompt !== undefined && typeof v.prompt !== 'string') return 'prompt must be a string';
  if (v.tokenizer !== undefined && typeof v.tokenizer !== 'string') return 'tokenizer must be a string';
  if (v.cacheState !== undefined && v.cacheState !== 'cold' && v.cacheState !== 'warm')
    return 'cacheState must be cold or warm';
  if (v.hour !== undefined && !(Number.isInteger(v.hour) && (v.hour as number) >= 0 && (v.hour as number) <= 23))
    return 'hour must be an integer 0–23';
  if (v.location !== undefined && typeof v.location !== 'string') return 'location must be a string';
  if (
    v.targetInputTokens !== undefined &&
    !(Number.isInteger(v.targetInputTokens) && (v.targetInputTokens as number) > 0)
  )
    return 'targetInputTokens must be a positive integer';
  if (v.priceSource !== undefined) {
    const problem = priceSourceProblem(v.priceSource);
    if (problem) return problem;
  }
  const m = v.metrics;
  if (!isObject(m)) return 'metrics must be an object';
  if (typeof m.ok !== 'boolean') return 'metrics.ok must be true or false';
  if (typeof m.reasoningVisible !== 'boolean') return 'metrics.reasoningVisible must be true or false';
  if (m.error !== null && typeof m.error !== 'string') return 'metrics.error must be a string or null';
  if (m.errorKind !== undefined && typeof m.errorKind !== 'string') return 'metrics.errorKind must be a string';
  if (typeof m.chunks !== 'number') return 'metrics.chunks must be a number';
  if (m.hiddenTokens !== undefined && !numOrNull(m.hiddenTokens))
    return 'metrics.hiddenTokens must be a number or null';
  // Written out rather than looped over NUMERIC_METRICS: constant property loads are several times
  // faster than keyed ones, and this runs once per line of the file.
  if (
    !numOrNull(m.setupMs) ||
    !numOrNull(m.ttftMs) ||
    !numOrNull(m.ttfoMs) ||
    !numOrNull(m.decodeTps) ||
    !numOrNull(m.e2eMs) ||
    !numOrNull(m.itlMs) ||
    !numOrNull(m.interChunkP50Ms) ||
    !numOrNull(m.interChunkP95Ms) ||
    !numOrNull(m.inputTokens) ||
    !numOrNull(m.outputTokens) ||
    !numOrNull(m.reasoningTokens) ||
    !numOrNull(m.cachedInputTokens) ||
    !numOrNull(m.streamedTokens) ||
    !numOrNull(m.costUsd) ||
    !numOrNull(m.charsPerSec) ||
    !numOrNull(m.normalizedTps) ||
    !numOrNull(m.serverDecodeTps)
  ) {
    const k = NUMERIC_METRICS.find((key) => !numOrNull(m[key]));
    return `metrics.${k} must be a number or null`;
  }
  return null;
}

export function isHistoryRecord(v: unknown): v is HistoryRecord {
  return recordProblem(v) === null;
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = canonical(v[k]);
  return out;
}

/** A string equal for identical records whatever the order of their fields (used to de-duplicate imports). */
export function recordKey(r: HistoryRecord): string {
  return JSON.stringify(canonical(r));
}

/**
 * Removes anything that looks like a credential from free text (error messages come from servers).
 * Records never hold keys by construction; this is a second line of defence.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]')
    .replace(/\b(sk|pk|rk|ak|key|api[_-]?key)[-_][A-Za-z0-9_-]{12,}/gi, '[redacted]')
    .replace(/\bAIza[0-9A-Za-z_-]{20,}/g, '[redacted]')
    .replace(/([?&](?:key|api_key|apikey|access_token|token)=)[^&\s"']+/gi, '$1[redacted]');
}
