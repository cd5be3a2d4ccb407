/**
 * The benchmark flow in the editor: pick models, make sure each has a key (or offer to set one), run the core's
 * runBenchmark under a cancellable progress notification, feed the results panel live, then keep the report
 * (workspaceState, for export and for restoring the panel) and append its runs to the history.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BenchmarkThread } from '../core/benchmarkThread';
import { keyEnvConcerns, keyEnvConcernText } from '../core/keyEnv';
import { UNTRUSTED_MODELS_NOTICE } from '../core/modelList';
import { modelsById, needsLocalProbe, newLocalModels } from '../core/modelSelection';
import { classifyTask } from '../core/advisor';
import { failureSummary } from '../core/report/failures';
import { LiveReport, promptFirstLine } from '../core/report/live';
import { benchmarkStartLine, progressLogLine } from '../core/report/logLines';
import { ProgressNotice } from '../core/report/progressNotice';
import { buildResultsView, type PromptInfo, type ResultsView } from '../core/report/resultsView';
import type { ProgressEvent } from '../core/types';
import { applySlo } from '../core/slo';
import { checkPromptText } from '../core/promptCheck';
import type { BenchmarkReport, CacheMode, ModelSpec } from '../core/types';
import type { HistoryService } from './history';
import type { Log } from './log';
import { findLocalModels, lastChoice, loadModels, pickModels, rememberChoice, reportModelErrors } from './models';
import type { ResultsPanel } from './resultsPanel';
import type { KeyStore } from './secrets';
import { settings, type EditorSettings } from './settings';
import { Command, RUNNING_CONTEXT } from './commandIds';

const LAST_REPORT = 'tokenscope.lastReport';
/** "ENV@host" pairs the user confirmed in confirmKeyVariables. */
const ALLOWED_KEY_ENVS = 'tokenscope.allowedKeyVariables';
const LAST_REPORT_DISPLAY = 'tokenscope.lastReportDisplay';
const LIVE_UPDATE_MS = 250;

export interface BenchmarkRequest {
  prompt: string;
  /** Language of the document the prompt came from (for the history's task category). */
  languageId?: string;
  /** Skip the quick pick and run these model ids. */
  modelIds?: string[];
  /** How messages name the prompt, e.g. "the selection" (default "the prompt"). */
  what?: string;
  /** Where the prompt came from, for the panel header, e.g. "notes.md (selection)". */
  source?: string;
  /** Run the demo: the built-in test server's models, simulated numbers, nothing saved. */
  demo?: boolean;
  /** Prompt-cache state; default the tokenscope.cache setting. */
  cache?: CacheMode;
}

interface Display {
  prompt: Pick<PromptInfo, 'source' | 'firstLine'>;
  demo: boolean;
}

export class BenchmarkController implements vscode.Disposable {
  private running: { controller: AbortController; live: LiveReport } | undefined;
  private report: BenchmarkReport | undefined;
  private display: Display = { prompt: {}, demo: false };
  private cancelledReport = false;
  /** Benchmarks run on a worker thread (dist/benchmarkWorker.js): the extension host's load never delays a read. */
  private readonly thread = new BenchmarkThread(path.join(__dirname, 'benchmarkWorker.js'));

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
    const display = workspaceState.get<Partial<Display>>(LAST_REPORT_DISPLAY);
    if (display && typeof display === 'object')
      this.display = {
        prompt: {
          ...(typeof display.prompt?.source === 'string' ? { source: display.prompt.source } : {}),
          ...(typeof display.prompt?.firstLine === 'string' ? { firstLine: display.prompt.firstLine } : {}),
        },
        demo: display.demo === true,
      };
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** The last finished (or cancelled) report of real measurements; never the demo's. */
  get lastReport(): BenchmarkReport | undefined {
    return this.running || this.display.demo ? undefined : this.report;
  }

  get lastWasDemo(): boolean {
    return !this.running && this.display.demo && this.report !== undefined;
  }

  /** What the results panel should show now. */
  currentView(): ResultsView | null {
    if (this.running) return this.running.live.view();
    return this.report ? buildResultsView(this.report, { cancelled: this.cancelledReport, ...this.display }) : null;
  }

