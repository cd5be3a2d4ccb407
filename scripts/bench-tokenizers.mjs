// Benchmarks the bundled tokenizer chunks (dist/tokenizers/<family>.js); run `node esbuild.mjs` first
// (`npm run bench:tokenizers` does both). Each family is measured in a fresh Node process, so its load is cold.
//
// Per family: cold load time, heap and RSS growth, count latency on a 100 kB mixed selection (first call and
// warm), on a 2 kB selection, and throughput in MB/s on 1 MB of English, Chinese and code. Texts are built from
// test/fixtures/tokenizers/, numbered per repetition so that they are not one piece repeated verbatim.
//
// Usage: node scripts/bench-tokenizers.mjs [--json] [family ...]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FAMILIES = ['o200k', 'cl100k', 'deepseek-v3', 'qwen3', 'claude', 'llama3'];
const fixture = (f) => readFileSync(join(ROOT, 'test', 'fixtures', 'tokenizers', f), 'utf8');

function fill(parts, bytes) {
  let s = '';
  for (let i = 0; Buffer.byteLength(s) < bytes; i++) s += parts[i % parts.length] + `\n${i}\n`;
  // Trim to the byte budget on a character boundary.
  const buf = Buffer.from(s).subarray(0, bytes);
  return buf.toString('utf8').replace(/\uFFFD+$/, '');
}

