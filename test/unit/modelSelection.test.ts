import { describe, expect, it } from 'vitest';
import { modelsById, needsLocalProbe, newLocalModels } from '../../src/core/modelSelection';
import type { ModelSpec } from '../../src/core/types';

const spec = (id: string, baseUrl: string): ModelSpec =>
  ({ id, protocol: 'ollama', baseUrl, model: id, region: 'local' }) as ModelSpec;
const configured = [spec('deepseek-v4-flash', 'https://api.deepseek.com'), spec('my-ollama', 'http://127.0.0.1:11434')];

describe('the models an editor benchmark runs', () => {
  it('probes local servers for the picker and for an id that is not configured, not for configured ids', () => {
    expect(needsLocalProbe(undefined, configured)).toBe(true);
    expect(needsLocalProbe([], configured)).toBe(true);
    expect(needsLocalProbe(['deepseek-v4-flash', 'qwen3:8b@ollama'], configured)).toBe(true);
    expect(needsLocalProbe(['deepseek-v4-flash', 'my-ollama'], configured)).toBe(false);
  });

  it('adds found local servers unless one is configured with the same id or base URL', () => {
    const found = [
      spec('my-ollama', 'http://127.0.0.1:9999'),
      spec('qwen3:8b@ollama', 'http://127.0.0.1:11434'),
      spec('llama@llamacpp', 'http://127.0.0.1:8080/v1'),
    ];
    expect(newLocalModels(found, configured).map((m) => m.id)).toEqual(['llama@llamacpp']);
  });

  it('returns the models asked for in their order, or every unknown id', () => {
    expect(modelsById(['my-ollama', 'deepseek-v4-flash'], configured)).toEqual({
      models: [configured[1], configured[0]],
    });
    expect(modelsById(['my-ollama', 'gpt-9', 'nope'], configured)).toEqual({ unknown: ['gpt-9', 'nope'] });
  });
});
