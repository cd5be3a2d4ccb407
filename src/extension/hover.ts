/**
 * Hover hints over prompts: the selection, a prompt-like string literal in code, or a Markdown / plain-text
 * prompt file. The Markdown comes from the core's buildHoverMarkdown; this module only finds the text, counts it
 * lazily (tokenizers load on first use) and caches the counts per document version.
 */
import * as vscode from 'vscode';
import { findPromptLiteral, PROSE_LANGUAGES } from '../core/promptText';
import { buildHoverMarkdown, buildHoverNotice, type FamilyCount, type HoverInput, type HoverModel } from '../core/report/hoverText';
import { promptAdvice, type ModelOutcome } from '../core/report/outcomes';
import type { BenchmarkReport } from '../core/types';
import { tokenizerFamilyFor } from '../core/runner';
import { checkPromptText, PROMPT_LIMITS } from '../core/text';
import { familyInfo, loadTokenizer } from '../core/tokenizers';
import type { ModelSpec, TokenizerFamily } from '../core/types';
import { settings } from './benchmark';
import type { HistoryService } from './history';
import { lastChoice, loadModels } from './models';

/** Text longer than this is not counted on hover (it would take long enough to be felt). */
export const MAX_HOVER_CHARS = PROMPT_LIMITS.hover;
const MAX_MODELS = 8;
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/** Token counts of a text per family, cached by document version and range. */
export class TokenCountCache {
  private readonly docs = new Map<string, { version: number; counts: Map<string, Promise<FamilyCount[]>> }>();

  get(doc: vscode.TextDocument, range: vscode.Range, text: string, families: readonly TokenizerFamily[], token?: vscode.CancellationToken): Promise<FamilyCount[]> {
    const uri = doc.uri.toString();
    let entry = this.docs.get(uri);
    if (!entry || entry.version !== doc.version) {
      entry = { version: doc.version, counts: new Map() };
      this.docs.set(uri, entry);
    }
    const key = `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}|${families.join(',')}`;
    let p = entry.counts.get(key);
    if (!p) {
      p = countFamilies(text, families, token);
      entry.counts.set(key, p);
      const counts = entry.counts;
      p.catch(() => counts.delete(key));
    }
    return p;
  }

  forget(doc: vscode.TextDocument): void {
    this.docs.delete(doc.uri.toString());
  }
}

export async function countFamilies(text: string, families: readonly TokenizerFamily[], token?: vscode.CancellationToken): Promise<FamilyCount[]> {
  const out: FamilyCount[] = [];
  for (const family of families) {
    if (token?.isCancellationRequested) throw new vscode.CancellationError();
    const tok = await loadTokenizer(family);
    await yieldToEventLoop();
    const info = familyInfo(family);
    out.push({ family, label: info.label, count: tok.count(text), exact: info.exact });
  }
  return out;
}

/**
 * The speculative-decoding estimate for the prompt: the panel's own per-model verdicts when the latest benchmark
 * ran this exact text, else the advisor's estimate from the prompt alone (labelled so).
 */
function adviceFor(text: string, languageId: string, source: HoverInput['source'], latest: BenchmarkReport | undefined): { advice?: string } {
  const a = promptAdvice(text, { languageId: source === 'literal' ? 'plaintext' : languageId }, latest);
  if (!a) return {};
  return { advice: `Speculative decoding${a.basis === 'benchmark' ? ' (estimated from the latest benchmark of this prompt, as in the results panel)' : ''}: ${a.lines.join(' · ')}` };
}

export class PromptHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly cache: TokenCountCache,
    private readonly history: HistoryService,
    private readonly globalState: vscode.Memento,
    /** The latest benchmark report (the panel's), so hover and panel give the same estimate for the same prompt. */
    private readonly latestReport: () => BenchmarkReport | undefined = () => undefined,
  ) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const config = settings();
    if (!config.hover.enabled) return undefined;
    const target = this.target(doc, position);
    if (!target) return undefined;
    // Empty or blank text shows nothing; binary or over-long text says at once why it is not counted.
    const check = checkPromptText(target.text, 'hover', target.source === 'selection' ? 'the selection' : target.source === 'literal' ? 'the string literal' : 'the document');
    if (!check.ok) {
      if (check.reason === 'empty' || check.reason === 'whitespace') return undefined;
      const notice = new vscode.MarkdownString(buildHoverNotice(target.source, target.text.length, check.message));
      notice.isTrusted = false;
      notice.supportHtml = false;
      return new vscode.Hover(notice, target.range);
    }

    // Count the configured families; a listed model whose own family is not among them is costed with the first.
    const counts = await this.cache.get(doc, target.range, target.text, config.hover.families, token);
    if (token.isCancellationRequested) return undefined;
    let outcomes = new Map<string, ModelOutcome>();
    try {
      outcomes = await this.history.outcomes();
    } catch {
      // No history yet, or unreadable: the hover still shows counts.
    }
    const { models } = loadModels();
    const wanted = this.hoverModels(models, config.defaultModels, [...outcomes.keys()]);
    const hoverModels: HoverModel[] = wanted.map((m) => {
      const o = outcomes.get(m.id);
      return {
        id: m.id,
        label: m.label ?? m.id,
        family: tokenizerFamilyFor(m).family,
        ...(m.price ? { inputPerM: m.price.inputPerM } : {}),
        ...(o?.measured ? { measured: o.measured } : {}),
        ...(o?.failed ? { failed: { label: o.failed.label, auth: o.failed.auth, time: o.failed.time } } : {}),
      };
    });
    const input: HoverInput = { source: target.source, chars: target.text.length, counts, models: hoverModels, outputTokens: config.maxTokens, now: new Date(), ...adviceFor(target.text, doc.languageId, target.source, this.latestReport()) };
    const md = new vscode.MarkdownString(buildHoverMarkdown(input));
    md.isTrusted = false;
    md.supportHtml = false;
    return new vscode.Hover(md, target.range);
  }

  /** The models the hover lists: the default models, else the last picked, else those with history; at most 8. */
  private hoverModels(models: readonly ModelSpec[], defaults: readonly string[], measured: readonly string[]): ModelSpec[] {
    const last = lastChoice(this.globalState);
    const ids = defaults.length ? defaults : last.length ? last : measured;
    return ids.map((id) => models.find((m) => m.id === id)).filter((m): m is ModelSpec => m !== undefined).slice(0, MAX_MODELS);
  }

  private target(doc: vscode.TextDocument, position: vscode.Position): { text: string; range: vscode.Range; source: HoverInput['source'] } | undefined {
    const editor = vscode.window.activeTextEditor;
    if (editor?.document === doc) {
      const sel = editor.selections.find((s) => !s.isEmpty && s.contains(position));
      if (sel) return { text: doc.getText(sel), range: sel, source: 'selection' };
    }
    if (PROSE_LANGUAGES.includes(doc.languageId)) {
      const range = new vscode.Range(0, 0, doc.lineCount, 0);
      return { text: doc.getText(), range: doc.validateRange(range), source: 'document' };
    }
    const offset = doc.offsetAt(position);
    // Look at most 200 000 characters back; prompts in code are short.
    const lit = findPromptLiteral(doc.getText(), offset, doc.languageId);
    if (!lit) return undefined;
    return { text: lit.content, range: new vscode.Range(doc.positionAt(lit.start), doc.positionAt(lit.end)), source: 'literal' };
  }
}
