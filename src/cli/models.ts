/** `tokenscope models [--json]`: the models Tokenscope knows, with where their facts and prices come from. */
import { BUILTIN_MODELS, CATALOG_READ_ON } from '../core/catalog';
import { ConfigError, parseConfig } from '../core/config';
import { BUNDLED_PRICES, catalogPriceSource, priceEngine, priceUsage, type CatalogPriceSource } from '../core/pricing';
import { alignColumns } from '../core/report/table';
import { formatUsd } from '../core/report/format';
import type { ModelSpec, ProtocolId, Region } from '../core/types';
import { readTextFile, UsageError, type Io } from './io';

/** One entry of `models --json`. */
export interface ModelEntry {
  id: string;
  provider: string | null;
  region: Region;
  protocol: ProtocolId;
  baseUrl: string;
  model: string;
  apiKeyEnv: string | null;
  contextWindow: number | null;
  readOn: string | null;
  baseModel: string | null;
  label: string | null;
  priceSource?: CatalogPriceSource;
}

export function modelEntries(models: readonly ModelSpec[], at: Date = new Date()): ModelEntry[] {
  return models.map((m) => {
    const priceSource = catalogPriceSource(m, at);
    return {
      id: m.id,
      provider: m.provider ?? null,
      region: m.region,
      protocol: m.protocol,
      baseUrl: m.baseUrl,
      model: m.model,
      apiKeyEnv: m.apiKeyEnv ?? null,
      contextWindow: m.contextWindow ?? null,
      readOn: m.readOn ?? null,
      baseModel: m.baseModel ?? null,
      label: m.label ?? null,
      ...(priceSource ? { priceSource } : {}),
    };
  });
}

/** USD per million tokens now (1,000 tokens × 1,000, so a long-prompt tier never applies). */
function ratePerM(spec: ModelSpec, inputTokens: number, outputTokens: number, at: Date): string {
  const cost = priceUsage(spec, { inputTokens, outputTokens }, at).costUsd;
  return cost === null ? '—' : formatUsd(cost * 1000);
}

export async function models(args: { json?: boolean; config?: string }, io: Io): Promise<number> {
  let list: readonly ModelSpec[] = BUILTIN_MODELS;
  if (args.config) {
    try {
      list = parseConfig(await readTextFile(args.config, 'config file'), args.config).models;
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(e.message);
      throw e;
    }
  }
  const at = new Date();
  if (args.json) {
    io.out(JSON.stringify({ models: modelEntries(list, at) }, null, 2));
    return 0;
  }
  const { status } = priceEngine();
  const rows = list.map((m) => [
    m.id,
    m.provider ?? '—',
    m.region,
    m.model,
    m.contextWindow ? `${Math.round(m.contextWindow / 1000)}k` : '—',
    m.apiKeyEnv ? `${m.apiKeyEnv}${io.env[m.apiKeyEnv] ? ' (set)' : ''}` : '—',
    ratePerM(m, 1000, 0, at),
    ratePerM(m, 0, 1000, at),
    m.readOn ?? '—',
  ]);
  io.out(
    [
      alignColumns([['id', 'provider', 'region', 'model', 'context', 'key', 'in $/M', 'out $/M', 'read on'], ...rows]),
      '',
      `Built-in catalog read on ${CATALOG_READ_ON}. Prices per million tokens right now (peak hours and long-prompt tiers vary them), from genai-prices ${BUNDLED_PRICES.version} (${status.data} data of ${status.dataDate}) or your config; "—": no price known.`,
      "Region is where the model comes from: OpenRouter, Fireworks, Baseten and SiliconFlow entries keep their model's region, so one OPENROUTER_API_KEY covers a CN vs US comparison.",
      ...(status.problem ? [`warning: ${status.problem}`] : []),
    ].join('\n'),
  );
  return 0;
}
