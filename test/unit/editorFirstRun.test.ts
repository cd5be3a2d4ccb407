/** The pure pieces behind the editor's first run: picker order, the settings.json example, failures, outcomes, hover. */
import { describe, expect, it } from 'vitest';
import { modelsExampleEdit, stripComments } from '../../src/core/modelsExample';

const parseJsonc = (text: string): unknown => JSON.parse(stripComments(text));
import { modelErrorsMessage, pickerEntries, resolveModelList } from '../../src/core/modelList';
import { failedModels, failureLabel, failureSummary, groupErrors } from '../../src/core/report/failures';
import { buildHoverMarkdown, comparisonMarkdown, tokenComparison } from '../../src/core/report/hoverText';
import { latestOutcomes, promptAdvice, sha256 } from '../../src/core/report/outcomes';
import { buildLeaderboardView, DEFAULT_LEADERBOARD_FILTER } from '../../src/core/report/leaderboardView';
import { promptFirstLine } from '../../src/core/report/live';
import type { HistoryRecord } from '../../src/core/history/contract';
import type { ModelSpec } from '../../src/core/types';
import { report, result, run } from '../extension/fixtures';

const spec = (id: string, region: ModelSpec['region'], apiKeyEnv?: string): ModelSpec => ({
  id,
  protocol: 'openai-chat',
  baseUrl: `https://${id}.example.com/v1`,
  model: id,
  region,
  ...(apiKeyEnv ? { apiKeyEnv } : {}),
});

describe('model picker order', () => {
  const models = [
    spec('cn-a', 'CN', 'A_KEY'),
    spec('us-b', 'US', 'B_KEY'),
    spec('cn-c', 'CN', 'C_KEY'),
    spec('loc', 'local'),
  ];
  const keys: Record<string, 'secret' | 'env' | undefined> = { A_KEY: undefined, B_KEY: 'env', C_KEY: 'secret' };
  const state = (m: ModelSpec) => (m.apiKeyEnv ? keys[m.apiKeyEnv] : 'none');

  it('lists models that can run first by region, keyless ones after with their fix', () => {
    const { ready, keyless } = pickerEntries(models, state, []);
    expect(ready.map((g) => [g.region, g.entries.map((e) => e.spec.id)])).toEqual([
      ['CN', ['cn-c']],
      ['US', ['us-b']],
      ['local', ['loc']],
    ]);
    expect(keyless.map((e) => [e.spec.id, e.keyText])).toEqual([
      ['cn-a', 'no key: set A_KEY with Tokenscope: Set API Key'],
    ]);
  });

  it('never pre-ticks a model that cannot run, even when it was the last choice', () => {
    const { ready, keyless } = pickerEntries(models, state, ['cn-a', 'us-b']);
    expect(keyless[0].picked).toBe(false);
    expect(
      ready
        .flatMap((g) => g.entries)
        .filter((e) => e.picked)
        .map((e) => e.spec.id),
    ).toEqual(['us-b']);
  });
});

describe('Configure Models example', () => {
  it('adds a commented, valid tokenscope.models entry to settings.json, with a comma when needed', () => {
    const text = '{\n  // my settings\n  "editor.fontSize": 14\n}\n';
    const edit = modelsExampleEdit(text)!;
    const next = text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset);
    const parsed = parseJsonc(next) as Record<string, unknown>;
    expect(parsed['editor.fontSize']).toBe(14);
    expect(parsed['tokenscope.models']).toEqual([]);
    expect(next).toContain('// { "id": "my-ollama"');
    // The commented entries are valid model entries once uncommented.
    const entries = [...next.matchAll(/\/\/ (\{ "id".*\})/g)].map((m) => JSON.parse(m[1]));
    expect(entries).toHaveLength(2);
    expect(resolveModelList(entries).errors).toEqual([]);
  });

  it('works on an empty settings file and leaves one that has the setting alone', () => {
    const edit = modelsExampleEdit('{}')!;
    expect(parseJsonc('{' + edit.insert + '}')).toEqual({ 'tokenscope.models': [] });
    expect(modelsExampleEdit('{ "tokenscope.models": [] }')).toBeUndefined();
    // Only a real key counts, not one inside a comment or a string.
    expect(modelsExampleEdit('{ // "tokenscope.models": [] \n "a": "\\"tokenscope.models\\": 1" }')).toBeDefined();
    expect(stripComments('"//x" // y').trimEnd()).toBe('"//x"');
  });
});

