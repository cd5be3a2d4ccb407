/**
 * Export formats of a benchmark report: JSON (the report as is), CSV (one row per measured run) and Markdown
 * (a summary table per model, then notes and failures). Pure: no `vscode`, no file system.
 */
import { describePriceSource } from '../pricing/describe';
import type { BenchmarkReport, RunMetrics } from '../types';
import { hostGroups, priceSourceLine } from './hostGroups';
import { COLUMNS, buildResultsView, formatMetric } from './resultsView';

export type ExportFormat = 'json' | 'csv' | 'markdown';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'csv', 'markdown'];
export const EXPORT_EXTENSIONS: Readonly<Record<ExportFormat, string>> = { json: 'json', csv: 'csv', markdown: 'md' };

export function reportToJson(report: BenchmarkReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/**
 * One CSV field (RFC 4180). Text that a spreadsheet would run as a formula (= + - @, tab, CR at the start) is
 * prefixed with a quote so error messages and labels stay text.
 */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = [
  'model_id',
  'label',
  'region',
  'protocol',
  'model',
  'host',
  'provider',
  'base_model',
  'run',
  'ok',
  'started_at',
  'ttft_ms',
  'ttfo_ms',
  'setup_ms',
  'decode_tps',
  'normalized_tps',
  'server_decode_tps',
  'e2e_ms',
  'itl_ms',
  'inter_chunk_p50_ms',
  'inter_chunk_p95_ms',
  'chunks',
  'input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cached_input_tokens',
  'cache_write_input_tokens',
  'streamed_tokens',
  'hidden_tokens',
  'token_source',
  'tokenizer',
  'cost_usd',
  'price_source',
  'error_kind',
  'error',
  'cache_state',
  'target_input_tokens',
  'dns_ms',
  'connect_ms',
  'tls_ms',
  'sent_ms',
  'headers_ms',
  'first_byte_ms',
  'connection_reused',
  'server_processing_ms',
] as const;

function runFields(m: RunMetrics): (string | number | boolean | null | undefined)[] {
  return [
    m.ok,
    m.startedAt,
    m.ttftMs,
    m.ttfoMs,
    m.setupMs,
    m.decodeTps,
    m.normalizedTps,
    m.serverDecodeTps,
    m.e2eMs,
    m.itlMs,
    m.interChunkP50Ms,
    m.interChunkP95Ms,
    m.chunks,
    m.inputTokens,
    m.outputTokens,
    m.reasoningTokens,
    m.cachedInputTokens,
    m.cacheWriteInputTokens,
    m.streamedTokens,
    m.hiddenTokens,
    m.tokenSource,
    m.tokenizer,
    m.costUsd,
    m.priceSource ? describePriceSource(m.priceSource) : null,
    m.errorKind,
    m.error,
    m.cacheState,
    m.targetInputTokens,
    m.phases?.dnsMs,
    m.phases?.connectMs,
    m.phases?.tlsMs,
    m.phases?.sentMs,
    m.phases?.headersMs,
    m.phases?.firstByteMs,
    m.connectionReused,
    m.serverProcessingMs,
  ];
}

/** One row per measured run (warm-up runs left out), CRLF line ends, header first. */
export function reportToCsv(report: BenchmarkReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of report.results) {
    r.runs
      .filter((m) => !m.warmup)
      .forEach((m, i) => {
        lines.push(
          [r.id, r.label, r.region, r.protocol, r.model, r.host, r.provider, r.baseModel, i + 1, ...runFields(m)]
            .map(csvField)
            .join(','),
        );
      });
  }
  return lines.join('\r\n') + '\r\n';
}

