import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../src/core/history/contract';
import {
  buildHoverMarkdown,
  comparisonLine,
  escapeMarkdown,
  estimateGenerationMs,
  latestMeasurements,
  relativeTime,
  tokenComparison,
  type HoverInput,
} from '../../src/core/report/hoverText';

const now = new Date('2025-11-30T12:00:00Z');

function input(over: Partial<HoverInput> = {}): HoverInput {
  return {
    source: 'selection',
    chars: 1234,
    counts: [
      { family: 'o200k', label: 'OpenAI o200k_base', count: 300, exact: true },
      { family: 'deepseek-v3', label: 'DeepSeek-V3 / R1', count: 320, exact: true },
      { family: 'claude', label: 'Claude (public tokenizer, approximate)', count: 350, exact: false },
    ],
    models: [
      {
        id: 'deepseek-v4-flash',
        label: 'DeepSeek V4 Flash',
        family: 'deepseek-v3',
        inputPerM: 0.28,
        measured: { decodeTps: 50, ttftMs: 1000, time: '2025-11-30T09:00:00Z' },
      },
      { id: 'kimi-k3', label: 'Kimi K3', family: 'o200k', inputPerM: 0.6 },
      {
        id: 'qwen3.7-max',
        label: 'Qwen3.7 Max',
        family: 'qwen3',
        inputPerM: 0.4,
        measured: { decodeTps: 100, ttftMs: null, time: '2025-10-01T00:00:00Z' },
      },
    ],
    outputTokens: 500,
    now,
    ...over,
  };
}

describe('buildHoverMarkdown', () => {
  const md = buildHoverMarkdown(input());

  it('names what was measured and lists token counts per family', () => {
    expect(md).toContain('Selection: 1,234 characters');
    expect(md).toContain('| OpenAI o200k\\_base | 300 |');
    expect(md).toContain('| DeepSeek\\-V3 / R1 | 320 |');
    expect(md).toMatch(/Claude \\\(public tokenizer, approximate\\\) \| 350 \|/);
    expect(md).not.toMatch(/approximate\\\) \(approximate\)/);
  });

  it('estimates generation time from the latest measured throughput, labelled estimated with when', () => {
    // 1 s TTFT + 500 tokens at 50 tok/s = 11 s
    expect(md).toContain('~11 s (50.0 tok/s, measured 3 h ago)');
    // no TTFT: 500 / 100 = 5 s; measured long ago: shows the date
    expect(md).toContain('~5.0 s (100.0 tok/s, measured on 2025-10-01)');
    expect(md).toContain('| Kimi K3 | $0.00018 | not measured yet |');
    expect(md).toMatch(/estimated/i);
    expect(md).toContain('Estimated time for 500 output tokens');
  });

  it('prices input with the model family count, or approximately with the first family', () => {
    // deepseek: 320 tokens × $0.28/M
    expect(md).toContain('| DeepSeek V4 Flash | $0.00009 |');
    // qwen3 not counted: ≈ with o200k's 300 × $0.4/M = $0.00012
    expect(md).toContain('| Qwen3\\.7 Max | ≈$0.00012 |');
  });

  it('says where the input prices came from', () => {
    const priced = buildHoverMarkdown(
      input({
        models: [
          { id: 'a', label: 'A', family: 'o200k', inputPerM: 1, priceSource: 'genai-prices 0.1.8, data of 2026-09-23' },
          { id: 'b', label: 'B', family: 'o200k', inputPerM: 2, priceSource: 'your config' },
          { id: 'c', label: 'C', family: 'o200k' },
        ],
      }),
    );
    // Markdown-escaped, as every text in the hover is.
    expect(priced).toContain(
      "input costs are at today's rate (genai\\-prices 0\\.1\\.8, data of 2026\\-09\\-23; your config)",
    );
    expect(buildHoverMarkdown(input({ models: [{ id: 'c', label: 'C', family: 'o200k' }] }))).toContain(
      'no input price is known',
    );
  });

  it('escapes Markdown in labels from settings', () => {
    const out = buildHoverMarkdown(
      input({ models: [{ id: 'x', label: '[click](command:evil) <img src=x> | *', family: 'o200k' }] }),
    );
    expect(out).not.toContain('[click](command:evil)');
    expect(out).toContain('\\[click\\]\\(command:evil\\)');
    expect(out).toContain('\\<img src=x\\>');
    expect(out).toContain('\\|');
  });

  it('appends the advisor verdict as text', () => {
    const out = buildHoverMarkdown(
      input({ advice: 'Speculative decoding: Coding edit — about 2.7× [link](x). Estimated.' }),
    );
    expect(out.trimEnd().split('\n').pop()).toBe(
      'Speculative decoding: Coding edit — about 2\\.7× \\[link\\]\\(x\\)\\. Estimated\\.',
    );
  });

  it('says which families are still loading instead of waiting for them', () => {
    const one = buildHoverMarkdown(input({ counts: input().counts.slice(0, 1), pendingFamilies: ['Qwen3'] }));
    expect(one).toContain('| OpenAI o200k\\_base | 300 |');
    expect(one).toMatch(/Loading the Qwen3 tokenizer \(first use in this window\): hover again for its count\./);
    const none = buildHoverMarkdown(input({ counts: [], pendingFamilies: ['OpenAI o200k_base', 'Qwen3'] }));
    expect(none).not.toContain('| Tokenizer |');
    expect(none).toMatch(/Loading the OpenAI o200k\\_base, Qwen3 tokenizers .* for their counts\./);
    expect(md).not.toMatch(/Loading/);
  });

  it('leaves the model table out when no model is listed', () => {
    const out = buildHoverMarkdown(input({ models: [], source: 'literal' }));
    expect(out).toContain('String literal');
    expect(out).not.toContain('Input cost');
  });
});

