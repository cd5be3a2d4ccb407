/**
 * Tokenizer registry (re-exported by ./index): the real tokenizer of each model family, loaded on first use and cached.
 *
 * Each family lives in `families/<family>.ts` with its vocabulary. In the esbuild bundles (dist/cli.js,
 * dist/extension.js) a family is a separate chunk, `dist/tokenizers/<family>.js`, required only when first
 * needed, so no vocabulary is inlined into the main bundles. Run from TypeScript sources (vitest) the family
 * module is imported dynamically instead.
 *
 * All counting is of ordinary text: special-token look-alikes (`<|endoftext|>`, `<|im_start|>`,
 * `<｜begin▁of▁sentence｜>`) count as the plain text they are, and never throw. No BOS/EOS or chat-template
 * tokens are added.
 */
import * as path from 'node:path';
import type { TokenizerFamily } from '../types';
import { TOKENIZER_FAMILIES } from '../types';
import { FAMILY_INFO } from './info';
import type { FamilyModule, Tokenizer } from './types';

const loading = new Map<TokenizerFamily, Promise<Tokenizer>>();
const loaded = new Map<TokenizerFamily, Tokenizer>();
const loads = new Map<TokenizerFamily, number>();

function isFamily(family: string): family is TokenizerFamily {
  return (TOKENIZER_FAMILIES as readonly string[]).includes(family);
}

async function importFamily(family: TokenizerFamily): Promise<FamilyModule> {
  if (typeof TOKENSCOPE_BUNDLED !== 'undefined' && TOKENSCOPE_BUNDLED) {
    // dist/cli.js and dist/extension.js both sit in dist/, beside dist/tokenizers/. The path is computed so that
    // esbuild leaves this require alone instead of inlining the chunk.
    // Bundles outside dist/ (benchmark scripts in out/) say where the chunks are, relative to themselves.
    const dir = typeof TOKENSCOPE_TOKENIZER_DIR !== 'undefined' ? TOKENSCOPE_TOKENIZER_DIR : 'tokenizers';
    const chunk = path.join(__dirname, dir, `${family}.js`);
    return require(chunk) as FamilyModule;
  } else {
    switch (family) {
      case 'o200k':
        return import('./families/o200k');
      case 'cl100k':
        return import('./families/cl100k');
      case 'deepseek-v3':
        return import('./families/deepseek-v3');
      case 'qwen3':
        return import('./families/qwen3');
      case 'claude':
        return import('./families/claude');
      case 'llama3':
        return import('./families/llama3');
    }
  }
}

/**
 * The tokenizer of `family`, loaded on first call and cached. Concurrent calls share one load; a failed load is
 * not cached, so a later call tries again. Loading parses the vocabulary synchronously (0.1–0.7 s, see
 * `npm run bench:tokenizers`).
 */
export function loadTokenizer(family: TokenizerFamily): Promise<Tokenizer> {
  if (!isFamily(family)) return Promise.reject(new Error(`unknown tokenizer family: ${String(family)}`));
  let p = loading.get(family);
  if (!p) {
    p = (async () => {
      const mod = await importFamily(family);
      loads.set(family, (loads.get(family) ?? 0) + 1);
      const tok = mod.create();
      loaded.set(family, tok);
      return tok;
    })();
    loading.set(family, p);
    p.catch(() => loading.delete(family));
  }
  return p;
}

/** The tokenizer of `family` if it is already loaded, else undefined. Never loads. */
export function loadedTokenizer(family: TokenizerFamily): Tokenizer | undefined {
  return loaded.get(family);
}

export async function countTokens(family: TokenizerFamily, text: string): Promise<number> {
  return (await loadTokenizer(family)).count(text);
}

/** Facts about a family, without loading it. */
export function familyInfo(family: TokenizerFamily): { label: string; exact: boolean; note?: string; source: string } {
  const info = FAMILY_INFO[family];
  if (!info) throw new Error(`unknown tokenizer family: ${String(family)}`);
  return { label: info.label, exact: info.exact, ...(info.note ? { note: info.note } : {}), source: info.source };
}

/** How many times each family's vocabulary was built in this process (diagnostics and tests). */
export function tokenizerLoadCounts(): Partial<Record<TokenizerFamily, number>> {
  return Object.fromEntries(loads) as Partial<Record<TokenizerFamily, number>>;
}
