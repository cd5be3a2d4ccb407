/**
 * Results panel script (bundled to dist/media/results.js). Validates every message from the extension with the
 * shared protocol before rendering, and keeps the last view in the webview state so a reload restores it at once.
 */
import { isResultsView, parseHostMessage, type ResultsView } from '../../src/shared/webviewProtocol';
import { createCharts } from './lib/charts';
import { createResultsApp } from './lib/resultsRender';
import { createTtftCharts } from './lib/ttftCharts';
import { vscodeApi } from './lib/vscodeApi';

interface State {
  view: ResultsView | null;
}

const vscode = vscodeApi<State>();
const root = document.getElementById('app')!;
const app = createResultsApp(root, (m) => vscode.postMessage(m), createCharts, createTtftCharts);

const saved = vscode.getState();
app.render(saved && isResultsView(saved.view) ? saved.view : null);

window.addEventListener('message', (event: MessageEvent) => {
  const msg = parseHostMessage(event.data);
  if (!msg) {
    console.warn('tokenscope: ignored an unexpected message', event.data?.type);
    return;
  }
  if (msg.type === 'results') {
    app.render(msg.view);
    vscode.setState({ view: msg.view });
  } else if (msg.type === 'noResults') {
    app.render(null);
    vscode.setState({ view: null });
  } else if (msg.type === 'compare') {
    app.renderCompare(msg.view);
  }
});

vscode.postMessage({ type: 'ready', view: 'results' });
