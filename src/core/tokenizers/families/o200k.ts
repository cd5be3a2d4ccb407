// Bundled on its own as dist/tokenizers/o200k.js; loaded by ../index.ts only when the family is first used.
import ranks from 'js-tiktoken/ranks/o200k_base';
import { BytePairEncoder } from '../bpe';
import { familyTokenizer } from '../info';
import type { Tokenizer } from '../types';

export function create(): Tokenizer {
  return familyTokenizer('o200k', new BytePairEncoder(ranks));
}
