/**
 * The price database, @pydantic/genai-prices, loaded on first use: its module holds about 0.5 MB of price data,
 * so the extension and the CLI keep it out of their main bundles (esbuild writes it to dist/pricing/genai-prices.js,
 * required here only when a cost is first computed). Run from TypeScript sources (vitest) it is required directly.
 *
 * The engine prices with the data it was built with, unless the user ran `tokenscope prices --update`: then the
 * newer data cached in the user's data folder is used, once it passes validation (see ./update).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { Provider } from '@pydantic/genai-prices';
import { validatePriceData } from './validate';

export type GenaiPrices = typeof import('@pydantic/genai-prices');

export const PRICE_PACKAGE = '@pydantic/genai-prices';
/**
 * The bundled package's version and the date its data was published (npm registry publish time of 0.1.8,
 * read 2026-12-03). A unit test fails when the installed package differs, so the two move together.
 */
export const BUNDLED_PRICES = { version: '0.1.8', dataDate: '2026-09-23' } as const;

/** Which data the engine prices with. */
export interface PriceDataStatus {
  data: 'bundled' | 'updated';
  /** ISO date of the data: the package's publish date, or the day the update was fetched. */
  dataDate: string;
  /** Why a cached update was not used (unreadable or invalid), when there is one. */
  problem?: string;
}

/** The file `prices --update` writes: the fetched provider list and when and where it came from. */
export interface PriceCacheFile {
  fetchedAt: string;
  url: string;
  /** The server's Last-Modified header, when it sent one. */
  lastModified?: string;
  /** The genai-prices version that validated it. */
  validatedWith: string;
  providers: Provider[];
}

/** Where updated price data is cached: $TOKENSCOPE_PRICES_CACHE, else beside the history in ~/.tokenscope. */
export function pricesCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TOKENSCOPE_PRICES_CACHE || path.join(homedir(), '.tokenscope', 'genai-prices.json');
}

let engine: GenaiPrices | undefined;
let cacheFile: string | undefined;
let bundledProviders: Promise<Provider[] | null> | undefined;
let status: PriceDataStatus = { data: 'bundled', dataDate: BUNDLED_PRICES.dataDate };

function requireEngine(): GenaiPrices {
  if (typeof TOKENSCOPE_BUNDLED !== 'undefined' && TOKENSCOPE_BUNDLED) {
    // The path is computed so that esbuild leaves this require alone instead of inlining the chunk.
    const dir = typeof TOKENSCOPE_PRICING_DIR !== 'undefined' ? TOKENSCOPE_PRICING_DIR : 'pricing';
    return require(path.join(__dirname, dir, 'genai-prices.js')) as GenaiPrices;
  } else {
    // An else branch, so esbuild drops it (and the package) from the bundles.
    return require('@pydantic/genai-prices') as GenaiPrices;
  }
}

/** The engine, with the user's cached update applied when there is a valid one. */
export function priceEngine(): { engine: GenaiPrices; status: PriceDataStatus } {
  if (!engine) {
    engine = requireEngine();
    // Before any update replaces it, the engine's active data is the bundled list: kept to return to.
    bundledProviders = engine.waitForUpdate();
    status = applyCacheFile(engine, cacheFile ?? pricesCachePath());
  }
  return { engine, status };
}

/**
 * Reads cached updates from `file` instead of the default (the CLI passes its own environment's path). Once the
 * engine is loaded, a valid file there is applied at once; a missing or invalid one leaves the data as it is.
 */
export function usePricesCache(file: string): void {
  if (file === cacheFile) return;
  cacheFile = file;
  if (!engine) return;
  const next = applyCacheFile(engine, file);
  if (next.data === 'updated' || next.problem)
    status = next.data === 'updated' ? next : { ...status, problem: next.problem };
}

/** Makes `providers` the engine's data. Throws (and keeps the old data) when the engine refuses them. */
export function activateProviders(providers: Provider[], next: PriceDataStatus): void {
  const e = priceEngine().engine;
  e.updatePrices(({ setProviderData }) => setProviderData(providers));
  status = next;
}

/** Returns to the data the package was built with (tests, and a cache the user deleted). */
export async function useBundledPrices(): Promise<void> {
  const e = priceEngine().engine;
  const providers = await bundledProviders!;
  if (providers) e.updatePrices(({ setProviderData }) => setProviderData(providers));
  status = { data: 'bundled', dataDate: BUNDLED_PRICES.dataDate };
}

/** Reads the cache file, if any, and uses it when valid; otherwise keeps the bundled data and says why. */
export function applyCacheFile(e: GenaiPrices, file: string): PriceDataStatus {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { data: 'bundled', dataDate: BUNDLED_PRICES.dataDate };
  }
  const bundled = { data: 'bundled' as const, dataDate: BUNDLED_PRICES.dataDate };
  let cache: PriceCacheFile;
  try {
    cache = JSON.parse(text) as PriceCacheFile;
  } catch (err) {
    return {
      ...bundled,
      problem: `the cached price data at ${file} is not valid JSON (${(err as Error).message}); using the bundled data. Run "tokenscope prices --update" to fetch it again.`,
    };
  }
  const invalid = cache && typeof cache === 'object' ? validatePriceData(cache.providers) : 'it is not a JSON object';
  const fetchedAt = typeof cache?.fetchedAt === 'string' ? cache.fetchedAt.slice(0, 10) : '';
  if (invalid || !/^\d{4}-\d{2}-\d{2}$/.test(fetchedAt)) {
    return {
      ...bundled,
      problem: `the cached price data at ${file} is invalid (${invalid ?? 'no fetchedAt date'}); using the bundled data. Run "tokenscope prices --update" to fetch it again.`,
    };
  }
  try {
    e.updatePrices(({ setProviderData }) => setProviderData(cache.providers));
  } catch (err) {
    return {
      ...bundled,
      problem: `genai-prices ${BUNDLED_PRICES.version} refused the cached price data at ${file} (${(err as Error).message}); using the bundled data.`,
    };
  }
  return { data: 'updated', dataDate: fetchedAt };
}
