import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('tokenscope.benchmarkSelection', () => {
      void vscode.window.showInformationMessage('Tokenscope: benchmark engine not wired yet.');
    }),
  );
}

export function deactivate(): void {}
