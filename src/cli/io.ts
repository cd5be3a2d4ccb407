import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { MAX_INPUT_FILE_BYTES } from '../core/limits';
import { FileRefusedError, readRegularFile } from '../core/regularFile';

/** What a CLI command may touch, injectable so tests run commands in-process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** The error code once stdout failed (EPIPE: its reader went away, as with `… | head -1`); later output is dropped. */
  stdoutError?: () => string | undefined;
}

/** A mistake in how the command was called or configured: exit status 2, message only. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

let stdoutError: string | undefined;
/**
 * A closed pipe (`tokenscope report | head -1`) or a full disk must not crash the command with a stack trace:
 * the rest of that output is dropped, the command finishes its other work (the history, files) and the exit
 * status says the output was cut.
 */
function guardStream(stream: NodeJS.WriteStream, onError: (code: string) => void): void {
  if (stream.listenerCount('error') > 0) return;
  stream.on('error', (e: NodeJS.ErrnoException) => onError(e.code ?? e.message));
}

export const processIo: Io = {
  out: (text) => {
    guardStream(process.stdout, (code) => (stdoutError ??= code));
    if (!stdoutError) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  },
  err: (text) => {
    guardStream(process.stderr, () => {});
    if (process.stderr.writable) process.stderr.write(text.endsWith('\n') ? text : text + '\n');
  },
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
  stdoutError: () => stdoutError,
};

/**
 * Reads a file the user named; a missing or unreadable file, a FIFO, a device or a file over `maxBytes`
 * is a usage error that says which (never a hang, never the whole of /dev/zero in memory).
 */
export async function readTextFile(path: string, what: string, maxBytes = MAX_INPUT_FILE_BYTES): Promise<string> {
  try {
    return (await readRegularFile(path, maxBytes)).toString('utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = e instanceof FileRefusedError ? err.message : (err.code ?? err.message);
    throw new UsageError(`cannot read ${what} "${path}": ${why}`);
  }
}

/**
 * Checks, before any request is sent, that an output file can be written: not a directory, its folder
 * exists (or, with `createFolders`, can be made), and it is writable. A usage error names the option.
 */
export async function checkOutputFile(path: string, option: string, createFolders = false): Promise<void> {
  const fail = (why: string) => {
    throw new UsageError(`${option} "${path}": ${why}. Nothing was sent; give a file path that can be written.`);
  };
  const st = await stat(path).catch(() => undefined);
  if (st?.isDirectory()) fail('is a folder, not a file');
  if (st) {
    if (
      !(await access(path, constants.W_OK).then(
        () => true,
        () => false,
      ))
    )
      fail('is not writable (permission denied)');
    return;
  }
  // Walk up to the nearest folder that exists: it must be writable (and, unless folders are made, be the parent).
  let dir = dirname(resolve(path));
  for (;;) {
    const d = await stat(dir).catch(() => undefined);
    if (d) {
      if (!d.isDirectory()) fail(`"${dir}" is a file, not a folder`);
      break;
    }
    if (!createFolders) fail(`the folder "${dir}" does not exist`);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (
    !(await access(dir, constants.W_OK).then(
      () => true,
      () => false,
    ))
  )
    fail(`the folder "${dir}" is not writable (permission denied)`);
}
