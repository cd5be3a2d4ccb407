/**
 * Runtime guards for what crosses the webview boundary. Both sides validate: a webview can be scripted by
 * whatever it renders, and a message from the extension passes through structured cloning.
 */
import { REGIONS, type Region } from '../../core/types';

export type Guard<T> = (v: unknown) => v is T;

export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const isStr: Guard<string> = (v): v is string => typeof v === 'string';
export const isBool: Guard<boolean> = (v): v is boolean => typeof v === 'boolean';
export const isNum: Guard<number> = (v): v is number => typeof v === 'number' && Number.isFinite(v);
export const isNumOrNull: Guard<number | null> = (v): v is number | null => v === null || isNum(v);
export const isStrOrNull: Guard<string | null> = (v): v is string | null => v === null || isStr(v);

export const optional =
  <T>(g: Guard<T>): Guard<T | undefined> =>
  (v): v is T | undefined =>
    v === undefined || g(v);

export const arrayOf =
  <T>(g: Guard<T>): Guard<T[]> =>
  (v): v is T[] =>
    Array.isArray(v) && v.every(g);

export const oneOf =
  <T extends string>(values: readonly T[]): Guard<T> =>
  (v): v is T =>
    typeof v === 'string' && (values as readonly string[]).includes(v);

export const isRegion: Guard<Region> = oneOf(REGIONS);

/** An object whose listed fields pass their guards (other fields are ignored by the renderer). */
export function shape<T>(fields: { [K in keyof T]-?: Guard<T[K]> }): Guard<T> {
  return (v): v is T => isObj(v) && Object.entries(fields).every(([k, g]) => (g as Guard<unknown>)(v[k]));
}

export function record<K extends string, V>(keys: readonly K[], g: Guard<V>): Guard<Record<K, V>> {
  return (v): v is Record<K, V> => isObj(v) && keys.every((k) => g(v[k]));
}

/** One reader per message type of a union: the compiler insists on a reader for every type. */
export type MessageReaders<M extends { type: string }> = {
  [T in M['type']]: (data: Record<string, unknown>) => Extract<M, { type: T }> | undefined;
};

/**
 * Validates a message with its type's reader; undefined when it is malformed or of a type this union does not
 * have (own keys only, so "toString" or "__proto__" is no type). Readers return fresh objects without extra fields.
 */
export function readMessage<M extends { type: string }>(readers: MessageReaders<M>, data: unknown): M | undefined {
  if (!isObj(data) || typeof data.type !== 'string' || !Object.hasOwn(readers, data.type)) return undefined;
  return (readers as Record<string, (d: Record<string, unknown>) => M | undefined>)[data.type](data);
}
