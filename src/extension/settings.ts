/** The tokenscope.* settings, read and checked by the core (the same rules as the CLI's config). */
import * as vscode from 'vscode';
import { readEditorSettings } from '../core/editorSettings';

export function settings() {
  const config = vscode.workspace.getConfiguration('tokenscope');
  return readEditorSettings((key) => config.get(key));
}

export type EditorSettings = ReturnType<typeof settings>;
