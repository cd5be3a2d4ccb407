/** printable(), oneLine() and redact(): server text made inert for terminals, keys removed whole and in pieces. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { httpError, MIN_KEY_FRAGMENT, redact } from '../../src/core/errors';
import { hasUnsafeChars, oneLine, printable } from '../../src/core/terminalText';
import type { ModelSpec } from '../../src/core/types';
import { fuzz } from './fuzzConfig';

/** What a terminal would act on: C0 but LF/TAB/CRLF, DEL, C1, bidi and line/paragraph separators. */
const UNSAFE_MULTILINE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;
const UNSAFE_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** Strings rich in the characters that matter here. */
const nasty = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom(
        '\u001b[31m',
        '\u001b]0;t\u0007',
        '\u0000',
        '\u009b',
        '\u202e',
        '\u2066',
        '\u200f',
        '\r',
        '\r\n',
        '\n',
        '\t',
        '\u2028',
        '😀',
        '👩‍👩‍👧',
        'e\u0301',
        '\\u001b',
      ),
    ),
    { maxLength: 20 },
  )
  .map((a) => a.join(''));

describe('printable', () => {
  it('shows escapes, colours, titles, bidi controls, NUL and C1 controls as visible \\uXXXX text', () => {
    expect(printable('\u001b[31mred\u001b[0m')).toBe('\\u001b[31mred\\u001b[0m');
    expect(printable('a\u202eb\u202c c\u2066d\u2069')).toBe('a\\u202eb\\u202c c\\u2066d\\u2069');
    expect(printable('nul\u0000 bel\u0007 del\u007f csi\u009b')).toBe('nul\\u0000 bel\\u0007 del\\u007f csi\\u009b');
    expect(printable('line\nnext\ttab\rcr')).toBe('line\\u000anext\\u0009tab\\u000dcr');
  });
  it('keeps ordinary text exactly, emoji sequences and combining marks included', () => {
    for (const s of [
      'Hello, 世界',
      '👩‍👩‍👧 family',
      'e\u0301',
      'ক্ষ',
      'مرحبا',
      'tab-free text — with “quotes”',
      '\\u001b literal backslash',
    ])
      expect(printable(s)).toBe(s);
  });
  it('multiline keeps LF, TAB and CRLF but not a lone CR', () => {
    expect(printable('a\nb\tc\r\nd\re\u001b', { multiline: true })).toBe('a\nb\tc\r\nd\\u000de\\u001b');
  });
  it('output is always inert, and printable is idempotent', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const one = printable(s);
        const multi = printable(s, { multiline: true });
        expect(one).not.toMatch(UNSAFE_ONE_LINE);
        expect(multi).not.toMatch(UNSAFE_MULTILINE);
        expect(printable(one)).toBe(one);
        expect(printable(multi, { multiline: true })).toBe(multi);
        expect(hasUnsafeChars(one)).toBe(false);
      }),
      fuzz(500),
    );
  });
  it('JSON passed through it is the same JSON (\\uXXXX is a JSON escape)', () => {
    fc.assert(
      fc.property(nasty, fc.jsonValue({ maxDepth: 2 }), (s, v) => {
        const json = JSON.stringify({ s, v }, null, 2);
        expect(JSON.parse(printable(json, { multiline: true }))).toEqual(JSON.parse(json));
      }),
      fuzz(500),
    );
  });
});

describe('oneLine', () => {
  it('collapses whitespace, clips with an ellipsis and never splits a surrogate pair', () => {
    expect(oneLine('  a \n\n b\t c  ')).toBe('a b c');
    expect(oneLine('x'.repeat(400))).toBe('x'.repeat(300) + '…');
    const clipped = oneLine('x'.repeat(299) + '😀😀', 300);
    expect(clipped).toBe('x'.repeat(299) + '…');
    expect(oneLine('\u001b[2Jhi')).toBe('\\u001b[2Jhi');
  });
});

describe('redact', () => {
  const key = 'tsk-Q9vX2mLp7RtY4wZ8bN3cK6dF1gH5jS0a';
  it('removes the whole key and any run of 8 or more of its characters', () => {
    expect(redact(`key ${key} refused`, key)).toBe('key *** refused');
    expect(redact(`provided: ${key.slice(0, 12)}****${key.slice(-4)}`, key)).toBe(`provided: *******${key.slice(-4)}`);
    expect(redact(`cut: ${key.slice(0, MIN_KEY_FRAGMENT)}`, key)).toBe('cut: ***');
    expect(redact(`short: ${key.slice(3, 3 + MIN_KEY_FRAGMENT - 1)}`, key)).toBe(
      `short: ${key.slice(3, 3 + MIN_KEY_FRAGMENT - 1)}`,
    );
    expect(redact('nothing here', key)).toBe('nothing here');
    expect(redact('abc', undefined)).toBe('abc');
  });
  it('a key cut by the message length limit is still removed (it used to leave its first part)', () => {
    const spec: ModelSpec = {
      id: 'm',
      protocol: 'openai-chat',
      baseUrl: 'https://api.example.com/v1',
      model: 'x',
      region: 'US',
    };
    const body = `${'Access denied. '.repeat(19)}${key}`; // the key straddles the 300-character clip
    const e = httpError(spec, 401, { message: body });
    expect(e.message).toContain(key.slice(0, 10)); // clipped, not yet redacted
    const safe = redact(e.message, key);
    for (let i = 0; i + MIN_KEY_FRAGMENT <= key.length; i++)
      expect(safe).not.toContain(key.slice(i, i + MIN_KEY_FRAGMENT));
  });
  it('never leaves an 8-character piece of a random key in any text', () => {
    const keyArb = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
      minLength: 8,
      maxLength: 60,
    });
    fc.assert(
      fc.property(keyArb, nasty, nasty, fc.nat(), fc.nat(), (k, before, after, a, b) => {
        const piece = k.slice(Math.min(a, b) % k.length, (Math.max(a, b) % k.length) + MIN_KEY_FRAGMENT);
        const safe = redact(`${before}${k}${after}${piece}${before}`, k);
        for (let i = 0; i + MIN_KEY_FRAGMENT <= k.length; i++)
          expect(safe).not.toContain(k.slice(i, i + MIN_KEY_FRAGMENT));
      }),
      fuzz(500),
    );
  });
});
