/**
 * The benchmark flow in the editor: pick models, make sure each has a key (or offer to set one), run the core's
 * runBenchmark under a cancellable progress notification, feed the results panel live, then keep the report
 * (workspaceState, for export and for restoring the panel) and append its runs to the history.
 */
import * as vscode from 'vscode';
import { readEditorSettings } from '../core/editorSettings';
import { classifyTask } from '../core/advisor';
import { LiveReport } from '../core/report/live';
import { benchmarkStartLine, progressLogLine } from '../core/report/logLines';
import { buildResultsView, type ResultsView } from '../core/report/resultsView';
import { runBenchmark, type ProgressEvent } from '../core/runner';
import { checkPromptText } from '../core/text';
import type { BenchmarkReport, CacheMode, ModelSpec } from '../core/types';
import type { HistoryService } from './history';
import type { Log } from './log';
import { lastChoice, loadModels, pickModels, rememberChoice, reportModelErrors } from './models';
import type { ResultsPanel } from './resultsPanel';
import type { KeyStore } from './secrets';

const LAST_REPORT = 'tokenscope.lastReport';
const LIVE_UPDATE_MS = 250;

export interface BenchmarkRequest {
  prompt: string;
  /** Language of the document the prompt came from (for the history's task category). */
  languageId?: string;
  /** Skip the quick pick and run these model ids. */
  modelIds?: string[];
  /** How messages name the prompt, e.g. "the selection" (default "the prompt"). */
  what?: string;
  /** Prompt-cache state; default the tokenscope.cache setting. */
  cache?: CacheMode;
}

export function settings() {
  const config = vscode.workspace.getConfiguration('tokenscope');
  return readEditorSettings((key) => config.get(key));
}

export class BenchmarkController implements vscode.Disposable {
  private running: { controller: AbortController; live: LiveReport } | undefined;
  private report: BenchmarkReport | undefined;
  private cancelledReport = false;

