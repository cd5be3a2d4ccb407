/** Sidebar leaderboard script (bundled to dist/media/sidebar.js). Validates every message before rendering. */
import { isLeaderboardView, parseHostMessage, type LeaderboardView } from '../../src/shared/webviewProtocol';
import { createSidebarApp } from './lib/sidebarRender';
import { createTrendChart } from './lib/trendChart';
import { vscodeApi } from './lib/vscodeApi';

interface State {
  view: LeaderboardView | null;
}

const vscode = vscodeApi<State>();
const app = createSidebarApp(document.getElementById('app')!, (m) => vscode.postMessage(m), createTrendChart);
const saved = vscode.getState();
app.render(saved && isLeaderboardView(saved.view) ? saved.view : null);

window.addEventListener('message', (event: MessageEvent) => {
  const msg = parseHostMessage(event.data);
  if (msg?.type === 'leaderboard') {
    app.render(msg.view);
    vscode.setState({ view: msg.view });
  } else if (!msg) {
    console.warn('tokenscope: ignored an unexpected message', event.data?.type);
  }
});

vscode.postMessage({ type: 'ready', view: 'sidebar' });
