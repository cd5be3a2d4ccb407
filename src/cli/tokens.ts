/** `tokenscope tokens FILE`: the text's size under each family's tokenizer, and its input cost per model. */
import { BUILTIN_MODELS } from '../core/catalog';
import { ConfigError, parseConfig } from '../core/config';
import { fixed } from '../core/report/format';
import { alignColumns } from '../core/report/table';
import { tokenizerFamilyFor } from '../core/tokenizers/forModel';
import { tokenStats, type TokenStats } from '../core/tokenizers';
import type { ModelSpec, Region, TokenizerFamily } from '../core/types';
import { MAX_CONFIG_FILE_BYTES } from '../core/limits';
import { readTextFile, UsageError, type Io } from './io';
import { checkPromptText } from '../core/promptCheck';
import { describePriceSource, priceUsage } from '../core/pricing';

export interface ModelTokenRow {
  id: string;
  region: Region;
  tokenizer: TokenizerFamily;
  /** True when the model has no tokenizer of its own here and the reference family stands in. */
  approximate: boolean;
  tokens: number;
  /** Input price × tokens at the current rate; null without a price. */
  inputCostUsd: number | null;
  /** Where the price came from ("genai-prices 0.1.8, data of 2026-09-23" or "your config"); null without one. */
  priceSource: string | null;
}

export interface TokensReport extends TokenStats {
  models: ModelTokenRow[];
}

/** Per-model rows from per-family counts (pure, so the arithmetic is tested without tokenizers). */
export function modelTokenRows(
  stats: TokenStats,
  models: readonly ModelSpec[],
  at: Date = new Date(),
): ModelTokenRow[] {
  return models.map((m) => {
    const { family, own } = tokenizerFamilyFor(m);
    const tokens = stats.families[family]?.tokens ?? 0;
    const exact = stats.families[family]?.exact ?? false;
    const priced = priceUsage(m, { inputTokens: tokens, outputTokens: 0 }, at);
    return {
      id: m.id,
      region: m.region,
      tokenizer: family,
      approximate: !own || !exact,
      tokens,
      inputCostUsd: priced.costUsd,
      priceSource: priced.priceSource ? describePriceSource(priced.priceSource) : null,
    };
  });
}

export async function tokens(args: { file?: string; json?: boolean; config?: string }, io: Io): Promise<number> {
  if (!args.file) throw new UsageError('tokens: give the file to count');
  const text = await readTextFile(args.file, 'file');
  const check = checkPromptText(text, 'count', `the file "${args.file}"`);
  if (!check.ok) throw new UsageError(check.message.charAt(0).toLowerCase() + check.message.slice(1));
  let models: readonly ModelSpec[] = BUILTIN_MODELS;
  if (args.config) {
    const configText = await readTextFile(args.config, 'config file', MAX_CONFIG_FILE_BYTES);
    try {
      models = parseConfig(configText, args.config).models;
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(e.message);
      throw e;
    }
  }
  const stats = await tokenStats(text);
  const report: TokensReport = { ...stats, models: modelTokenRows(stats, models) };
  if (args.json) {
    io.out(JSON.stringify(report, null, 2));
    return 0;
  }
  const n = fixed(2);
  const familyRows = Object.entries(stats.families).map(([family, s]) => [
    family + (s.exact ? '' : ' (approx.)'),
    String(s.tokens),
    n(s.charsPerToken),
    n(s.bytesPerToken),
  ]);
  const modelRows = report.models.map((m) => [
    m.id,
    m.region,
    m.tokenizer + (m.approximate ? ' ≈' : ''),
    String(m.tokens),
    m.inputCostUsd === null ? '—' : `$${m.inputCostUsd.toFixed(6)}`,
    m.priceSource ?? '—',
  ]);
  const notes = Object.values(stats.families).flatMap((s) => (s.note ? [s.note] : []));
  io.out(
    [
      `${stats.chars} characters, ${stats.bytes} UTF-8 bytes`,
      '',
      alignColumns([['family', 'tokens', 'chars/token', 'bytes/token'], ...familyRows]),
      '',
      alignColumns([['model', 'region', 'tokenizer', 'tokens', 'input cost', 'price from'], ...modelRows]),
      '',
      "≈: no exact public tokenizer for this model here; counted with the family shown. Input costs are at today's rates, from the source shown.",
      ...notes.map((x) => `note: ${x}`),
    ].join('\n'),
  );
  return 0;
}
