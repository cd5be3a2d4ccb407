/**
 * The sidebar leaderboard (a webview view in the Tokenscope activity-bar container): the core's leaderboard over
 * the saved history, under the filter the user chose (kept in globalState).
 */
import * as vscode from 'vscode';
import { aggregateWeekly, byHour, leaderboard } from '../core/history';
import { buildLeaderboardView, DEFAULT_LEADERBOARD_FILTER, isCategoryFilter, isTimeRange, toLeaderboardFilter, type LeaderboardFilterState } from '../core/report/leaderboardView';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '../shared/webviewProtocol';
import type { HistoryService } from './history';
import type { Log } from './log';
import { htmlFor, webviewOptions } from './resultsPanel';

export const LEADERBOARD_VIEW_ID = 'tokenscope.leaderboard';
const FILTER_KEY = 'tokenscope.leaderboardFilter';

export class LeaderboardProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly state: vscode.Memento,
    private readonly history: HistoryService,
    private readonly log: Log,
    private readonly onMessage: (m: WebviewMessage) => void,
  ) {
    this.subs.push(history.onDidChange(() => void this.refresh()));
  }

  private get filter(): LeaderboardFilterState {
    const v = this.state.get<Partial<LeaderboardFilterState>>(FILTER_KEY);
    return { category: isCategoryFilter(v?.category) ? v.category : DEFAULT_LEADERBOARD_FILTER.category, range: isTimeRange(v?.range) ? v.range : DEFAULT_LEADERBOARD_FILTER.range };
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = htmlFor(view.webview, this.extensionUri, 'sidebar', 'Tokenscope Leaderboard');
    const subs = [
      view.webview.onDidReceiveMessage(async (raw: unknown) => {
        const msg = parseWebviewMessage(raw);
        if (!msg) return this.log.warn('leaderboard: ignored a malformed message');
        if (msg.type === 'ready') await this.refresh();
        else if (msg.type === 'setFilter') {
          await this.state.update(FILTER_KEY, msg.filter);
          await this.refresh();
        } else this.onMessage(msg);
      }),
      view.onDidChangeVisibility(() => view.visible && void this.refresh()),
      view.onDidDispose(() => {
        this.view = undefined;
        subs.forEach((d) => d.dispose());
      }),
    ];
  }

  /** Re-reads the history and posts the leaderboard, if the view is showing. */
  async refresh(): Promise<void> {
    if (!this.view) return;
    try {
      const { records, warnings } = await this.history.read();
      const filter = this.filter;
      const now = new Date();
      const coreFilter = toLeaderboardFilter(filter, now);
      const board = leaderboard(records, coreFilter);
      // Only completed weeks count in the streak, so a benchmark minutes old makes no "1 week" lead.
      const weekly = aggregateWeekly(records, { category: coreFilter.category, since: coreFilter.since, now: now.toISOString() });
      const outcomes = await this.history.outcomes();
      const category = coreFilter.category === undefined ? undefined : ([] as typeof records[number]['category'][]).concat(coreFilter.category);
      const hours = byHour(records, { since: coreFilter.since, ...(category ? { category } : {}) });
      const shown = warnings.slice(0, 3).map((w) => w.message);
      if (warnings.length > 3) shown.push(`…and ${warnings.length - 3} more damaged line(s) in ${this.history.path}`);
      this.post({ type: 'leaderboard', view: buildLeaderboardView(board, filter, records.length, shown, weekly, outcomes, hours) });
    } catch (e) {
      this.log.error(`leaderboard: cannot read the history at ${this.history.path}: ${(e as Error).message}`);
      this.post({ type: 'leaderboard', view: buildLeaderboardView({ models: [], regions: [] }, this.filter, 0, [`Cannot read the history: ${(e as Error).message}`]) });
    }
  }

  private post(message: HostMessage): void {
    void this.view?.webview.postMessage(message);
  }

  dispose(): void {
    this.subs.forEach((d) => d.dispose());
  }
}
