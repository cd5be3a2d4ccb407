import type * as vscode from 'vscode';
import { describe, expect, it, vi } from 'vitest';
import { parseResultsFromWebview, type ResultsFromWebview } from '../../src/shared/protocol/results';
import { parseSidebarFromWebview, type SidebarFromWebview } from '../../src/shared/protocol/sidebar';
import { Command } from '../../src/extension/commandIds';
import {
  contentSecurityPolicy,
  escapeHtml,
  hostWebview,
  makeNonce,
  pageHtml,
  webviewHtml,
  webviewOptions,
  type ViewMessage,
  type WebviewPage,
} from '../../src/extension/webviewHost';

describe('webview HTML', () => {
  const html = webviewHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/results.js',
    styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/media/common.css'],
    title: 'Results <x>',
    nonce: 'abc123',
    view: 'results',
  });

  it('sets a strict CSP with the nonce and no unsafe sources', () => {
    const csp = contentSecurityPolicy('https://src', 'N');
    expect(csp).toBe(
      "default-src 'none'; script-src 'nonce-N'; style-src https://src 'nonce-N'; img-src https://src data:; font-src https://src",
    );
    expect(html).toContain(`content="default-src &#39;none&#39;; script-src &#39;nonce-abc123&#39;`);
    expect(html).not.toMatch(/unsafe-inline|unsafe-eval|https?:\/\/(?!file\+\.vscode-resource)/);
  });

  it('loads the script with the nonce by URI and has no inline script or style', () => {
    expect(html).toContain(
      '<script nonce="abc123" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/results.js"></script>',
    );
    expect(html).not.toMatch(/<script(?![^>]*src=)[^>]*>/);
    expect(html).not.toMatch(/<style|style=/);
    expect(html).toContain('<title>Results &lt;x&gt;</title>');
    expect(html).toContain('<body data-view="results">');
  });

  it('makes a fresh, URL-safe nonce each time', () => {
    const a = makeNonce();
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(makeNonce()).not.toBe(a);
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });
});

/** The parts of vscode.Uri the host uses: a posix path and `with`. */
class FakeUri {
  constructor(readonly path: string) {}
  with(change: { path?: string }): FakeUri {
    return new FakeUri(change.path ?? this.path);
  }
  toString(): string {
    return `file://${this.path}`;
  }
}

const extensionUri = new FakeUri('/ext/tokenscope') as unknown as vscode.Uri;

function fakeWebview() {
  let listener: ((raw: unknown) => unknown) | undefined;
  const webview = {
    cspSource: 'https://csp.example',
    options: {} as vscode.WebviewOptions,
    html: '',
    asWebviewUri: (u: vscode.Uri) => ({ toString: () => `https://res.example${u.path}` }),
    onDidReceiveMessage: (l: (raw: unknown) => unknown) => {
      listener = l;
      return { dispose: () => (listener = undefined) };
    },
  };
  return {
    webview: webview as unknown as vscode.Webview & { html: string; options: vscode.WebviewOptions },
    receive: (raw: unknown) => listener?.(raw),
    isListening: () => listener !== undefined,
  };
}

