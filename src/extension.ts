/**
 * Tokenscope's VS Code extension: wires the core (src/core) to commands, the results panel, the sidebar
 * leaderboard, hover hints and the status bar. Activation does no measuring and loads no tokenizer: those load
 * on first use.
 */
import * as vscode from 'vscode';
import { CODE_LANGUAGES, PROSE_LANGUAGES } from './core/promptLiterals';
import { BenchmarkController } from './extension/benchmark';
import { registerCommands, setApiKey } from './extension/commands';
import { HistoryService } from './extension/history';
import { PromptHoverProvider, TokenCountCache, tokenCounter } from './extension/hover';
import { Log } from './extension/log';
import { ResultsPanel } from './extension/resultsPanel';
import { KeyStore } from './extension/secrets';
import { LEADERBOARD_VIEW_ID, LeaderboardProvider } from './extension/sidebar';
import { SelectionStatus } from './extension/statusBar';
import type { WebviewMessage } from './shared/webviewProtocol';
import { oneLine } from './core/terminalText';

export function activate(context: vscode.ExtensionContext): void {
  const log = new Log();
  const keys = new KeyStore(context.secrets);
  const history = new HistoryService(context.globalStorageUri);
  context.subscriptions.push(log, history);

  // Messages from either webview that are not the webview's own business.
  const onWebviewMessage = (m: WebviewMessage) => {
    switch (m.type) {
      case 'export':
        void vscode.commands.executeCommand('tokenscope.exportResults', m.format);
        break;
      case 'cancel':
        benchmark.cancel();
        break;
      case 'setApiKey':
        void vscode.commands.executeCommand('tokenscope.setApiKey', m.modelId);
        break;
      case 'startDemo':
        void vscode.commands.executeCommand('tokenscope.startDemo');
        break;
      case 'findLocalServers':
        void vscode.commands.executeCommand('tokenscope.findLocalServers');
        break;
      case 'runBenchmark':
        void vscode.commands.executeCommand('tokenscope.benchmarkSelection');
        break;
      case 'showResults':
        void vscode.commands.executeCommand('tokenscope.showResults');
        break;
      case 'showComparison':
        void vscode.commands.executeCommand('tokenscope.showComparison');
        break;
      case 'renderError':
        log.errorOnce(`${m.view === 'results' ? 'results panel' : 'sidebar'}: ${oneLine(m.message, 300)}`);
        break;
      case 'compareWith':
        void vscode.commands.executeCommand('tokenscope.compareWith');
        break;
      case 'clearCompare':
        panel.compare(null);
        break;
    }
  };

  let benchmark: BenchmarkController;
  const panel = new ResultsPanel(context.extensionUri, log, onWebviewMessage, () => benchmark.currentView());
  benchmark = new BenchmarkController(context.workspaceState, context.globalState, keys, history, () => panel, log, (env) => setApiKey(keys, log, env));
  context.subscriptions.push(panel, benchmark);

  const sidebar = new LeaderboardProvider(context.extensionUri, context.globalState, history, log, onWebviewMessage);
  context.subscriptions.push(sidebar, vscode.window.registerWebviewViewProvider(LEADERBOARD_VIEW_ID, sidebar));

  registerCommands(context, { benchmark, panel, keys, history, log });

  const cache = new TokenCountCache();
  const selector = [...PROSE_LANGUAGES, ...CODE_LANGUAGES].map((language) => ({ language }));
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(selector, new PromptHoverProvider(cache, history, context.globalState, log, () => benchmark.lastReport)),
    vscode.workspace.onDidCloseTextDocument((doc) => cache.forget(doc)),
    new SelectionStatus(log),
    { dispose: () => tokenCounter.dispose() },
  );
  void vscode.commands.executeCommand('setContext', 'tokenscope.running', false);
  log.info(`activated; history at ${history.path}`);
}

export function deactivate(): void {}
