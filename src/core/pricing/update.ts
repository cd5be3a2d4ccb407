/**
 * `tokenscope prices --update` and "Tokenscope: Update Prices": fetches the newer price data genai-prices
 * publishes (the package's REMOTE_DATA_JSON_URL, the file its own updatePrices() examples fetch), validates it,
 * makes it the engine's data and caches it in the user's data folder for later runs. Offline, or with a bad file,
 * nothing changes and the message says which data stays in use. Only this command fetches: a benchmark never
 * waits on the network for prices.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Provider } from '@pydantic/genai-prices';
import {
  activateProviders,
  BUNDLED_PRICES,
  priceEngine,
  pricesCachePath,
  type PriceCacheFile,
  type PriceDataStatus,
} from './engine';
import { validatePriceData } from './validate';

export interface UpdateOptions {
  /** Where to fetch from: default $TOKENSCOPE_PRICES_URL, else genai-prices' own data URL. */
  url?: string;
  cachePath?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface UpdateResult {
  ok: boolean;
  /** One plain sentence or two: what happened and which data is now in use. */
  message: string;
  status: PriceDataStatus;
}

/** The newer data is a few hundred kB; anything far larger is not it. */
const MAX_BYTES = 32 * 1024 * 1024;

function inUse(status: PriceDataStatus): string {
  return status.data === 'updated'
    ? `the update cached on ${status.dataDate}`
    : `the bundled genai-prices ${BUNDLED_PRICES.version} data of ${status.dataDate}`;
}

function why(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timed out';
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

export function priceDataUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.TOKENSCOPE_PRICES_URL || priceEngine().engine.REMOTE_DATA_JSON_URL;
}

export async function updatePriceData(options: UpdateOptions = {}): Promise<UpdateResult> {
  const env = options.env ?? process.env;
  const url = options.url ?? priceDataUrl(env);
  const cachePath = options.cachePath ?? pricesCachePath(env);
  const before = priceEngine().status;
  const keep = (reason: string): UpdateResult => ({
    ok: false,
    message: `Prices not updated: ${reason}. Costs keep using ${inUse(before)}; benchmarks are not affected.`,
    status: before,
  });

  let text: string;
  let lastModified: string | undefined;
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) return keep(`${url} answered HTTP ${res.status}`);
    text = await res.text();
    lastModified = res.headers.get('last-modified') ?? undefined;
  } catch (e) {
    return keep(`could not reach ${url} (${why(e)}); check the network or try again when online`);
  }
  if (text.length > MAX_BYTES) return keep(`${url} sent ${text.length} bytes, far more than price data`);

  let providers: Provider[];
  try {
    providers = JSON.parse(text) as Provider[];
  } catch (e) {
    return keep(`${url} did not send JSON (${(e as Error).message})`);
  }
  const invalid = validatePriceData(providers);
  if (invalid) return keep(`the data from ${url} is not valid genai-prices data (${invalid})`);

  const fetchedAt = new Date().toISOString();
  const status: PriceDataStatus = { data: 'updated', dataDate: fetchedAt.slice(0, 10) };
  try {
    activateProviders(providers, status);
  } catch (e) {
    return keep(`genai-prices ${BUNDLED_PRICES.version} refused the data from ${url} (${(e as Error).message})`);
  }

  const cache: PriceCacheFile = {
    fetchedAt,
    url,
    ...(lastModified ? { lastModified } : {}),
    validatedWith: BUNDLED_PRICES.version,
    providers,
  };
  const models = providers.reduce((n, p) => n + p.models.length, 0);
  const got = `${providers.length} providers, ${models} models from ${url}${lastModified ? ` (last modified ${lastModified})` : ''}`;
  try {
    await mkdir(dirname(cachePath), { recursive: true });
    const tmp = `${cachePath}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(cache));
    await rename(tmp, cachePath);
  } catch (e) {
    return {
      ok: true,
      message: `Prices updated for this session only: ${got}. They could not be cached at ${cachePath} (${why(e)}), so later runs use the bundled data.`,
      status,
    };
  }
  return {
    ok: true,
    message: `Prices updated: ${got}, cached at ${cachePath}. Costs now say "genai-prices ${BUNDLED_PRICES.version}, updated data of ${status.dataDate}".`,
    status,
  };
}
