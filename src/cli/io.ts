import { MAX_INPUT_FILE_BYTES } from '../core/limits';
import { FileRefusedError, readRegularFile } from '../core/regularFile';

/** What a CLI command may touch, injectable so tests run commands in-process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

/** A mistake in how the command was called or configured: exit status 2, message only. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
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
