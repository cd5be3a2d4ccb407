/**
 * The models the editor offers: the built-in catalog, overridden or extended by the `tokenscope.models` setting
 * (entries of the same shape as the CLI config's models, validated one by one so one bad entry names its field and
 * does not hide the others). Pure: no `vscode`.
 */
import { BUILTIN_MODELS } from './catalog';
import { ConfigError, parseModel } from './config';
import type { ModelSpec, Region } from './types';

export const MODELS_SETTING = 'tokenscope.models';

export interface ModelList {
  models: ModelSpec[];
  /** One message per invalid entry, naming the field, e.g. "Settings: tokenscope.models[2].baseUrl: must be …". */
  errors: string[];
}

export function resolveModelList(setting: unknown, where = 'Settings'): ModelList {
  const errors: string[] = [];
  const models = [...BUILTIN_MODELS];
  if (setting === undefined || setting === null) return { models, errors };
  if (!Array.isArray(setting))
    return { models, errors: [`${where}: ${MODELS_SETTING}: must be an array of model entries.`] };
  const seen = new Set<string>();
  setting.forEach((raw, i) => {
    let spec: ModelSpec;
    try {
      spec = parseModel(raw, where, [MODELS_SETTING, i]);
    } catch (e) {
      errors.push(e instanceof ConfigError ? e.message : `${where}: ${MODELS_SETTING}[${i}]: ${(e as Error).message}`);
      return;
    }
    if (seen.has(spec.id)) {
      errors.push(`${where}: ${MODELS_SETTING}[${i}].id: "${spec.id}" is used twice; ids must be unique.`);
      return;
    }
    seen.add(spec.id);
    const at = models.findIndex((m) => m.id === spec.id);
    if (at >= 0) models[at] = spec;
    else models.push(spec);
  });
  return { models, errors };
}

/** What `WorkspaceConfiguration.inspect()` reports for a setting, per scope. */
export interface SettingScopes {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The `tokenscope.models` value to use. A model entry decides where a key is sent (`baseUrl`, `apiKeyEnv`,
 * `headers`), so in a workspace the user has not trusted only the user's own settings count: opening a
 * hostile repository must not be able to send a key anywhere. `ignored` says a workspace value was set aside.
 */
export function modelsSettingValue(
  scopes: SettingScopes | undefined,
  trusted: boolean,
): { value: unknown; ignored: boolean } {
  if (!scopes) return { value: undefined, ignored: false };
  const fromWorkspace = scopes.workspaceFolderValue ?? scopes.workspaceValue;
  if (trusted) return { value: fromWorkspace ?? scopes.globalValue ?? scopes.defaultValue, ignored: false };
  return { value: scopes.globalValue ?? scopes.defaultValue, ignored: fromWorkspace !== undefined };
}

export const UNTRUSTED_MODELS_NOTICE = `This workspace's ${MODELS_SETTING} setting is ignored because the workspace is not trusted (a model entry decides which host receives an API key). Trust the workspace to use it, or add the models to your user settings.`;

export const REGION_TITLES: Readonly<Record<Region, string>> = { CN: 'China', US: 'United States', local: 'Local' };

/** Models grouped by region in the order CN, US, local (each group keeps the list's order). */
export function groupByRegion(models: readonly ModelSpec[]): { region: Region; models: ModelSpec[] }[] {
  return (['CN', 'US', 'local'] as const)
    .map((region) => ({ region, models: models.filter((m) => m.region === region) }))
    .filter((g) => g.models.length > 0);
}

/** The distinct key variables of `models`, each with the models that use it. */
export function keyVariables(models: readonly ModelSpec[]): { env: string; models: ModelSpec[] }[] {
  const byEnv = new Map<string, ModelSpec[]>();
  for (const m of models) if (m.apiKeyEnv) byEnv.set(m.apiKeyEnv, [...(byEnv.get(m.apiKeyEnv) ?? []), m]);
  return [...byEnv].map(([env, ms]) => ({ env, models: ms }));
}

export type KeyState = 'secret' | 'env' | 'none' | undefined;

export interface PickerEntry {
  spec: ModelSpec;
  /** False when the model needs a key that is not set. */
  canRun: boolean;
  /** Ticked at first: only when it was chosen before (or is a default) and can run. */
  picked: boolean;
  /** How its key stands, or its fix. */
  keyText: string;
}

/**
 * The model picker's order: models that can run (key present or none needed) first, grouped by region; then those
 * without a key, each with its fix. A model that cannot run is never ticked in advance.
 */
export function pickerEntries(
  models: readonly ModelSpec[],
  keyState: (m: ModelSpec) => KeyState,
  preselected: readonly string[],
): { ready: { region: Region; entries: PickerEntry[] }[]; keyless: PickerEntry[] } {
  const entry = (spec: ModelSpec): PickerEntry => {
    const key = keyState(spec);
    const canRun = key !== undefined;
    const keyText =
      key === 'none'
        ? spec.region === 'local'
          ? 'no key needed (local)'
          : 'no key needed'
        : key === 'secret'
          ? 'key stored'
          : key === 'env'
            ? `key from ${spec.apiKeyEnv}`
            : `no key: set ${spec.apiKeyEnv} with Tokenscope: Set API Key`;
    return { spec, canRun, picked: canRun && preselected.includes(spec.id), keyText };
  };
  const all = models.map(entry);
  return {
    ready: groupByRegion(all.filter((e) => e.canRun).map((e) => e.spec)).map((g) => ({
      region: g.region,
      entries: g.models.map((m) => all.find((e) => e.spec === m)!),
    })),
    keyless: all.filter((e) => !e.canRun),
  };
}

/**
 * One message with every problem of every invalid tokenscope.models entry (an entry can have several), so a user
 * fixes them all in one go; undefined when there is none.
 */
export function modelErrorsMessage(errors: readonly string[]): string | undefined {
  const problems = errors.flatMap((e) => e.split('\n')).filter(Boolean);
  if (!problems.length) return undefined;
  const head = `Tokenscope: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${MODELS_SETTING} (${errors.length === 1 ? 'that entry is' : 'those entries are'} left out)`;
  return `${head}: ${problems.map((p) => p.replace(/^Settings: /, '')).join(' · ')}`;
}
