/** The prompt a command works on: the selection, else the whole document, of the editor in use. */
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The editor whose text a command works on: the active one, else the first visible (a webview may have focus). */
export function promptEditor(): vscode.TextEditor | undefined {
  return (
    vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme !== 'output')
  );
}

export function selectionOrDocument(editor: vscode.TextEditor): {
  text: string;
  what: 'selection' | 'file';
  source: string;
} {
  const parts = editor.selections.filter((s) => !s.isEmpty).map((s) => editor.document.getText(s));
  const name = documentName(editor.document);
  return parts.length
    ? { text: parts.join('\n'), what: 'selection', source: `${name} (selection)` }
    : { text: editor.document.getText(), what: 'file', source: name };
}

/** The file name the panel header shows ("untitled" for a new unsaved editor). */
export function documentName(doc: vscode.TextDocument): string {
  return doc.isUntitled ? 'untitled' : path.basename(doc.uri.path);
}

export async function noEditor(): Promise<void> {
  void vscode.window.showWarningMessage('Tokenscope: open a prompt in an editor (or select text) first.');
}
