/**
 * Signals during a benchmark. The first SIGINT, SIGTERM (CI, `timeout`, docker stop) or SIGHUP (closed
 * terminal) cancels the requests in flight, and the command then writes the runs that finished (table,
 * --json, history) and exits 128 + the signal's number. A second signal stops waiting for the cancelled
 * requests and saves at once; a third exits straight away. An error thrown where nothing catches it also
 * stops the benchmark and saves what finished.
 */
import type { Io } from './io';

/** Exit statuses besides 0 (all ran), 1 (some run failed or an output could not be written) and 2 (usage). */
export const EXIT_STATUS = { SIGHUP: 129, SIGINT: 130, SIGPIPE: 141, SIGTERM: 143 } as const;

const HANDLED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type HandledSignal = (typeof HANDLED)[number];

export class Interrupts {
  readonly controller = new AbortController();
  /** The first signal received. */
  private first: HandledSignal | undefined;
  private count = 0;
  private forceNow!: () => void;
  /** Resolves on the second signal: save what finished without waiting for anything else. */
  readonly forced = new Promise<void>((resolve) => (this.forceNow = resolve));
  private readonly listeners = new Map<HandledSignal, () => void>();

  constructor(private readonly io: Io) {}

  /** An error thrown outside the benchmark's own promise chain (an event handler, a timer) while it ran. */
  crash: Error | undefined;
  private readonly onCrash = (e: unknown) => {
    if (this.crash) return;
    this.crash = e instanceof Error ? e : new Error(String(e));
    this.controller.abort();
    this.forceNow();
  };

  install(): void {
    for (const sig of HANDLED) {
      const listener = () => this.receive(sig);
      this.listeners.set(sig, listener);
      process.on(sig, listener);
    }
    process.on('uncaughtException', this.onCrash);
    process.on('unhandledRejection', this.onCrash);
  }

  dispose(): void {
    for (const [sig, listener] of this.listeners) process.removeListener(sig, listener);
    this.listeners.clear();
    process.removeListener('uncaughtException', this.onCrash);
    process.removeListener('unhandledRejection', this.onCrash);
  }

  /** 129, 130 or 143 once a signal arrived. */
  get status(): number | undefined {
    return this.first ? EXIT_STATUS[this.first] : undefined;
  }

  get signalName(): string | undefined {
    return this.first;
  }

  receive(sig: HandledSignal): void {
    this.count++;
    if (this.count === 1) {
      this.first = sig;
      this.io.err(
        `${sig === 'SIGINT' ? 'Interrupted' : `Received ${sig}`}: cancelling the requests in flight; the runs that finished will be printed and saved. (${sig === 'SIGINT' ? 'Ctrl-C' : 'The signal'} again to save them at once.)`,
      );
      this.controller.abort();
    } else if (this.count === 2) {
      this.io.err('Stopping now: saving the runs that finished.');
      this.forceNow();
    } else {
      process.exit(EXIT_STATUS[this.first!]);
    }
  }
}
