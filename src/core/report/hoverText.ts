/**
 * The text of the editor hover and of "Compare Tokenizers": token counts per family, estimated generation time
 * per model from the latest throughput measured in the history, and input cost. Pure: no `vscode`; the
 * extension wraps the Markdown in a MarkdownString (untrusted, no HTML).
 */
import type { HistoryRecord } from '../history/contract';
import type { TokenizerFamily } from '../types';
import { latestOutcomes } from './outcomes';
import type { Measurement } from './outcomeTypes';
import { formatSeconds, formatUsd } from './format';

export interface FamilyCount {
  family: TokenizerFamily;
  /** Human label, e.g. "OpenAI o200k_base (GPT-4o, …)". */
  label: string;
  count: number;
  /** False when the family's public tokenizer only approximates the models (Claude). */
  exact: boolean;
}

export interface HoverModel {
  id: string;
  label: string;
  /** The family that counts this model's input (its own, or the reference when it has none). */
  family: TokenizerFamily;
  /** USD per million input tokens. */
  inputPerM?: number;
  /** Where that price came from, in a few words ("genai-prices 0.1.8, data of 2026-09-23", "your config"). */
  priceSource?: string;
  measured?: Measurement;
  /** Its newest run in the history failed (newer than any measurement). */
  failed?: { label: string; auth: boolean; time: string };
}

export interface HoverInput {
  /** What was measured: the selection, a string literal, or the whole document. */
  source: 'selection' | 'literal' | 'document';
  chars: number;
  counts: FamilyCount[];
  /** Labels of families still loading on first use: shown as such, counted on the next hover. */
  pendingFamilies?: string[];
  models: HoverModel[];
  /** Output length the generation-time estimate assumes (the max tokens setting). */
  outputTokens: number;
  now: Date;
  /** Filled in by the speculative-decoding advisor once it exists. */
  advice?: string;
}

/** Escapes Markdown so that labels and ids from settings render as the text they are. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, '\\$&').replace(/\r?\n/g, ' ');
}

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "just now", "5 min ago", "3 h ago", "2 days ago", or the date for older times. */
export function relativeTime(iso: string, now: Date): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return 'at an unknown time';
  const s = Math.max(0, (now.getTime() - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 30 * 86_400) return `${Math.floor(s / 86_400)} day${Math.floor(s / 86_400) === 1 ? '' : 's'} ago`;
  return `on ${iso.slice(0, 10)}`;
}

/** Estimated time to generate `outputTokens`: first-token latency plus tokens at the measured decode rate. */
export function estimateGenerationMs(m: Measurement, outputTokens: number): number | null {
  if (!(m.decodeTps > 0)) return null;
  return (m.ttftMs ?? 0) + (outputTokens / m.decodeTps) * 1000;
}

/** The newest successful measurement with a decode rate, per model id (from the shared latestOutcomes). */
export function latestMeasurements(records: readonly HistoryRecord[]): Map<string, Measurement> {
  const out = new Map<string, Measurement>();
  for (const [id, o] of latestOutcomes(records)) if (o.measured) out.set(id, o.measured);
  return out;
}

const SOURCE_TEXT: Record<HoverInput['source'], string> = {
  selection: 'Selection',
  literal: 'String literal',
  document: 'Document',
};

/** What the hover shows instead of counts when the text cannot be counted (see checkPromptText), as Markdown. */
export function buildHoverNotice(source: HoverInput['source'], chars: number, message: string): string {
  return `**Tokenscope** · ${SOURCE_TEXT[source]}: ${int.format(chars)} characters\n\n${escapeMarkdown(message)}`;
}