describe('failures', () => {
  const auth = run({
    ok: false,
    error: 'm (h): the API key is missing or was rejected (HTTP 401). Run Tokenscope: Set API Key.',
    errorKind: 'auth',
  });
  const timeout = run({ ok: false, error: 'm (h): no data for 30 s.', errorKind: 'stall' });
  const cancelled = run({ ok: false, error: 'm: cancelled', errorKind: 'cancelled' });

  it('labels a failure by its HTTP status, else its kind', () => {
    expect(failureLabel('auth', auth.error)).toBe('401');
    expect(failureLabel('stall', timeout.error)).toBe('stall');
  });

  it('groups failed runs by distinct error and leaves cancelled runs out', () => {
    expect(groupErrors([auth, run(), auth, cancelled, timeout]).map((g) => [g.label, g.count, g.runs])).toEqual([
      ['401', 2, [0, 2]],
      ['stall', 1, [4]],
    ]);
  });

  it('the finish message names every failed model, not only the first', () => {
    const r = report([
      result('a', 'CN', [auth, auth]),
      result('b', 'US', [run(), timeout]),
      result('c', 'US', [run(), run()]),
    ]);
    expect(failedModels(r).map((m) => m.id)).toEqual(['a', 'b']);
    expect(failureSummary(r)).toBe(
      '2 of 3 models had failed runs: a label (failed: 401; 2 of 2 runs); b label (failed: stall; 1 of 2 runs).',
    );
    expect(failureSummary(report([result('c', 'US', [run()])]))).toBeNull();
  });
});

function rec(time: string, modelId: string, ok: boolean, error: string | null = null): HistoryRecord {
  return {
    v: 1,
    time,
    modelId,
    region: 'US',
    protocol: 'anthropic',
    host: 'h',
    promptHash: 'a'.repeat(64),
    category: 'chat',
    tokenSource: 'usage',
    toolVersion: '0.1.0',
    metrics: {
      ok,
      error,
      ...(ok ? {} : { errorKind: 'auth' }),
      reasoningVisible: false,
      chunks: 1,
      setupMs: 1,
      ttftMs: ok ? 200 : null,
      ttfoMs: null,
      decodeTps: ok ? 80 : null,
      e2eMs: null,
      itlMs: null,
      interChunkP50Ms: null,
      interChunkP95Ms: null,
      inputTokens: null,
      outputTokens: null,
      reasoningTokens: null,
      cachedInputTokens: null,
      streamedTokens: null,
      costUsd: null,
      charsPerSec: null,
      normalizedTps: null,
      serverDecodeTps: null,
    },
  } as HistoryRecord;
}

describe('latest outcomes (hover and sidebar)', () => {
  const records = [
    rec('2026-12-01T10:00:00Z', 'ok-then-fail', true),
    rec('2026-12-02T10:00:00Z', 'ok-then-fail', false, 'x (h): the API key is missing or was rejected (HTTP 401).'),
    rec('2026-12-02T10:00:00Z', 'never-ok', false, 'y (h): rejected (HTTP 401).'),
    rec('2026-12-01T10:00:00Z', 'fail-then-ok', false, 'z (h): (HTTP 401).'),
    rec('2026-12-02T10:00:00Z', 'fail-then-ok', true),
  ];
  const o = latestOutcomes(records);

  it('keeps the measurement, and the failure only when it is the newest run', () => {
    expect(o.get('ok-then-fail')).toMatchObject({ measured: { decodeTps: 80 }, failed: { label: '401', auth: true } });
    expect(o.get('never-ok')!.measured).toBeUndefined();
    expect(o.get('never-ok')!.failed!.label).toBe('401');
    expect(o.get('fail-then-ok')!.failed).toBeUndefined();
  });

  it('the hover says "failed: 401" with its one action, not "not measured yet"', () => {
    const md = buildHoverMarkdown({
      source: 'selection',
      chars: 10,
      counts: [{ family: 'o200k', label: 'o200k', count: 3, exact: true }],
      outputTokens: 100,
      now: new Date('2026-12-02T10:05:00Z'),
      models: [{ id: 'never-ok', label: 'Never OK', family: 'o200k', failed: { ...o.get('never-ok')!.failed! } }],
    });
    expect(md).toContain('| Never OK | — | failed: 401 5 min ago (run Tokenscope: Set API Key) |');
    expect(md).not.toContain('not measured yet');
  });

  it('the sidebar marks a model whose newest run failed', () => {
    const board = {
      models: [
        {
          key: 'never-ok',
          region: 'US' as const,
          runs: 1,
          failedRuns: 1,
          medianDecodeTps: null,
          medianNormalizedTps: null,
          medianTtftMs: null,
          costPerMOutput: null,
          lastRun: '2026-12-02T10:00:00Z',
        },
      ],
      regions: [],
    };
    const view = buildLeaderboardView(board, DEFAULT_LEADERBOARD_FILTER, 1, [], undefined, o);
    expect(view.models[0].failure).toEqual({ label: '401', error: 'y (h): rejected (HTTP 401).', auth: true });
  });
});

