/**
 * Prompt text checked before it is measured: empty, whitespace-only, binary or over-long text gets a clear
 * message, anything else its size and line endings. Pure: no `vscode`.
 */

/** What a prompt text is checked for: a benchmark, an explicit count (Compare Tokenizers), or a hover. */
export type PromptPurpose = 'benchmark' | 'count' | 'hover';

/**
 * Longest text each purpose takes, in UTF-16 code units. The hover counts as the mouse moves, so it stops
 * well before counting could be felt (each tokenizer family takes a few ms per 100 000 characters); an
 * explicit count or benchmark shows progress and takes far more, but not unbounded text.
 */
export const PROMPT_LIMITS: Readonly<Record<PromptPurpose, number>> = {
  hover: 200_000,
  count: 10_000_000,
  benchmark: 10_000_000,
};

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
  if (text.length === 0)
    return { ok: false, reason: 'empty', message: `${What} is empty: there is nothing to ${verb}.` };
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
  if (text.includes('\u0000'))
    return {
      ok: false,
      reason: 'binary',
      message: `${What} contains NUL characters, so it looks like binary data rather than text; Tokenscope can only ${verb} text.`,
    };
  if (!/\S/.test(text))
    return {
      ok: false,
      reason: 'whitespace',
      message: `${What} holds only whitespace (${int.format(text.length)} characters): there is nothing to ${verb}.`,
    };
  return { ok: true, chars: text.length, ...lineEndingsOf(text) };
}
