/**
 * Results panel script (bundled to dist/media/results.js). Validates every message from the extension with the
 * panel's protocol before rendering, and keeps the last view in the webview state so a reload restores it at once.
 */
import { assertNever } from '../../src/shared/protocol/common';
import {
  isResultsView,
  parseResultsToWebview,
  type ResultsFromWebview,
  type ResultsView,
} from '../../src/shared/protocol/results';
import { createCharts } from './lib/charts';
import { createResultsApp } from './lib/resultsRender';
import { createTtftCharts } from './lib/ttftCharts';
import { vscodeApi } from './lib/vscodeApi';

interface State {
  view: ResultsView | null;
}

const vscode = vscodeApi<State, ResultsFromWebview>();
const root = document.getElementById('app')!;
const app = createResultsApp(root, (m) => vscode.postMessage(m), createCharts, createTtftCharts);

const saved = vscode.getState();
app.render(saved && isResultsView(saved.view) ? saved.view : null);

window.addEventListener('message', (event: MessageEvent) => {
  const msg = parseResultsToWebview(event.data);
  if (!msg) {
    console.warn('tokenscope: ignored an unexpected message', event.data?.type);
    return;
  }
  switch (msg.type) {
    case 'results':
      app.render(msg.view);
      vscode.setState({ view: msg.view });
      break;
    case 'noResults':
      app.render(null);
      vscode.setState({ view: null });
      break;
    case 'compare':
      app.renderCompare(msg.view);
      break;
    default:
      assertNever(msg, 'results panel');
  }
});

vscode.postMessage({ type: 'ready', view: 'results' });
