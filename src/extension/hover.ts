/**
 * Hover hints over prompts: the selection, a prompt-like string literal in code, or a Markdown / plain-text
 * prompt file. The Markdown comes from the core's buildHoverMarkdown; this module only finds the text, counts it
 * on a worker thread (tokenizers load there on first use) and caches the counts per document version.
 */
import * as vscode from 'vscode';
import { findPromptLiteral, PROSE_LANGUAGES } from '../core/promptLiterals';
import {
  buildHoverMarkdown,
  buildHoverNotice,
  type FamilyCount,
  type HoverInput,
  type HoverModel,
} from '../core/report/hoverText';
import { promptAdvice } from '../core/report/outcomes';
import type { ModelOutcome } from '../core/report/outcomeTypes';
import type { BenchmarkReport } from '../core/types';
import { tokenizerFamilyFor } from '../core/tokenizers/forModel';
import { describePriceSource, ratesPerM } from '../core/pricing';
import { checkPromptText, PROMPT_LIMITS } from '../core/promptCheck';
import { familyInfo } from '../core/tokenizers';
import type { ModelSpec, TokenizerFamily } from '../core/types';
import { settings } from './settings';
import { familyCount, tokenCounter } from './tokenCounts';
import type { HistoryService } from './history';
import type { Log } from './log';
import { lastChoice, loadModels } from './models';

/** Text longer than this is not counted on hover (it would take long enough to be felt). */
export const MAX_HOVER_CHARS = PROMPT_LIMITS.hover;
const MAX_MODELS = 8;
/** How long a hover waits for families still loading before it shows what is ready. */
const HOVER_WAIT_MS = 400;

/** Token counts of a text per family, cached by document version and range; each family settles on its own. */
export class TokenCountCache {
  private readonly docs = new Map<string, { version: number; counts: Map<string, Promise<FamilyCount>> }>();

