// Bundles the extension, the CLI, the per-family tokenizer chunks, the webview scripts and the test server.
// Usage: node esbuild.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const listTs = (dir) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(dir, f))
    : [];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Lets the tokenizer registry load a family's vocabulary from its own chunk only when first used.
  define: { TOKENSCOPE_BUNDLED: 'true' },
  metafile: true,
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // Counts tokens on a worker thread for the extension, so no vocabulary is parsed on the extension host.
  { ...common, entryPoints: ['src/core/tokenizers/countWorker.ts'], outfile: 'dist/countWorker.js' },
  // Runs the editor's benchmarks on a worker thread, off the extension host's event loop.
  { ...common, entryPoints: ['src/core/benchmarkWorker.ts'], outfile: 'dist/benchmarkWorker.js' },
  // The price database (0.5 MB of data), required on first use (see src/core/pricing/engine.ts).
  {
    ...common,
    entryPoints: { 'genai-prices': 'node_modules/@pydantic/genai-prices/dist/index.cjs' },
    outdir: 'dist/pricing',
  },
  // One chunk per tokenizer family, required lazily at run time (see src/core/tokenizers).
  { ...common, entryPoints: listTs('src/core/tokenizers/families'), outdir: 'dist/tokenizers' },
  // Webview scripts run in the browser.
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: listTs('media/src'),
    outdir: 'dist/media',
  },
  // The local streaming test server, runnable on its own for e2e tests and benchmarks.
  { ...common, entryPoints: ['test/server/main.ts'], outfile: 'out/test-server.js' },
  // Benchmark scripts that drive the core directly (npm run bench:*).
  {
    ...common,
    entryPoints: listTs('scripts/bench'),
    outdir: 'out/bench',
    define: {
      ...common.define,
      TOKENSCOPE_TOKENIZER_DIR: '"../../dist/tokenizers"',
      TOKENSCOPE_PRICING_DIR: '"../../dist/pricing"',
    },
  },
].filter(
  (b) => Object.values(b.entryPoints ?? []).length > 0 && Object.values(b.entryPoints).every((e) => existsSync(e)),
);

const fmt = (n) => (n > 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(1)} kB`);

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  const sizes = results.flatMap((r) =>
    Object.entries(r.metafile.outputs)
      .filter(([f]) => !f.endsWith('.map'))
      .map(([f, o]) => `${f} ${fmt(o.bytes)}`),
  );
  console.log(`esbuild: built ${sizes.length} files\n  ${sizes.join('\n  ')}`);
}
