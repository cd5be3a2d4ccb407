/**
 * A byte-level BPE encoder with tiktoken's exact semantics, over tiktoken rank files in js-tiktoken's format
 * (`{ pat_str, special_tokens, bpe_ranks }`, as shipped by `js-tiktoken/ranks/*` and `@anthropic-ai/tokenizer`).
 *
 * Why not js-tiktoken's own `Tiktoken.encode`: it keys its rank map by comma-joined byte lists and merges in
 * O(n²) string joins, so a long piece (Chinese prose has no spaces, so a whole sentence is one piece) takes
 * seconds: 100 kB of Chinese took 1.2 s and 5,000 repeated letters 2.8 s. This encoder keys ranks by
 * "binary strings" (one char per byte), merges with a heap on long pieces, and caches short pieces.
 *
 * Semantics, as tiktoken's `encode_ordinary`: split text with the encoding's regex, then in each piece merge the
 * adjacent pair whose concatenation has the lowest rank (leftmost on ties) until no pair is in the vocabulary.
 * Special tokens are never recognised: `<|endoftext|>` in the text is encoded as ordinary text.
 */
import { MinHeap } from './minHeap';
import { unicodeWhitespace, wellFormed } from './regex';

export interface TiktokenRanks {
  pat_str: string;
  special_tokens: Record<string, number>;
  /** js-tiktoken's compressed format: lines of `<tag> <first-rank> <base64 token> <base64 token> ...`. */
  bpe_ranks: string;
}

const B64 = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

/** Decodes base64 into a binary string (one char per byte, 0–255). */
export function base64ToBinary(s: string): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const v = B64[s.charCodeAt(i)];
    if (v === undefined || v < 0) continue; // '=' padding
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}

/** UTF-8 bytes of `s` as a binary string. Lone surrogates become U+FFFD, as with TextEncoder. */
export function utf8Binary(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out += s[i];
      continue;
    }
    if (c < 0x800) {
      out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        out += String.fromCharCode(
          0xf0 | (cp >> 18),
          0x80 | ((cp >> 12) & 0x3f),
          0x80 | ((cp >> 6) & 0x3f),
          0x80 | (cp & 0x3f),
        );
        i++;
        continue;
      }
      c = 0xfffd;
    }
    out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
}

/** Pieces up to this many bytes merge with the simple scan; longer ones use the heap. */
const SCAN_MAX = 48;
/** Pieces up to this many chars are cached. */
const CACHE_PIECE_MAX = 64;
const CACHE_MAX = 50_000;
/** Heap key = rank * 2^26 + start (start < 2^26 bytes; ranks < 2^26; the product stays below 2^53). */
const POS = 2 ** 26;

export interface BpeOptions {
  /** Unicode normalisation applied to the whole text before splitting (Claude's tokenizer uses NFKC). */
  normalize?: 'NFC' | 'NFKC';
}

export class BytePairEncoder {
  /** Token bytes (binary string) → rank (= token id). */
  readonly ranks: Map<string, number>;
  readonly vocabSize: number;
  private readonly pattern: RegExp;
  private readonly normalize?: 'NFC' | 'NFKC';
  private cache = new Map<string, number[]>();

  constructor(data: TiktokenRanks, options: BpeOptions = {}) {
    this.ranks = new Map();
    for (const line of data.bpe_ranks.split('\n')) {
      if (!line) continue;
      const fields = line.split(' ');
      let rank = Number.parseInt(fields[1], 10);
      for (let i = 2; i < fields.length; i++) this.ranks.set(base64ToBinary(fields[i]), rank++);
    }
    this.vocabSize = this.ranks.size;
    this.pattern = new RegExp(unicodeWhitespace(data.pat_str), 'gu');
    this.normalize = options.normalize;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    this.each(text, (ids) => {
      for (let i = 0; i < ids.length; i++) out.push(ids[i]);
    });
    return out;
  }

  count(text: string): number {
    let n = 0;
    this.each(text, (ids) => {
      n += ids.length;
    });
    return n;
  }

