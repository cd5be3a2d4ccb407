/** redact(): the key and its common encodings, whole and in pieces, at any position; the block pre-filter misses nothing. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyForms, redact } from '../../src/core/redact';

const KEY = 'sk-proj-Zx81+/qLw0RtY7u=Hb3NfPc2';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The straightforward version: every window of every fragment length checked, no pre-filter. */
function naive(text: string, key: string): string {
  const forms = keyForms(key);
  let out = text;
  for (const f of forms) out = out.split(f.text).join('***');
  const mark = new Uint8Array(out.length);
  for (const { text: form, min } of forms)
    for (let i = 0; i + min <= out.length; i++) if (form.includes(out.slice(i, i + min))) mark.fill(1, i, i + min);
  let result = '';
  for (let i = 0; i < out.length;) {
    if (!mark[i]) result += out[i++];
    else {
      result += '***';
      while (i < out.length && mark[i]) i++;
    }
  }
  return result;
}

describe('redact', () => {
  const echoes: [string, string][] = [
    ['plain', KEY],
    ['base64', b64(KEY)],
    ['Basic user:key', `Basic ${b64(`user:${KEY}`)}`],
    ['base64 of "Bearer key"', b64(`Bearer ${KEY}`)],
    ['URL-safe base64', b64(KEY).replace(/\+/g, '-').replace(/\//g, '_')],
    ['URL-encoded', encodeURIComponent(KEY)],
    ['hex', Buffer.from(KEY).toString('hex')],
    ['HEX', Buffer.from(KEY).toString('hex').toUpperCase()],
    ['reversed', [...KEY].reverse().join('')],
  ];
  for (const [name, echo] of echoes) {
    it(`removes the key echoed as ${name}, keeping the words around it`, () => {
      const out = redact(`your key: ${echo} (rejected)`, KEY);
      expect(out).toMatch(/^your key: .*\*\*\*.* \(rejected\)$/);
      // No 8 characters of the key in any form are left (forms computed here, with a margin for alignment).
      const scanned = [
        KEY,
        [...KEY].reverse().join(''),
        encodeURIComponent(KEY),
        ...['', 'a', 'ab'].flatMap((p) => [
          b64(p + KEY).slice(4, -4),
          b64(p + KEY)
            .slice(4, -4)
            .replace(/\+/g, '-')
            .replace(/\//g, '_'),
        ]),
      ];
      for (const form of scanned)
        for (let i = 0; i + 8 <= form.length; i++)
          expect(out, `${name}: piece ${form.slice(i, i + 8)}`).not.toContain(form.slice(i, i + 8));
      const hex = Buffer.from(KEY).toString('hex');
      for (let i = 0; i + 16 <= hex.length; i++) expect(out.toLowerCase()).not.toContain(hex.slice(i, i + 16));
    });
  }

  it('leaves text without the key alone, and keys shorter than 4 characters are not looked for', () => {
    expect(redact('HTTP 401: invalid api key', KEY)).toBe('HTTP 401: invalid api key');
    expect(redact('abc abc', 'abc')).toBe('abc abc');
    expect(redact('', KEY)).toBe('');
  });

  it('matches the straightforward version on random text with pieces of the key planted anywhere', () => {
    const forms = keyForms(KEY).map((f) => f.text);
    const piece = fc
      .tuple(fc.constantFrom(...forms), fc.nat(), fc.integer({ min: 4, max: 40 }))
      .map(([f, at, len]) => f.slice(at % f.length, (at % f.length) + len));
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 12 }), piece), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(redact(text, KEY)).toBe(naive(text, KEY));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500), seed: Number(process.env.FUZZ_SEED ?? 7) },
    );
  });
});
