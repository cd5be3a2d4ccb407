/**
 * The layer rules bite: eslint (eslint.config.mjs) reports a forbidden import or global in each layer, and
 * dependency-cruiser (.dependency-cruiser.cjs) reports an import cycle and the same layer crossings in a small tree.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

describe('eslint layer rules', () => {
  const eslint = new ESLint({ cwd: ROOT });
  /** The rule ids reported for `code` as if it were the file at `path` (relative to the repository root). */
  async function ruleIds(path: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
    return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
  }
  const importOf = (specifier: string) => `import * as m from '${specifier}';\nexport const x = m;\n`;

  it.each([
    ['src/core/probe.ts', 'vscode'],
    ['src/core/probe.ts', '../extension/log'],
    ['src/core/report/probe.ts', '../../cli/io'],
    ['src/cli/probe.ts', 'vscode'],
    ['src/shared/probe.ts', '../../media/src/lib/dom'],
    ['media/src/probe.ts', 'node:fs'],
    ['media/src/lib/probe.ts', 'path'],
    ['media/src/probe.ts', 'vscode'],
    ['media/src/probe.ts', '../../src/extension/html'],
  ])('%s importing %s is reported', async (path, specifier) => {
    expect(await ruleIds(path, importOf(specifier))).toEqual(['no-restricted-imports']);
  });

  it('reports a Node global in webview code', async () => {
    expect(await ruleIds('media/src/probe.ts', 'export const home = process.env.HOME;\n')).toEqual([
      'no-restricted-globals',
    ]);
  });

  it.each([
    ['src/extension/probe.ts', 'vscode'],
    ['src/extension/probe.ts', 'node:fs/promises'],
    ['src/cli/probe.ts', '../core/redact'],
    ['media/src/probe.ts', '../../src/shared/webviewProtocol'],
    // A local module named like a Node builtin is not a builtin.
    ['media/src/probe.ts', './lib/util'],
    ['src/core/probe.ts', 'node:crypto'],
  ])('%s importing %s is allowed', async (path, specifier) => {
    expect(await ruleIds(path, importOf(specifier))).toEqual([]);
  });
});

describe('dependency-cruiser rules', () => {
  let dir: string;
  let violations: { rule: string; from: string; to: string }[];

  beforeAll(async () => {
    // A small tree laid out like the repository, cruised with the repository's own rules.
    dir = mkdtempSync(join(tmpdir(), 'tokenscope-layers-'));
    const files: Record<string, string> = {
      'src/core/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'src/core/b.ts': "import type { A } from './c';\nexport const b: A = 1;\n",
      'src/core/c.ts': "import { a } from './a';\nexport type A = number;\nexport const c = a;\n",
      'src/core/usesCli.ts': "import { io } from '../cli/io';\nexport const u = io;\n",
      'src/core/usesVscode.ts': "import * as vscode from 'vscode';\nexport const w = vscode.window;\n",
      'src/cli/io.ts': 'export const io = 1;\n',
      'src/cli/usesExtension.ts': "import { e } from '../extension/panel';\nexport const u = e;\n",
      'src/extension/panel.ts':
        "import * as vscode from 'vscode';\nimport { io } from '../cli/io';\nexport const e = [vscode, io];\n",
      'media/src/view.ts':
        "import { readFileSync } from 'node:fs';\nimport { e } from '../../src/extension/panel';\nexport const v = [readFileSync, e];\n",
      'media/src/fine.ts': "import { io } from '../../src/cli/io';\nexport const f = io;\n",
      // Stands in for the editor-provided module, which resolves to its types.
      'node_modules/@types/vscode/package.json':
        '{ "name": "@types/vscode", "version": "0.0.0", "types": "index.d.ts" }\n',
      'node_modules/@types/vscode/index.d.ts': "declare module 'vscode' { export const window: unknown; }\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const bin = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
    const args = [bin, '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json', 'src', 'media/src'];
    // depcruise exits non-zero when it finds errors; the JSON report is on stdout either way.
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: dir, maxBuffer: 16 << 20 }).catch(
      (e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }),
    );
    const report = JSON.parse(stdout) as {
      summary: { violations: { rule: { name: string }; from: string; to: string }[] };
    };
    violations = report.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
  }, 30_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const broken = (rule: string) => violations.filter((v) => v.rule === rule).map((v) => `${v.from} -> ${v.to}`);

  it('reports a cycle, type-only imports included', () => {
    expect(broken('no-circular').length).toBeGreaterThan(0);
    for (const edge of broken('no-circular')) expect(edge).toMatch(/^src\/core\/[abc]\.ts -> src\/core\/[abc]\.ts$/);
  });

  it('reports each layer crossing, and nothing allowed', () => {
    expect(broken('core-not-to-cli')).toEqual(['src/core/usesCli.ts -> src/cli/io.ts']);
    expect(broken('core-not-to-editor').sort()).toEqual([
      'src/cli/usesExtension.ts -> src/extension/panel.ts',
      'src/core/usesVscode.ts -> node_modules/@types/vscode/index.d.ts',
    ]);
    expect(broken('webview-not-to-editor')).toEqual(['media/src/view.ts -> src/extension/panel.ts']);
    expect(broken('webview-not-to-node-builtins')).toEqual(['media/src/view.ts -> fs']);
    const rules = new Set(violations.map((v) => v.rule));
    expect([...rules].sort()).toEqual([
      'core-not-to-cli',
      'core-not-to-editor',
      'no-circular',
      'webview-not-to-editor',
      'webview-not-to-node-builtins',
    ]);
    expect(violations.some((v) => v.from === 'media/src/fine.ts' || v.from === 'src/extension/panel.ts')).toBe(false);
  });
});

describe('layer tsconfigs', () => {
  /** Diagnostics of a probe file compiled with the options of the repository's tsconfig `config`. */
  function diagnostics(config: string, code: string): string[] {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, config),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(`${config}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
        },
      },
    )!;
    const dir = mkdtempSync(join(tmpdir(), 'tokenscope-tsprobe-'));
    try {
      const probe = join(dir, 'probe.ts');
      writeFileSync(probe, code);
      const program = ts.createProgram([probe], parsed.options);
      return ts
        .getPreEmitDiagnostics(program, program.getSourceFile(probe))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const browserCode = 'export const title: string = document.title;\nexport const w = window.innerWidth;\n';
  const nodeCode = "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n";

  it.each(['tsconfig.core.json', 'tsconfig.extension.json'])(
    '%s has no DOM: document and window are unknown',
    (config) => {
      const found = diagnostics(config, browserCode);
      expect(found.some((m) => m.includes("Cannot find name 'document'"))).toBe(true);
      expect(found.some((m) => m.includes("Cannot find name 'window'"))).toBe(true);
      expect(diagnostics(config, nodeCode)).toEqual([]);
    },
    30_000,
  );

  it('tsconfig.webviews.json has the DOM and no Node: process and Buffer are unknown', () => {
    expect(diagnostics('tsconfig.webviews.json', browserCode)).toEqual([]);
    const found = diagnostics(
      'tsconfig.webviews.json',
      'export const a = process.pid;\nexport const b = Buffer.from("x");\n',
    );
    expect(found.some((m) => m.includes("Cannot find name 'process'"))).toBe(true);
    expect(found.some((m) => m.includes("Cannot find name 'Buffer'"))).toBe(true);
  }, 30_000);
});
