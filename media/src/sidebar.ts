/** Sidebar leaderboard script (bundled to dist/media/sidebar.js). Validates every message before rendering. */
import { assertNever } from '../../src/shared/protocol/common';
import {
  isLeaderboardView,
  parseSidebarToWebview,
  type LeaderboardView,
  type SidebarFromWebview,
} from '../../src/shared/protocol/sidebar';
import { createSidebarApp } from './lib/sidebarRender';
import { createTrendChart } from './lib/trendChart';
import { vscodeApi } from './lib/vscodeApi';

interface State {
  view: LeaderboardView | null;
}

const vscode = vscodeApi<State, SidebarFromWebview>();
const app = createSidebarApp(document.getElementById('app')!, (m) => vscode.postMessage(m), createTrendChart);
const saved = vscode.getState();
app.render(saved && isLeaderboardView(saved.view) ? saved.view : null);

window.addEventListener('message', (event: MessageEvent) => {
  const msg = parseSidebarToWebview(event.data);
  if (!msg) {
    console.warn('tokenscope: ignored an unexpected message', event.data?.type);
    return;
  }
  switch (msg.type) {
    case 'leaderboard':
      app.render(msg.view);
      vscode.setState({ view: msg.view });
      break;
    default:
      assertNever(msg.type, 'sidebar');
  }
});

vscode.postMessage({ type: 'ready', view: 'sidebar' });