describe('webview host', () => {
  it('builds each page from its own bundle and styles, loaded only from dist/media and media', () => {
    const { webview } = fakeWebview();
    for (const kind of ['results', 'sidebar'] as const) {
      const html = pageHtml(webview, extensionUri, kind, 'T', 'n0nce');
      expect(html).toContain(
        `<script nonce="n0nce" src="https://res.example/ext/tokenscope/dist/media/${kind}.js"></script>`,
      );
      expect(html).toContain('href="https://res.example/ext/tokenscope/media/common.css"');
      expect(html).toContain(`href="https://res.example/ext/tokenscope/media/${kind}.css"`);
      expect(html).toContain(`<body data-view="${kind}">`);
      expect(html).toContain('style-src https://csp.example &#39;nonce-n0nce&#39;');
    }
    const options = webviewOptions(extensionUri);
    expect(options).toMatchObject({ enableScripts: true, enableCommandUris: false });
    expect(options.localResourceRoots?.map((u) => u.path)).toEqual([
      '/ext/tokenscope/dist/media',
      '/ext/tokenscope/media',
    ]);
  });

  function hostResults() {
    const { webview, receive, isListening } = fakeWebview();
    const log = { warn: vi.fn(), errorOnce: vi.fn() };
    const runCommand = vi.fn();
    const seen: ViewMessage<ResultsFromWebview>[] = [];
    const page: WebviewPage<ResultsFromWebview> = {
      kind: 'results',
      title: 'Tokenscope Results',
      label: 'results panel',
      parse: parseResultsFromWebview,
      onMessage: (m) => seen.push(m),
    };
    const sub = hostWebview(webview, page, { extensionUri, log, runCommand });
    return { webview, receive, isListening, log, runCommand, seen, sub };
  }

  it('sets the options and the HTML of the webview it hosts', () => {
    const { webview } = hostResults();
    expect(webview.options.enableScripts).toBe(true);
    expect(webview.html).toContain('<title>Tokenscope Results</title>');
    expect(webview.html).toMatch(/dist\/media\/results\.js/);
  });

  it('hands the view its own messages, validated and fresh; answers the common ones with commands', () => {
    const { receive, seen, runCommand, log } = hostResults();
    receive({ type: 'ready', view: 'results' });
    receive({ type: 'export', format: 'csv', extra: 1 });
    receive({ type: 'clearCompare' });
    expect(seen).toEqual([
      { type: 'ready', view: 'results' },
      { type: 'export', format: 'csv' },
      { type: 'clearCompare' },
    ]);

    receive({ type: 'setApiKey', modelId: 'deepseek-v4-flash' });
    receive({ type: 'setApiKey' });
    receive({ type: 'runBenchmark' });
    receive({ type: 'startDemo' });
    expect(runCommand.mock.calls).toEqual([
      [Command.setApiKey, 'deepseek-v4-flash'],
      [Command.setApiKey, undefined],
      [Command.benchmarkSelection],
      [Command.startDemo],
    ]);

    receive({ type: 'renderError', view: 'results', message: 'charts: canvas\nlost' });
    expect(log.errorOnce).toHaveBeenCalledWith('results panel: charts: canvas lost');
    expect(seen).toHaveLength(3);
    expect(log.warn).not.toHaveBeenCalled();
  });

  it("ignores, with a warning naming the page, malformed messages and the other view's", () => {
    const { receive, seen, runCommand, log } = hostResults();
    receive({ type: 'setFilter', filter: { category: 'all', range: 'all' } });
    receive({ type: 'showResults' });
    receive({ type: 'ready', view: 'sidebar' });
    receive({ type: 'renderError', view: 'sidebar', message: 'x' });
    receive('cancel');
    expect(seen).toEqual([]);
    expect(runCommand).not.toHaveBeenCalled();
    expect(log.errorOnce).not.toHaveBeenCalled();
    expect(log.warn.mock.calls.map((c) => c[0])).toEqual([
      'results panel: ignored a malformed message (type "setFilter")',
      'results panel: ignored a malformed message (type "showResults")',
      'results panel: ignored a malformed message (type "ready")',
      'results panel: ignored a malformed message (type "renderError")',
      'results panel: ignored a malformed message (string)',
    ]);
  });

  it('hosts the sidebar with its own protocol, and stops listening when disposed', () => {
    const { webview, receive, isListening } = fakeWebview();
    const seen: ViewMessage<SidebarFromWebview>[] = [];
    const log = { warn: vi.fn(), errorOnce: vi.fn() };
    const sub = hostWebview(
      webview,
      {
        kind: 'sidebar',
        title: 'Tokenscope Leaderboard',
        label: 'sidebar',
        parse: parseSidebarFromWebview,
        onMessage: (m) => seen.push(m),
      },
      { extensionUri, log, runCommand: vi.fn() },
    );
    expect(webview.html).toContain('<body data-view="sidebar">');
    receive({ type: 'setFilter', filter: { category: 'chat', range: '7d' } });
    receive({ type: 'export', format: 'json' });
    expect(seen).toEqual([{ type: 'setFilter', filter: { category: 'chat', range: '7d' } }]);
    expect(log.warn).toHaveBeenCalledWith('sidebar: ignored a malformed message (type "export")');
    sub.dispose();
    expect(isListening()).toBe(false);
  });
});