describe('one speculation estimate for hover and panel', () => {
  it('uses the latest benchmark of the same prompt, else says it comes from the prompt alone', () => {
    const prompt = 'Explain, in three sentences, why time to first token matters.';
    const r = report(
      [
        result('a', 'CN', [run()], {
          speculation: {
            label: 'estimated',
            category: 'chat',
            flagged: true,
            technique: 'prompt-lookup',
            verdict: 'Chat — … about 2.5×. Estimated.',
            promptLookupSpeedup: 2.5,
            copiedShare: 0,
            draftModelSpeedup: 2,
            chunkTiming: null,
            measuredAcceptanceRate: null,
            assumptions: [],
          },
        }),
      ],
      { prompt: { chars: prompt.length, sha256: sha256(prompt) } },
    );
    expect(promptAdvice(prompt, undefined, r)).toEqual({
      basis: 'benchmark',
      lines: ['a label: Chat — … about 2.5×. Estimated.'],
    });
    const other = promptAdvice(prompt + ' ', undefined, r)!;
    expect(other.basis).toBe('prompt');
    expect(other.lines[0]).toMatch(
      /^Chat — .*\(from the prompt alone; benchmark it for an estimate from real output\)$/,
    );
  });
});

describe('small editor texts', () => {
  it('the panel header shows the first non-empty line, without heading marks, shortened', () => {
    expect(promptFirstLine('\n\n# Prompt title\nbody')).toBe('Prompt title');
    expect(promptFirstLine('x'.repeat(100), 20)).toBe(`${'x'.repeat(19)}…`);
  });

  it('Compare Tokenizers gives a Markdown table to keep or paste', () => {
    const rows = tokenComparison(400, [
      { family: 'o200k', label: 'OpenAI o200k', count: 100, exact: true },
      { family: 'claude', label: 'Claude | legacy', count: 120, exact: false },
    ]);
    expect(comparisonMarkdown(rows, 'o200k', 'notes.md (selection)', 400)).toBe(
      [
        '# Token counts: notes.md (selection)',
        '',
        '400 characters; reference tokenizer o200k (first row).',
        '',
        '| Tokenizer family | Tokens | Characters per token | vs reference |',
        '| --- | ---: | ---: | ---: |',
        '| OpenAI o200k | 100 | 4.00 | reference |',
        '| Claude \\| legacy (approximate) | 120 | 3.33 | +20% |',
        '',
        'Approximate: the public tokenizer differs from the current models of that family.',
        '',
      ].join('\n'),
    );
  });
});

describe('invalid tokenscope.models entries', () => {
  it('reports every invalid field of every entry in one message', () => {
    const { errors } = resolveModelList([
      { id: 'a', protocol: 'grpc', baseUrl: 'ftp://x', model: 'm', region: 'EU' },
      { id: 'b', protocol: 'ollama', baseUrl: 'http://127.0.0.1:11434', model: 'm', region: 'local', colour: 'red' },
    ]);
    const message = modelErrorsMessage(errors)!;
    expect(message).toMatch(/^Tokenscope: 4 problems in tokenscope\.models \(those entries are left out\): /);
    for (const field of [
      'tokenscope.models[0].protocol',
      'tokenscope.models[0].baseUrl',
      'tokenscope.models[0].region',
      'tokenscope.models[1].colour',
    ])
      expect(message).toContain(field);
    expect(modelErrorsMessage([])).toBeUndefined();
  });
});
