/** Which models an editor benchmark runs: the configured ones, local servers found now, and the ids asked for. */
import type { ModelSpec } from './types';

/** Local servers are probed only when the picker opens (no ids) or an id is not configured (a discovered id). */
export function needsLocalProbe(ids: readonly string[] | undefined, configured: readonly ModelSpec[]): boolean {
  return !ids?.length || ids.some((id) => !configured.some((m) => m.id === id));
}

/** Local models found on this machine that are not configured already (same id or same base URL), as in the CLI. */
export function newLocalModels(found: readonly ModelSpec[], configured: readonly ModelSpec[]): ModelSpec[] {
  return found.filter((m) => !configured.some((c) => c.id === m.id || c.baseUrl === m.baseUrl));
}

/** The models of the ids asked for, in that order; or the ids no model has. */
export function modelsById(
  ids: readonly string[],
  all: readonly ModelSpec[],
): { models: ModelSpec[] } | { unknown: string[] } {
  const unknown = ids.filter((id) => !all.some((m) => m.id === id));
  return unknown.length ? { unknown } : { models: ids.map((id) => all.find((m) => m.id === id)!) };
}