  get(
    doc: vscode.TextDocument,
    range: vscode.Range,
    text: string,
    families: readonly TokenizerFamily[],
  ): Promise<FamilyCount>[] {
    const uri = doc.uri.toString();
    let entry = this.docs.get(uri);
    if (!entry || entry.version !== doc.version) {
      entry = { version: doc.version, counts: new Map() };
      this.docs.set(uri, entry);
    }
    const counts = entry.counts;
    const at = `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
    return families.map((family) => {
      const key = `${at}|${family}`;
      let p = counts.get(key);
      if (!p) {
        p = tokenCounter.count(family, text).then((n) => familyCount(family, n));
        counts.set(key, p);
        p.catch(() => counts.delete(key));
      }
      return p;
    });
  }

  forget(doc: vscode.TextDocument): void {
    this.docs.delete(doc.uri.toString());
  }
}

/** The counts settled within `ms`, and the families still pending. A family whose count failed is left out. */
async function settledWithin(
  pending: Promise<FamilyCount>[],
  families: readonly TokenizerFamily[],
  ms: number,
): Promise<{ counts: FamilyCount[]; waiting: TokenizerFamily[] }> {
  const state = pending.map(() => ({ done: false, value: undefined as FamilyCount | undefined }));
  const tracked = pending.map((p, i) =>
    p.then(
      (v) => Object.assign(state[i], { done: true, value: v }),
      () => Object.assign(state[i], { done: true }),
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(tracked), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
  return {
    counts: state.flatMap((s) => (s.value ? [s.value] : [])),
    waiting: families.filter((_, i) => !state[i].done),
  };
}

/**
 * The speculative-decoding estimate for the prompt: the panel's own per-model verdicts when the latest benchmark
 * ran this exact text, else the advisor's estimate from the prompt alone (labelled so). Omitted if the advisor fails.
 */
function adviceFor(
  text: string,
  languageId: string,
  source: HoverInput['source'],
  latest: BenchmarkReport | undefined,
  log: Log,
): { advice?: string } {
  try {
    const a = promptAdvice(text, { languageId: source === 'literal' ? 'plaintext' : languageId }, latest);
    if (!a) return {};
    return {
      advice: `Speculative decoding${a.basis === 'benchmark' ? ' (estimated from the latest benchmark of this prompt, as in the results panel)' : ''}: ${a.lines.join(' · ')}`,
    };
  } catch (e) {
    log.errorOnce(`hover: the speculative-decoding advisor failed: ${(e as Error).message}`);
    return {};
  }
}

export class PromptHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly cache: TokenCountCache,
    private readonly history: HistoryService,
    private readonly globalState: vscode.Memento,
    private readonly log: Log,
    /** The latest benchmark report (the panel's), so hover and panel give the same estimate for the same prompt. */
    private readonly latestReport: () => BenchmarkReport | undefined = () => undefined,
  ) {}

  async provideHover(
    doc: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const config = settings();
    if (!config.hover.enabled) return undefined;
    const target = this.target(doc, position);
    if (!target) return undefined;
    // Empty or blank text shows nothing; binary or over-long text says at once why it is not counted.
    const check = checkPromptText(
      target.text,
      'hover',
      target.source === 'selection'
        ? 'the selection'
        : target.source === 'literal'
          ? 'the string literal'
          : 'the document',
    );
    if (!check.ok) {
      if (check.reason === 'empty' || check.reason === 'whitespace') return undefined;
      const notice = new vscode.MarkdownString(buildHoverNotice(target.source, target.text.length, check.message));
      notice.isTrusted = false;
      notice.supportHtml = false;
      return new vscode.Hover(notice, target.range);
    }

    // Count the configured families; a listed model whose own family is not among them is costed with the first.
    const families = config.hover.families;
    const pending = this.cache.get(doc, target.range, target.text, families);
    pending.forEach((p) => p.catch((e: Error) => this.log.errorOnce(`hover: ${e.message}`)));
    const { counts, waiting } = await settledWithin(pending, families, HOVER_WAIT_MS);
    if (token.isCancellationRequested) return undefined;
    let outcomes = new Map<string, ModelOutcome>();
    try {
      outcomes = await this.history.outcomes();
    } catch (e) {
      // The hover still shows counts; the reason goes to the output channel.
      this.log.errorOnce(`hover: ${(e as Error).message}`);
    }
    const { models } = loadModels();
    const wanted = this.hoverModels(models, config.defaultModels, [...outcomes.keys()]);
    const hoverModels: HoverModel[] = wanted.map((m) => {
      const o = outcomes.get(m.id);
      const rates = ratesPerM(m);
      return {
        id: m.id,
        label: m.label ?? m.id,
        family: tokenizerFamilyFor(m).family,
        ...(rates ? { inputPerM: rates.inputPerM, priceSource: describePriceSource(rates.source) } : {}),
        ...(o?.measured ? { measured: o.measured } : {}),
        ...(o?.failed ? { failed: { label: o.failed.label, auth: o.failed.auth, time: o.failed.time } } : {}),
      };
    });
    const pendingFamilies = waiting.map((f) => familyInfo(f).label);
    const input: HoverInput = {
      source: target.source,
      chars: target.text.length,
      counts,
      ...(pendingFamilies.length ? { pendingFamilies } : {}),
      models: hoverModels,
      outputTokens: config.maxTokens,
      now: new Date(),
      ...adviceFor(target.text, doc.languageId, target.source, this.latestReport(), this.log),
    };
    const md = new vscode.MarkdownString(buildHoverMarkdown(input));
    md.isTrusted = false;
    md.supportHtml = false;
    return new vscode.Hover(md, target.range);
  }

  /** The models the hover lists: the default models, else the last picked, else those with history; at most 8. */
  private hoverModels(
    models: readonly ModelSpec[],
    defaults: readonly string[],
    measured: readonly string[],
  ): ModelSpec[] {
    const last = lastChoice(this.globalState);
    const ids = defaults.length ? defaults : last.length ? last : measured;
    return ids
      .map((id) => models.find((m) => m.id === id))
      .filter((m): m is ModelSpec => m !== undefined)
      .slice(0, MAX_MODELS);
  }

  private target(
    doc: vscode.TextDocument,
    position: vscode.Position,
  ): { text: string; range: vscode.Range; source: HoverInput['source'] } | undefined {
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
    return {
      text: lit.content,
      range: new vscode.Range(doc.positionAt(lit.start), doc.positionAt(lit.end)),
      source: 'literal',
    };
  }
}
