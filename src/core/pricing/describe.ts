/** A price source in a few words. Pure (no engine, no Node modules), so webviews and reports can use it. */
import type { PriceSource } from '../types';

/** e.g. "genai-prices 0.1.8, data of 2026-09-23", "genai-prices 0.1.8, updated data of 2026-12-03", "your config". */
export function describePriceSource(p: PriceSource | undefined): string {
  if (!p) return '—';
  if (p.kind === 'config') return p.readOn ? `your config (read ${p.readOn})` : 'your config';
  if (p.kind === 'provider') return 'billed by the provider (its usage report)';
  return `genai-prices ${p.version}, ${p.data === 'updated' ? 'updated ' : ''}data of ${p.dataDate}`;
}