/** The hover's Markdown. */
export function buildHoverMarkdown(input: HoverInput): string {
  const lines: string[] = [];
  lines.push(`**Tokenscope** · ${SOURCE_TEXT[input.source]}: ${int.format(input.chars)} characters`, '');
  if (input.counts.length) {
    lines.push('| Tokenizer | Tokens |', '| --- | ---: |');
    for (const c of input.counts)
      lines.push(
        `| ${escapeMarkdown(c.label)}${c.exact || /approximate/i.test(c.label) ? '' : ' (approximate)'} | ${int.format(c.count)} |`,
      );
    lines.push('');
  }
  if (input.pendingFamilies?.length)
    lines.push(
      `_Loading the ${input.pendingFamilies.map(escapeMarkdown).join(', ')} tokenizer${input.pendingFamilies.length > 1 ? 's' : ''} (first use in this window): hover again for ${input.pendingFamilies.length > 1 ? 'their counts' : 'its count'}._`,
      '',
    );
  const countOf = (family: TokenizerFamily) => input.counts.find((c) => c.family === family);
  const reference = input.counts[0];
  const rows: string[] = [];
  for (const m of input.models) {
    const own = countOf(m.family);
    const tokens = own ?? reference;
    const cost =
      m.inputPerM !== undefined && tokens ? `${own ? '' : '≈'}${formatUsd((tokens.count * m.inputPerM) / 1e6)}` : '—';
    let time = 'not measured yet';
    if (m.measured) {
      const ms = estimateGenerationMs(m.measured, input.outputTokens);
      if (ms !== null)
        time = `~${formatSeconds(ms)} (${m.measured.decodeTps.toFixed(1)} tok/s, measured ${relativeTime(m.measured.time, input.now)})`;
    }
    if (m.failed) {
      // A model that ran and failed is not "not measured yet": say so, with the one thing to do.
      const fix = m.failed.auth ? 'run Tokenscope: Set API Key' : 'see the results panel';
      const failed = `failed: ${escapeMarkdown(m.failed.label)} ${relativeTime(m.failed.time, input.now)} (${fix})`;
      time = m.measured ? `${time}; latest run ${failed}` : failed;
    }
    rows.push(`| ${escapeMarkdown(m.label)} | ${cost} | ${time} |`);
  }
  if (rows.length) {
    lines.push(
      `| Model | Input cost | Estimated time for ${int.format(input.outputTokens)} output tokens |`,
      '| --- | ---: | --- |',
      ...rows,
      '',
    );
    const sources = [
      ...new Set(input.models.filter((m) => m.inputPerM !== undefined).map((m) => m.priceSource ?? 'list prices')),
    ];
    const priced = sources.length
      ? `input costs are at today's rate (${sources.map(escapeMarkdown).join('; ')})`
      : 'no input price is known';
    lines.push(
      `_Times are estimated from the latest measured throughput in the history; ${priced} (≈: counted with a stand-in tokenizer)._`,
    );
  }
  if (input.advice) lines.push('', escapeMarkdown(input.advice));
  return lines.join('\n');
}

export interface TokenComparisonRow {
  family: TokenizerFamily;
  label: string;
  count: number;
  exact: boolean;
  /** Characters per token. */
  charsPerToken: number | null;
  /** count ÷ the first family's count (1 for the first family). */
  relative: number | null;
}

/** Rows of "Compare Tokenizers", in the order given (the first family is the reference). */
export function tokenComparison(chars: number, counts: readonly FamilyCount[]): TokenComparisonRow[] {
  const ref = counts[0]?.count ?? 0;
  return counts.map((c) => ({
    family: c.family,
    label: c.label,
    count: c.count,
    exact: c.exact,
    charsPerToken: c.count > 0 ? chars / c.count : null,
    relative: ref > 0 ? c.count / ref : null,
  }));
}

/** The comparison as a Markdown table (to keep open or paste), with what was counted and the reference. */
export function comparisonMarkdown(
  rows: readonly TokenComparisonRow[],
  referenceFamily: TokenizerFamily,
  what: string,
  chars: number,
): string {
  const lines = [
    `# Token counts: ${what.replace(/[|\r\n]/g, ' ')}`,
    '',
    `${int.format(chars)} characters; reference tokenizer ${referenceFamily} (first row).`,
    '',
    '| Tokenizer family | Tokens | Characters per token | vs reference |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const vs =
      r.relative === null
        ? '—'
        : r.family === referenceFamily
          ? 'reference'
          : `${r.relative >= 1 ? '+' : ''}${Math.round((r.relative - 1) * 100)}%`;
    lines.push(
      `| ${r.label.replace(/\|/g, '\\|')}${r.exact ? '' : ' (approximate)'} | ${int.format(r.count)} | ${r.charsPerToken === null ? '—' : r.charsPerToken.toFixed(2)} | ${vs} |`,
    );
  }
  if (rows.some((r) => !r.exact))
    lines.push('', 'Approximate: the public tokenizer differs from the current models of that family.');
  return lines.join('\n') + '\n';
}

/** One line of the comparison, e.g. "1,234 tokens · 3.9 chars/token · +12% vs o200k". */
export function comparisonLine(row: TokenComparisonRow, referenceFamily: TokenizerFamily): string {
  const parts = [`${int.format(row.count)} tokens`];
  if (row.charsPerToken !== null) parts.push(`${row.charsPerToken.toFixed(2)} chars/token`);
  if (row.relative !== null && row.family !== referenceFamily) {
    const pct = Math.round((row.relative - 1) * 100);
    parts.push(pct === 0 ? `same as ${referenceFamily}` : `${pct > 0 ? '+' : ''}${pct}% vs ${referenceFamily}`);
  }
  if (!row.exact) parts.push('approximate');
  return parts.join(' · ');
}
