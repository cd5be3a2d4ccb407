/**
 * Removes an API key from text a server sent back: the key itself and the forms a server or proxy
 * commonly echoes it in (base64 as in Basic auth or a JWT-like blob, URL-encoded, hex, reversed), whole
 * and in pieces, so a message clipped in the middle of the key or a partly masked echo leaks no part of it.
 */

/** Shortest run of a key's characters that redact() removes when it appears on its own. */
export const MIN_KEY_FRAGMENT = 8;
/** Hex spends two characters per byte: a hex piece must be twice as long to say as much. */
const MIN_HEX_FRAGMENT = 2 * MIN_KEY_FRAGMENT;
/** Block length of the pre-filter in redact(); at most half the shortest fragment. */
const GRAM = MIN_KEY_FRAGMENT / 2;

interface KeyForm {
  text: string;
  /** Shortest run of `text` that counts as a leak. */
  min: number;
}

/**
 * The base64 characters that depend only on the key's bytes, whatever comes before or after it
 * ("Basic " + base64("user:" + key) puts the key at any of three byte offsets).
 */
function base64Cores(key: string): string[] {
  const bytes = Buffer.from(key, 'utf8');
  const cores: string[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    // Characters that mix in bits of the bytes before (offset 1: two, offset 2: three) or after (one, unless the groups end even).
    const lead = [0, 2, 3][offset];
    const tail = (offset + bytes.length) % 3 === 0 ? 0 : 1;
    const core = encoded.slice(lead, encoded.length - tail);
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

const formsCache = new Map<string, KeyForm[]>();

/** Every form of `key` that redact() looks for. */
export function keyForms(key: string): KeyForm[] {
  const cached = formsCache.get(key);
  if (cached) return cached;
  const hex = Buffer.from(key, 'utf8').toString('hex');
  const texts = new Map<string, number>();
  const add = (text: string, min: number) => {
    if (text.length >= 4 && !texts.has(text)) texts.set(text, min);
  };
  add(key, MIN_KEY_FRAGMENT);
  add([...key].reverse().join(''), MIN_KEY_FRAGMENT);
  add(encodeURIComponent(key), MIN_KEY_FRAGMENT);
  for (const core of base64Cores(key)) add(core, MIN_KEY_FRAGMENT);
  add(hex, MIN_HEX_FRAGMENT);
  add(hex.toUpperCase(), MIN_HEX_FRAGMENT);
  const forms = [...texts].map(([text, min]) => ({ text, min }));
  // A benchmark sends few distinct keys; the cache only saves recomputing them per run.
  if (formsCache.size > 64) formsCache.clear();
  formsCache.set(key, forms);
  return forms;
}

/**
 * Removes the key from text: every whole occurrence of any of its forms, and every run of 8 or more
 * characters of one (16 for hex), replaced by `***` (a side effect: such a run of a key that also appears
 * in the text's own words is shown as `***` too).
 */
export function redact(text: string, apiKey: string | undefined): string {
  if (!apiKey || apiKey.length < 4 || !text) return text;
  const forms = keyForms(apiKey);
  let out = text;
  for (const form of forms) if (out.includes(form.text)) out = out.split(form.text).join('***');
  const byLength = new Map<number, Set<string>>();
  for (const { text: form, min } of forms) {
    if (form.length < min) continue;
    const set = byLength.get(min) ?? new Set<string>();
    for (let i = 0; i + min <= form.length; i++) set.add(form.slice(i, i + min));
    byLength.set(min, set);
  }
  // Every window of 8+ characters contains a whole 4-character block starting at a multiple of 4, so only
  // the windows around a block that occurs in some form need checking: a megabyte of answer takes milliseconds.
  const grams = new Set<string>();
  for (const { text: form } of forms) for (let i = 0; i + GRAM <= form.length; i++) grams.add(form.slice(i, i + GRAM));
  let mark: Uint8Array | undefined;
  for (let k = 0; k + GRAM <= out.length; k += GRAM) {
    if (!grams.has(out.slice(k, k + GRAM))) continue;
    for (const [n, fragments] of byLength) {
      for (let i = Math.max(0, k + GRAM - n); i <= k && i + n <= out.length; i++) {
        if (fragments.has(out.slice(i, i + n))) (mark ??= new Uint8Array(out.length)).fill(1, i, i + n);
      }
    }
  }
  if (!mark) return out;
  let result = '';
  for (let i = 0; i < out.length;) {
    if (!mark[i]) {
      result += out[i++];
      continue;
    }
    result += '***';
    while (i < out.length && mark[i]) i++;
  }
  return result;
}
