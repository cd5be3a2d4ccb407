/** Which tokenizer counts a model's text. Pure and light: loads no vocabulary, so the editor's hover may import it. */
import type { ModelSpec, TokenizerFamily } from '../types';

/** The family every model is also counted with, so tok/s of models with different tokenizers compare. */
export const REFERENCE_TOKENIZER: TokenizerFamily = 'o200k';

/** The tokenizer used to count a model's text, and whether it is the model's own. */
export function tokenizerFamilyFor(spec: ModelSpec): { family: TokenizerFamily; own: boolean } {
  return spec.tokenizer ? { family: spec.tokenizer, own: true } : { family: REFERENCE_TOKENIZER, own: false };
}
