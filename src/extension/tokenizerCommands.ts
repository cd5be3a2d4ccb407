/** Compare Tokenizers: the selection (or document) counted in every tokenizer family, as a Markdown table. */
import * as vscode from 'vscode';
import { comparisonMarkdown, tokenComparison } from '../core/report/hoverText';
import { checkPromptText } from '../core/promptCheck';
import { TOKENIZER_FAMILIES } from '../core/types';
import { Command, type HandlersOf } from './commandIds';
import { documentName, noEditor, promptEditor, selectionOrDocument } from './editorPrompt';
import type { Log } from './log';
import { settings } from './settings';
import { countFamilies } from './tokenCounts';

async function compareTokenizers(log: Log): Promise<void> {
  const editor = promptEditor();
  if (!editor) return noEditor();
  const { text, what } = selectionOrDocument(editor);
  const check = checkPromptText(text, 'count', `the ${what}`);
  if (!check.ok) return void vscode.window.showInformationMessage(`Tokenscope: ${check.message}`);
  const reference = settings().referenceTokenizer;
  const families = [reference, ...TOKENIZER_FAMILIES.filter((f) => f !== reference)];
  // Large texts take a moment per family: counted with progress, cancellable between families.
  let counts;
  try {
    counts = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Tokenscope: counting tokens in ${text.length.toLocaleString('en-US')} characters`,
        cancellable: true,
      },
      (_, token) => countFamilies(text, families, token),
    );
  } catch (e) {
    if (e instanceof vscode.CancellationError) return;
    throw e;
  }
  const rows = tokenComparison(text.length, counts);
  log.info(
    `compare tokenizers (${what}, ${text.length} chars): ${rows.map((r) => `${r.family}=${r.count}`).join(', ')}`,
  );
  // A Markdown table that stays open beside the prompt and is on the clipboard, rather than a pick that closes.
  const markdown = comparisonMarkdown(
    rows,
    reference,
    `${documentName(editor.document)}${what === 'selection' ? ' (selection)' : ''}`,
    text.length,
  );
  await vscode.env.clipboard.writeText(markdown);
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(doc, {
    viewColumn: vscode.ViewColumn.Beside,
    preserveFocus: true,
    preview: true,
  });
  void vscode.window.showInformationMessage(
    `Tokenscope: token counts for ${rows.length} tokenizer families opened beside the prompt and copied as a Markdown table.`,
  );
}

export function tokenizerCommands(log: Log): HandlersOf<'compareTokenizers'> {
  return { [Command.compareTokenizers]: () => compareTokenizers(log) };
}
