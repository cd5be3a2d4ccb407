/**
 * The editor's `tokenscope.*` settings, read through a getter and normalised: numbers clamped to the ranges the
 * CLI config accepts, unknown tokenizer families dropped. Pure: the extension passes the configuration's `get`.
 */
import { SETTING_LIMITS } from './limits';
import { DEFAULTS, USER_DEFAULT_WARMUP } from './defaults';
import { REFERENCE_TOKENIZER } from './tokenizers/forModel';
import { parseSlo, SloError, type SloTarget } from './slo';
import { MAX_SWEEP_TOKENS } from './sweep';
import { CACHE_MODES, TOKENIZER_FAMILIES, type CacheMode, type TokenizerFamily } from './types';

function readSlo(v: unknown): EditorSettings['slo'] {
  if (typeof v !== 'string' || v.trim() === '') return { targets: [], problem: null };
  try {
    return { targets: parseSlo(v), problem: null };
  } catch (e) {
    if (e instanceof SloError) return { targets: [], problem: e.message };
    throw e;
  }
}

export interface EditorSettings {
  /** Raw `tokenscope.models` entries (validated by resolveModelList). */
  models: unknown;
  defaultModels: string[];
  runs: number;
  warmup: number;
  concurrency: number;
  maxTokens: number;
  timeoutMs: number;
  referenceTokenizer: TokenizerFamily;
  hover: { enabled: boolean; families: TokenizerFamily[] };
  history: { storePrompt: boolean };
  /** `tokenscope.slo` parsed: its targets (none when unset), or what is wrong with it. */
  slo: { targets: SloTarget[]; problem: string | null };
  /** Prompt-cache state preselected in the benchmark's pick. */
  cache: CacheMode;
  /** Prompt-length sweep sizes; empty: benchmark the prompt itself. */
  inputTokens: number[];
  /** Where this machine is, kept with results and history ('' when unset). */
  location: string;
}

export const DEFAULT_HOVER_FAMILIES: readonly TokenizerFamily[] = ['o200k', 'deepseek-v3', 'qwen3', 'claude'];

function int(v: unknown, fallback: number, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return fallback;
  return Math.min(max, Math.max(min, Math.round(v)));
}

const isFamily = (v: unknown): v is TokenizerFamily =>
  typeof v === 'string' && (TOKENIZER_FAMILIES as readonly string[]).includes(v);

/** `get(key)` returns the value of `tokenscope.<key>` (undefined when unset). */
export function readEditorSettings(get: (key: string) => unknown): EditorSettings {
  const families = get('hover.families');
  const hoverFamilies = Array.isArray(families) ? [...new Set(families.filter(isFamily))] : [...DEFAULT_HOVER_FAMILIES];
  const defaults = get('defaultModels');
  const reference = get('referenceTokenizer');
  const sizes = get('inputTokens');
  const location = get('location');
  return {
    models: get('models'),
    defaultModels: Array.isArray(defaults)
      ? defaults.filter((x): x is string => typeof x === 'string' && x.length > 0)
      : [],
    runs: int(get('runs'), DEFAULTS.runs, SETTING_LIMITS.runs.min, SETTING_LIMITS.runs.max),
    warmup: int(get('warmup'), USER_DEFAULT_WARMUP, SETTING_LIMITS.warmup.min, SETTING_LIMITS.warmup.max),
    // The editor keeps fewer requests in flight and a timeout of at least a second (its settings' schema).
    concurrency: int(get('concurrency'), DEFAULTS.concurrency, 1, 64),
    maxTokens: int(get('maxTokens'), DEFAULTS.maxTokens, SETTING_LIMITS.maxTokens.min, SETTING_LIMITS.maxTokens.max),
    timeoutMs: int(get('timeoutMs'), DEFAULTS.timeoutMs, 1000, SETTING_LIMITS.timeoutMs.max),
    referenceTokenizer: isFamily(reference) ? reference : REFERENCE_TOKENIZER,
    hover: {
      enabled: get('hover.enabled') !== false,
      families: hoverFamilies.length ? hoverFamilies : [...DEFAULT_HOVER_FAMILIES],
    },
    history: { storePrompt: get('history.storePrompt') === true },
    slo: readSlo(get('slo')),
    cache: (CACHE_MODES as readonly unknown[]).includes(get('cache')) ? (get('cache') as CacheMode) : 'cold',
    inputTokens: Array.isArray(sizes)
      ? [...new Set(sizes.filter((n): n is number => Number.isInteger(n) && n >= 16 && n <= MAX_SWEEP_TOKENS))].sort(
          (a, b) => a - b,
        )
      : [],
    location: typeof location === 'string' ? location.trim().slice(0, 100) : '',
  };
}
