/**
 * Odd selections, decided in the core before any tokenizer or request sees them (checkPromptText, used by the
 * hover, Benchmark Selection/File, Compare Tokenizers and the CLI): empty, whitespace-only, binary (NUL),
 * 5 MB and mixed line endings give a clear message or a correct result — and deciding is fast enough that
 * the editor never waits on it (timed only as a bound that cannot flake; real figures belong to benchmarks).
 */
import { describe, expect, it } from 'vitest';
import { findPromptLiteral } from '../../src/core/promptLiterals';
import { buildHoverNotice } from '../../src/core/report/hoverText';
import { checkPromptText, lineEndingsOf, PROMPT_LIMITS } from '../../src/core/promptCheck';
import { runCli } from '../integration/reliability.helpers';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIVE_MB = 5 * 1024 * 1024;
const prose = (n: number) => 'The quick brown fox jumps over the lazy dog.\n'.repeat(Math.ceil(n / 45)).slice(0, n);

describe('checkPromptText', () => {
  it('empty: a clear message', () => {
    expect(checkPromptText('', 'benchmark')).toEqual({
      ok: false,
      reason: 'empty',
      message: 'The selection is empty: there is nothing to benchmark.',
    });
    expect(checkPromptText('', 'hover', 'the document')).toMatchObject({
      ok: false,
      reason: 'empty',
      message: 'The document is empty: there is nothing to count.',
    });
  });
  it('whitespace only (spaces, tabs, line ends, NBSP, ideographic space): a clear message', () => {
    for (const s of [' ', '\n\n\n', ' \t\r\n \u00a0\u3000 ']) {
      const c = checkPromptText(s, 'benchmark', 'the file');
      expect(c).toMatchObject({ ok: false, reason: 'whitespace' });
      expect(!c.ok && c.message).toMatch(
        /^The file holds only whitespace \(\d+ characters\): there is nothing to benchmark\.$/,
      );
    }
  });
  it('binary (NUL characters): a clear message, for every purpose', () => {
    const bin = 'PK\u0003\u0004\u0000\u0000\u0008\u0000binary\u0000data';
    for (const purpose of ['benchmark', 'count', 'hover'] as const) {
      const c = checkPromptText(bin, purpose);
      expect(c).toMatchObject({ ok: false, reason: 'binary' });
      expect(!c.ok && c.message).toMatch(/contains NUL characters, so it looks like binary data rather than text/);
    }
  });
  it('5 MB: too long to count on hover (with what to do instead), fine to count or benchmark', () => {
    const big = prose(FIVE_MB);
    const hover = checkPromptText(big, 'hover');
    expect(hover).toEqual({
      ok: false,
      reason: 'too-large',
      message: `The selection is too long to count on hover (5,242,880 characters; the hover counts up to 200,000). Run "Tokenscope: Compare Tokenizers" to count it.`,
    });
    expect(checkPromptText(big, 'count')).toMatchObject({ ok: true, chars: FIVE_MB, lineEndings: 'lf' });
    expect(checkPromptText(big, 'benchmark')).toMatchObject({ ok: true, chars: FIVE_MB });
    expect(checkPromptText('x'.repeat(PROMPT_LIMITS.benchmark + 1), 'benchmark')).toMatchObject({
      ok: false,
      reason: 'too-large',
      message: expect.stringMatching(/too long to benchmark \(10,000,001 characters; the limit is 10,000,000\)/),
    });
    expect(checkPromptText('x'.repeat(PROMPT_LIMITS.hover), 'hover').ok).toBe(true);
  });
  it('mixed line endings: a correct result that says so', () => {
    const text = 'line one\r\nline two\nline three\rline four';
    expect(checkPromptText(text, 'benchmark')).toEqual({
      ok: true,
      chars: text.length,
      lines: 4,
      lineEndings: 'mixed',
    });
    expect(lineEndingsOf('a\nb\n')).toEqual({ lines: 3, lineEndings: 'lf' });
    expect(lineEndingsOf('a\r\nb\r\n')).toEqual({ lines: 3, lineEndings: 'crlf' });
    expect(lineEndingsOf('a\rb')).toEqual({ lines: 2, lineEndings: 'cr' });
    expect(lineEndingsOf('one line')).toEqual({ lines: 1, lineEndings: 'none' });
  });
});

describe('the 5 MB hover path is bounded (never a frozen editor)', () => {
  it('deciding, and the notice the hover shows, take well under 2 s', () => {
    const big = prose(FIVE_MB);
    const t0 = performance.now();
    const check = checkPromptText(big, 'hover');
    const md = check.ok ? '' : buildHoverNotice('selection', big.length, check.message);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(2_000);
    expect(md).toMatch(
      /^\*\*Tokenscope\*\* · Selection: 5,242,880 characters\n\nThe selection is too long to count on hover/,
    );
    expect(md).toContain('Run "Tokenscope: Compare Tokenizers" to count it\\.'); // Markdown-escaped
  });
  it('finding a string literal in a 5 MB source file takes well under 2 s', () => {
    const line = 'const x = "just a label"; // a comment with "quotes"\n';
    const code =
      line.repeat(Math.ceil(FIVE_MB / line.length)) +
      'const prompt = "Write a short poem about the sea and the moon, in the style of a sailor\'s song.";\n';
    const at = code.lastIndexOf('poem');
    const t0 = performance.now();
    const lit = findPromptLiteral(code, at, 'typescript');
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(lit?.content).toMatch(/^Write a short poem/);
  });
  it('a binary file of 5 MB is refused at once', () => {
    const bin = '\u0000'.repeat(FIVE_MB);
    const t0 = performance.now();
    expect(checkPromptText(bin, 'count').ok).toBe(false);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});

describe('string literals in files with mixed line endings', () => {
  it('finds the literal around the cursor whatever the line ends', () => {
    const src =
      'x = 1\r\ny = "short"\nprompt = """Explain in plain words how a transformer\r\nreads a sentence, step by step,\nfor a curious reader."""\r\nz = 2\r\n';
    const at = src.indexOf('transformer');
    const lit = findPromptLiteral(src, at, 'python');
    expect(lit?.content).toBe(
      'Explain in plain words how a transformer\r\nreads a sentence, step by step,\nfor a curious reader.',
    );
    const js =
      '// note\r\nconst a = "x";\nconst p = "Describe the water cycle to a ten year old child in five sentences.";\r\n';
    expect(findPromptLiteral(js, js.indexOf('water'), 'javascript')?.content).toBe(
      'Describe the water cycle to a ten year old child in five sentences.',
    );
  });
});

describe('the CLI says so too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-prompts-'));
  it.each([
    ['empty.md', '', /the prompt file ".*empty\.md" is empty: there is nothing to benchmark/],
    ['blank.md', '  \n\t\n', /the prompt file ".*blank\.md" holds only whitespace \(5 characters\)/],
    ['binary.md', 'abc\u0000def', /the prompt file ".*binary\.md" contains NUL characters/],
  ])('bench %s: exit 2 with the message, nothing sent', async (name, content, message) => {
    writeFileSync(join(dir, name), content);
    const r = await runCli(['bench', join(dir, name), '--models', 'deepseek-v4-flash']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});
