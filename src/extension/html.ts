/**
 * The HTML shell of the webviews: a strict Content-Security-Policy with a fresh nonce, styles and the script
 * loaded from the extension by URI only, and nothing inline. No `vscode` import, so it is unit-tested.
 */
import { randomBytes } from 'node:crypto';

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
  view: 'results' | 'sidebar';
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, (c) => ({ '+': '-', '/': '_', '=': '' })[c]!);
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

export function webviewHtml(o: WebviewHtmlOptions): string {
  const nonce = o.nonce ?? makeNonce();
  const styles = o.styleUris.map((u) => `<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(u)}">`).join('\n    ');
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
