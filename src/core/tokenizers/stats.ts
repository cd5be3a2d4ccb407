/** Per-family token statistics of one text (for `tokenscope tokens FILE`). */
import type { TokenizerFamily } from '../types';
import { TOKENIZER_FAMILIES } from '../types';
import { loadTokenizer } from './registry';

export interface FamilyTokenStats {
  tokens: number;
  /** Characters (Unicode code points) per token; null for an empty text. */
  charsPerToken: number | null;
  /** UTF-8 bytes per token; null for an empty text. */
  bytesPerToken: number | null;
  exact: boolean;
  note?: string;
}

export interface TokenStats {
  /** Unicode code points (an emoji written with a surrogate pair is one; a ZWJ sequence is several). */
  chars: number;
  /** UTF-8 bytes. */
  bytes: number;
  families: Partial<Record<TokenizerFamily, FamilyTokenStats>>;
}

/** Code points and UTF-8 bytes of `text` (lone surrogates count as U+FFFD, 3 bytes, as TextEncoder writes them). */
export function measureText(text: string): { chars: number; bytes: number } {
  let chars = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    chars++;
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return { chars, bytes };
}

/** Counts `text` with each family (default: all), loading the families it needs. */
export async function tokenStats(
  text: string,
  families: readonly TokenizerFamily[] = TOKENIZER_FAMILIES,
): Promise<TokenStats> {
  const { chars, bytes } = measureText(text);
  const out: TokenStats = { chars, bytes, families: {} };
  for (const family of families) {
    const tok = await loadTokenizer(family);
    const tokens = tok.count(text);
    out.families[family] = {
      tokens,
      charsPerToken: tokens > 0 ? chars / tokens : null,
      bytesPerToken: tokens > 0 ? bytes / tokens : null,
      exact: tok.exact,
      ...(tok.note ? { note: tok.note } : {}),
    };
  }
  return out;
}
