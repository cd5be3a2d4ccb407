/**
 * Laziness across bundling: built the way esbuild.mjs builds dist/ (CommonJS, TOKENSCOPE_BUNDLED defined), the
 * registry must stay small, keep every vocabulary in its own chunk, and require a chunk only when its family is
 * first used.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const common: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'silent',
  define: { TOKENSCOPE_BUNDLED: 'true' },
  absWorkingDir: ROOT,
};
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-bundle-'));
  // The registry as the CLI and the extension bundle it: into one file, with the chunks beside it in tokenizers/.
  await esbuild.build({ ...common, entryPoints: ['src/core/tokenizers/index.ts'], outfile: join(dir, 'main.js') });
  await esbuild.build({
    ...common,
    entryPoints: ['o200k', 'cl100k', 'claude'].map((f) => `src/core/tokenizers/families/${f}.ts`),
    outdir: join(dir, 'tokenizers'),
  });
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('bundled registry', () => {
  it('inlines no vocabulary: the registry bundle is small, the chunks are not', () => {
    expect(statSync(join(dir, 'main.js')).size).toBeLessThan(50_000);
    expect(statSync(join(dir, 'tokenizers', 'o200k.js')).size).toBeGreaterThan(1_000_000);
    expect(readdirSync(join(dir, 'tokenizers')).sort()).toEqual(['cl100k.js', 'claude.js', 'o200k.js']);
  });

  it('requires a family chunk on first use only, once, and counts look-alikes as text', () => {
    const script = join(dir, 'probe.js');
    writeFileSync(
      script,
      `const reg = require('./main.js');
const chunks = () => Object.keys(require.cache).filter((k) => k.includes('tokenizers')).map((k) => require('path').basename(k)).sort();
(async () => {
  const out = { before: chunks() };
  const [a, b] = await Promise.all([reg.loadTokenizer('cl100k'), reg.loadTokenizer('cl100k')]);
  out.same = a === b;
  out.afterCl100k = chunks();
  out.loaded = ['o200k', 'cl100k', 'claude'].map((f) => reg.loadedTokenizer(f) !== undefined);
  out.count = await reg.countTokens('cl100k', 'a <|endoftext|> b');
  out.counts = reg.tokenizerLoadCounts();
  await reg.loadTokenizer('o200k');
  out.afterO200k = chunks();
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });`,
    );
    const out = JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8' }));
    expect(out).toEqual({
      before: [],
      same: true,
      afterCl100k: ['cl100k.js'],
      loaded: [false, true, false],
      count: 8, // as tiktoken's encode_ordinary; with <|endoftext|> as a special token it would be 4
      counts: { cl100k: 1 },
      afterO200k: ['cl100k.js', 'o200k.js'],
    });
  }, 30_000);
});