describe('helpers', () => {
  it('escapeMarkdown turns newlines into spaces', () => {
    expect(escapeMarkdown('a\nb_c')).toBe('a b\\_c');
  });

  it('relativeTime', () => {
    expect(relativeTime('2025-11-30T11:59:30Z', now)).toBe('just now');
    expect(relativeTime('2025-11-30T11:30:00Z', now)).toBe('30 min ago');
    expect(relativeTime('2025-11-29T12:00:00Z', now)).toBe('1 day ago');
    expect(relativeTime('2025-01-01T00:00:00Z', now)).toBe('on 2025-01-01');
    expect(relativeTime('garbage', now)).toBe('at an unknown time');
  });

  it('estimateGenerationMs needs a positive rate', () => {
    expect(estimateGenerationMs({ decodeTps: 0, ttftMs: 100, time: '' }, 10)).toBeNull();
    expect(estimateGenerationMs({ decodeTps: 10, ttftMs: 100, time: '' }, 10)).toBe(1100);
  });

  it('latestMeasurements keeps the newest successful run per model', () => {
    const rec = (modelId: string, time: string, ok: boolean, decodeTps: number | null): HistoryRecord =>
      ({
        v: 1,
        time,
        modelId,
        region: 'CN',
        protocol: 'openai-chat',
        host: 'h',
        promptHash: 'x',
        category: 'chat',
        tokenSource: 'usage',
        toolVersion: '0',
        metrics: { ok, decodeTps, ttftMs: 200 },
      }) as unknown as HistoryRecord;
    const m = latestMeasurements([
      rec('a', '2025-11-01T00:00:00Z', true, 10),
      rec('a', '2025-11-03T00:00:00Z', true, 30),
      rec('a', '2025-11-04T00:00:00Z', false, null),
      rec('a', '2025-11-02T00:00:00Z', true, 20),
      rec('b', '2025-11-01T00:00:00Z', true, null),
    ]);
    expect(m.get('a')).toEqual({ decodeTps: 30, ttftMs: 200, time: '2025-11-03T00:00:00Z' });
    expect(m.has('b')).toBe(false);
  });

  it('tokenComparison relates every family to the first', () => {
    const rows = tokenComparison(1000, input().counts);
    expect(rows[0]).toMatchObject({ family: 'o200k', relative: 1, charsPerToken: 1000 / 300 });
    expect(comparisonLine(rows[1], 'o200k')).toBe('320 tokens · 3.13 chars/token · +7% vs o200k');
    expect(comparisonLine(rows[2], 'o200k')).toContain('approximate');
    expect(comparisonLine(rows[0], 'o200k')).toBe('300 tokens · 3.33 chars/token');
  });
});
