/**
 * Regex portability between the reference tokenizers and JavaScript.
 *
 * Pre-tokenizer patterns are written for Rust's `regex`/`fancy-regex` (tiktoken) and Oniguruma (Hugging Face
 * tokenizers), where `\s` is Unicode's White_Space property. JavaScript's `\s` differs: it adds U+FEFF (the byte
 * order mark) and leaves out U+0085 (NEXT LINE). A BOM at the start of a file is common, so a pattern run as
 * written in JS splits such text differently from the reference. `unicodeWhitespace` rewrites `\s` and `\S` into
 * explicit White_Space classes so that JS splits exactly like the reference engines.
 */

/** Unicode White_Space, as a character-class body. */
export const WHITE_SPACE_CLASS = '\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** Rewrites `\s` / `\S` in a regex source to Unicode White_Space classes (for use with the `u` flag). */
export function unicodeWhitespace(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const n = source[i + 1];
      if (n === 's') {
        out += inClass ? WHITE_SPACE_CLASS : `[${WHITE_SPACE_CLASS}]`;
      } else if (n === 'S') {
        if (inClass) throw new Error(`unicodeWhitespace: \\S inside a character class is not supported: ${source}`);
        out += `[^${WHITE_SPACE_CLASS}]`;
      } else {
        out += c + (n ?? '');
      }
      i++;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces lone surrogates with U+FFFD, as the reference engines receive such text (Rust strings are always
 * well-formed; TextEncoder and JSON decoders do the same). Without this, the regex would see a surrogate (category
 * Cs) where the reference sees U+FFFD (category So) and split differently.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
