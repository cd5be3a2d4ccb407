// Bundled on its own as dist/tokenizers/claude.js; loaded by ../index.ts only when the family is first used.
// Vocabulary: the claude.json of @anthropic-ai/tokenizer. Like that package's countTokens, the text is NFKC-normalised first.
import ranks from '@anthropic-ai/tokenizer/claude.json';
import { BytePairEncoder } from '../bpe';
import { familyTokenizer } from '../info';
import type { Tokenizer } from '../types';

export function create(): Tokenizer {
  return familyTokenizer('claude', new BytePairEncoder(ranks, { normalize: 'NFKC' }));
}
