/**
 * Registers the command palette commands (category "Tokenscope"). The handlers come from the feature modules
 * (benchmarkCommands, resultsCommands, keyCommands, modelCommands, tokenizerCommands, the sidebar), one for every
 * id in commandIds.ts; here each is wrapped so a failure is logged and shown instead of lost.
 */
import * as vscode from 'vscode';
import type { CommandHandlers, CommandId } from './commandIds';
import type { Log } from './log';

export function registerCommands(context: vscode.ExtensionContext, log: Log, handlers: CommandHandlers): void {
  for (const [id, fn] of Object.entries(handlers) as [CommandId, CommandHandlers[CommandId]][]) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          log.error(`${id}: ${(e as Error).stack ?? String(e)}`);
          void vscode.window.showErrorMessage(`Tokenscope: ${(e as Error).message}`);
          return undefined;
        }
      }),
    );
  }
}
