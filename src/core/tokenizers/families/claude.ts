// Bundled on its own as dist/tokenizers/claude.js; loaded by ../index.ts only when the family is first used.
// Vocabulary: the claude.json of @anthropic-ai/tokenizer. Like that package's countTokens, the text is NFKC-normalised first.
import ranks from '@anthropic-ai/tokenizer/claude.json';
import { BytePairEncoder } from '../bpe';
import { FAMILY_INFO } from '../info';
import type { Tokenizer } from '../types';

export function create(): Tokenizer {
  const bpe = new BytePairEncoder(ranks, { normalize: 'NFKC' });
  const info = FAMILY_INFO['claude'];
  return {
    family: 'claude',
    name: info.name,
    exact: info.exact,
    ...(info.note ? { note: info.note } : {}),
    count: (text) => bpe.count(text),
    encode: (text) => bpe.encode(text),
  };
}
