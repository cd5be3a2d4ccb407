/**
 * Hosts a Tokenscope page in a webview (the results panel's or the sidebar view's): the HTML shell with a strict
 * Content-Security-Policy and a fresh nonce, the webview options, and the message wiring: what the page posts is
 * validated with its own protocol, the messages every page may send are answered here, the rest go to the view.
 * Only type imports from `vscode` (the caller passes its command runner), so all of it is unit-tested.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type * as vscode from 'vscode';
import { assertNever, type CommonFromWebview, type WebviewKind } from '../shared/protocol/common';
import { oneLine } from '../core/terminalText';
import { Command, type CommandId } from './commandIds';
import type { Log } from './log';

// ------------------------------------------------------------------------------------------------ HTML

export interface WebviewHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  /** asWebviewUri() of the script, as a string. */
  scriptUri: string;
  /** asWebviewUri() of each stylesheet. */
  styleUris: string[];
  title: string;
  nonce?: string;
  /** data-view attribute of <body>, for tests and e2e. */
  view: WebviewKind;
}

export function makeNonce(): string {
  return randomBytes(18)
    .toString('base64')
    .replace(/[+/=]/g, (c) => ({ '+': '-', '/': '_', '=': '' })[c]!);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/** The page shell: styles and the script loaded by URI only, nothing inline. */
export function webviewHtml(o: WebviewHtmlOptions): string {
  const nonce = o.nonce ?? makeNonce();
  const styles = o.styleUris
    .map((u) => `<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(u)}">`)
    .join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(o.cspSource, nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escapeHtml(o.title)}</title>
  </head>
  <body data-view="${o.view}">
    <main id="app"></main>
    <script nonce="${nonce}" src="${escapeHtml(o.scriptUri)}"></script>
  </body>
</html>
`;
}

/** vscode.Uri.joinPath without the runtime import (a Uri's path is always posix). */
function joinUri(base: vscode.Uri, ...parts: string[]): vscode.Uri {
  return base.with({ path: posix.join(base.path, ...parts) });
}

/** Webview options of every page (and of a restored panel): scripts on, resources from dist/media and media only. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [joinUri(extensionUri, 'dist', 'media'), joinUri(extensionUri, 'media')],
  };
}

/** The HTML of a page: its bundle dist/media/<kind>.js, media/common.css and media/<kind>.css. */
export function pageHtml(
  webview: Pick<vscode.Webview, 'asWebviewUri' | 'cspSource'>,
  extensionUri: vscode.Uri,
  view: WebviewKind,
  title: string,
  nonce?: string,
): string {
  const uri = (...parts: string[]) => webview.asWebviewUri(joinUri(extensionUri, ...parts)).toString();
  return webviewHtml({
    cspSource: webview.cspSource,
    scriptUri: uri('dist', 'media', `${view}.js`),
    styleUris: [uri('media', 'common.css'), uri('media', `${view}.css`)],
    title,
    view,
    ...(nonce ? { nonce } : {}),
  });
}

// ------------------------------------------------------------------------------------------------ messages

/** Messages every page may send that the host answers itself; `ready` is each view's own business. */
export type HostAnswered = Exclude<CommonFromWebview<WebviewKind>, { type: 'ready' }>;

/** The messages of a page's protocol that its view handles. */
export type ViewMessage<From> = Exclude<From, HostAnswered>;

const HOST_ANSWERED: Record<HostAnswered['type'], true> = {
  renderError: true,
  setApiKey: true,
  startDemo: true,
  runBenchmark: true,
};

const isHostAnswered = (m: { type: string }): m is HostAnswered => Object.hasOwn(HOST_ANSWERED, m.type);

/** Runs a Tokenscope command (vscode.commands.executeCommand, passed in by the view). */
export type RunCommand = (id: CommandId, ...args: unknown[]) => unknown;

export interface WebviewPage<From extends { type: string }> {
  kind: WebviewKind;
  /** The panel or view title, and how log lines name it. */
  title: string;
  label: string;
  /** The page's protocol: validates what it posts (a fresh object), undefined for anything else. */
  parse(raw: unknown): From | undefined;
  /** The page's own messages; the common ones are answered by the host. */
  onMessage(message: ViewMessage<From>): unknown;
}

export interface WebviewHostDeps {
  extensionUri: vscode.Uri;
  log: Pick<Log, 'warn' | 'errorOnce'>;
  runCommand: RunCommand;
}

/**
 * Sets up a webview (a panel's, or a view's) for a page: options, HTML and message wiring. Returns the message
 * subscription, to dispose with the webview.
 */
export function hostWebview<From extends { type: string }>(
  webview: vscode.Webview,
  page: WebviewPage<From>,
  deps: WebviewHostDeps,
): vscode.Disposable {
  webview.options = webviewOptions(deps.extensionUri);
  webview.html = pageHtml(webview, deps.extensionUri, page.kind, page.title);
  return webview.onDidReceiveMessage((raw: unknown) => {
    const message = page.parse(raw);
    if (!message) return deps.log.warn(`${page.label}: ignored a malformed message (${describe(raw)})`);
    if (isHostAnswered(message)) return answer(message, page.label, deps);
    return page.onMessage(message as ViewMessage<From>);
  });
}

function answer(m: HostAnswered, label: string, deps: WebviewHostDeps): unknown {
  switch (m.type) {
    case 'renderError':
      return deps.log.errorOnce(`${label}: ${oneLine(m.message, 300)}`);
    case 'setApiKey':
      return deps.runCommand(Command.setApiKey, m.modelId);
    case 'startDemo':
      return deps.runCommand(Command.startDemo);
    case 'runBenchmark':
      return deps.runCommand(Command.benchmarkSelection);
    default:
      return assertNever(m, label);
  }
}

function describe(raw: unknown): string {
  return raw && typeof raw === 'object' && 'type' in raw
    ? `type ${JSON.stringify(String((raw as { type: unknown }).type)).slice(0, 60)}`
    : typeof raw;
}
