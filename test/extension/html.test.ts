import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, escapeHtml, makeNonce, webviewHtml } from '../../src/extension/html';

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
    expect(csp).toBe("default-src 'none'; script-src 'nonce-N'; style-src https://src 'nonce-N'; img-src https://src data:; font-src https://src");
    expect(html).toContain(`content="default-src &#39;none&#39;; script-src &#39;nonce-abc123&#39;`);
    expect(html).not.toMatch(/unsafe-inline|unsafe-eval|https?:\/\/(?!file\+\.vscode-resource)/);
  });

  it('loads the script with the nonce by URI and has no inline script or style', () => {
    expect(html).toContain('<script nonce="abc123" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/media/results.js"></script>');
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
