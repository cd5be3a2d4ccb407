// Bundled on its own as dist/tokenizers/cl100k.js; loaded by ../index.ts only when the family is first used.
import ranks from 'js-tiktoken/ranks/cl100k_base';
import { BytePairEncoder } from '../bpe';
import { FAMILY_INFO } from '../info';
import type { Tokenizer } from '../types';

export function create(): Tokenizer {
  const bpe = new BytePairEncoder(ranks);
  const info = FAMILY_INFO['cl100k'];
  return {
    family: 'cl100k',
    name: info.name,
    exact: info.exact,
    ...(info.note ? { note: info.note } : {}),
    count: (text) => bpe.count(text),
    encode: (text) => bpe.encode(text),
  };
}
