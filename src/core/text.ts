/**
 * Untrusted text made safe to show, and prompt text checked before it is measured. Pure: no `vscode`.
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

// ---------------------------------------------------------------- prompt text

/** What a prompt text is checked for: a benchmark, an explicit count (Compare Tokenizers), or a hover. */
export type PromptPurpose = 'benchmark' | 'count' | 'hover';

/**
 * Longest text each purpose takes, in UTF-16 code units. The hover counts as the mouse moves, so it stops
 * well before counting could be felt (each tokenizer family takes a few ms per 100 000 characters); an
 * explicit count or benchmark shows progress and takes far more, but not unbounded text.
 */
export const PROMPT_LIMITS: Readonly<Record<PromptPurpose, number>> = { hover: 200_000, count: 10_000_000, benchmark: 10_000_000 };

export type LineEndings = 'none' | 'lf' | 'crlf' | 'cr' | 'mixed';

export type PromptCheck =
  | { ok: true; chars: number; lines: number; lineEndings: LineEndings }
  | { ok: false; reason: 'empty' | 'whitespace' | 'binary' | 'too-large'; message: string };

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Which line endings a text uses, and how many lines it has. */
export function lineEndingsOf(text: string): { lines: number; lineEndings: LineEndings } {
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 10) cr++;
  const kinds = (lf > 0 ? 1 : 0) + (crlf > 0 ? 1 : 0) + (cr > 0 ? 1 : 0);
  const lineEndings: LineEndings = kinds === 0 ? 'none' : kinds > 1 ? 'mixed' : lf ? 'lf' : crlf ? 'crlf' : 'cr';
  return { lines: lf + crlf + cr + 1, lineEndings };
}

/**
 * Decides whether a prompt text can be measured, before any tokenizer or request sees it: a clear message
 * for empty, whitespace-only, binary (NUL characters) or over-long text, else its size and line endings.
 * Linear in the text and allocation-free, so a 5 MB selection is checked in milliseconds.
 * `what` names the text in the message, e.g. "the selection" or `the prompt file "p.md"`.
 */
export function checkPromptText(text: string, purpose: PromptPurpose, what = 'the selection'): PromptCheck {
  const What = what.charAt(0).toUpperCase() + what.slice(1);
  const verb = purpose === 'benchmark' ? 'benchmark' : 'count';
  if (text.length === 0) return { ok: false, reason: 'empty', message: `${What} is empty: there is nothing to ${verb}.` };
  const limit = PROMPT_LIMITS[purpose];
  if (text.length > limit) {
    const size = `${int.format(text.length)} characters`;
    return {
      ok: false,
      reason: 'too-large',
      message:
        purpose === 'hover'
          ? `${What} is too long to count on hover (${size}; the hover counts up to ${int.format(limit)}). Run "Tokenscope: Compare Tokenizers" to count it.`
          : `${What} is too long to ${verb} (${size}; the limit is ${int.format(limit)}).`,
    };
  }
  if (text.includes('\u0000')) return { ok: false, reason: 'binary', message: `${What} contains NUL characters, so it looks like binary data rather than text; Tokenscope can only ${verb} text.` };
  if (!/\S/.test(text)) return { ok: false, reason: 'whitespace', message: `${What} holds only whitespace (${int.format(text.length)} characters): there is nothing to ${verb}.` };
  return { ok: true, chars: text.length, ...lineEndingsOf(text) };
}
