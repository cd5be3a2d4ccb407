/** Which key variable "Set API Key" is asked for: from a webview button, a notification or another extension. */
import { keyVariables } from './modelList';
import type { ModelSpec } from './types';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The key variable `target` names: a model's key variable, a model id (its key variable), or another variable
 * name that is no model's id. Undefined (ask which): no target, a keyless model, or something else.
 */
export function keyVariableFor(target: unknown, models: readonly ModelSpec[]): string | undefined {
  if (typeof target !== 'string') return undefined;
  const known =
    keyVariables(models).find((v) => v.env === target)?.env ?? models.find((m) => m.id === target)?.apiKeyEnv;
  if (known) return known;
  return ENV_NAME.test(target) && !models.some((m) => m.id === target) ? target : undefined;
}

/** Whether `name` can be an environment variable's name (a key slot of its own). */
export const isEnvName = (name: string): boolean => ENV_NAME.test(name);
