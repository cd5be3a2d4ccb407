/**
 * The benchmark history: an append-only JSON Lines file, one HistoryRecord per line.
 *
 * Crash safety and concurrent writers (two VS Code windows, or a window and the CLI):
 * - Each append opens the file with O_APPEND and hands whole lines to the kernel in one write()
 *   call per batch (batches are cut at line ends, at most 1 MiB). With O_APPEND the kernel moves to
 *   the end of file and writes in one step, and on local file systems (ext4, xfs, btrfs, tmpfs, APFS,
 *   NTFS with FILE_APPEND_DATA) a write() to a regular file is serialised against other writers of the
 *   same file, so lines from two processes never interleave. (PIPE_BUF, 4 KiB, bounds atomic writes to
 *   pipes and FIFOs, not to regular files; a record without prompt text is about 1 KiB anyway.)
 *   Network file systems (NFS, SMB) do not promise atomic appends: keep the history on a local disk.
 * - A crash or a full disk can still leave a partial last line. Before writing, an append checks the
 *   last byte of the file and starts with a newline if it is not one, so the damage stays on its own
 *   line and the new records stay readable. The reader skips damaged lines with a warning naming the
 *   line and goes on.
 * - Appends fsync (fdatasync) by default, so a record reported as written survives a power cut.
 * No lock file is used: a lock that outlives a crashed window would block every later write.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, stat, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { BenchmarkReport, RunMetrics, TaskCategory } from '../types';
import {
  HISTORY_SCHEMA_VERSION,
  type HistoryReadResult,
  type HistoryRecord,
  type HistoryWarning,
  type StoredMetrics,
} from './contract';
import { MAX_HISTORY_LINE_BYTES, MAX_IMPORT_FILE_BYTES } from '../limits';
import { formatBytes, openRegularFile } from '../regularFile';
import { FUTURE_PROBLEM, NUMERIC_METRICS, recordKey, recordProblem, redactSecrets } from './schema';

const NEWLINE = 0x0a;
/** Largest single write() of whole lines. */
const MAX_BATCH_BYTES = 1 << 20;

/** The CLI's history file: $TOKENSCOPE_HISTORY, else ~/.tokenscope/history.jsonl. */
export function defaultHistoryPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TOKENSCOPE_HISTORY || join(homedir(), '.tokenscope', 'history.jsonl');
}

export interface HistoryStoreOptions {
  /** fdatasync after each append (default true). */
  sync?: boolean;
}

export interface ExportOptions {
  /**
   * Keep stored prompt texts in the exported file (default false: exports are made to be shared,
   * and the prompt hash is enough to group runs by prompt).
   */
  includePrompts?: boolean;
}

export interface ImportResult {
  /** Records appended to this history. */
  added: number;
  /** Records skipped because an identical one was already here (or earlier in the same file). */
  duplicates: number;
  /** Damaged lines of the imported file (records dated after tomorrow included). */
  warnings: HistoryWarning[];
  /** Records refused because they are dated after tomorrow. */
  future: number;
}

/** What scanning a history file found. */
export interface ScanResult {
  count: number;
  warnings: HistoryWarning[];
  /** Records skipped because they are dated after tomorrow. */
  future: number;
}

/**
 * Calls `onLine` for every line of a file, streaming; the last line may lack its newline (`terminated` false).
 * Lines are found in the raw bytes ('\n' never occurs inside a multi-byte UTF-8 sequence) and decoded
 * one by one, which is about twice as fast as decoding whole chunks and splitting them. A line longer
 * than MAX_HISTORY_LINE_BYTES is not held: its bytes are dropped as they come and `onOversize` is told,
 * so one giant line costs neither the memory nor the other lines of the file.
 */
