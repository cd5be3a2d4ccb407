/**
 * Token counts from the bundled worker thread (dist/countWorker.js, built by `npm test` before the suites run):
 * the same counts as in-thread tokenizers, errors that name the family, and a restart after the worker dies.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTokenizer, OffThreadCounter } from '../../src/core/tokenizers';
import type { TokenizerFamily } from '../../src/core/types';

const WORKER = join(__dirname, '..', '..', 'dist', 'countWorker.js');
const counter = new OffThreadCounter(WORKER);
afterAll(() => counter.dispose());

const TEXT =
  'Tokenscope measures how fast models produce tokens. 模型的吞吐量取决于分词器。 const x = compute(42);\n'.repeat(50);

describe('OffThreadCounter', () => {
  it.each(['o200k', 'claude', 'qwen3'] as TokenizerFamily[])(
    '%s: the worker counts exactly what the in-thread tokenizer counts',
    async (family) => {
      expect(counter.isLoaded(family)).toBe(false);
      const [offThread, inThread] = await Promise.all([
        counter.count(family, TEXT),
        loadTokenizer(family).then((t) => t.count(TEXT)),
      ]);
      expect(offThread).toBe(inThread);
      expect(offThread).toBeGreaterThan(100);
      expect(counter.isLoaded(family)).toBe(true);
    },
    30_000,
  );

  it('answers many concurrent requests, each with its own text', async () => {
    const texts = Array.from({ length: 20 }, (_, i) =>
      Array(i + 1)
        .fill('word')
        .join(' '),
    ); // 'word', ' word', …
    const counts = await Promise.all(texts.map((t) => counter.count('o200k', t)));
    expect(counts).toEqual(texts.map((_, i) => i + 1));
  });

  it('an unknown family is an error naming it; the worker keeps serving', async () => {
    await expect(counter.count('nope' as TokenizerFamily, 'x')).rejects.toThrow(/nope/);
    expect(await counter.count('o200k', 'hello world')).toBe(2);
  });

  it('a worker that fails to start rejects pending counts and is started again on the next call', async () => {
    const broken = new OffThreadCounter(join(__dirname, 'no-such-worker.js'));
    await expect(broken.count('o200k', 'x')).rejects.toThrow(/worker stopped/);
    await expect(broken.count('o200k', 'x')).rejects.toThrow(/worker stopped/);
    broken.dispose();
  });
});
