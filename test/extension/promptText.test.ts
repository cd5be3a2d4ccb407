import { describe, expect, it } from 'vitest';
import { findLiteralAt, findPromptLiteral, looksLikePrompt } from '../../src/core/promptLiterals';

const PROMPT = 'You are a helpful assistant. Summarise the following article in three sentences.';

describe('findLiteralAt', () => {
  it('finds the double-, single- and back-quoted literal around the offset', () => {
    for (const q of ['"', "'", '`']) {
      const src = `const p = ${q}${PROMPT}${q};`;
      const at = src.indexOf('helpful');
      const lit = findLiteralAt(src, at, 'typescript');
      expect(lit?.content, q).toBe(PROMPT);
      expect(src.slice(lit!.start, lit!.end)).toBe(PROMPT);
    }
  });

  it('handles escapes and does not start literals inside comments or other literals', () => {
    const src = `// it's a comment\nconst a = "say \\"hi\\" to the model"; const b = 'x';`;
    expect(findLiteralAt(src, src.indexOf('hi'), 'javascript')?.content).toBe('say \\"hi\\" to the model');
    expect(findLiteralAt(src, src.indexOf('comment'), 'javascript')).toBeUndefined();
    expect(findLiteralAt(src, src.indexOf('const b'), 'javascript')).toBeUndefined();
  });

  it('reads Python triple-quoted strings across lines and skips # comments', () => {
    const src = `# don't\nPROMPT = """Line one of the prompt\nline two"""\nx = 1`;
    expect(findLiteralAt(src, src.indexOf('two'), 'python')?.content).toBe('Line one of the prompt\nline two');
    expect(findLiteralAt(src, src.indexOf('x = 1'), 'python')).toBeUndefined();
  });

  it('multi-line template literals are literals; an ordinary quote stops at the line end', () => {
    const src = 'const t = `first\nsecond`;\nconst u = "open\nnext";';
    expect(findLiteralAt(src, src.indexOf('second'), 'typescript')?.content).toBe('first\nsecond');
    expect(findLiteralAt(src, src.indexOf('next'), 'typescript')).toBeUndefined();
  });
});

describe('looksLikePrompt', () => {
  it('accepts prose and rejects identifiers, URLs, SQL and short strings', () => {
    expect(looksLikePrompt(PROMPT)).toBe(true);
    expect(looksLikePrompt('请用三句话总结下面这篇文章的主要观点，并给出你的评价和理由。')).toBe(true);
    expect(looksLikePrompt('hello world')).toBe(false);
    expect(looksLikePrompt('https://example.com/a/very/long/path/that/goes/on/and/on/forever')).toBe(false);
    expect(looksLikePrompt('SELECT id, name, email FROM users WHERE created_at > now() - interval 1 day')).toBe(false);
    expect(looksLikePrompt('0123456789abcdef0123456789abcdef0123456789abcdef')).toBe(false);
  });

  it('findPromptLiteral combines both', () => {
    const src = `fetch("https://api.example.com/v1/chat"); ask("${PROMPT}")`;
    expect(findPromptLiteral(src, src.indexOf('api.example'), 'javascript')).toBeUndefined();
    expect(findPromptLiteral(src, src.indexOf('Summarise'), 'javascript')?.content).toBe(PROMPT);
  });
});
