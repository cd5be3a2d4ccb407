/**
 * Defined as `true` by esbuild.mjs in every bundle; undeclared (so `typeof` is 'undefined') when the TypeScript
 * sources run directly, as under vitest. The tokenizer registry uses it to choose how to load a family chunk.
 */
declare const TOKENSCOPE_BUNDLED: boolean | undefined;
/** Set only in bundles that live outside dist/: the tokenizer chunk folder relative to the bundle. */
declare const TOKENSCOPE_TOKENIZER_DIR: string | undefined;
/** Set only in bundles that live outside dist/: the price-database chunk folder relative to the bundle (see src/core/pricing). */
declare const TOKENSCOPE_PRICING_DIR: string | undefined;
