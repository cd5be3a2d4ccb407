/**
 * The benchmark config file: its schema, and validation errors that name the offending field.
 * Entries whose id matches a built-in model inherit that model's fields, so `{ "id": "deepseek-v4-flash" }`
 * is a complete entry and `{ "id": "deepseek-v4-flash", "baseUrl": "..." }` overrides one field.
 */
import * as v from 'valibot';
import { findBuiltin, retiredHint } from './catalog';
import { SETTING_LIMITS, type SettingName } from './limits';
import { sloProblem } from './slo';
import { PROTOCOLS, REGIONS, TOKENIZER_FAMILIES, type ModelSpec } from './types';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

// valibot rather than a heavier validator: it adds about 2 ms to the extension's activation, not 40.
const httpUrl = v.pipe(
  v.string(),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = urlProblem(dataset.value);
    if (problem) addIssue({ message: problem });
  }),
);

/** Query parameters that carry credentials (Gemini's `?key=`, signed URLs, OAuth tokens). */
const SECRET_QUERY =
  /^(key|api[-_]?key|apikey|access[-_]?token|token|auth|signature|sig|secret|password|x-amz-security-token|x-goog-signature)$/i;

/** Why a base URL is refused, or undefined when it is fine. */
export function urlProblem(value: string): string | undefined {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return 'must be an http:// or https:// URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'must be an http:// or https:// URL';
  // A user name or password in the URL would be sent as Basic auth and echoed into messages and reports.
  if (u.username || u.password)
    return 'must not contain a user name or password ("user:password@"); keys never go in a config: put the key in an environment variable and name it in "apiKeyEnv"';
  const secret = [...u.searchParams.keys()].find((k) => SECRET_QUERY.test(k));
  if (secret)
    return `must not carry a credential in its query ("${secret}="); put the key in an environment variable and name it in "apiKeyEnv"`;
  return undefined;
}

const nonNegative = v.pipe(v.number(), v.minValue(0, 'must be 0 or more'));
const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  v.pipe(
    v.number(),
    v.integer('must be a whole number'),
    v.minValue(min, `must be ${min} or more`),
    v.maxValue(max, `must be ${max} or less`),
  );

const priceSchema = v.strictObject({
  inputPerM: nonNegative,
  outputPerM: nonNegative,
  cachedInputPerM: v.optional(nonNegative),
  cacheWritePerM: v.optional(nonNegative),
  readOn: v.optional(v.string()),
});

const isoDate = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be an ISO date such as 2026-12-03'));

/**
 * Headers that carry credentials, by name: the key belongs in an environment variable named in "apiKeyEnv",
 * where it is redacted from everything a server echoes, and a shared config cannot send it elsewhere.
 */
const SECRET_HEADER =
  /^(x-auth|ocp-apim-subscription-key$)|authoriz|cookie|token|secret|passw|credential|session|signature|api[-_]?key/i;
/** Values that are credentials whatever the header is called. */
const SECRET_VALUE = /^\s*(bearer|basic|digest|token)\s+\S/i;
/** Headers Tokenscope sets itself for the request to be valid. */
const RESERVED_HEADER =
  /^(host|content-length|content-type|transfer-encoding|connection|upgrade|te|trailer|expect|keep-alive)$/i;
/** RFC 9110 token: the characters a header name may have (Node refuses anything else mid-benchmark). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Field value characters Node accepts: tab, visible ASCII, space and obs-text; never CR, LF or NUL. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Why a header is refused, or undefined when it is fine. */
export function headerProblem(name: string, value: string): string | undefined {
  if (!HEADER_NAME.test(name))
    return `"${name}" is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only; no spaces or colons)`;
  if (!HEADER_VALUE.test(value))
    return 'contains a line break or another control character; a header value is one line of text';
  if (SECRET_HEADER.test(name) || SECRET_VALUE.test(value))
    return 'must not hold API keys or other credentials; name an environment variable in "apiKeyEnv" instead';
  if (RESERVED_HEADER.test(name)) return `"${name}" is set by Tokenscope itself; remove it`;
  return undefined;
}

const headersSchema = v.pipe(
  v.record(v.string(), v.string()),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const [name, value] of Object.entries(dataset.value)) {
      const problem = headerProblem(name, value);
      if (problem)
        addIssue({
          message: problem,
          path: [{ type: 'object', origin: 'value', input: dataset.value, key: name, value }],
        });
    }
  }),
);
const oneOf = <T extends string>(values: readonly T[]) =>
  v.picklist(values as T[], `must be one of ${values.map((x) => `"${x}"`).join(', ')}`);

