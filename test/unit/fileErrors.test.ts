import { mkdtempSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileErrorMessage } from '../../src/core/fileErrors';

describe('fileErrorMessage', () => {
  it('says in words what a real errno means, and keeps the code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokenscope-fileerr-'));
    mkdirSync(join(dir, 'history.jsonl'));
    const e = await readFile(join(dir, 'history.jsonl')).catch((x: unknown) => x);
    expect(fileErrorMessage('read', 'the history', join(dir, 'history.jsonl'), e)).toBe(
      `Cannot read the history at ${join(dir, 'history.jsonl')}: it is a folder, not a file (EISDIR).`,
    );
  });
  it('permission denied is named as such', () => {
    const e = Object.assign(new Error("EACCES: permission denied, open '/h'"), { code: 'EACCES' });
    expect(fileErrorMessage('read', 'the history', '/h', e)).toMatch(
      /^Cannot read the history at \/h: permission denied — check the permissions .* \(EACCES\)\.$/,
    );
  });
  it('an unknown error keeps its own message', () => {
    expect(fileErrorMessage('write', 'the report', '/r.json', new Error('boom'))).toBe(
      'Cannot write the report at /r.json: boom.',
    );
  });
});
