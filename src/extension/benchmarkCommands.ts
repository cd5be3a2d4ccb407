/**
 * The commands that start or stop a benchmark: of the selection, a file, with a cold or warm prompt cache, the
 * demo, and of local servers found now. Each reads the prompt from the editor and hands it to the controller.
 */
import * as vscode from 'vscode';
import { cacheModeChoices } from '../core/cache';
import { DEMO_PROMPT } from '../core/report/resultsView';
import type { BenchmarkController } from './benchmark';
import { Command, type HandlersOf } from './commandIds';
import { documentName, noEditor, promptEditor, selectionOrDocument } from './editorPrompt';
import type { Log } from './log';
import { findLocalModels, localProbes } from './models';
import { settings } from './settings';

/** Options the benchmark commands accept from other extensions and tests: `{ modelIds: string[] }`. */
function modelIdsArg(arg: unknown): string[] | undefined {
  if (
    arg &&
    typeof arg === 'object' &&
    !(arg instanceof vscode.Uri) &&
    Array.isArray((arg as { modelIds?: unknown }).modelIds)
  ) {
    return (arg as { modelIds: unknown[] }).modelIds.filter((x): x is string => typeof x === 'string');
  }
  return undefined;
}

/** Looks for local model servers now and offers to benchmark them. */
async function findLocalServers(benchmark: BenchmarkController, log: Log): Promise<void> {
  const found = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Tokenscope: looking for local model servers…' },
    () => findLocalModels(log),
  );
  if (!found.length) {
    const where = localProbes(log)
      .map((p) => `${p.name} (127.0.0.1:${p.port})`)
      .join(', ');
    const c = await vscode.window.showInformationMessage(
      `Tokenscope: no local model server answered. Looked for ${where}. Start one (e.g. \`ollama serve\`) and try again, or try the demo.`,
      'Try the Demo',
      'Configure Models',
    );
    if (c === 'Try the Demo') await vscode.commands.executeCommand(Command.startDemo);
    if (c === 'Configure Models') await vscode.commands.executeCommand(Command.configureModels);
    return;
  }
  const names = found.map((m) => m.label ?? m.id).join(', ');
  const c = await vscode.window.showInformationMessage(
    `Tokenscope: found ${names}. They are listed in the model picker.`,
    'Benchmark the Selection',
  );
  if (c === 'Benchmark the Selection') {
    const editor = promptEditor();
    if (!editor) return noEditor();
    const { text, what, source } = selectionOrDocument(editor);
    await benchmark.run({
      prompt: text,
      languageId: editor.document.languageId,
      modelIds: found.map((m) => m.id),
      what: `the ${what}`,
      source,
    });
  }
}

export function benchmarkCommands(
  benchmark: BenchmarkController,
  log: Log,
): HandlersOf<
  'benchmarkSelection' | 'benchmarkPromptCache' | 'benchmarkFile' | 'startDemo' | 'findLocalServers' | 'cancelBenchmark'
> {
  return {
    [Command.benchmarkSelection]: async (arg) => {
      const editor = promptEditor();
      if (!editor) return noEditor();
      const { text, what, source } = selectionOrDocument(editor);
      return benchmark.run({
        prompt: text,
        languageId: editor.document.languageId,
        modelIds: modelIdsArg(arg),
        what: `the ${what}`,
        source,
      });
    },
    [Command.benchmarkPromptCache]: async () => {
      const editor = promptEditor();
      if (!editor) return noEditor();
      const { text, what } = selectionOrDocument(editor);
      const items = cacheModeChoices(settings().cache).map((c) => ({ label: c.label, detail: c.detail, mode: c.mode }));
      const choice = await vscode.window.showQuickPick(items, {
        title: 'Tokenscope: prompt cache state',
        placeHolder: 'Benchmark with a cold cache, a warm cache, or both (default: the tokenscope.cache setting)',
      });
      if (!choice) return undefined;
      return benchmark.run({
        prompt: text,
        languageId: editor.document.languageId,
        what: `the ${what}`,
        cache: choice.mode,
      });
    },
    [Command.benchmarkFile]: async (arg) => {
      let doc: vscode.TextDocument | undefined;
      if (arg instanceof vscode.Uri) doc = await vscode.workspace.openTextDocument(arg);
      else doc = promptEditor()?.document;
      if (!doc) return noEditor();
      return benchmark.run({
        prompt: doc.getText(),
        languageId: doc.languageId,
        modelIds: modelIdsArg(arg),
        what: 'the file',
        source: documentName(doc),
      });
    },
    [Command.startDemo]: async () => {
      // The selection or open prompt when there is one, else a short built-in prompt.
      const editor = promptEditor();
      const picked = editor ? selectionOrDocument(editor) : undefined;
      const usable = picked && picked.text.trim() ? picked : undefined;
      return benchmark.run({
        prompt: usable?.text ?? DEMO_PROMPT,
        languageId: editor?.document.languageId,
        what: usable ? `the ${usable.what}` : 'the demo prompt',
        ...(usable ? { source: usable.source } : {}),
        demo: true,
      });
    },
    [Command.findLocalServers]: () => findLocalServers(benchmark, log),
    [Command.cancelBenchmark]: () => {
      if (!benchmark.cancel()) void vscode.window.showInformationMessage('Tokenscope: no benchmark is running.');
    },
  };
}
