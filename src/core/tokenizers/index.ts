/**
 * Tokenizers of the model families Tokenscope compares (see ./registry for how they load).
 * Pure TypeScript for Node: no `vscode` import.
 */
export { loadTokenizer, loadedTokenizer, countTokens, familyInfo, tokenizerLoadCounts } from './registry';
export { tokenStats, measureText } from './stats';
export type { TokenStats, FamilyTokenStats } from './stats';
export type { Tokenizer, FamilyModule } from './types';
export { OffThreadCounter } from './offThread';
export type { FamilyInfo } from './info';
export { FAMILY_INFO } from './info';
