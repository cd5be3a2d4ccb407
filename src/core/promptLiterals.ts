/**
 * Finding prompts in editor text: string literals in code that look like prompts. Pure: no `vscode`.
 * (A prompt's task category comes from the advisor's classifyTask.)
 */

export interface Literal {
  /** Offsets of the literal's content (quotes excluded) in the text. */
  start: number;
  end: number;
  content: string;
}

/** Languages whose prompt files are the prompt: the whole document (or selection) is measured. */
export const PROSE_LANGUAGES: readonly string[] = ['markdown', 'plaintext'];

/** Languages whose string literals the hover looks into. */
export const CODE_LANGUAGES: readonly string[] = [
  'python',
  'javascript',
  'typescript',
  'javascriptreact',
  'typescriptreact',
  'go',
  'rust',
  'java',
];

const MAX_SCAN = 200_000;

/**
 * The string literal around `offset`, if any. Recognises "…", '…', `…` and Python's triple-quoted strings,
 * with backslash escapes; scans from the start of the text (at most 200 000 characters before the offset) so
 * that quotes inside other literals and line comments (`//`, `#`) are not mistaken for openings.
 * Escapes are left as written: the content is the literal's source text.
 */
export function findLiteralAt(text: string, offset: number, languageId = 'javascript'): Literal | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  const hashComments =
    languageId === 'python' || languageId === 'ruby' || languageId === 'shellscript' || languageId === 'php';
  const slashComments = languageId !== 'python' && languageId !== 'ruby' && languageId !== 'shellscript';
  const tripleQuotes = languageId === 'python';
  const multiLineQuotes = (q: string) => q === '`' || q.length === 3;
  let i = Math.max(0, offset - MAX_SCAN);
  // Start at a line boundary so a scan that does not begin at 0 starts outside a one-line literal.
  if (i > 0) i = text.indexOf('\n', i) + 1 || offset;
  while (i < text.length && i <= offset) {
    const c = text[i];
    if (slashComments && c === '/' && text[i + 1] === '/') {
      const eol = text.indexOf('\n', i);
      if (eol < 0 || eol >= offset) return undefined;
      i = eol + 1;
      continue;
    }
    if (slashComments && c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0 || close >= offset) return undefined;
      i = close + 2;
      continue;
    }
    if (hashComments && c === '#') {
      const eol = text.indexOf('\n', i);
      if (eol < 0 || eol >= offset) return undefined;
      i = eol + 1;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const quote = tripleQuotes && text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      const start = i + quote.length;
      let j = start;
      let end = -1;
      while (j < text.length) {
        const d = text[j];
        if (d === '\\') {
          j += 2;
          continue;
        }
        if (d === '\n' && !multiLineQuotes(quote)) break;
        if (text.startsWith(quote, j)) {
          end = j;
          break;
        }
        j++;
      }
      if (end < 0) {
        // Unterminated: the literal runs to the end of its line (or text); the offset may be inside it.
        if (offset >= start && offset <= j) return undefined;
        i = j + 1;
        continue;
      }
      if (offset >= start && offset <= end) return { start, end, content: text.slice(start, end) };
      i = end + quote.length;
      continue;
    }
    i++;
  }
  return undefined;
}

/**
 * Whether a string looks like a prompt rather than an identifier, path, URL, format string or SQL: at least 40
 * characters and 6 words (or 12 CJK characters), mostly letters and spaces.
 */
export function looksLikePrompt(s: string): boolean {
  const t = s.trim();
  // CJK text has no spaces between words and packs more per character: count its characters as words.
  const cjk = (t.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu) ?? []).length;
  if (t.length < (cjk >= 12 ? 12 : 40)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(t)) return false;
  if (/^(SELECT|INSERT|UPDATE|DELETE|CREATE|WITH)\b/i.test(t)) return false;
  const words = t.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  if (words.length < 6 && cjk < 12) return false;
  const letters = (t.match(/[\p{L}\s]/gu) ?? []).length;
  return letters / t.length >= 0.6;
}

/** The prompt-like literal at `offset`, if any. */
export function findPromptLiteral(text: string, offset: number, languageId: string): Literal | undefined {
  const lit = findLiteralAt(text, offset, languageId);
  return lit && looksLikePrompt(lit.content) ? lit : undefined;
}
