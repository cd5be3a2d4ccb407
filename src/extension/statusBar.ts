/**
 * Status bar item: token count of the current selection in the reference family, updated after the selection
 * settles (debounced) so typing and selecting stay smooth. Clicking it runs "Compare Tokenizers".
 */
import * as vscode from 'vscode';
import { familyInfo } from '../core/tokenizers';
import { Command } from './commandIds';
import { settings } from './settings';
import { tokenCounter } from './tokenCounts';
import type { Log } from './log';

const DEBOUNCE_MS = 300;
/** Selections longer than this are not counted in the status bar. */
const MAX_CHARS = 2_000_000;

export class SelectionStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'tokenscope.selectionTokens',
    vscode.StatusBarAlignment.Right,
    100,
  );
  private readonly subs: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private lastCount: { key: string; count: number } | undefined;

  constructor(private readonly log: Log) {
    this.item.name = 'Tokenscope: selection tokens';
    this.item.command = Command.compareTokenizers;
    this.subs.push(
      vscode.window.onDidChangeTextEditorSelection(() => this.schedule()),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration(
        (e) => e.affectsConfiguration('tokenscope.referenceTokenizer') && this.schedule(),
      ),
    );
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.update().catch((e: Error) => {
        this.item.hide();
        this.log.errorOnce(`status bar token count: ${e.message}`);
      });
    }, DEBOUNCE_MS);
  }

  private async update(): Promise<void> {
    const generation = ++this.generation;
    const editor = vscode.window.activeTextEditor;
    const selections = editor?.selections.filter((s) => !s.isEmpty) ?? [];
    if (!editor || selections.length === 0) {
      this.item.hide();
      return;
    }
    const text = selections.map((s) => editor.document.getText(s)).join('\n');
    const family = settings().referenceTokenizer;
    const info = familyInfo(family);
    if (text.length > MAX_CHARS) {
      this.item.text = '$(symbol-numeric) large selection';
      this.item.tooltip = `Selection too large to count in the status bar (${text.length.toLocaleString()} characters). Click to compare tokenizers.`;
      this.item.show();
      return;
    }
    // The same selection of the same document version was counted already: no work while typing elsewhere.
    const key = `${editor.document.uri.toString()}@${editor.document.version}|${family}|${selections.map((s) => `${s.start.line}:${s.start.character}-${s.end.line}:${s.end.character}`).join(',')}`;
    const known = this.lastCount?.key === key ? this.lastCount.count : undefined;
    if (known === undefined && !tokenCounter.isLoaded(family)) {
      this.item.text = '$(loading~spin) tokens';
      this.item.show();
    }
    const n = known ?? (await tokenCounter.count(family, text));
    this.lastCount = { key, count: n };
    if (generation !== this.generation) return;
    this.item.text = `$(symbol-numeric) ${n.toLocaleString('en-US')} tok`;
    this.item.tooltip = `${n.toLocaleString('en-US')} tokens in the selection (${info.label}${info.exact ? '' : ', approximate'}), ${text.length.toLocaleString('en-US')} characters. Click to compare tokenizers.`;
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subs.forEach((d) => d.dispose());
    this.item.dispose();
  }
}
