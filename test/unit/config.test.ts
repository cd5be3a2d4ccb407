import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/core/config';

const parse = (obj: unknown) => parseConfig(JSON.stringify(obj), 'cfg.json');
const good = {
  id: 'local',
  protocol: 'openai-chat',
  baseUrl: 'http://127.0.0.1:8080/v1',
  model: 'qwen',
  region: 'local',
};

describe('parseConfig', () => {
  it('accepts a full entry and a built-in named by id alone', () => {
    const cfg = parse({ models: [good, { id: 'deepseek-v4-flash' }], settings: { runs: 5 } });
    expect(cfg.models[0]).toMatchObject(good);
    expect(cfg.models[1]).toMatchObject({
      id: 'deepseek-v4-flash',
      protocol: 'openai-chat',
      region: 'CN',
      apiKeyEnv: 'DEEPSEEK_API_KEY',
    });
    expect(cfg.settings.runs).toBe(5);
  });
  it('lets a config override one field of a built-in', () => {
    const cfg = parse({ models: [{ id: 'deepseek-v4-flash', baseUrl: 'http://127.0.0.1:9/v1' }] });
    expect(cfg.models[0].baseUrl).toBe('http://127.0.0.1:9/v1');
    expect(cfg.models[0].model).toBe('deepseek-v4-flash');
  });
  const cases: [string, unknown, RegExp][] = [
    ['unknown protocol', { models: [{ ...good, protocol: 'grpc' }] }, /models\[0\]\.protocol/],
    ['bad URL', { models: [{ ...good, baseUrl: 'ftp://x' }] }, /models\[0\]\.baseUrl: must be an http/],
    ['bad region', { models: [good, { ...good, id: 'b', region: 'EU' }] }, /models\[1\]\.region/],
    ['negative runs', { models: [good], settings: { runs: -1 } }, /settings\.runs/],
    [
      'negative price',
      { models: [{ ...good, price: { inputPerM: -1, outputPerM: 1 } }] },
      /models\[0\]\.price\.inputPerM/,
    ],
    ['typo in a field', { models: [{ ...good, basUrl: 'x' }] }, /models\[0\].*basUrl/],
    ['readOn not a date', { models: [{ ...good, readOn: 'last week' }] }, /models\[0\]\.readOn: must be an ISO date/],
    [
      'provider not an id',
      { models: [{ ...good, provider: 'Open Router' }] },
      /models\[0\]\.provider: must be a lower-case provider id/,
    ],
    [
      'retired built-in',
      { models: [{ id: 'claude-opus-4.1' }] },
      /models\[0\]\.id: "claude-opus-4\.1" is no longer a built-in model.*use "claude-opus-5\.5"/,
    ],
    ['a key in the config', { models: [{ ...good, apiKey: 'sk-1' }] }, /models\[0\]\.apiKey: API keys do not belong/],
    [
      'a key in headers',
      { models: [{ ...good, headers: { Authorization: 'Bearer x' } }] },
      /models\[0\]\.headers\.Authorization: must not hold API keys/,
    ],
    [
      'Proxy-Authorization',
      { models: [{ ...good, headers: { 'Proxy-Authorization': 'Basic dTpw' } }] },
      /models\[0\]\.headers\.Proxy-Authorization: must not hold API keys/,
    ],
    [
      'a cookie',
      { models: [{ ...good, headers: { Cookie: 'session=abc' } }] },
      /models\[0\]\.headers\.Cookie: must not hold/,
    ],
    [
      'X-Auth-Token',
      { models: [{ ...good, headers: { 'X-Auth-Token': 'abc' } }] },
      /models\[0\]\.headers\.X-Auth-Token: must not hold/,
    ],
    [
      'a bearer value under any name',
      { models: [{ ...good, headers: { 'X-Upstream': 'Bearer abcdef' } }] },
      /models\[0\]\.headers\.X-Upstream: must not hold/,
    ],
    [
      'CRLF in a header value',
      { models: [{ ...good, headers: { 'X-Title': 'a\r\nX-Injected: 1' } }] },
      /models\[0\]\.headers\.X-Title: contains a line break/,
    ],
    [
      'a space in a header name',
      { models: [{ ...good, headers: { 'X Title': 'a' } }] },
      /models\[0\]\.headers\.X Title: "X Title" is not a valid header name/,
    ],
    [
      'a header Tokenscope sets',
      { models: [{ ...good, headers: { 'Content-Length': '1' } }] },
      /models\[0\]\.headers\.Content-Length: .* is set by Tokenscope itself/,
    ],
    [
      'user:password@ in baseUrl',
      { models: [{ ...good, baseUrl: 'https://user:sk-secret@api.example/v1' }] },
      /models\[0\]\.baseUrl: must not contain a user name or password/,
    ],
    [
      'a key in the baseUrl query',
      { models: [{ ...good, baseUrl: 'https://api.example/v1?api_key=sk-1' }] },
      /models\[0\]\.baseUrl: must not carry a credential in its query \("api_key="\)/,
    ],
    [
      'a key where the env var name goes',
      { models: [{ ...good, apiKeyEnv: 'sk-abc-123' }] },
      /models\[0\]\.apiKeyEnv: must be the name of an environment variable/,
    ],
    ['duplicate ids', { models: [good, good] }, /models\[1\]\.id: "local" is used twice/],
    ['no models', { models: [] }, /models: must list at least one model/],
  ];
  for (const [name, cfg, message] of cases) {
    it(`names the field: ${name}`, () => {
      expect(() => parse(cfg)).toThrow(ConfigError);
      expect(() => parse(cfg)).toThrow(message);
    });
  }
  it('accepts ordinary extra headers', () => {
    const cfg = parse({
      models: [
        {
          ...good,
          headers: {
            'HTTP-Referer': 'https://example.org',
            'X-Title': 'Tokenscope',
            'anthropic-beta': 'token-efficient-tools-2025-02-19',
          },
        },
      ],
    });
    expect(cfg.models[0].headers).toEqual({
      'HTTP-Referer': 'https://example.org',
      'X-Title': 'Tokenscope',
      'anthropic-beta': 'token-efficient-tools-2025-02-19',
    });
  });
  it('reports invalid JSON with the file name', () => {
    expect(() => parseConfig('{', 'my.json')).toThrow(/my\.json: not valid JSON/);
  });
});
