/**
 * Every bound on memory and time in one place: the config file, the CLI flags and the editor settings
 * take their ranges from here, and the stream client, discovery and the file readers their caps.
 */

/** Ranges of the benchmark settings (config `settings`, CLI flags, editor settings). */
export const SETTING_LIMITS = {
  runs: { min: 1, max: 1000 },
  warmup: { min: 0, max: 100 },
  concurrency: { min: 1, max: 1024 },
  /** Above the largest output limit any provider offers (128k tokens in 2026). */
  maxTokens: { min: 1, max: 1_000_000 },
  /** One hour: a request longer than that is not a benchmark; also far below Node's timer limit (2³¹−1 ms). */
  timeoutMs: { min: 1, max: 3_600_000 },
  stallTimeoutMs: { min: 1, max: 3_600_000 },
} as const;

export type SettingName = keyof typeof SETTING_LIMITS;

/** Node turns a longer setTimeout into 1 ms (with a warning): every timer is clamped to this. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Response bytes allowed per output token before a stream is cut off as running past max tokens. A
 * real frame carries a token in 130–300 bytes of JSON (Anthropic, OpenAI, DeepSeek, vLLM; Gemini sends
 * several tokens in ~600): 2 KiB is about 8 times that, room for logprobs and verbose proxies.
 */
export const STREAM_BYTES_PER_TOKEN = 2 * 1024;
/** Allowance for the envelope: role chunk, usage, [DONE], keep-alive comments. */
export const STREAM_BASE_BYTES = 1024 * 1024;
/**
 * Whatever max tokens says, one response never holds more than this (about 65,000 tokens of normal
 * frames). Decoding and measuring it costs about 1 s and 100 MB per 8 MiB, so this keeps a run under
 * 300 MB; 32 MiB took 350 MB.
 */
export const STREAM_MAX_BYTES = 16 * 1024 * 1024;

/** The most bytes one response may carry for a given output limit. */
export function streamByteLimit(maxTokens: number): number {
  return Math.min(STREAM_MAX_BYTES, STREAM_BASE_BYTES + Math.max(0, maxTokens) * STREAM_BYTES_PER_TOKEN);
}

/** Local-server discovery: the whole probe (connect, headers, body) and the largest model list read. */
export const DISCOVERY_DEADLINE_MS = 1000;
export const DISCOVERY_MAX_BODY = 1024 * 1024;

/** Files the user names (prompt, config, output, metrics): 64 MiB holds the 10,000,000-character prompt limit. */
export const MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024;
/** A config file is a short list of models. */
export const MAX_CONFIG_FILE_BYTES = 4 * 1024 * 1024;
/** A history file to import: about a million records. */
export const MAX_IMPORT_FILE_BYTES = 1024 * 1024 * 1024;
/** One history line: a record with a stored 10,000,000-character prompt fits; a longer line is damage. */
export const MAX_HISTORY_LINE_BYTES = 64 * 1024 * 1024;

/** Largest token count taken from a provider's usage: above any context window offered (10M in 2026). */
export const MAX_USAGE_TOKENS = 10_000_000;
