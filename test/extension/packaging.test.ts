/**
 * The VSIX as `vsce package` builds it (vsce's own file listing, as `vsce ls` prints it, after `npm run build`):
 * only what runs, and the manifest fields the Marketplace needs to package and show the extension.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from '@vscode/vsce';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('the packaged extension', () => {
  it('holds the bundles, webview assets, manifest and docs, and no sources, tests or source maps', async () => {
    const files = (await listFiles({ cwd: root })).map((f) => f.replace(/\\/g, '/')).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'CHANGELOG.md',
        'LICENSE',
        'dist/extension.js',
        'dist/media/results.js',
        'dist/media/sidebar.js',
        'media/icon.png',
        'media/results.css',
      ]),
    );
    const leaks = files.filter(
      (f) =>
        /^(src|test|scripts|examples|docs|out|node_modules|artifacts)\//.test(f) ||
        /\.(map|ts|mts|tsx)$/.test(f) ||
        /(^|\/)\.(env|vscode-test|tools)/.test(f),
    );
    expect(leaks).toEqual([]);
    // The CLI is an npm binary, not part of the extension.
    expect(files).not.toContain('dist/cli.js');
  }, 30_000);

  it('has what the Marketplace shows: repository, links, icon, banner, changelog entry', () => {
    expect(pkg.repository.url).toBe('https://github.com/tokenscope/tokenscope');
    expect(pkg.homepage).toMatch(/^https:\/\/github\.com\/tokenscope\/tokenscope/);
    expect(pkg.bugs.url).toMatch(/^https:\/\/github\.com\/tokenscope\/tokenscope\/issues/);
    expect(pkg.galleryBanner.color).toMatch(/^#[0-9a-f]{6}$/i);
    const png = readFileSync(join(root, pkg.icon));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([128, 128]);
    expect(readFileSync(join(root, 'CHANGELOG.md'), 'utf8')).toContain(`## ${pkg.version}`);
    // vsce packages without prompting only when the build runs first and no flags are needed.
    expect(pkg.scripts['vscode:prepublish']).toContain('esbuild.mjs --production');
    expect(pkg.scripts.package).not.toMatch(/--(allow-missing-repository|skip-license|no-rewrite-relative-links)/);
  });
});
