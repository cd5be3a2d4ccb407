/**
 * The results webview panel: one at a time, restored by a WebviewPanelSerializer after a window reload, fed
 * ResultsView messages (built by the core) and answering the panel's own requests.
 */
import * as vscode from 'vscode';
import type { ResultsView } from '../core/report/resultsView';
import { assertNever } from '../shared/protocol/common';
import {
  parseResultsFromWebview,
  type CompareView,
  type ResultsFromWebview,
  type ResultsToWebview,
} from '../shared/protocol/results';
import { Command, ViewId } from './commandIds';
import type { Log } from './log';
import { hostWebview, webviewOptions, type ViewMessage, type WebviewPage } from './webviewHost';

const TITLE = 'Tokenscope Results';

export class ResultsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private view: ResultsView | null = null;
  /** The comparison shown under the results; dropped when other results replace the ones it compared. */
  private comparison: CompareView | null = null;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly page: WebviewPage<ResultsFromWebview> = {
    kind: 'results',
    title: TITLE,
    label: 'results panel',
    parse: parseResultsFromWebview,
    onMessage: (m) => this.onMessage(m),
  };

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    /** The panel's Cancel button: stops the running benchmark (quietly when none runs any more). */
    private readonly cancel: () => void,
    /** The view to show when the panel opens or restores (the last report), if the panel has none yet. */
    private readonly initialView: () => ResultsView | null,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(ViewId.results, {
        deserializeWebviewPanel: async (panel) => {
          this.attach(panel);
        },
      }),
    );
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens (or reveals) the panel. */
  show(preserveFocus = false): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      ViewId.results,
      TITLE,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      webviewOptions(this.extensionUri),
    );
    this.attach(panel);
  }

  /** Shows a new state (live while running); posted at once when the panel is open. */
  update(view: ResultsView | null): void {
    this.view = view;
    this.post(view ? { type: 'results', view } : { type: 'noResults' });
    if (this.comparison && view?.startedAt !== this.comparison.b.startedAt) this.compare(null);
  }

  /** Shows a comparison of the shown results with another run (null removes it). */
  compare(view: CompareView | null): void {
    this.comparison = view;
    this.post({ type: 'compare', view });
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
    this.view ??= this.initialView();
    const subs = [
      hostWebview(panel.webview, this.page, {
        extensionUri: this.extensionUri,
        log: this.log,
        runCommand: vscode.commands.executeCommand,
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        subs.forEach((d) => d.dispose());
      }),
    ];
  }

  private onMessage(m: ViewMessage<ResultsFromWebview>): unknown {
    switch (m.type) {
      case 'ready':
        this.post(this.view ? { type: 'results', view: this.view } : { type: 'noResults' });
        if (this.comparison) this.post({ type: 'compare', view: this.comparison });
        return undefined;
      case 'clearCompare':
        return this.compare(null);
      case 'cancel':
        return this.cancel();
      case 'export':
        return vscode.commands.executeCommand(Command.exportResults, m.format);
      case 'findLocalServers':
        return vscode.commands.executeCommand(Command.findLocalServers);
      case 'showComparison':
        return vscode.commands.executeCommand(Command.showComparison);
      case 'compareWith':
        return vscode.commands.executeCommand(Command.compareWith);
      default:
        return assertNever(m, 'results panel');
    }
  }

  private post(message: ResultsToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
