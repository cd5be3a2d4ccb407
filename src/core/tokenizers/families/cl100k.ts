// Bundled on its own as dist/tokenizers/cl100k.js; loaded by ../index.ts only when the family is first used.
import ranks from 'js-tiktoken/ranks/cl100k_base';
import { BytePairEncoder } from '../bpe';
import { familyTokenizer } from '../info';
import type { Tokenizer } from '../types';

export function create(): Tokenizer {
  return familyTokenizer('cl100k', new BytePairEncoder(ranks));
}