function texts() {
  const mixed = [
    'english.txt',
    'chinese.txt',
    'code-ts.txt',
    'code-py.txt',
    'emoji.txt',
    'crlf.txt',
    'specials.txt',
    'unicode.txt',
  ].map(fixture);
  return {
    mixed100k: fill(mixed, 100_000),
    mixed2k: fill(mixed, 2_000),
    english1m: fill([fixture('english.txt')], 1_000_000),
    chinese1m: fill([fixture('chinese.txt')], 1_000_000),
    code1m: fill([fixture('code-ts.txt'), fixture('code-py.txt')], 1_000_000),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs in the child process: measures one family. */
function measure(family) {
  const require = createRequire(import.meta.url);
  const chunk = join(ROOT, 'dist', 'tokenizers', `${family}.js`);
  const gc = globalThis.gc ?? (() => {});
  gc();
  const m0 = process.memoryUsage();
  const t0 = performance.now();
  const tok = require(chunk).create();
  const loadMs = performance.now() - t0;
  gc();
  const m1 = process.memoryUsage();
  const t = texts(); // after the memory reading, so that its garbage does not blur it
  const time = (text) => {
    const s = performance.now();
    const n = tok.count(text);
    return { ms: performance.now() - s, n };
  };
  const first100k = time(t.mixed100k);
  const warm100k = median([1, 2, 3, 4, 5].map(() => time(t.mixed100k).ms));
  const first2k = time(t.mixed2k);
  const warm2k = median(Array.from({ length: 21 }, () => time(t.mixed2k).ms));
  const mbps = {};
  for (const k of ['english1m', 'chinese1m', 'code1m']) {
    const bytes = Buffer.byteLength(t[k]);
    const runs = [1, 2, 3].map(() => time(t[k]));
    mbps[k] = { mbPerSec: bytes / 1e6 / (median(runs.map((r) => r.ms)) / 1000), tokens: runs[0].n };
  }
  gc();
  const m2 = process.memoryUsage();
  return {
    family,
    name: tok.name,
    exact: tok.exact,
    chunkMB: Number(readFileSync(chunk).length / 1e6),
    loadMs,
    heapMB: (m1.heapUsed - m0.heapUsed) / 1048576,
    rssMB: (m1.rss - m0.rss) / 1048576,
    rssAfterMB: (m2.rss - m0.rss) / 1048576,
    tokens100k: first100k.n,
    first100kMs: first100k.ms,
    warm100kMs: warm100k,
    first2kMs: first2k.ms,
    warm2kMs: warm2k,
    mbps,
  };
}

if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(measure(process.argv[3])));
} else {
  const json = process.argv.includes('--json');
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const families = wanted.length ? wanted : FAMILIES;
  for (const f of families) {
    if (!existsSync(join(ROOT, 'dist', 'tokenizers', `${f}.js`))) {
      console.error(
        `dist/tokenizers/${f}.js is missing: run \`node esbuild.mjs\` first (npm run bench:tokenizers does).`,
      );
      process.exit(1);
    }
  }
  const rows = families.map((f) =>
    JSON.parse(
      execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', f], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      }),
    ),
  );
  if (json) {
    console.log(JSON.stringify({ node: process.version, rows }, null, 2));
  } else {
    const fx = (n, d = 0) => n.toFixed(d);
    const table = [
      [
        'family',
        'chunk MB',
        'load ms',
        'heap MB',
        'rss MB',
        '100kB 1st ms',
        '100kB warm ms',
        '2kB 1st ms',
        '2kB warm ms',
        'EN MB/s',
        'ZH MB/s',
        'code MB/s',
        'tokens/100kB',
      ],
      ...rows.map((r) => [
        r.family + (r.exact ? '' : ' (approx)'),
        fx(r.chunkMB, 2),
        fx(r.loadMs),
        fx(r.heapMB, 1),
        fx(r.rssMB, 1),
        fx(r.first100kMs, 1),
        fx(r.warm100kMs, 1),
        fx(r.first2kMs, 2),
        fx(r.warm2kMs, 2),
        fx(r.mbps.english1m.mbPerSec, 2),
        fx(r.mbps.chinese1m.mbPerSec, 2),
        fx(r.mbps.code1m.mbPerSec, 2),
        String(r.tokens100k),
      ]),
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
    console.log(
      `tokenizer bench (node ${process.version}; each family in a fresh process; "1st" = first count after load)`,
    );
    for (const row of table)
      console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
  }
  // Targets: a hover over 100 kB counts within its budget once loaded; a load (on the worker thread) stays short
  // enough that a second hover has the counts; no text kind is pathologically slow.
  const TARGETS = { loadMs: 2000, first100kMs: 100, warm100kMs: 50, minMbPerSec: 5 };
  const misses = rows.flatMap((r) => {
    const slowest = Math.min(r.mbps.english1m.mbPerSec, r.mbps.chinese1m.mbPerSec, r.mbps.code1m.mbPerSec);
    return [
      r.loadMs >= TARGETS.loadMs && `${r.family}: load ${r.loadMs.toFixed(0)} ms ≥ ${TARGETS.loadMs} ms`,
      r.first100kMs >= TARGETS.first100kMs &&
        `${r.family}: first 100 kB count ${r.first100kMs.toFixed(1)} ms ≥ ${TARGETS.first100kMs} ms`,
      r.warm100kMs >= TARGETS.warm100kMs &&
        `${r.family}: warm 100 kB count ${r.warm100kMs.toFixed(1)} ms ≥ ${TARGETS.warm100kMs} ms`,
      slowest < TARGETS.minMbPerSec &&
        `${r.family}: slowest text kind ${slowest.toFixed(2)} MB/s < ${TARGETS.minMbPerSec} MB/s`,
    ].filter(Boolean);
  });
  const worst = (key) => Math.max(...rows.map((r) => r[key]));
  if (!json) {
    console.log(
      `worst of all families: load ${worst('loadMs').toFixed(0)} ms, first 100 kB ${worst('first100kMs').toFixed(1)} ms, warm 100 kB ${worst('warm100kMs').toFixed(1)} ms`,
    );
    console.log(
      `targets: load < ${TARGETS.loadMs} ms (on the count worker), first 100 kB count < ${TARGETS.first100kMs} ms, warm < ${TARGETS.warm100kMs} ms, every text kind ≥ ${TARGETS.minMbPerSec} MB/s`,
    );
    console.log(misses.length ? `MISSED ${misses.length} target(s):\n  ${misses.join('\n  ')}` : 'All targets met.');
  }
  process.exitCode = misses.length ? 1 : 0;
}
