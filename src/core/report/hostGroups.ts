/**
 * Same model, different hosts: results that share a base model (DeepSeek V4 Flash from DeepSeek, OpenRouter and
 * Fireworks, say) grouped so the table, the panel and the exports can say which host served it fastest and
 * cheapest. Pure: no `vscode`.
 */
import { describePriceSource } from '../pricing/describe';
import type { ModelResult, PriceSource } from '../types';
import { fixed, formatUsd } from './format';

export interface HostGroup {
  baseModel: string;
  /** Result ids, fastest decode rate first (ids without a rate last). */
  ids: string[];
  fastestId: string | null;
  cheapestId: string | null;
}

type Groupable = Pick<ModelResult, 'id' | 'baseModel' | 'summary'>;

const median = (r: Groupable, metric: 'decodeTps' | 'costUsd' | 'ttftMs') => r.summary[metric]?.median ?? null;

/** Groups of two or more results with the same base model, in the order their first member appears. */
export function hostGroups(results: readonly Groupable[]): HostGroup[] {
  const byBase = new Map<string, Groupable[]>();
  for (const r of results) if (r.baseModel) byBase.set(r.baseModel, [...(byBase.get(r.baseModel) ?? []), r]);
  const groups: HostGroup[] = [];
  for (const [baseModel, members] of byBase) {
    if (members.length < 2) continue;
    const ranked = [...members].sort(
      (a, b) => (median(b, 'decodeTps') ?? -Infinity) - (median(a, 'decodeTps') ?? -Infinity),
    );
    const best = (metric: 'decodeTps' | 'costUsd', better: (a: number, b: number) => boolean) =>
      members.reduce<Groupable | null>((acc, r) => {
        const v = median(r, metric);
        return v !== null && (acc === null || better(v, median(acc, metric)!)) ? r : acc;
      }, null)?.id ?? null;
    groups.push({
      baseModel,
      ids: ranked.map((r) => r.id),
      fastestId: best('decodeTps', (a, b) => a > b),
      cheapestId: best('costUsd', (a, b) => a < b),
    });
  }
  return groups;
}

/** The groups as text lines, for the CLI table and the Markdown export. */
export function hostGroupLines(results: readonly Groupable[]): string[] {
  const groups = hostGroups(results);
  if (!groups.length) return [];
  const byId = new Map(results.map((r) => [r.id, r]));
  const lines = ['Same model, different hosts (fastest first; median decode rate in own tokens, TTFT, cost per run):'];
  for (const g of groups) {
    const parts = g.ids.map((id) => {
      const r = byId.get(id)!;
      const tps = median(r, 'decodeTps');
      const ttft = median(r, 'ttftMs');
      const cost = median(r, 'costUsd');
      const marks = [id === g.fastestId ? 'fastest' : '', id === g.cheapestId ? 'cheapest' : '']
        .filter(Boolean)
        .join(', ');
      return `${id} ${fixed(1)(tps)} tok/s, ${fixed(0)(ttft)} ms, ${cost === null ? '—' : formatUsd(cost)}${marks ? ` (${marks})` : ''}`;
    });
    lines.push(`  ${g.baseModel}: ${parts.join(' · ')}`);
  }
  return lines;
}

/** One line naming where each result's costs were priced from, e.g. "Costs: genai-prices 0.1.8, data of … (a, b); your config (c)". */
export function priceSourceLine(results: readonly Pick<ModelResult, 'id' | 'runs'>[]): string | null {
  const bySource = new Map<string, string[]>();
  const unpriced: string[] = [];
  for (const r of results) {
    const source: PriceSource | undefined = r.runs.find((x) => x.priceSource)?.priceSource;
    if (!source) {
      if (r.runs.some((x) => x.ok)) unpriced.push(r.id);
      continue;
    }
    const key = describePriceSource(source);
    bySource.set(key, [...(bySource.get(key) ?? []), r.id]);
  }
  const parts = [...bySource].map(([source, ids]) => `${source} (${ids.join(', ')})`);
  if (unpriced.length) parts.push(`no price (${unpriced.join(', ')})`);
  return parts.length ? `Costs: ${parts.join('; ')}.` : null;
}
