/** Model and price commands: Configure Models (settings.json with a commented example) and Update Prices. */
import * as vscode from 'vscode';
import { modelsExampleEdit } from '../core/modelsExample';
import { updatePriceData } from '../core/pricing/update';
import { Command, type HandlersOf } from './commandIds';
import type { Log } from './log';

/** Opens the user settings.json at tokenscope.models, adding the commented example when the setting is absent. */
async function configureModels(log: Log): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettingsJson');
  const editor = vscode.window.activeTextEditor;
  if (!editor || !/settings\.json$/i.test(editor.document.uri.path)) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'tokenscope.models');
    return;
  }
  const text = editor.document.getText();
  const edit = modelsExampleEdit(text);
  if (edit) {
    const at = editor.document.positionAt(edit.offset);
    await editor.edit((b) => b.insert(at, edit.insert));
    log.info('configure models: added a commented tokenscope.models example to settings.json');
  }
  const start = editor.document.getText().indexOf('"tokenscope.models"');
  if (start >= 0) {
    const pos = editor.document.positionAt(start);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.AtTop);
  }
}

async function updatePrices(log: Log): Promise<void> {
  // The same update as `tokenscope prices --update`; the shared cache serves the CLI and the editor alike.
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Tokenscope: fetching newer prices' },
    () => updatePriceData(),
  );
  log.info(`prices: ${result.message}`);
  if (result.ok) void vscode.window.showInformationMessage(`Tokenscope: ${result.message}`);
  else void vscode.window.showWarningMessage(`Tokenscope: ${result.message}`);
}

export function modelCommands(log: Log): HandlersOf<'configureModels' | 'updatePrices'> {
  return {
    [Command.configureModels]: () => configureModels(log),
    [Command.updatePrices]: () => updatePrices(log),
  };
}
