// Types for scripts/gen-history.mjs, so TypeScript tests can use its seeded generator.
export declare const MODELS: readonly {
  id: string;
  label: string;
  region: 'CN' | 'US' | 'local';
  protocol: string;
  host: string;
  tps: number;
}[];
export declare const CATEGORIES: readonly string[];
/** mulberry32: a small seedable PRNG returning numbers in [0, 1). */
export declare function prng(seed: number): () => number;
export declare function generateRecords(options?: {
  records?: number;
  weeks?: number;
  seed?: number;
  end?: string;
}): Generator<unknown>;
export declare function writeHistory(
  path: string,
  options?: { records?: number; weeks?: number; seed?: number; end?: string },
): Promise<unknown>;
