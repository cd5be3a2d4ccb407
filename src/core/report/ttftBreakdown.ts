/**
 * Where TTFT goes, as terminal text: cold vs warm prompt cache, TTFT against prompt length with the prefill fit,
 * and the request phases (network vs server). Printed under the main table.
 */
import { printable } from '../terminalText';
import type { BenchmarkReport, ModelResult } from '../types';
import { alignColumns } from './table';
import { fixed, formatUsd } from './format';
import { cacheModeNote } from './ttftView';

const ms = fixed(0);
const pct = (v: number | null | undefined) => (ms(v) === '—' ? '—' : `${ms(v)}%`);

function cacheRows(results: readonly ModelResult[]): string[][] {
  return results
    .filter((r) => r.cache)
    .map((r) => {
      const c = r.cache!;
      const saving = c.savingMs === null ? '—' : `${ms(c.savingMs)} (${pct(c.savingPct)})`;
      const cost =
        c.inputCostSavingUsd === null ? '—' : `${formatUsd(c.inputCostSavingUsd)} (${pct(c.inputCostSavingPct)})`;
      const hits = r.byCache?.warm ? `${r.byCache.warm.hits}/${r.byCache.warm.runs}` : '—';
      return [
        printable(r.id),
        ms(c.coldTtftMs),
        ms(c.warmTtftMs),
        saving,
        cost,
        hits,
        c.neverHit ? 'CACHE NEVER HIT' : '',
      ];
    });
}

function sweepLines(r: ModelResult): string[] {
  if (!r.sweep?.length) return [];
  const points = r.sweep.map((p) => `${Math.round(p.inputTokens)} tok → ${ms(p.ttftMs?.median)} ms`).join(', ');
  const fit = r.prefill;
  const fitText = !fit
    ? 'prefill: too few sizes to fit'
    : fit.tokensPerSec === null
      ? `prefill: TTFT did not grow with the prompt (overhead ${ms(fit.overheadMs)} ms), so no rate`
      : `prefill ${Math.round(fit.tokensPerSec).toLocaleString('en-US')} tok/s, overhead ${ms(fit.overheadMs)} ms (least squares over the medians of ${fit.points} sizes${fit.r2 !== null ? `, R² ${fit.r2.toFixed(2)}` : ''})`;
  return [`${printable(r.id)}: ${points}; ${fitText}`];
}

function phaseRows(results: readonly ModelResult[]): string[][] {
  return results
    .filter((r) => r.phases)
    .map((r) => {
      const p = r.phases!;
      return [
        printable(r.id),
        ms(p.dnsMs),
        ms(p.connectMs),
        ms(p.tlsMs),
        ms(p.sentMs),
        ms(p.headersMs),
        ms(p.firstByteMs),
        ms(p.ttftMs),
        p.serverProcessingMs === null ? '—' : `${ms(p.serverProcessingMs)} (server)`,
        `${p.freshConnections}/${p.reusedConnections}`,
      ];
    });
}

/** The sections that apply to this report, or '' when none does. */
export function formatTtftBreakdown(report: BenchmarkReport): string {
  const out: string[] = [];
  const cache = cacheRows(report.results);
  if (cache.length)
    out.push(
      '',
      'Prompt cache (median TTFT ms):',
      alignColumns([['model', 'cold', 'warm', 'saving', 'input cost saving/run', 'warm hits', ''], ...cache]),
    );
  for (const r of report.results) if (r.cache && !r.cache.neverHit) out.push(printable(r.cache.note));
  const sweep = report.results.flatMap(sweepLines);
  if (sweep.length) out.push('', 'TTFT by prompt length (cold; provider-reported input tokens):', ...sweep);
  const phases = phaseRows(report.results);
  if (phases.length)
    out.push(
      '',
      'Request phases (median ms from request start; — where a phase did not happen, e.g. on a reused connection):',
      alignColumns([
        ['model', 'DNS', 'connect', 'TLS', 'sent', 'headers', 'first byte', 'TTFT', 'processing', 'fresh/reused'],
        ...phases,
      ]),
    );
  if (report.settings.cache)
    out.push(
      '',
      cacheModeNote(report.settings.cache) +
        (report.settings.location ? ` Measured from: ${printable(report.settings.location)}.` : ''),
    );
  return out.join('\n');
}
