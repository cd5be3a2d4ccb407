import { describe, expect, it } from 'vitest';
import { BUILTIN_MODELS } from '../../src/core/catalog';
import { readEditorSettings } from '../../src/core/editorSettings';
import { groupByRegion, keyVariables, resolveModelList } from '../../src/core/modelList';

describe('resolveModelList (tokenscope.models)', () => {
  it('is the built-ins when the setting is empty', () => {
    expect(resolveModelList(undefined).models).toEqual(BUILTIN_MODELS);
    expect(resolveModelList([]).errors).toEqual([]);
  });

  it('adds custom models, overrides built-ins by id, and names the field of a bad entry', () => {
    const { models, errors } = resolveModelList([
      { id: 'deepseek-v4-flash', baseUrl: 'https://proxy.example.com' },
      { id: 'my-llama', protocol: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'llama3.1', region: 'local' },
      { id: 'broken', protocol: 'openai-chat', baseUrl: 'ftp://x', model: 'm', region: 'US' },
      { id: 'leaky', protocol: 'openai-chat', baseUrl: 'https://x', model: 'm', region: 'US', apiKey: 'sk-123' },
    ]);
    expect(models.find((m) => m.id === 'deepseek-v4-flash')!.baseUrl).toBe('https://proxy.example.com');
    expect(models.find((m) => m.id === 'deepseek-v4-flash')!.apiKeyEnv).toBe('DEEPSEEK_API_KEY');
    expect(models.find((m) => m.id === 'my-llama')!.region).toBe('local');
    expect(models.some((m) => m.id === 'broken')).toBe(false);
    expect(errors[0]).toBe('Settings: tokenscope.models[2].baseUrl: must be an http:// or https:// URL');
    expect(errors[1]).toMatch(/^Settings: tokenscope\.models\[3\]\.apiKey: API keys do not belong/);
    expect(errors.join('\n')).not.toContain('sk-123');
  });

  it('names the successor of a retired built-in instead of a missing-field error', () => {
    const { errors } = resolveModelList([{ id: 'deepseek-chat' }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^Settings: tokenscope\.models\[0\]\.id: "deepseek-chat" is no longer a built-in model \(catalog of 2026-12-03\): DeepSeek retired "deepseek-chat" after 2026-07-24; use "deepseek-v4-flash".*Run "tokenscope models"/,
    );
  });

  it('reports duplicates and a non-array setting', () => {
    expect(resolveModelList([{ id: 'gpt-6-sol' }, { id: 'gpt-6-sol' }]).errors).toEqual([
      'Settings: tokenscope.models[1].id: "gpt-6-sol" is used twice; ids must be unique.',
    ]);
    expect(resolveModelList({}).errors[0]).toContain('must be an array');
  });

  it('groups by region in CN, US, local order and lists key variables', () => {
    const { models } = resolveModelList([
      { id: 'l', protocol: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'x', region: 'local' },
    ]);
    expect(groupByRegion(models).map((g) => g.region)).toEqual(['CN', 'US', 'local']);
    const vars = keyVariables(models);
    expect(vars.find((v) => v.env === 'DEEPSEEK_API_KEY')!.models.map((m) => m.id)).toEqual([
      'deepseek-v4-flash',
      'deepseek-v4-pro',
    ]);
    // One OpenRouter key reaches models of both regions.
    expect(new Set(vars.find((v) => v.env === 'OPENROUTER_API_KEY')!.models.map((m) => m.region))).toEqual(
      new Set(['CN', 'US']),
    );
    expect(vars.some((v) => v.models.some((m) => m.id === 'l'))).toBe(false);
  });
});

describe('readEditorSettings', () => {
  it('falls back to defaults and clamps out-of-range numbers', () => {
    const s = readEditorSettings(
      (k) =>
        ({
          runs: 0,
          concurrency: 1e9,
          warmup: 'x',
          'hover.families': ['qwen3', 'bogus', 'qwen3'],
          referenceTokenizer: 'nope',
        })[k],
    );
    expect(s.runs).toBe(1);
    expect(s.concurrency).toBe(64);
    expect(s.warmup).toBe(1); // one unmeasured run absorbs the first connection
    expect(s.hover.families).toEqual(['qwen3']);
    expect(s.hover.enabled).toBe(true);
    expect(s.referenceTokenizer).toBe('o200k');
    expect(s.history.storePrompt).toBe(false);
  });
});
