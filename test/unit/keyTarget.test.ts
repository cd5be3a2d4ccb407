import { describe, expect, it } from 'vitest';
import { isEnvName, keyVariableFor } from '../../src/core/keyTarget';
import type { ModelSpec } from '../../src/core/types';

const model = (id: string, apiKeyEnv?: string): ModelSpec =>
  ({
    id,
    protocol: 'openai-chat',
    baseUrl: 'https://api.example.com/v1',
    model: id,
    region: 'CN',
    ...(apiKeyEnv ? { apiKeyEnv } : {}),
  }) as ModelSpec;
const models = [
  model('deepseek-v4-flash', 'DEEPSEEK_API_KEY'),
  model('deepseek-v4-pro', 'DEEPSEEK_API_KEY'),
  model('local_qwen'),
  model('kimi-k2', 'MOONSHOT_API_KEY'),
];

describe('the key variable Set API Key asks for', () => {
  it('is the variable itself, or the variable of the model named', () => {
    expect(keyVariableFor('MOONSHOT_API_KEY', models)).toBe('MOONSHOT_API_KEY');
    expect(keyVariableFor('deepseek-v4-pro', models)).toBe('DEEPSEEK_API_KEY');
  });

  it('is a new variable name that no model uses as its id', () => {
    expect(keyVariableFor('OPENROUTER_API_KEY', models)).toBe('OPENROUTER_API_KEY');
  });

  it('is asked for when there is no target, the model needs no key, or the target is no variable name', () => {
    expect(keyVariableFor(undefined, models)).toBeUndefined();
    expect(keyVariableFor(42, models)).toBeUndefined();
    // A keyless model's id looks like a variable name, but is the model's: no variable of that name is made.
    expect(keyVariableFor('local_qwen', models)).toBeUndefined();
    expect(keyVariableFor('some model', models)).toBeUndefined();
    expect(keyVariableFor('', models)).toBeUndefined();
  });

  it('knows a variable name when it sees one', () => {
    expect(isEnvName('_X1')).toBe(true);
    expect(isEnvName('1X')).toBe(false);
    expect(isEnvName('A-B')).toBe(false);
  });
});