  /** Drops the last report (after Clear History, so the panel does not show runs the history no longer has). */
  async forgetLast(): Promise<void> {
    if (this.running) return;
    this.report = undefined;
    this.display = { prompt: {}, demo: false };
    await this.workspaceState.update(LAST_REPORT, undefined);
    await this.workspaceState.update(LAST_REPORT_DISPLAY, undefined);
    this.panel().update(null);
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
      const choice = await vscode.window.showInformationMessage(
        'Tokenscope: a benchmark is already running.',
        'Cancel It',
        'Show Results',
      );
      if (choice === 'Cancel It') this.cancel();
      if (choice === 'Show Results') this.panel().show();
      return undefined;
    }
    const check = checkPromptText(request.prompt, 'benchmark', request.what ?? 'the prompt');
    if (!check.ok) {
      void vscode.window.showWarningMessage(
        `Tokenscope: ${check.message}${check.reason === 'empty' || check.reason === 'whitespace' ? ' Select some text or open a prompt file.' : ''}`,
      );
      return undefined;
    }
    const config = settings();
    if (config.slo.problem) {
      const open = await vscode.window.showErrorMessage(
        `Tokenscope: the setting tokenscope.slo is not valid: ${config.slo.problem}. Fix it (or clear it) and run again.`,
        'Open Settings',
      );
      if (open) void vscode.commands.executeCommand('workbench.action.openSettings', 'tokenscope.slo');
      return undefined;
    }
    if (request.demo) return this.runDemo(request, config);
    const { models: configured, errors, untrustedIgnored } = loadModels();
    for (const e of errors) this.log.error(e);
    void reportModelErrors(errors);
    if (untrustedIgnored) {
      this.log.info(UNTRUSTED_MODELS_NOTICE);
      void vscode.window.showWarningMessage(`Tokenscope: ${UNTRUSTED_MODELS_NOTICE}`);
    }
    // Local servers found on this machine join the list (as the CLI does), unless configured already; probed only
    // when the picker opens or an id is not configured (a discovered id).
    const local = needsLocalProbe(request.modelIds, configured)
      ? newLocalModels(await findLocalModels(this.log), configured)
      : [];
    const all = [...configured, ...local];

    let chosen: ModelSpec[] | undefined;
    if (request.modelIds?.length) {
      const asked = modelsById(request.modelIds, all);
      if ('unknown' in asked) {
        void vscode.window.showErrorMessage(
          `Tokenscope: unknown model id(s): ${asked.unknown.join(', ')}: not built in, not in tokenscope.models and no local server with that id answered. Check the id, or add the model with Tokenscope: Configure Models.`,
        );
        return undefined;
      }
      chosen = asked.models;
    } else {
      const last = lastChoice(this.globalState);
      chosen = await pickModels(all, last.length ? last : config.defaultModels, this.keys);
    }
    if (!chosen) return undefined;
    if (!chosen.length) {
      void vscode.window
        .showInformationMessage(
          'Tokenscope: no model was ticked, so nothing ran. Tick models with Space (or click their boxes), then press Enter. With no key and no local server, try the demo.',
          'Try the Demo',
          'Set API Key',
        )
        .then((c) => {
          if (c === 'Try the Demo') void vscode.commands.executeCommand(Command.startDemo);
          if (c === 'Set API Key') void vscode.commands.executeCommand(Command.setApiKey);
        });
      return undefined;
    }
    await rememberChoice(
      this.globalState,
      chosen.map((m) => m.id),
    );