/** Text safe inside a Markdown table cell: one line, pipes and markup characters escaped. */
export function mdCell(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/([\\`*_{}[\]<>()#+!|~])/g, '\\$1');
}

export function reportToMarkdown(report: BenchmarkReport): string {
  const view = buildResultsView(report);
  const header = [
    'Model',
    'Region',
    'Runs ok',
    ...COLUMNS.map((c) =>
      c.unit === 'tokens' || c.unit === 'USD' || c.unit === 'tok/s' ? c.label : `${c.label} (${c.unit})`,
    ),
    'Tokens from',
  ];
  const align = header.map((_, i) => (i < 2 ? '---' : '---:'));
  align[align.length - 1] = '---';
  const rows = view.rows.map((r) => [
    mdCell(r.label === r.id ? r.id : `${r.label} (${r.id})`),
    r.region,
    `${r.okRuns}/${r.okRuns + r.failedRuns}`,
    ...COLUMNS.map((c) => {
      const cell = r.cells[c.metric];
      const text =
        cell.spread && cell.value !== null ? `${cell.text} ±${formatMetric(c.metric, cell.spread.mad)}` : cell.text;
      return cell.best ? `**${text}**` : text;
    }),
    mdCell(r.tokenSource),
  ]);
  const table = [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  const out = [
    `# Tokenscope benchmark`,
    '',
    `${report.startedAt} – ${report.finishedAt} · prompt ${report.prompt.chars} chars (sha256 ${report.prompt.sha256.slice(0, 12)}) · ${report.settings.runs} run(s), ${report.settings.warmup} warm-up, concurrency ${report.settings.concurrency}, max ${report.settings.maxTokens} tokens · tokenscope ${report.tool.version}`,
    '',
    ...table,
  ];
  if (view.aggregates.length) {
    out.push(
      '',
      "## By region (median over every successful run of the region's models)",
      '',
      `| Region | Models | ${
        view.aggregates[0]
          ? Object.keys(view.aggregates[0].cells)
              .map((m) => COLUMNS.find((c) => c.metric === m)!.label)
              .join(' | ')
          : ''
      } |`,
    );
    out.push(
      `| --- | ---: | ${Object.keys(view.aggregates[0].cells)
        .map(() => '---:')
        .join(' | ')} |`,
    );
    for (const a of view.aggregates)
      out.push(
        `| ${a.region} | ${a.models} | ${Object.values(a.cells)
          .map((c) => (c.best ? `**${c.text}**` : c.text))
          .join(' | ')} |`,
      );
  }
  const groups = hostGroups(report.results);
  if (groups.length) {
    out.push(
      '',
      '## Same model, different hosts',
      '',
      '| Model | Served as | Provider | tok/s (own tokens) | TTFT (ms) | cost/run |',
      '| --- | --- | --- | ---: | ---: | ---: |',
    );
    for (const g of groups) {
      for (const id of g.ids) {
        const row = view.rows.find((r) => r.id === id)!;
        const mark = (text: string, best: boolean) => (best ? `**${text}**` : text);
        out.push(
          `| ${mdCell(g.baseModel)} | ${mdCell(id)} | ${mdCell(row.provider ?? row.host)} | ${mark(row.cells.decodeTps.text, id === g.fastestId)} | ${row.cells.ttftMs.text} | ${mark(row.cells.costUsd.text, id === g.cheapestId)} |`,
        );
      }
    }
    out.push('', 'Bold marks the fastest and the cheapest host of each model.');
  }
  const costs = priceSourceLine(report.results);
  out.push(
    '',
    'Bold marks the best value of a column. Values are medians ± median absolute deviation.',
    ...view.notes.map((n) => `${n}`),
    ...(costs ? [mdCell(costs)] : []),
  );
  const cached = view.rows.filter((r) => r.cache);
  if (cached.length) {
    out.push(
      '',
      '## Prompt cache (median TTFT)',
      '',
      '| Model | Cold | Warm | Saving | Input cost saving / run | Warm hits |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
    );
    for (const r of cached)
      out.push(
        `| ${mdCell(r.label)} | ${r.cache!.text.cold} | ${r.cache!.text.warm} | ${r.cache!.text.saving} | ${mdCell(r.cache!.text.cost)} | ${r.cache!.warmHits}/${r.cache!.warmRuns}${r.cache!.neverHit ? ' **cache never hit**' : ''} |`,
      );
  }
  const phased = view.rows.filter((r) => r.phaseBar);
  if (phased.length) {
    out.push(
      '',
      '## Where TTFT goes (median ms)',
      '',
      '| Model | Network | Waiting for first byte | First byte → first token | Provider processing (server-reported) |',
      '| --- | ---: | ---: | ---: | ---: |',
    );
    for (const r of phased) {
      const p = r.phaseBar!;
      out.push(
        `| ${mdCell(r.label)} | ${p.networkMs.toFixed(0)} | ${p.serverMs.toFixed(0)} | ${p.streamMs.toFixed(0)} | ${p.processingMs === null ? '—' : p.processingMs.toFixed(0)} |`,
      );
    }
  }
  const swept = view.rows.filter((r) => r.sweep);
  if (swept.length) {
    out.push('', '## TTFT by prompt length (cold)', '');
    for (const r of swept)
      out.push(
        `- ${mdCell(r.label)}: ${r.sweep!.points.map((p) => `${Math.round(p.inputTokens)} tok → ${p.ttftMs === null ? '—' : p.ttftMs.toFixed(0)} ms`).join(', ')}; ${mdCell(r.sweep!.prefill?.text ?? 'too few sizes to fit')}`,
      );
  }
  const notes = [
    ...new Set(
      report.results.flatMap((r) => [
        ...r.warnings.map((w) => `Warning: ${w}`),
        ...r.runs.filter((x) => !x.ok && !x.warmup).map((x) => `Failed: ${x.error ?? x.errorKind ?? 'unknown error'}`),
      ]),
    ),
  ];
  if (notes.length) out.push('', '## Notes', '', ...notes.map((n) => `- ${mdCell(n)}`));
  return out.join('\n') + '\n';
}

export function exportReport(report: BenchmarkReport, format: ExportFormat): string {
  switch (format) {
    case 'json':
      return reportToJson(report);
    case 'csv':
      return reportToCsv(report);
    case 'markdown':
      return reportToMarkdown(report);
  }
}
