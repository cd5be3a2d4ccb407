/**
 * The editor's progress notification during a benchmark: measured runs done of the planned total, warm-ups said
 * apart, and the bar's increment per finished run. The same counts as the results panel. Pure: no `vscode`.
 */
import type { ProgressEvent } from '../types';
import type { CacheMode } from '../types';

export interface ProgressPlan {
  models: number;
  runs: number;
  warmup: number;
  cache: CacheMode;
  /** Prompt sizes of a prompt-length sweep (each runs `runs` times); absent: one prompt. */
  sweepSizes?: number;
  /** Demo: every message says the numbers are simulated. */
  demo: boolean;
}

export interface ProgressStep {
  message: string;
  /** Percent of the bar this event fills. */
  increment?: number;
}

export class ProgressNotice {
  /** Per model: each cache state's (or sweep size's) runs. */
  readonly measuredTotal: number;
  /** Warm-ups (and a priming request for a warm cache): what the runner plans beyond the measured runs, known from its start event. */
  private warmups: number;
  private total: number;
  private measuredDone = 0;
  private warmupDone = 0;

  constructor(private readonly plan: ProgressPlan) {
    this.measuredTotal = plan.models * plan.runs * (plan.cache === 'both' ? 2 : 1) * (plan.sweepSizes ?? 1);
    this.warmups = plan.models * plan.warmup;
    this.total = this.measuredTotal + this.warmups;
  }

  /** The notification after an event; undefined when it does not change. */
  apply(e: ProgressEvent): ProgressStep | undefined {
    const prefix = this.plan.demo ? 'demo (simulated): ' : '';
    if (e.type === 'start') {
      this.total = e.totalRuns;
      this.warmups = Math.max(0, e.totalRuns - this.measuredTotal);
      return { message: `${prefix}starting ${this.plan.models} model(s)…` };
    }
    if (e.type !== 'run-end') return undefined;
    if (!e.warmup && e.metrics.errorKind !== 'cancelled') this.measuredDone++;
    else if (e.warmup) this.warmupDone++;
    const warm =
      this.warmups && this.warmupDone < this.warmups ? ` · warm-up ${this.warmupDone} of ${this.warmups}` : '';
    return {
      increment: 100 / Math.max(1, this.total),
      message: `${prefix}${this.measuredDone} of ${this.measuredTotal} measured runs done${warm}`,
    };
  }
}
