/**
 * The benchmark config file: its schema, and validation errors that name the offending field.
 * Entries whose id matches a built-in model inherit that model's fields, so `{ "id": "deepseek-chat" }`
 * is a complete entry and `{ "id": "deepseek-chat", "baseUrl": "..." }` overrides one field.
 */
import * as v from 'valibot';
import { findBuiltin } from './catalog';
import { SETTING_LIMITS, type SettingName } from './limits';
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
  v.check((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL'),
);

const nonNegative = v.pipe(v.number(), v.minValue(0, 'must be 0 or more'));
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(min, `must be ${min} or more`), v.maxValue(max, `must be ${max} or less`));

const priceSchema = v.strictObject({
  inputPerM: nonNegative,
  outputPerM: nonNegative,
  cachedInputPerM: v.optional(nonNegative),
  readOn: v.optional(v.string()),
});

const secretHeader = /^(authorization|x-api-key|x-goog-api-key|api-key)$/i;
const oneOf = <T extends string>(values: readonly T[]) => v.picklist(values as T[], `must be one of ${values.map((x) => `"${x}"`).join(', ')}`);

export const modelSchema = v.strictObject({
  id: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  protocol: oneOf(PROTOCOLS),
  baseUrl: httpUrl,
  model: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  region: oneOf(REGIONS),
  apiKeyEnv: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable, not a key'))),
  tokenizer: v.optional(oneOf(TOKENIZER_FAMILIES)),
  price: v.optional(priceSchema),
  contextWindow: v.optional(int(1)),
  label: v.optional(v.string()),
  reasoning: v.optional(v.boolean()),
  maxTokensField: v.optional(oneOf(['max_tokens', 'max_completion_tokens'] as const)),
  extraBody: v.optional(v.record(v.string(), v.unknown())),
  headers: v.optional(
    v.pipe(
      v.record(v.string(), v.string()),
      v.check((h) => !Object.keys(h).some((k) => secretHeader.test(k)), 'must not hold API keys; name an environment variable in "apiKeyEnv" instead'),
    ),
  ),
});

const setting = (name: SettingName) => v.optional(int(SETTING_LIMITS[name].min, SETTING_LIMITS[name].max));

export const settingsSchema = v.strictObject({
  runs: setting('runs'),
  warmup: setting('warmup'),
  concurrency: setting('concurrency'),
  maxTokens: setting('maxTokens'),
  timeoutMs: setting('timeoutMs'),
  stallTimeoutMs: setting('stallTimeoutMs'),
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
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') || '(top level)';
}

function formatIssues(where: string, issues: readonly v.BaseIssue<unknown>[], prefix: (string | number)[] = []): string {
  return issues
    .map((issue) => {
      const path = (issue.path ?? []).map((p) => p.key as PropertyKey);
      // An unknown field is reported at its own path; say so plainly.
      const message = issue.kind === 'schema' && issue.expected === 'never' ? 'is not a known field (check its spelling)' : issue.message;
      return `${where}: ${fieldPath([...prefix, ...path])}: ${message}`;
    })
    .join('\n');
}

/** Validates one model entry (after merging a built-in of the same id). Throws ConfigError naming the field. */
export function parseModel(raw: unknown, where: string, path: (string | number)[] = []): ModelSpec {
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'apiKey' in raw) {
    throw new ConfigError(`${where}: ${fieldPath([...path, 'apiKey'])}: API keys do not belong in config files; put the key in an environment variable and name it in "apiKeyEnv".`);
  }
  const id = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
  const builtin = typeof id === 'string' ? findBuiltin(id) : undefined;
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
    if (seen.has(m.id)) throw new ConfigError(`${where}: models[${i}].id: "${m.id}" is used twice; ids must be unique.`);
    seen.add(m.id);
  });
  return { models, settings: top.output.settings ?? {} };
}
