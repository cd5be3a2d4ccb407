/**
 * The history file against hostile content: records dated far in the future, and a line too long to
 * hold (over 512 MiB once made every record of the file unreadable).
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/io';
import type { HistoryRecord } from '../../src/core/history';
import { runCliChild } from './child.mjs';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokenscope-hostile-history-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function record(time: string, decodeTps = 40): HistoryRecord {
  const metric = {
    setupMs: 50,
    ttftMs: 300,
    ttfoMs: 300,
    decodeTps,
    e2eMs: 2000,
    itlMs: 20,
    interChunkP50Ms: 20,
    interChunkP95Ms: 40,
  };
  const tokens = {
    inputTokens: 100,
    outputTokens: 200,
    reasoningTokens: null,
    cachedInputTokens: null,
    streamedTokens: 200,
    costUsd: 0.001,
    charsPerSec: 100,
    normalizedTps: decodeTps,
    serverDecodeTps: null,
  };
  return {
    v: 1,
    time,
    modelId: 'deepseek-chat',
    region: 'CN',
    protocol: 'openai-chat',
    host: 'api.deepseek.com',
    promptHash: 'f'.repeat(64),
    category: 'chat',
    tokenSource: 'usage',
    toolVersion: '0.1.0',
    metrics: { ok: true, error: null, reasoningVisible: false, chunks: 50, ...metric, ...tokens },
  };
}
const line = (r: HistoryRecord) => JSON.stringify(r) + '\n';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t + '\n'), err: (t) => void (err += t + '\n'), env: {}, isTTY: false };
  const code = await main(argv, io);
  return { code, out, err };
}

const recent = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();

describe('records dated after tomorrow', () => {
  it('do not stretch report --weekly to year 9999: skipped with a warning (the output was 44.5 MB)', async () => {
    const file = join(dir, 'future.jsonl');
    writeFileSync(
      file,
      line(record(recent(3))) + line(record('9999-12-31T00:00:00.000Z')) + line(record(recent(2), 50)),
    );
    const r = await cli(['report', '--weekly', '--format', 'json', '--history', file]);
    expect(r.code).toBe(0);
    expect(r.out.length).toBeLessThan(100_000);
    const weekly = JSON.parse(r.out);
    expect(weekly.weeks.length).toBeLessThanOrEqual(2);
    expect(r.err).toMatch(
      /future\.jsonl line 2: not a valid history record \(is dated after tomorrow \(9999-12-31; this machine's date is \d{4}-\d{2}-\d{2}\)\); skipped/,
    );
  });

  it('are refused by import, which says how many and why', async () => {
    const src = join(dir, 'colleague.jsonl');
    const dest = join(dir, 'mine.jsonl');
    // A record from 12 hours ahead is within a day's slack (clocks, time zones) and is kept.
    const soon = new Date(Date.now() + 12 * 3_600_000).toISOString();
    writeFileSync(
      src,
      line(record(recent(1))) +
        line(record('9999-12-31T00:00:00.000Z')) +
        line(record('2999-01-01T00:00:00.000Z')) +
        line(record(soon)),
    );
    const r = await cli(['history', 'import', src, '--history', dest]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /Imported .*colleague\.jsonl: 2 new record\(s\), 0 already in .*mine\.jsonl\. 2 record\(s\) refused: dated after tomorrow/,
    );
    const kept = readFileSync(dest, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).time);
    expect(kept).toHaveLength(2);
    expect(kept).toContain(soon);
  });
});

describe('a line too long to hold', () => {
  it('a 600 MiB line is skipped like any damaged line; the records around it are read, in little memory', async () => {
    // A sparse file: the 600 MiB of NULs between the two records take no disk.
    const file = join(dir, 'giant-line.jsonl');
    const first = line(record(recent(3)));
    const last = '\n' + line(record(recent(2), 50));
    const fd = openSync(file, 'w');
    writeSync(fd, first, 0);
    writeSync(fd, last, Buffer.byteLength(first) + 600 * 1024 * 1024);
    closeSync(fd);
    const r = await runCliChild(['report', '--format', 'json', '--history', file], { killAfterMs: 60_000 });
    expect(r.killed).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /giant-line\.jsonl line 2: 600 MiB long, over the 64 MiB a record may take \(a damaged line\); skipped/,
    );
    const board = JSON.parse(r.stdout);
    expect(board.models[0]).toMatchObject({ key: 'deepseek-chat', runs: 2 });
    expect(r.maxRssMb).toBeLessThan(300);
  });
});
