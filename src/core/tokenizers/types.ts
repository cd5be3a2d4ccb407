import type { TokenizerFamily } from '../types';

/** A loaded tokenizer of one family. Counts and encodes ordinary text only: special-token look-alikes are text. */
export interface Tokenizer {
  family: TokenizerFamily;
  /** Human name, e.g. "o200k_base". */
  name: string;
  /** False where the public tokenizer only approximates the models it stands for (Claude 3+). */
  exact: boolean;
  note?: string;
  /** Number of tokens in `text` (no BOS/EOS or chat-template tokens added). */
  count(text: string): number;
  /** Token ids of `text` (no BOS/EOS or chat-template tokens added). */
  encode(text: string): number[];
}

/** What a family chunk (`families/<family>.ts`, bundled as `dist/tokenizers/<family>.js`) exports. */
export interface FamilyModule {
  create(): Tokenizer;
}
