// Bundled on its own as dist/tokenizers/o200k.js; loaded by ../index.ts only when the family is first used.
import ranks from 'js-tiktoken/ranks/o200k_base';
import { BytePairEncoder } from '../bpe';
import { FAMILY_INFO } from '../info';
import type { Tokenizer } from '../types';

export function create(): Tokenizer {
  const bpe = new BytePairEncoder(ranks);
  const info = FAMILY_INFO['o200k'];
  return {
    family: 'o200k',
    name: info.name,
    exact: info.exact,
    ...(info.note ? { note: info.note } : {}),
    count: (text) => bpe.count(text),
    encode: (text) => bpe.encode(text),
  };
}
