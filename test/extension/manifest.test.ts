import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelSchema } from '../../src/core/config';
import { CODE_LANGUAGES, PROSE_LANGUAGES } from '../../src/core/promptLiterals';
import { TOKENIZER_FAMILIES } from '../../src/core/types';
import { combineHandlers, Command, RUNNING_CONTEXT, VIEW_CONTAINER_ID, ViewId } from '../../src/extension/commandIds';

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
    for (const c of pkg.contributes.commands) expect(c.category, c.command).toBe('Tokenscope');
    const context = pkg.contributes.menus['editor/context'].map((m: { command: string }) => m.command);
    expect(context).toEqual(expect.arrayContaining([Command.benchmarkSelection, Command.compareTokenizers]));
  });
});

describe('package.json commands and the command-id module', () => {
  const ids: string[] = Object.values(Command);
  const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

  it('contributes exactly the commands of the module, each once', () => {
    const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
    expect(contributed.length).toBe(new Set(contributed).size);
    expect(sorted(contributed)).toEqual(sorted(ids));
    expect(ids.length).toBe(new Set(ids).size);
    for (const [name, id] of Object.entries(Command)) expect(id).toBe(`tokenscope.${name}`);
  });

  it('menus and keybindings name only commands of the module', () => {
    const menus: Record<string, { command: string; when?: string }[]> = pkg.contributes.menus ?? {};
    const keybindings: { command: string }[] = pkg.contributes.keybindings ?? [];
    const referenced = [
      ...Object.values(menus)
        .flat()
        .map((m) => m.command),
      ...keybindings.map((k) => k.command),
    ];
    expect(referenced.length).toBeGreaterThan(0);
    for (const id of referenced)
      expect(ids, `${id} is in package.json but not in src/extension/commandIds.ts`).toContain(id);
  });

  it('walkthrough links and completion events run commands of the module', () => {
    const steps: { description: string; completionEvents?: string[] }[] = pkg.contributes.walkthroughs.flatMap(
      (w: { steps: unknown[] }) => w.steps,
    );
    const linked = steps.flatMap((s) => [...s.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]));
    const events = steps
      .flatMap((s) => s.completionEvents ?? [])
      .filter((e) => e.startsWith('onCommand:'))
      .map((e) => e.slice('onCommand:'.length));
    expect(linked.length).toBeGreaterThan(0);
    for (const id of [...linked, ...events]) expect(ids).toContain(id);
  });

  it('enables Cancel Benchmark on the context key the extension sets while a benchmark runs', () => {
    const cancel = pkg.contributes.commands.find((c: { command: string }) => c.command === Command.cancelBenchmark);
    expect(cancel.enablement).toBe(RUNNING_CONTEXT);
    expect(pkg.contributes.menus.commandPalette).toContainEqual({
      command: Command.cancelBenchmark,
      when: RUNNING_CONTEXT,
    });
  });
});

describe('package.json settings and views', () => {
  it('describes tokenscope.models with the same fields as the config schema', () => {
    const item = pkg.contributes.configuration.properties['tokenscope.models'].items;
    expect(Object.keys(item.properties).sort()).toEqual(Object.keys(modelSchema.entries).sort());
    expect(item.additionalProperties).toBe(false);
    expect(item.properties.apiKey).toBeUndefined();
    expect(item.properties.tokenizer.enum).toEqual([...TOKENIZER_FAMILIES]);
  });

  it('has every documented setting, and none holding a key', () => {
    const props = Object.keys(pkg.contributes.configuration.properties);
    for (const k of [
      'models',
      'defaultModels',
      'runs',
      'warmup',
      'concurrency',
      'maxTokens',
      'timeoutMs',
      'referenceTokenizer',
      'hover.enabled',
      'hover.families',
      'history.storePrompt',
    ])
      expect(props).toContain(`tokenscope.${k}`);
    expect(props.some((p) => /key/i.test(p) && !/storePrompt/.test(p))).toBe(false);
  });

  it('has a sidebar webview view in its own activity-bar container', () => {
    expect(pkg.contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id)).toEqual([VIEW_CONTAINER_ID]);
    expect(Object.keys(pkg.contributes.views)).toEqual([VIEW_CONTAINER_ID]);
    expect(pkg.contributes.views[VIEW_CONTAINER_ID]).toEqual([
      expect.objectContaining({ type: 'webview', id: ViewId.leaderboard }),
    ]);
    expect(pkg.activationEvents).toContain(`onWebviewPanel:${ViewId.results}`);
  });
});

describe('.vscodeignore', () => {
  const lines = readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  it('excludes everything but the runtime files', () => {
    expect(lines[0]).toBe('**');
    const included = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    expect(included.some((l) => /src|test|node_modules|\.map/.test(l))).toBe(false);
    expect(included).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/extension.js',
        'dist/countWorker.js',
        'dist/benchmarkWorker.js',
        'dist/tokenizers/*.js',
        'dist/media/*.js',
      ]),
    );
  });
});

describe('combineHandlers', () => {
  it('merges the feature modules’ handlers and refuses an id handled twice, naming it', () => {
    const a = () => 'a';
    const b = () => 'b';
    const all = combineHandlers({ [Command.startDemo]: a }, { [Command.setApiKey]: b });
    expect(Object.keys(all).sort()).toEqual([Command.setApiKey, Command.startDemo].sort());
    expect(() => combineHandlers({ [Command.startDemo]: a }, { [Command.startDemo]: b })).toThrow(
      `command ${Command.startDemo} has two handlers`,
    );
  });
});
