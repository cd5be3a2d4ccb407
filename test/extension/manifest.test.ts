import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelSchema } from '../../src/core/config';
import { CODE_LANGUAGES, PROSE_LANGUAGES } from '../../src/core/promptLiterals';
import { TOKENIZER_FAMILIES } from '../../src/core/types';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('package.json contributions', () => {
  it('activates only on its commands, views, webview panel and hover languages', () => {
    const events: string[] = pkg.activationEvents;
    expect(events).not.toContain('*');
    expect(events.filter((e) => !e.startsWith('onLanguage:') && e !== 'onWebviewPanel:tokenscope.results')).toEqual([]);
    for (const lang of [...PROSE_LANGUAGES, ...CODE_LANGUAGES]) expect(events).toContain(`onLanguage:${lang}`);
    expect(pkg.main).toBe('./dist/extension.js');
  });

  it('puts every command in the Tokenscope category', () => {
    const ids = pkg.contributes.commands.map((c: { command: string }) => c.command);
    for (const id of ['benchmarkSelection', 'benchmarkFile', 'compareTokenizers', 'setApiKey', 'configureModels', 'showComparison', 'exportResults', 'cancelBenchmark']) expect(ids).toContain(`tokenscope.${id}`);
    for (const c of pkg.contributes.commands) expect(c.category).toBe('Tokenscope');
    const context = pkg.contributes.menus['editor/context'].map((m: { command: string }) => m.command);
    expect(context).toEqual(expect.arrayContaining(['tokenscope.benchmarkSelection', 'tokenscope.compareTokenizers']));
  });

  it('describes tokenscope.models with the same fields as the config schema', () => {
    const item = pkg.contributes.configuration.properties['tokenscope.models'].items;
    expect(Object.keys(item.properties).sort()).toEqual(Object.keys(modelSchema.entries).sort());
    expect(item.additionalProperties).toBe(false);
    expect(item.properties.apiKey).toBeUndefined();
    expect(item.properties.tokenizer.enum).toEqual([...TOKENIZER_FAMILIES]);
  });

  it('has every documented setting, and none holding a key', () => {
    const props = Object.keys(pkg.contributes.configuration.properties);
    for (const k of ['models', 'defaultModels', 'runs', 'warmup', 'concurrency', 'maxTokens', 'timeoutMs', 'referenceTokenizer', 'hover.enabled', 'hover.families', 'history.storePrompt']) expect(props).toContain(`tokenscope.${k}`);
    expect(props.some((p) => /key/i.test(p) && !/storePrompt/.test(p))).toBe(false);
  });

  it('has a sidebar webview view in its own activity-bar container', () => {
    expect(pkg.contributes.viewsContainers.activitybar[0].id).toBe('tokenscope');
    expect(pkg.contributes.views.tokenscope[0]).toMatchObject({ type: 'webview', id: 'tokenscope.leaderboard' });
  });
});

describe('.vscodeignore', () => {
  const lines = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  it('excludes everything but the runtime files', () => {
    expect(lines[0]).toBe('**');
    const included = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    expect(included.some((l) => /src|test|node_modules|\.map/.test(l))).toBe(false);
    expect(included).toEqual(expect.arrayContaining(['package.json', 'dist/extension.js', 'dist/countWorker.js', 'dist/benchmarkWorker.js', 'dist/tokenizers/*.js', 'dist/media/*.js']));
  });
});
