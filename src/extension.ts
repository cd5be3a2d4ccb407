/**
 * Tokenscope's VS Code extension: wires the core (src/core) to commands, the results panel, the sidebar
 * leaderboard, hover hints and the status bar. Activation does no measuring and loads no tokenizer: those load
 * on first use.
 */
import * as vscode from 'vscode';
import { CODE_LANGUAGES, PROSE_LANGUAGES } from './core/promptLiterals';
import { BenchmarkController } from './extension/benchmark';
import { benchmarkCommands } from './extension/benchmarkCommands';
import { combineHandlers, RUNNING_CONTEXT, ViewId, type CommandHandlers } from './extension/commandIds';
import { registerCommands } from './extension/commands';
import { HistoryService } from './extension/history';
import { PromptHoverProvider, TokenCountCache } from './extension/hover';
import { keyCommands, setApiKey } from './extension/keyCommands';
import { Log } from './extension/log';
import { modelCommands } from './extension/modelCommands';
import { ResultsPanel } from './extension/resultsPanel';
import { resultsCommands } from './extension/resultsCommands';
import { KeyStore } from './extension/secrets';
import { LeaderboardProvider } from './extension/sidebar';
import { SelectionStatus } from './extension/statusBar';
import { tokenCounter } from './extension/tokenCounts';
import { tokenizerCommands } from './extension/tokenizerCommands';

export function activate(context: vscode.ExtensionContext): void {
  const log = new Log();
  const keys = new KeyStore(context.secrets);
  const history = new HistoryService(context.globalStorageUri);
  context.subscriptions.push(log, history);

  // The panel and the controller need each other: the panel's Cancel and first view, the controller's live updates.
  let benchmark: BenchmarkController;
  const panel = new ResultsPanel(
    context.extensionUri,
    log,
    () => benchmark.cancel(),
    () => benchmark.currentView(),
  );
  benchmark = new BenchmarkController(
    context.workspaceState,
    context.globalState,
    keys,
    history,
    () => panel,
    log,
    (env) => setApiKey(keys, log, env),
  );
  context.subscriptions.push(panel, benchmark);

  const sidebar = new LeaderboardProvider(context.extensionUri, context.globalState, history, log);
  context.subscriptions.push(sidebar, vscode.window.registerWebviewViewProvider(ViewId.leaderboard, sidebar));

  // Typed as every command's handler: a command in commandIds.ts without one is a compile error here.
  const handlers: CommandHandlers = combineHandlers(
    benchmarkCommands(benchmark, log),
    resultsCommands({ benchmark, panel, history, log }),
    keyCommands(keys, log),
    modelCommands(log),
    tokenizerCommands(log),
    sidebar.commands(),
  );
  registerCommands(context, log, handlers);

  const cache = new TokenCountCache();
  const selector = [...PROSE_LANGUAGES, ...CODE_LANGUAGES].map((language) => ({ language }));
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(
      selector,
      new PromptHoverProvider(cache, history, context.globalState, log, () => benchmark.lastReport),
    ),
    vscode.workspace.onDidCloseTextDocument((doc) => cache.forget(doc)),
    new SelectionStatus(log),
    { dispose: () => tokenCounter.dispose() },
  );
  void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
  log.info(`activated; history at ${history.path}`);
}

export function deactivate(): void {}
