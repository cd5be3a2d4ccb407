export interface ChildRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Spawn to exit. */
  ms: number;
  /** Peak RSS the child reported at exit (undefined if it was killed by a signal). */
  maxRssMb: number | undefined;
  sigintToExitMs: number | undefined;
  /** True when it outlived killAfterMs. */
  killed: boolean;
}
export declare function runCliChild(
  args: string[],
  opts?: { env?: Record<string, string>; killAfterMs?: number; sigintAfterMs?: number },
): Promise<ChildRun>;
export declare function hostileConfig(
  url: string,
  model: string,
  protocol?: string,
  settings?: Record<string, number>,
): string;
