/**
 * What a run cost, and where the price came from. A "price" in the model's config wins ("your config");
 * otherwise genai-prices prices the usage (cache reads and writes at their own rates, long-prompt tiers,
 * peak/off-peak hours) at the run's own start time, so a saved run keeps the price in force that day.
 * A model genai-prices does not know gets no cost and a note saying how to add a price.
 */
import { modelWho } from '../errors';
import type { ModelSpec, Price, PriceSource } from '../types';
import { BUNDLED_PRICES, PRICE_PACKAGE, priceEngine } from './engine';

export { describePriceSource } from './describe';
export {
  BUNDLED_PRICES,
  PRICE_PACKAGE,
  pricesCachePath,
  priceEngine,
  usePricesCache,
  type PriceDataStatus,
} from './engine';

export interface TokenUsage {
  /** All input tokens, cached and cache-written ones included. */
  inputTokens: number | null;
  /** All output tokens, reasoning included. */
  outputTokens: number | null;
  cachedInputTokens?: number | null;
  cacheWriteInputTokens?: number | null;
}

export interface PricedUsage {
  costUsd: number | null;
  priceSource?: PriceSource;
  /** Why there is no cost, when a price was expected. */
  note?: string;
  /** The database has no price for this model (said once per model, see unpricedWarning), as opposed to a failed calculation. */
  unpriced?: true;
}

/** The genai-prices model behind a catalog entry, as `tokenscope models --json` lists it. */
export interface CatalogPriceSource {
  package: string;
  version: string;
  providerId: string;
  modelId: string;
}

function configCost(price: Price, u: TokenUsage): number | null {
  if (u.inputTokens === null || u.outputTokens === null) return null;
  const read = Math.min(u.cachedInputTokens ?? 0, u.inputTokens);
  const write = Math.min(u.cacheWriteInputTokens ?? 0, u.inputTokens - read);
  const plain = u.inputTokens - read - write;
  return (
    (plain * price.inputPerM +
      read * (price.cachedInputPerM ?? price.inputPerM) +
      write * (price.cacheWritePerM ?? price.inputPerM) +
      u.outputTokens * price.outputPerM) /
    1e6
  );
}

/** genai-prices wants input_tokens as the whole prompt, with the cached and cache-written parts inside it. */
function genaiUsage(u: TokenUsage): Record<string, number> {
  const usage: Record<string, number> = { input_tokens: u.inputTokens ?? 0, output_tokens: u.outputTokens ?? 0 };
  if (u.cachedInputTokens) usage.cache_read_tokens = u.cachedInputTokens;
  if (u.cacheWriteInputTokens) usage.cache_write_tokens = u.cacheWriteInputTokens;
  return usage;
}

/** How genai-prices finds the provider: the entry's provider id when the database knows it, else the base URL. */
function providerOptions(spec: ModelSpec): { providerId: string } | { providerApiUrl: string } {
  const { engine } = priceEngine();
  if (spec.provider && engine.findProvider({ providerId: spec.provider })) return { providerId: spec.provider };
  return { providerApiUrl: spec.baseUrl };
}

type GenaiCalc = ReturnType<typeof priceEngine>['engine']['calcPrice'];

/** Runs the engine with its warnings (unknown price keys in newer data) kept off the console. */
function quietly<T>(f: () => T): T {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return f();
  } finally {
    console.warn = warn;
  }
}

/** The cost of `usage` at `at` (the run's start), and where its price came from. */
export function priceUsage(spec: ModelSpec, usage: TokenUsage, at: Date | string): PricedUsage {
  if (spec.price) {
    const costUsd = configCost(spec.price, usage);
    return costUsd === null
      ? { costUsd }
      : { costUsd, priceSource: { kind: 'config', ...(spec.price.readOn ? { readOn: spec.price.readOn } : {}) } };
  }
  if (usage.inputTokens === null || usage.outputTokens === null) return { costUsd: null };
  // A local server bills nothing, and a URL on this machine never matches a provider.
  if (spec.region === 'local' && !spec.provider) return { costUsd: null };
  const { engine, status } = priceEngine();
  const data = `genai-prices ${BUNDLED_PRICES.version} (${status.data} data of ${status.dataDate})`;
  let result: ReturnType<GenaiCalc>;
  try {
    result = quietly(() =>
      engine.calcPrice(genaiUsage(usage), spec.model, { ...providerOptions(spec), timestamp: new Date(at) }),
    );
  } catch (e) {
    return {
      costUsd: null,
      note: `${modelWho(spec)}: ${data} could not price this run's usage (${(e as Error).message}); cost left empty.`,
    };
  }
  if (!result) {
    const where = spec.provider ? `provider "${spec.provider}"` : new URL(spec.baseUrl).host;
    return {
      costUsd: null,
      unpriced: true,
      note: `${modelWho(spec)}: ${data} has no price for model "${spec.model}" at ${where}; cost left empty. To price it, add "price" (USD per million tokens) to this model in your config, or run "tokenscope prices --update".`,
    };
  }
  return {
    costUsd: result.total_price,
    priceSource: {
      kind: 'genai-prices',
      package: PRICE_PACKAGE,
      version: BUNDLED_PRICES.version,
      data: status.data,
      dataDate: status.dataDate,
      providerId: result.provider.id,
      modelId: result.model.id,
    },
  };
}

/** Which genai-prices entry prices a model today; undefined when its config sets a price or the database lacks it. */
export function catalogPriceSource(spec: ModelSpec, at: Date = new Date()): CatalogPriceSource | undefined {
  if (spec.price) return undefined;
  const p = priceUsage(spec, { inputTokens: 1, outputTokens: 1 }, at).priceSource;
  return p?.kind === 'genai-prices'
    ? { package: p.package, version: p.version, providerId: p.providerId, modelId: p.modelId }
    : undefined;
}

/** The warning for a model no price covers (null when one does, or when it runs locally and costs nothing). */
export function unpricedWarning(spec: ModelSpec, at: Date = new Date()): string | null {
  const priced = priceUsage(spec, { inputTokens: 1, outputTokens: 1 }, at);
  return priced.unpriced && priced.note ? priced.note : null;
}

/** USD per million input and output tokens right now (priced as 1,000 tokens × 1,000, below any long-prompt tier). */
export function ratesPerM(
  spec: ModelSpec,
  at: Date = new Date(),
): { inputPerM: number; outputPerM: number; source: PriceSource } | null {
  const input = priceUsage(spec, { inputTokens: 1000, outputTokens: 0 }, at);
  const output = priceUsage(spec, { inputTokens: 0, outputTokens: 1000 }, at);
  if (input.costUsd === null || output.costUsd === null || !input.priceSource) return null;
  return { inputPerM: input.costUsd * 1000, outputPerM: output.costUsd * 1000, source: input.priceSource };
}
