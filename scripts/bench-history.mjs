#!/usr/bin/env node
// Times `tokenscope report --weekly` end to end on a 100,000-record history, as a user would run it:
// a spawned `node dist/cli.js report --weekly --history FILE --format json` (process start included).
// Usage: npm run bench:history   (or: node scripts/bench-history.mjs [--records N] [--repeat R])
// Target: under 2 s per report on a 2-core machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHistory } from './gen-history.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const args = process.argv.slice(2);
const opt = (name, d) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const records = opt('--records', 100_000);
const repeat = opt('--repeat', 5);
const TARGET_MS = 2000;

if (!existsSync(cli)) {
  console.error(`${cli} is missing: run "node esbuild.mjs" first (npm run bench:history does).`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'tokenscope-bench-history-'));
const file = join(dir, 'history.jsonl');
try {
  const t = performance.now();
  // Records end today: the history refuses records dated after tomorrow.
  await writeHistory(file, { records, weeks: 52, seed: 42, end: new Date().toISOString().slice(0, 10) + 'T00:00:00Z' });
  console.log(
    `generated ${records.toLocaleString('en-US')} records (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(2)} s`,
  );

  const run = (format) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'report', '--weekly', '--history', file, '--format', format], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    const ms = performance.now() - t0;
    if (r.status !== 0) {
      console.error(r.stderr);
      throw new Error(`report exited with ${r.status}`);
    }
    return { ms, out: r.stdout };
  };
  const first = run('json');
  const report = JSON.parse(first.out);
  if (report.totals.runs !== records) throw new Error(`report counted ${report.totals.runs} runs, expected ${records}`);
  const times = [first.ms];
  for (let i = 1; i < repeat; i++) times.push(run('json').ms);
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const md = run('md');
  console.log(
    `report --weekly --format json: ${times.map((x) => (x / 1000).toFixed(2)).join(', ')} s  → median ${(median / 1000).toFixed(2)} s, best ${(sorted[0] / 1000).toFixed(2)} s, worst ${(sorted[sorted.length - 1] / 1000).toFixed(2)} s (${report.weeks.length} weeks, ${report.models.length} models)`,
  );
  console.log(`report --weekly --format md:   ${(md.ms / 1000).toFixed(2)} s`);
  console.log(`headline: ${report.headline}`);
  console.log(
    median < TARGET_MS ? `OK: under the ${TARGET_MS / 1000} s target` : `SLOW: over the ${TARGET_MS / 1000} s target`,
  );
  process.exitCode = median < TARGET_MS ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