async function forEachLine(
  source: string | FileHandle,
  onLine: (lineNo: number, line: string, terminated: boolean) => void,
  onOversize: (lineNo: number, bytes: number) => void,
): Promise<void> {
  let lineNo = 0;
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let skipped = 0; // bytes of an oversize line dropped so far
  const take = (part: Buffer) => {
    if (skipped) skipped += part.length;
    else if (carryBytes + part.length > MAX_HISTORY_LINE_BYTES) {
      skipped = carryBytes + part.length;
      carry = [];
      carryBytes = 0;
    } else {
      carry.push(part);
      carryBytes += part.length;
    }
  };
  const lineEnd = (terminated: boolean) => {
    lineNo++;
    if (skipped) onOversize(lineNo, skipped);
    else onLine(lineNo, Buffer.concat(carry).toString('utf8'), terminated);
    carry = [];
    carryBytes = 0;
    skipped = 0;
  };
  const stream =
    typeof source === 'string'
      ? createReadStream(source, { highWaterMark: 1 << 20 })
      : source.createReadStream({ highWaterMark: 1 << 20, autoClose: false, end: MAX_IMPORT_FILE_BYTES - 1 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let pos = 0;
    let nl = chunk.indexOf(NEWLINE);
    if (nl < 0) {
      take(chunk);
      continue;
    }
    if (carryBytes || skipped) {
      take(chunk.subarray(0, nl));
      lineEnd(true);
      pos = nl + 1;
      nl = chunk.indexOf(NEWLINE, pos);
    }
    while (nl >= 0) {
      if (nl - pos > MAX_HISTORY_LINE_BYTES) onOversize(++lineNo, nl - pos);
      else onLine(++lineNo, chunk.toString('utf8', pos, nl), true);
      pos = nl + 1;
      nl = chunk.indexOf(NEWLINE, pos);
    }
    if (pos < chunk.length) take(chunk.subarray(pos));
  }
  if (carryBytes || skipped) lineEnd(false);
}

function pickMetrics(m: RunMetrics): StoredMetrics {
  const out = {
    ok: m.ok,
    error: m.error === null ? null : redactSecrets(m.error),
    ...(m.errorKind ? { errorKind: m.errorKind } : {}),
    reasoningVisible: m.reasoningVisible,
    chunks: m.chunks,
  } as StoredMetrics;
  for (const k of NUMERIC_METRICS) {
    const v = m[k];
    (out as unknown as Record<string, number | null>)[k] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  const hidden = m.hiddenTokens;
  if (hidden !== undefined) out.hiddenTokens = typeof hidden === 'number' && Number.isFinite(hidden) ? hidden : null;
  return out;
}

export interface RecordsFromReportOptions {
  category: TaskCategory;
  /** The prompt text; stored only when `storePrompt` is true. Must match the report's prompt hash. */
  prompt?: string;
  storePrompt: boolean;
}

/**
 * History records of a benchmark: one per measured run. Warm-up runs are left out; failed runs are
 * kept with metrics.ok = false; runs the user cancelled are left out (they say nothing about the model).
 * Records carry the base URL host only, never a key; error texts are scrubbed of anything key-like.
 */
export function recordsFromReport(report: BenchmarkReport, options: RecordsFromReportOptions): HistoryRecord[] {
  const storePrompt = options.storePrompt && options.prompt !== undefined;
  if (storePrompt && createHash('sha256').update(options.prompt!).digest('hex') !== report.prompt.sha256)
    throw new Error('recordsFromReport: the prompt given is not the one the report was run with (sha256 differs)');
  const records: HistoryRecord[] = [];
  for (const result of report.results) {
    const host = result.host.slice(result.host.lastIndexOf('@') + 1);
    for (const run of result.runs) {
      if (run.warmup || run.errorKind === 'cancelled') continue;
      const record: HistoryRecord = {
        v: HISTORY_SCHEMA_VERSION,
        time: run.startedAt,
        modelId: result.id,
        ...(result.label ? { label: result.label } : {}),
        region: result.region,
        protocol: result.protocol,
        host,
        promptHash: report.prompt.sha256,
        category: options.category,
        tokenSource: run.tokenSource,
        ...(run.tokenizer ? { tokenizer: run.tokenizer } : {}),
        toolVersion: report.tool.version,
        metrics: pickMetrics(run),
        ...(run.cacheState ? { cacheState: run.cacheState } : {}),
        ...(Number.isFinite(Date.parse(run.startedAt)) ? { hour: new Date(run.startedAt).getUTCHours() } : {}),
        ...(report.settings.location ? { location: redactSecrets(report.settings.location) } : {}),
        ...(run.targetInputTokens !== undefined ? { targetInputTokens: run.targetInputTokens } : {}),
        ...(run.priceSource && run.costUsd !== null ? { priceSource: run.priceSource } : {}),
      };
      if (storePrompt) record.prompt = options.prompt;
      records.push(record);
    }
  }
  return records;
}

function withoutPrompt(r: HistoryRecord): HistoryRecord {
  if (r.prompt === undefined) return r;
  const { prompt: _omit, ...rest } = r;
  return rest;
}

export class HistoryStore {
  readonly path: string;
  private readonly sync: boolean;

  constructor(path: string, options: HistoryStoreOptions = {}) {
    this.path = resolve(path);
    this.sync = options.sync ?? true;
  }

  async exists(): Promise<boolean> {
    try {
      return (await stat(this.path)).isFile();
    } catch {
      return false;
    }
  }

  /**
   * Appends records, each as one complete line (see the file comment for why concurrent appends
   * from several processes are safe). Throws, writing nothing, if any record is malformed.
   * Resolves to the number of records written.
   */
  async append(records: readonly HistoryRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const lines = records.map((r, i) => {
      const problem = recordProblem(r);
      if (problem) throw new Error(`history: record ${i} is not valid (${problem}); nothing was written`);
      return JSON.stringify(r) + '\n';
    });
    await mkdir(dirname(this.path), { recursive: true });
    const fh = await open(this.path, 'a+');
    try {
      const { size } = await fh.stat();
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, size - 1);
        if (last[0] !== NEWLINE) prefix = '\n';
      }
      let batch = prefix;
      const flush = async () => {
        if (!batch) return;
        const buf = Buffer.from(batch, 'utf8');
        batch = '';
        // position null: write at the (O_APPEND) end of file.
        await fh.write(buf, 0, buf.length, null);
      };
      for (const line of lines) {
        if (batch.length && batch.length + line.length > MAX_BATCH_BYTES) await flush();
        batch += line;
      }
      await flush();
      if (this.sync) await fh.datasync();
    } finally {
      await fh.close();
    }
    return records.length;
  }

  /**
   * Streams the file line by line, calling `onRecord` for each valid record. Damaged lines (bad JSON,
   * a truncated last line, a record of the wrong shape) are skipped with a warning naming the line;
   * blank lines are ignored. A missing file reads as empty.
   */
  async scan(onRecord: (record: HistoryRecord, line: number) => void): Promise<ScanResult> {
    try {
      return await this.scanFrom(this.path, onRecord);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      return { count: 0, warnings: [], future: 0 };
    }
  }

  private async scanFrom(
    source: string | FileHandle,
    onRecord: (record: HistoryRecord, line: number) => void,
  ): Promise<ScanResult> {
    const warnings: HistoryWarning[] = [];
    const name = basename(this.path);
    const now = Date.now();
    let count = 0;
    let future = 0;
    const warn = (line: number, what: string) =>
      warnings.push({ line, message: `${name} line ${line}: ${what}; skipped` });
    await forEachLine(
      source,
      (lineNo, raw, terminated) => {
        let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
        if (line.length === 0 || line.trim().length === 0) return;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          warn(
            lineNo,
            terminated ? 'not valid JSON (a damaged record)' : 'the last line is incomplete (an interrupted write?)',
          );
          return;
        }
        const problem = recordProblem(value, now);
        if (problem?.startsWith(FUTURE_PROBLEM)) future++;
        if (problem) return warn(lineNo, `not a valid history record (${problem})`);
        count++;
        onRecord(value as HistoryRecord, lineNo);
      },
      (lineNo, bytes) =>
        warn(
          lineNo,
          `${formatBytes(bytes)} long, over the ${formatBytes(MAX_HISTORY_LINE_BYTES)} a record may take (a damaged line)`,
        ),
    );
    return { count, warnings, future };
  }

  /** All valid records, in file order, and a warning for each line skipped. */
  async read(): Promise<HistoryReadResult> {
    const records: HistoryRecord[] = [];
    const { warnings } = await this.scan((r) => records.push(r));
    return { records, warnings };
  }

  /** Empties the history (the file stays, empty). */
  async clear(): Promise<void> {
    try {
      await truncate(this.path, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  /**
   * Writes the valid records to `path` (replacing it atomically: temp file, then rename). Damaged
   * lines are left out and reported. Prompt texts are left out unless `includePrompts`.
   */
  async exportTo(path: string, options: ExportOptions = {}): Promise<{ records: number; warnings: HistoryWarning[] }> {
    const dest = resolve(path);
    if (dest === this.path) throw new Error(`cannot export the history onto itself (${dest})`);
    await mkdir(dirname(dest), { recursive: true });
    const tmp = `${dest}.${process.pid}.${Date.now()}.tmp`;
    const fh = await open(tmp, 'w');
    let result;
    try {
      let batch = '';
      const pending: string[] = [];
      result = await this.scan((r) => {
        batch += JSON.stringify(options.includePrompts ? r : withoutPrompt(r)) + '\n';
        if (batch.length >= MAX_BATCH_BYTES) {
          pending.push(batch);
          batch = '';
        }
      });
      pending.push(batch);
      for (const b of pending) if (b) await fh.write(b);
      await fh.datasync();
    } catch (e) {
      await fh.close();
      await unlink(tmp).catch(() => {});
      throw e;
    }
    await fh.close();
    await rename(tmp, dest);
    return { records: result.count, warnings: result.warnings };
  }

  /**
   * Merges another history file (a colleague's export) into this one, appending only records not
   * already present. Records are identical when all their fields are equal, whatever the field order.
   * Throws ENOENT if `path` does not exist.
   */
  async importFrom(path: string): Promise<ImportResult> {
    // Only a regular file of bounded size: a FIFO or /dev/zero as the source must not hang or fill memory.
    const fh = await openRegularFile(resolve(path), MAX_IMPORT_FILE_BYTES);
    try {
      const seen = new Set<string>();
      await this.scan((r) => seen.add(recordKey(r)));
      const fresh: HistoryRecord[] = [];
      let duplicates = 0;
      const { warnings, future } = await new HistoryStore(path).scanFrom(fh, (r) => {
        const k = recordKey(r);
        if (seen.has(k)) duplicates++;
        else {
          seen.add(k);
          fresh.push(r);
        }
      });
      await this.append(fresh);
      return { added: fresh.length, duplicates, warnings, future };
    } finally {
      await fh.close();
    }
  }
}