  private each(text: string, sink: (ids: readonly number[]) => void): void {
    text = wellFormed(text);
    if (this.normalize) text = text.normalize(this.normalize);
    const re = this.pattern;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const piece = m[0];
      if (piece.length === 0) {
        re.lastIndex++; // cannot happen with tiktoken patterns; guards against an endless loop
        continue;
      }
      sink(this.encodePiece(piece));
    }
  }

  /** Token ids of one regex piece. */
  encodePiece(piece: string): readonly number[] {
    const cached = this.cache.get(piece);
    if (cached) return cached;
    const bytes = utf8Binary(piece);
    const whole = this.ranks.get(bytes);
    let ids: number[];
    if (whole !== undefined) ids = [whole];
    else ids = bytes.length <= SCAN_MAX ? this.mergeScan(bytes) : this.mergeHeap(bytes);
    if (piece.length <= CACHE_PIECE_MAX) {
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(piece, ids);
    }
    return ids;
  }

  private rankOf(bytes: string, start: number, end: number): number {
    return this.ranks.get(bytes.slice(start, end)) ?? Infinity;
  }

  /** tiktoken's `_byte_pair_merge`: O(n·m) scan for the lowest-ranked pair. */
  mergeScan(bytes: string): number[] {
    const n = bytes.length;
    // starts[i] = start of part i; starts[len] = n. pair[i] = rank of part i + part i+1.
    const starts: number[] = new Array(n + 1);
    for (let i = 0; i <= n; i++) starts[i] = i;
    const pair: number[] = new Array(n);
    for (let i = 0; i < n - 1; i++) pair[i] = this.rankOf(bytes, i, i + 2);
    let len = n; // number of parts
    while (len > 1) {
      let min = Infinity;
      let at = -1;
      for (let i = 0; i < len - 1; i++) {
        if (pair[i] < min) {
          min = pair[i];
          at = i;
        }
      }
      if (at < 0) break;
      // Merge part at and at+1.
      starts.splice(at + 1, 1);
      pair.splice(at + 1, 1);
      len--;
      pair[at] = at + 2 <= len ? this.rankOf(bytes, starts[at], starts[at + 2]) : Infinity;
      if (at > 0) pair[at - 1] = this.rankOf(bytes, starts[at - 1], starts[at + 1]);
    }
    const ids: number[] = new Array(len);
    for (let i = 0; i < len; i++) ids[i] = this.idOf(bytes, starts[i], starts[i + 1]);
    return ids;
  }

  /** Same result as mergeScan in O(n log n): a heap of candidate pairs with lazy invalidation. */
  mergeHeap(bytes: string): number[] {
    const n = bytes.length;
    if (n >= POS) throw new Error(`piece too long for BPE: ${n} bytes`);
    // Parts form a linked list keyed by start offset: end[s] = end of the part starting at s (-1 once absorbed).
    const end = new Int32Array(n);
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      end[i] = i + 1;
      prev[i] = i - 1;
    }
    const heap = new MinHeap(n);
    const pushPair = (s: number): void => {
      const mid = end[s];
      if (mid >= n) return;
      const r = this.rankOf(bytes, s, end[mid]);
      if (r !== Infinity) heap.push(r * POS + s);
    };
    for (let i = 0; i < n - 1; i++) pushPair(i);
    while (heap.size > 0) {
      const key = heap.pop();
      const s = key % POS;
      const rank = (key - s) / POS;
      const mid = end[s];
      if (mid < 0 || mid >= n) continue; // part absorbed, or now last
      const e = end[mid];
      if (this.rankOf(bytes, s, e) !== rank) continue; // stale: the pair starting at s has changed
      end[s] = e;
      end[mid] = -1;
      if (e < n) prev[e] = s;
      if (prev[s] >= 0) pushPair(prev[s]);
      pushPair(s);
    }
    const ids: number[] = [];
    for (let s = 0; s < n; s = end[s]) ids.push(this.idOf(bytes, s, end[s]));
    return ids;
  }

  private idOf(bytes: string, start: number, end: number): number {
    const id = this.ranks.get(bytes.slice(start, end));
    if (id === undefined) throw new Error(`BPE: byte sequence without a rank (${end - start} bytes)`);
    return id;
  }
}