export const modelSchema = v.strictObject({
  id: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  protocol: oneOf(PROTOCOLS),
  baseUrl: httpUrl,
  model: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  region: oneOf(REGIONS),
  apiKeyEnv: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable, not a key')),
  ),
  tokenizer: v.optional(oneOf(TOKENIZER_FAMILIES)),
  price: v.optional(priceSchema),
  contextWindow: v.optional(int(1)),
  label: v.optional(v.string()),
  provider: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be a lower-case provider id such as "openrouter"')),
  ),
  baseModel: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
  readOn: v.optional(isoDate),
  reasoning: v.optional(v.boolean()),
  maxTokensField: v.optional(oneOf(['max_tokens', 'max_completion_tokens'] as const)),
  extraBody: v.optional(v.record(v.string(), v.unknown())),
  headers: v.optional(headersSchema),
});

const setting = (name: SettingName) => v.optional(int(SETTING_LIMITS[name].min, SETTING_LIMITS[name].max));

export const settingsSchema = v.strictObject({
  runs: setting('runs'),
  warmup: setting('warmup'),
  concurrency: setting('concurrency'),
  maxTokens: setting('maxTokens'),
  timeoutMs: setting('timeoutMs'),
  stallTimeoutMs: setting('stallTimeoutMs'),
  /** Service-level objective, e.g. "ttft<=800,tps>=30" (see slo.ts). */
  slo: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (s) => sloProblem(s) === null,
        (issue) => sloProblem(String(issue.input)) ?? 'is not a valid SLO',
      ),
    ),
  ),
});

const configSchema = v.strictObject({
  $schema: v.optional(v.string()),
  models: v.pipe(v.array(v.unknown()), v.minLength(1, 'must list at least one model')),
  settings: v.optional(settingsSchema),
});

export type BenchSettings = v.InferOutput<typeof settingsSchema>;

export interface BenchConfig {
  models: ModelSpec[];
  settings: BenchSettings;
}

/** models[0].price.inputPerM */
function fieldPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') ||
    '(top level)'
  );
}

function formatIssues(
  where: string,
  issues: readonly v.BaseIssue<unknown>[],
  prefix: (string | number)[] = [],
): string {
  return issues
    .map((issue) => {
      const path = (issue.path ?? []).map((p) => p.key as PropertyKey);
      // An unknown field is reported at its own path; say so plainly.
      const message =
        issue.kind === 'schema' && issue.expected === 'never'
          ? 'is not a known field (check its spelling)'
          : issue.message;
      return `${where}: ${fieldPath([...prefix, ...path])}: ${message}`;
    })
    .join('\n');
}

/** Validates one model entry (after merging a built-in of the same id). Throws ConfigError naming the field. */
export function parseModel(raw: unknown, where: string, path: (string | number)[] = []): ModelSpec {
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'apiKey' in raw) {
    throw new ConfigError(
      `${where}: ${fieldPath([...path, 'apiKey'])}: API keys do not belong in config files; put the key in an environment variable and name it in "apiKeyEnv".`,
    );
  }
  const id = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
  const builtin = typeof id === 'string' ? findBuiltin(id) : undefined;
  // A retired built-in named on its own would fail on missing fields; say what replaced it instead.
  const retired =
    !builtin && typeof id === 'string' && !(raw as { protocol?: unknown }).protocol ? retiredHint(id) : undefined;
  if (retired) throw new ConfigError(`${where}: ${fieldPath([...path, 'id'])}: ${retired}`);
  const merged = builtin && raw && typeof raw === 'object' ? { ...builtin, ...raw } : raw;
  const result = v.safeParse(modelSchema, merged);
  if (!result.success) throw new ConfigError(formatIssues(where, result.issues, path));
  return result.output as ModelSpec;
}

/** Parses a config file's text. `where` names the file in messages. */
export function parseConfig(text: string, where: string): BenchConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${where}: not valid JSON (${(e as Error).message}).`);
  }
  const top = v.safeParse(configSchema, json);
  if (!top.success) throw new ConfigError(formatIssues(where, top.issues));
  const models = top.output.models.map((m, i) => parseModel(m, where, ['models', i]));
  const seen = new Set<string>();
  models.forEach((m, i) => {
    if (seen.has(m.id))
      throw new ConfigError(`${where}: models[${i}].id: "${m.id}" is used twice; ids must be unique.`);
    seen.add(m.id);
  });
  return { models, settings: top.output.settings ?? {} };
}
