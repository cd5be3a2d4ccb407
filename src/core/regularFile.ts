/**
 * Opening a file the user named without hanging or filling memory: a FIFO would block a plain open()
 * until some writer appears, and a device (/dev/zero) never ends. The file is opened non-blocking and
 * checked on the open handle (not by path, which could be swapped in between): only a regular file of
 * at most `maxBytes` is accepted.
 */
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** Why a file was refused; `code` is ENOTREG (not a regular file) or EFBIG (too large). */
export class FileRefusedError extends Error {
  constructor(
    message: string,
    readonly code: 'ENOTREG' | 'EFBIG',
  ) {
    super(message);
    this.name = 'FileRefusedError';
  }
}

/** What a path that is not a regular file is, in words ("a FIFO (named pipe)"). */
export function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024
    ? `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0)} MiB`
    : n >= 1024
      ? `${Math.round(n / 1024)} KiB`
      : `${n} bytes`;
}

/** Opens `path` for reading if it is a regular file of at most `maxBytes`; the caller closes the handle. */
export async function openRegularFile(path: string, maxBytes: number): Promise<FileHandle> {
  // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer (no effect on regular files).
  const fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await fh.stat();
    if (!st.isFile())
      throw new FileRefusedError(
        `it is ${fileKind(st)}, not a regular file; save the content to a file and pass that`,
        'ENOTREG',
      );
    if (st.size > maxBytes)
      throw new FileRefusedError(`it is ${formatBytes(st.size)}, over the ${formatBytes(maxBytes)} limit`, 'EFBIG');
    return fh;
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/**
 * Reads a regular file of at most `maxBytes`. Reads stop at the limit even if the file grows meanwhile
 * or reports a size of 0 while holding more (as /proc files do).
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  const fh = await openRegularFile(path, maxBytes);
  try {
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      parts.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes)
        throw new FileRefusedError(`it holds more than the ${formatBytes(maxBytes)} limit`, 'EFBIG');
    }
    return Buffer.concat(parts, total);
  } finally {
    await fh.close();
  }
}
