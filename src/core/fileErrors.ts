/** Messages for a file that could not be read or written, saying what is wrong in words, not only an errno. */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied — check the permissions of the file and its folder',
  EPERM: 'the operation is not permitted — check the permissions of the file and its folder',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many files are open',
};

/** e.g. "Cannot read the history at /x/history.jsonl: permission denied — check …" */
export function fileErrorMessage(action: string, what: string, path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
  return `Cannot ${action} ${what} at ${path}: ${reason}${code && REASONS[code] ? ` (${code})` : ''}.`;
}
