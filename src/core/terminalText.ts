/**
 * Untrusted text made safe to show in a terminal, an output channel or a log. Pure: no `vscode`.
 *
 * Text that came from a server (a provider's error body, an in-stream error event, an HTML page's title, a
 * redirect's Location, model names from local-server discovery) must not drive the terminal it is printed
 * to: an ANSI/OSC escape can recolour, erase or overwrite what Tokenscope printed, retitle the window or
 * write a hyperlink; a lone CR can overwrite a line; bidi controls (U+202E …) reorder what the reader sees
 * ("Trojan Source"). printable() turns each of these characters into a visible `\uXXXX` escape, so the text
 * stays readable and inert. `\uXXXX` is also a JSON string escape with the same meaning, so JSON output
 * passed through printable() is still the same JSON.
 */

/** C0 controls, DEL, C1 controls, and the invisible characters that reorder or break lines. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\u206a-\u206f]/g;

export interface PrintableOptions {
  /** Keep LF, TAB and the CR of CRLF (a block of several lines); default false: one line, every control escaped. */
  multiline?: boolean;
}

function escapeChar(c: string): string {
  return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

/**
 * `s` with every control character, C1 control and bidi/line-separator control replaced by a visible
 * `\uXXXX` escape. With `multiline`, newlines, tabs and CRLF pairs are kept.
 */
export function printable(s: string, options: PrintableOptions = {}): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(s)) return s;
  UNSAFE.lastIndex = 0;
  if (!options.multiline) return s.replace(UNSAFE, escapeChar);
  return s.replace(UNSAFE, (c, offset: number) => {
    if (c === '\n' || c === '\t') return c;
    if (c === '\r' && s.charCodeAt(offset + 1) === 10) return c;
    return escapeChar(c);
  });
}

/** True when `s` holds a character printable() would escape. */
export function hasUnsafeChars(s: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(s);
  UNSAFE.lastIndex = 0;
  return found;
}

/** One line, at most `max` characters (an ellipsis marks a cut), with controls escaped. */
export function oneLine(text: string, max = 300): string {
  let line = text.replace(/\s+/g, ' ').trim();
  if (line.length > max) {
    let cut = max;
    // Never split a surrogate pair.
    const code = line.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
    line = line.slice(0, cut) + '…';
  }
  return printable(line);
}