  constructor(
    private readonly workspaceState: vscode.Memento,
    private readonly globalState: vscode.Memento,
    private readonly keys: KeyStore,
    private readonly history: HistoryService,
    private readonly panel: () => ResultsPanel,
    private readonly log: Log,
    private readonly setApiKey: (envName: string) => Promise<boolean>,
  ) {
    const saved = workspaceState.get<BenchmarkReport>(LAST_REPORT);
    if (saved && typeof saved === 'object' && Array.isArray(saved.results)) this.report = saved;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  get lastReport(): BenchmarkReport | undefined {
    return this.running ? undefined : this.report;
  }

  /** What the results panel should show now. */
  currentView(): ResultsView | null {
    if (this.running) return this.running.live.view();
    return this.report ? buildResultsView(this.report, { cancelled: this.cancelledReport }) : null;
  }

  cancel(): boolean {
    if (!this.running) return false;
    this.log.info('benchmark: cancelled by the user');
    this.running.live.markCancelled();
    this.running.controller.abort();
    return true;
  }

  async run(request: BenchmarkRequest): Promise<BenchmarkReport | undefined> {
    if (this.running) {
      const choice = await vscode.window.showInformationMessage('Tokenscope: a benchmark is already running.', 'Cancel It', 'Show Results');
      if (choice === 'Cancel It') this.cancel();
      if (choice === 'Show Results') this.panel().show();
      return undefined;
    }
    const check = checkPromptText(request.prompt, 'benchmark', request.what ?? 'the prompt');
    if (!check.ok) {
      void vscode.window.showWarningMessage(`Tokenscope: ${check.message}${check.reason === 'empty' || check.reason === 'whitespace' ? ' Select some text or open a prompt file.' : ''}`);
      return undefined;
    }
    const { models: all, errors } = loadModels();
    for (const e of errors) this.log.error(e);
    void reportModelErrors(errors);
    const config = settings();

    let chosen: ModelSpec[] | undefined;
    if (request.modelIds?.length) {
      const unknown = request.modelIds.filter((id) => !all.some((m) => m.id === id));
      if (unknown.length) {
        void vscode.window.showErrorMessage(`Tokenscope: unknown model id(s): ${unknown.join(', ')}.`);
        return undefined;
      }
      chosen = request.modelIds.map((id) => all.find((m) => m.id === id)!);
    } else {
      const last = lastChoice(this.globalState);
      chosen = await pickModels(all, last.length ? last : config.defaultModels, this.keys);
    }
    if (!chosen?.length) return undefined;
    await rememberChoice(this.globalState, chosen.map((m) => m.id));

    const models = await this.ensureKeys(chosen);
    if (!models?.length) return undefined;
    return this.execute(models, request, config);
  }

  /** Offers "Set API Key" for models without a key; returns the models that can run (undefined: abandoned). */
  private async ensureKeys(models: ModelSpec[]): Promise<ModelSpec[] | undefined> {
    let missing = await this.keys.missing(models);
    if (!missing.length) return models;
    const envs = [...new Set(missing.map((m) => m.apiKeyEnv!))];
    const who = missing.map((m) => m.id).join(', ');
    const others = models.length - missing.length;
    const actions = ['Set API Key', ...(others > 0 ? [`Run the other ${others}`] : [])];
    const choice = await vscode.window.showWarningMessage(
      `Tokenscope: no API key for ${who} (${envs.join(', ')} not set). Set the key, stored in VS Code's secret storage, or skip ${missing.length === 1 ? 'this model' : 'these models'}.`,
      ...actions,
    );
    if (!choice) return undefined;
    if (choice === 'Set API Key') {
      for (const env of envs) if (!(await this.setApiKey(env))) break;
      missing = await this.keys.missing(models);
      if (missing.length) void vscode.window.showWarningMessage(`Tokenscope: still no key for ${missing.map((m) => m.id).join(', ')}; skipping.`);
    }
    return models.filter((m) => !missing.includes(m));
  }

  private async execute(models: ModelSpec[], request: BenchmarkRequest, config: ReturnType<typeof settings>): Promise<BenchmarkReport | undefined> {
    const controller = new AbortController();
    const runSettings = { runs: config.runs, warmup: config.warmup, concurrency: config.concurrency, maxTokens: config.maxTokens, timeoutMs: config.timeoutMs };
    const sweep = config.inputTokens.length ? config.inputTokens : undefined;
    const cache = sweep ? 'cold' : (request.cache ?? config.cache);
    if (sweep && request.cache && request.cache !== 'cold')
      void vscode.window.showInformationMessage(`Tokenscope: the prompt-length sweep (tokenscope.inputTokens) runs cold prompts only, so the ${request.cache} cache choice is not used. Clear tokenscope.inputTokens to measure the cache.`);
    const ttft = { cache, ...(sweep ? { inputTokens: sweep } : {}), ...(config.location ? { location: config.location } : {}) };
    const live = new LiveReport(models, request.prompt, { ...runSettings, ...ttft });
    this.running = { controller, live };
    this.cancelledReport = false;
    await vscode.commands.executeCommand('setContext', 'tokenscope.running', true);
    const panel = this.panel();
    panel.show(true);
    panel.update(live.view());
    this.log.info(benchmarkStartLine(models, runSettings, request.prompt.length));

    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      if (this.running?.live === live) panel.update(live.view());
    };
    const perModel = new Map(models.map((m) => [m.id, 0]));
    // Per model: warm-up, each cache state's (or sweep size's) runs, and one priming request for a warm cache.
    const planned = runSettings.warmup + runSettings.runs * (cache === 'both' ? 2 : 1) * (sweep?.length ?? 1) + (cache === 'cold' ? 0 : 1);

    let report: BenchmarkReport | undefined;
    try {
      report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Tokenscope', cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => this.cancel());
          let total = models.length * planned;
          const onProgress = (e: ProgressEvent) => {
            live.apply(e);
            this.logEvent(e);
            if (e.type === 'start') total = e.totalRuns;
            if (e.type === 'run-end') {
              perModel.set(e.modelId, (perModel.get(e.modelId) ?? 0) + 1);
              const line = [...perModel].map(([id, n]) => `${id} ${n}/${planned}`).join(' · ');
              progress.report({ increment: 100 / Math.max(1, total), message: line });
            } else if (e.type === 'start') progress.report({ message: `starting ${models.length} model(s)…` });
            timer ??= setTimeout(flush, LIVE_UPDATE_MS);
          };
          return runBenchmark({ models, prompt: request.prompt, ...runSettings, ...ttft, signal: controller.signal, onProgress, resolveApiKey: this.keys.resolve });
        },
      );
    } catch (e) {
      this.log.error(`benchmark failed: ${(e as Error).stack ?? (e as Error).message}`);
      void vscode.window.showErrorMessage(`Tokenscope: the benchmark failed: ${(e as Error).message}`);
      live.stop(controller.signal.aborted);
    } finally {
      if (timer) clearTimeout(timer);
      this.running = undefined;
      await vscode.commands.executeCommand('setContext', 'tokenscope.running', false);
    }
    const cancelled = controller.signal.aborted;
    const final = report ?? live.current;
    this.report = final;
    this.cancelledReport = cancelled;
    await this.workspaceState.update(LAST_REPORT, final);
    panel.update(buildResultsView(final, { cancelled }));
    if (report) await this.saveHistory(report, request);
    this.summarize(final, cancelled);
    return report;
  }

  private async saveHistory(report: BenchmarkReport, request: BenchmarkRequest): Promise<void> {
    const config = settings();
    const category = classifyTask(request.prompt, { languageId: request.languageId }).category;
    try {
      const n = await this.history.save(report, category, request.prompt, config.history.storePrompt);
      this.log.info(`history: saved ${n} run(s) as "${category}" to ${this.history.path}${config.history.storePrompt ? ' (with the prompt text)' : ''}`);
    } catch (e) {
      this.log.error(`history: could not save to ${this.history.path}: ${(e as Error).message}`);
      void vscode.window.showWarningMessage(`Tokenscope: results could not be saved to the history: ${(e as Error).message}`);
    }
  }

  private summarize(report: BenchmarkReport, cancelled: boolean): void {
    const failed = report.results.flatMap((r) => r.runs.filter((x) => !x.ok && x.errorKind !== 'cancelled').map((x) => ({ id: r.id, kind: x.errorKind, error: x.error })));
    if (cancelled) {
      void vscode.window.showInformationMessage('Tokenscope: benchmark cancelled; partial results are in the panel.');
      return;
    }
    if (!failed.length) return;
    const authIds = [...new Set(failed.filter((f) => f.kind === 'auth').map((f) => f.id))];
    const actions = authIds.length ? ['Set API Key', 'Show Log'] : ['Show Log'];
    void vscode.window.showWarningMessage(`Tokenscope: ${failed.length} run(s) failed — ${failed[0].error ?? failed[0].kind}`, ...actions).then((choice) => {
      if (choice === 'Show Log') this.log.show();
      if (choice === 'Set API Key') void vscode.commands.executeCommand('tokenscope.setApiKey', authIds[0]);
    });
  }

  private logEvent(e: ProgressEvent): void {
    const line = progressLogLine(e);
    if (line) this.log[line.level](line.message);
  }

  dispose(): void {
    this.running?.controller.abort();
  }
}
