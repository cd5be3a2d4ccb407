/**
 * The shape of a model's latest outcome in the history. Its own module, free of Node imports, because the
 * sidebar's webview renders it too.
 */

/** A model's latest measured speed, as the hover shows it. */
export interface Measurement {
  decodeTps: number;
  ttftMs: number | null;
  /** ISO time of the run. */
  time: string;
}

export interface LatestFailure {
  /** e.g. "401", "timeout". */
  label: string;
  error: string;
  auth: boolean;
  time: string;
}

export interface ModelOutcome {
  /** The newest successful run with a decode rate. */
  measured?: Measurement;
  /** The newest run, when it failed (and nothing succeeded after it). */
  failed?: LatestFailure;
}