    const confirmed = await this.confirmKeyVariables(chosen);
    if (!confirmed.length) return undefined;
    const models = await this.ensureKeys(confirmed);
    if (!models?.length) return undefined;
    return this.execute(models, request, config);
  }

  /**
   * A model whose key variable does not look like its API key (AWS_SECRET_ACCESS_KEY, another provider's key
   * sent to a different host) runs only after the user says so, once per variable and host; else it is left out.
   */
  private async confirmKeyVariables(models: ModelSpec[]): Promise<ModelSpec[]> {
    const allowed = this.globalState.get<string[]>(ALLOWED_KEY_ENVS) ?? [];
    const skipped = new Set<ModelSpec>();
    for (const concern of keyEnvConcerns(models, allowed)) {
      const pair = `${concern.env}@${concern.host}`;
      if (allowed.includes(pair)) continue;
      const choice = await vscode.window.showWarningMessage(
        `Tokenscope: ${keyEnvConcernText(concern)}. Send it anyway?`,
        {
          modal: true,
          detail:
            'Check "apiKeyEnv" and "baseUrl" of this model in the tokenscope.models setting. Your answer is remembered for this variable and host.',
        },
        'Send It',
      );
      if (choice === 'Send It') {
        allowed.push(pair);
        await this.globalState.update(ALLOWED_KEY_ENVS, allowed);
      } else {
        skipped.add(concern.spec);
        this.log.info(`benchmark: ${concern.spec.id} left out: ${keyEnvConcernText(concern)}`);
      }
    }
    return models.filter((m) => !skipped.has(m));
  }

  /**
   * Asks, in a modal that waits for an answer, about models without a key: Set Key, Skip, or Cancel (the modal's own
   * button, also Escape). Returns the models that can run; undefined when the user cancelled or nothing is left.
   */
  private async ensureKeys(models: ModelSpec[]): Promise<ModelSpec[] | undefined> {
    let missing = await this.keys.missing(models);
    if (!missing.length) return models;
    const envs = [...new Set(missing.map((m) => m.apiKeyEnv!))];
    const who = missing.map((m) => m.label ?? m.id).join(', ');
    const others = models.length - missing.length;
    const skip = missing.length === 1 ? 'Skip This Model' : 'Skip These Models';
    const choice = await vscode.window.showWarningMessage(
      `No API key for ${who}`,
      {
        modal: true,
        detail: `${envs.join(', ')} ${envs.length === 1 ? 'is' : 'are'} not set in VS Code's secret storage or the environment. Set Key stores it in the secret storage (never in settings). ${skip} runs ${others ? `the other ${others} model${others === 1 ? '' : 's'}` : 'nothing'}; Cancel stops the benchmark.`,
      },
      'Set Key',
      skip,
    );
    if (!choice) return undefined;
    if (choice === 'Set Key') {
      for (const env of envs) if (!(await this.setApiKey(env))) break;
      missing = await this.keys.missing(models);
      if (missing.length)
        void vscode.window.showWarningMessage(
          `Tokenscope: still no key for ${missing.map((m) => m.id).join(', ')}; ${missing.length === models.length ? 'nothing ran' : 'skipped it'}. Run Tokenscope: Set API Key to add it.`,
        );
    }
    const runnable = models.filter((m) => !missing.includes(m));
    if (!runnable.length && choice !== 'Set Key')
      void vscode.window.showInformationMessage('Tokenscope: every picked model was skipped, so nothing ran.');
    return runnable.length ? runnable : undefined;
  }

  /** The demo: the built-in test server in this process, its three models, labelled simulated, never saved. */
  private async runDemo(request: BenchmarkRequest, config: EditorSettings): Promise<BenchmarkReport | undefined> {
    // Loaded on first use: activation stays free of the test server's code.
    const { startDemoServer, DEMO_MODEL_IDS } = await import('../core/demo');
    const server = await startDemoServer();
    this.log.info(
      `demo: built-in test server on ${server.url} (${DEMO_MODEL_IDS.join(', ')}); numbers are simulated and not saved`,
    );
    try {
      return await this.execute(
        server.models,
        { ...request, source: request.source ?? 'built-in demo prompt' },
        config,
      );
    } finally {
      await server.close();
    }
  }

  private async execute(
    models: ModelSpec[],
    request: BenchmarkRequest,
    config: EditorSettings,
  ): Promise<BenchmarkReport | undefined> {
    const controller = new AbortController();
    const runSettings = {
      runs: config.runs,
      warmup: config.warmup,
      concurrency: config.concurrency,
      maxTokens: config.maxTokens,
      timeoutMs: config.timeoutMs,
    };
    const sweep = config.inputTokens.length ? config.inputTokens : undefined;
    const cache = sweep ? 'cold' : (request.cache ?? config.cache);
    if (sweep && request.cache && request.cache !== 'cold')
      void vscode.window.showInformationMessage(
        `Tokenscope: the prompt-length sweep (tokenscope.inputTokens) runs cold prompts only, so the ${request.cache} cache choice is not used. Clear tokenscope.inputTokens to measure the cache.`,
      );
    const ttft = {
      cache,
      ...(sweep ? { inputTokens: sweep } : {}),
      ...(config.location ? { location: config.location } : {}),
    };
    const display: Display = {
      prompt: { ...(request.source ? { source: request.source } : {}), firstLine: promptFirstLine(request.prompt) },
      demo: request.demo === true,
    };
    const live = new LiveReport(models, request.prompt, { ...runSettings, ...ttft }, new Date(), display);
    this.running = { controller, live };
    this.cancelledReport = false;
    await vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, true);
    const panel = this.panel();
    panel.show(true);
    panel.update(live.view());
    this.log.info(benchmarkStartLine(models, runSettings, request.prompt.length));

    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      if (this.running?.live === live) panel.update(live.view());
    };
    const notice = new ProgressNotice({
      models: models.length,
      runs: runSettings.runs,
      warmup: runSettings.warmup,
      cache,
      ...(sweep ? { sweepSizes: sweep.length } : {}),
      demo: request.demo === true,
    });

    let report: BenchmarkReport | undefined;
    try {
      report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Tokenscope', cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => this.cancel());
          const onProgress = (e: ProgressEvent) => {
            live.apply(e);
            this.logEvent(e);
            const step = notice.apply(e);
            if (step) progress.report(step);
            timer ??= setTimeout(flush, LIVE_UPDATE_MS);
          };
          return this.thread.run({
            models,
            prompt: request.prompt,
            ...runSettings,
            ...ttft,
            signal: controller.signal,
            onProgress,
            resolveApiKey: this.keys.resolve,
          });
        },
      );
    } catch (e) {
      this.log.error(`benchmark failed: ${(e as Error).stack ?? (e as Error).message}`);
      void vscode.window.showErrorMessage(`Tokenscope: the benchmark failed: ${(e as Error).message}`);
      live.stop(controller.signal.aborted);
    } finally {
      if (timer) clearTimeout(timer);
      this.running = undefined;
      await vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
    }
    const cancelled = controller.signal.aborted;
    const final = applySlo(report ?? live.current, config.slo.targets);
    this.report = final;
    this.display = display;
    this.cancelledReport = cancelled;
    await this.workspaceState.update(LAST_REPORT, final);
    await this.workspaceState.update(LAST_REPORT_DISPLAY, display);
    panel.update(buildResultsView(final, { cancelled, ...display }));
    // A benchmark that broke off still keeps the runs that finished (recordsFromReport skips cancelled ones);
    // demo numbers are simulated and never mixed into the history of measured runs.
    if (!request.demo) await this.saveHistory(final, request);
    this.summarize(final, cancelled, request.demo === true);
    return report;
  }

  private async saveHistory(report: BenchmarkReport, request: BenchmarkRequest): Promise<void> {
    const config = settings();
    const category = classifyTask(request.prompt, { languageId: request.languageId }).category;
    if (!report.results.some((r) => r.okRuns + r.failedRuns > 0)) return;
    try {
      const n = await this.history.save(report, category, request.prompt, config.history.storePrompt);
      this.log.info(
        `history: saved ${n} run(s) as "${category}" to ${this.history.path}${config.history.storePrompt ? ' (with the prompt text)' : ''}`,
      );
    } catch (e) {
      this.log.error(`history: could not save to ${this.history.path}: ${(e as Error).message}`);
      void vscode.window.showWarningMessage(
        `Tokenscope: results could not be saved to the history: ${(e as Error).message}`,
      );
    }
  }

  private summarize(report: BenchmarkReport, cancelled: boolean, demo: boolean): void {
    const view = buildResultsView(report, { cancelled });
    const { done, total } = view.progress;
    const prefix = demo ? 'Tokenscope demo (simulated): ' : 'Tokenscope: ';
    const failures = failureSummary(report);
    if (cancelled) {
      void vscode.window.showInformationMessage(
        `${prefix}cancelled after ${done} of ${total} measured runs; ${done ? 'the finished runs are in the panel' : 'no run had finished'}.${failures ? ` ${failures}` : ''}`,
      );
      return;
    }
    if (!failures) {
      if (demo)
        void vscode.window
          .showInformationMessage(
            `${prefix}${done} of ${total} measured runs done. These numbers are simulated and were not saved; set a key or start a local server to measure real models.`,
            'Set API Key',
          )
          .then((c) => c && void vscode.commands.executeCommand(Command.setApiKey));
      return;
    }
    const auth = report.results.find((r) => r.runs.some((x) => !x.warmup && x.errorKind === 'auth'));
    void vscode.window
      .showWarningMessage(`${prefix}${failures}`, auth ? 'Set API Key' : 'Show Results')
      .then((choice) => {
        if (choice === 'Show Results') this.panel().show();
        if (choice === 'Set API Key') void vscode.commands.executeCommand(Command.setApiKey, auth!.id);
      });
  }

  private logEvent(e: ProgressEvent): void {
    const line = progressLogLine(e);
    if (line) this.log[line.level](line.message);
  }

  dispose(): void {
    this.running?.controller.abort();
    this.thread.dispose();
  }
}
