/**
 * The results webview panel: one at a time, restored by a WebviewPanelSerializer after a window reload, fed
 * ResultsView messages (built by the core) and answering the panel's requests through `onMessage`.
 */
import * as vscode from 'vscode';
import type { ResultsView } from '../core/report/resultsView';
import { parseWebviewMessage, type CompareView, type HostMessage, type WebviewMessage } from '../shared/webviewProtocol';
import { webviewHtml } from './html';
import type { Log } from './log';

export const RESULTS_VIEW_TYPE = 'tokenscope.results';

/** Webview options shared by the panel and its restored form: scripts on, resources from dist/media and media only. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'media'), vscode.Uri.joinPath(extensionUri, 'media')] };
}

export function htmlFor(webview: vscode.Webview, extensionUri: vscode.Uri, view: 'results' | 'sidebar', title: string): string {
  const uri = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  return webviewHtml({
    cspSource: webview.cspSource,
    scriptUri: uri('dist', 'media', `${view}.js`),
    styleUris: [uri('media', 'common.css'), uri('media', `${view}.css`)],
    title,
    view,
  });
}

export class ResultsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private view: ResultsView | null = null;
  /** The comparison shown under the results; dropped when other results replace the ones it compared. */
  private comparison: CompareView | null = null;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly onMessage: (m: WebviewMessage) => void,
    /** The view to show when the panel opens or restores (the last report), if the panel has none yet. */
    private readonly initialView: () => ResultsView | null,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
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
    const panel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, 'Tokenscope Results', { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, webviewOptions(this.extensionUri));
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
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = htmlFor(panel.webview, this.extensionUri, 'results', 'Tokenscope Results');
    this.view ??= this.initialView();
    const subs = [
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseWebviewMessage(raw);
        if (!msg) {
          this.log.warn(`results panel: ignored a malformed message (${describe(raw)})`);
          return;
        }
        if (msg.type === 'ready') {
          this.post(this.view ? { type: 'results', view: this.view } : { type: 'noResults' });
          if (this.comparison) this.post({ type: 'compare', view: this.comparison });
        }
        else this.onMessage(msg);
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        subs.forEach((d) => d.dispose());
      }),
    ];
  }

  private post(message: HostMessage): void {
    void this.panel?.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}

function describe(raw: unknown): string {
  return raw && typeof raw === 'object' && 'type' in raw ? `type ${JSON.stringify(String((raw as { type: unknown }).type)).slice(0, 60)}` : typeof raw;
}
