/**
 * The sidebar leaderboard (a webview view in the Tokenscope activity-bar container): the core's leaderboard over
 * the saved history, under the filter the user chose (kept in globalState).
 */
import * as vscode from 'vscode';
import {
  historyLeaderboardView,
  leaderboardFilterState,
  unreadableHistoryView,
} from '../core/report/historyLeaderboard';
import type { LeaderboardFilterState } from '../core/report/leaderboardView';
import { assertNever } from '../shared/protocol/common';
import { parseSidebarFromWebview, type SidebarFromWebview, type SidebarToWebview } from '../shared/protocol/sidebar';
import { Command, VIEW_CONTAINER_ID, ViewId, type HandlersOf } from './commandIds';
import type { HistoryService } from './history';
import type { Log } from './log';
import { hostWebview, type ViewMessage, type WebviewPage } from './webviewHost';

const FILTER_KEY = 'tokenscope.leaderboardFilter';

export class LeaderboardProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly subs: vscode.Disposable[] = [];
  private readonly page: WebviewPage<SidebarFromWebview> = {
    kind: 'sidebar',
    title: 'Tokenscope Leaderboard',
    label: 'sidebar',
    parse: parseSidebarFromWebview,
    onMessage: (m) => this.onMessage(m),
  };

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly state: vscode.Memento,
    private readonly history: HistoryService,
    private readonly log: Log,
  ) {
    this.subs.push(history.onDidChange(() => void this.refresh()));
  }

  private get filter(): LeaderboardFilterState {
    return leaderboardFilterState(this.state.get(FILTER_KEY));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const subs = [
      hostWebview(view.webview, this.page, {
        extensionUri: this.extensionUri,
        log: this.log,
        runCommand: vscode.commands.executeCommand,
      }),
      view.onDidChangeVisibility(() => view.visible && void this.refresh()),
      view.onDidDispose(() => {
        this.view = undefined;
        subs.forEach((d) => d.dispose());
      }),
    ];
  }

  private async onMessage(m: ViewMessage<SidebarFromWebview>): Promise<unknown> {
    switch (m.type) {
      case 'ready':
        return this.refresh();
      case 'setFilter':
        await this.state.update(FILTER_KEY, m.filter);
        return this.refresh();
      case 'showResults':
        return vscode.commands.executeCommand(Command.showResults);
      default:
        return assertNever(m, 'sidebar');
    }
  }

  /** The sidebar's commands. */
  commands(): HandlersOf<'showComparison'> {
    return {
      // Opens the Tokenscope side bar (even when another view container is showing), then focuses the leaderboard.
      [Command.showComparison]: async () => {
        await vscode.commands.executeCommand(`workbench.view.extension.${VIEW_CONTAINER_ID}`);
        await vscode.commands.executeCommand(`${ViewId.leaderboard}.focus`);
      },
    };
  }

  /** Re-reads the history and posts the leaderboard, if the view is showing. */
  async refresh(): Promise<void> {
    if (!this.view) return;
    try {
      const history = await this.history.read();
      const outcomes = await this.history.outcomes();
      this.post({
        type: 'leaderboard',
        view: historyLeaderboardView(history, this.filter, outcomes, this.history.path, new Date()),
      });
    } catch (e) {
      this.log.error(`leaderboard: cannot read the history at ${this.history.path}: ${(e as Error).message}`);
      this.post({ type: 'leaderboard', view: unreadableHistoryView(this.filter, (e as Error).message) });
    }
  }

  private post(message: SidebarToWebview): void {
    void this.view?.webview.postMessage(message);
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
  }
}
