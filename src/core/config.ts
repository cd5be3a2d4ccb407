/**
 * The benchmark config file: its schema, and validation errors that name the offending field.
 * Entries whose id matches a built-in model inherit that model's fields, so `{ "id": "deepseek-chat" }`
 * is a complete entry and `{ "id": "deepseek-chat", "baseUrl": "..." }` overrides one field.
 */
import { z } from 'zod';
import { findBuiltin } from './catalog';
import { PROTOCOLS, REGIONS, TOKENIZER_FAMILIES, type ModelSpec } from './types';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an http:// or https:// URL');

const priceSchema = z.strictObject({
  inputPerM: z.number().nonnegative(),
  outputPerM: z.number().nonnegative(),
  cachedInputPerM: z.number().nonnegative().optional(),
  readOn: z.string().optional(),
});

const secretHeader = /^(authorization|x-api-key|x-goog-api-key|api-key)$/i;

export const modelSchema = z.strictObject({
  id: z.string().min(1),
  protocol: z.enum(PROTOCOLS as [string, ...string[]]),
  baseUrl: httpUrl,
  model: z.string().min(1),
  region: z.enum(REGIONS as [string, ...string[]]),
  apiKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable, not a key').optional(),
  tokenizer: z.enum(TOKENIZER_FAMILIES as [string, ...string[]]).optional(),
  price: priceSchema.optional(),
  contextWindow: z.number().int().positive().optional(),
  label: z.string().optional(),
  reasoning: z.boolean().optional(),
  maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
  extraBody: z.record(z.string(), z.unknown()).optional(),
  headers: z
    .record(z.string(), z.string())
    .refine((h) => !Object.keys(h).some((k) => secretHeader.test(k)), 'must not hold API keys; name an environment variable in "apiKeyEnv" instead')
    .optional(),
});

export const settingsSchema = z.strictObject({
  runs: z.number().int().min(1).max(1000).optional(),
  warmup: z.number().int().min(0).max(100).optional(),
  concurrency: z.number().int().min(1).max(1024).optional(),
  maxTokens: z.number().int().min(1).optional(),
  timeoutMs: z.number().int().min(1).optional(),
  stallTimeoutMs: z.number().int().min(1).optional(),
});

const configSchema = z.strictObject({
  $schema: z.string().optional(),
  models: z.array(z.unknown()).min(1, 'must list at least one model'),
  settings: settingsSchema.optional(),
});

export type BenchSettings = z.infer<typeof settingsSchema>;

export interface BenchConfig {
  models: ModelSpec[];
  settings: BenchSettings;
}

/** models[0].price.inputPerM */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') || '(top level)';
}

function formatIssues(where: string, error: z.ZodError, prefix: (string | number)[] = []): string {
  return error.issues.map((issue) => `${where}: ${fieldPath([...prefix, ...issue.path])}: ${issue.message}`).join('\n');
}

/** Validates one model entry (after merging a built-in of the same id). Throws ConfigError naming the field. */
export function parseModel(raw: unknown, where: string, path: (string | number)[] = []): ModelSpec {
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'apiKey' in raw) {
    throw new ConfigError(`${where}: ${fieldPath([...path, 'apiKey'])}: API keys do not belong in config files; put the key in an environment variable and name it in "apiKeyEnv".`);
  }
  const id = raw && typeof raw === 'object' ? (raw as { id?: unknown }).id : undefined;
  const builtin = typeof id === 'string' ? findBuiltin(id) : undefined;
  const merged = builtin && raw && typeof raw === 'object' ? { ...builtin, ...raw } : raw;
  const result = modelSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(formatIssues(where, result.error, path));
  return result.data as ModelSpec;
}

/** Parses a config file's text. `where` names the file in messages. */
export function parseConfig(text: string, where: string): BenchConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${where}: not valid JSON (${(e as Error).message}).`);
  }
  const top = configSchema.safeParse(json);
  if (!top.success) throw new ConfigError(formatIssues(where, top.error));
  const models = top.data.models.map((m, i) => parseModel(m, where, ['models', i]));
  const seen = new Set<string>();
  models.forEach((m, i) => {
    if (seen.has(m.id)) throw new ConfigError(`${where}: models[${i}].id: "${m.id}" is used twice; ids must be unique.`);
    seen.add(m.id);
  });
  return { models, settings: top.data.settings ?? {} };
}
