/**
 * Runs the built CLI (dist/cli.js) in a child process and measures it: wall time from spawn to exit and
 * peak RSS (reported by the child itself at exit). A child that outlives `killAfterMs` is killed, so a
 * hang fails a test instead of stalling the suite.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const MAXRSS = fileURLToPath(new URL('./maxrss.cjs', import.meta.url));

/**
 * @param {string[]} args CLI arguments
 * @param {{ env?: Record<string,string>, killAfterMs?: number, sigintAfterMs?: number }} [opts]
 * @returns {Promise<{ code: number|null, signal: string|null, stdout: string, stderr: string, ms: number, maxRssMb: number|undefined, sigintToExitMs: number|undefined, killed: boolean }>}
 */
export function runCliChild(args, opts = {}) {
  return new Promise((resolve) => {
    const start = performance.now();
    // A clean environment: no provider keys from the machine, no local servers on the usual ports.
    const child = spawn(process.execPath, ['--require', MAXRSS, CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TOKENSCOPE_LOCAL_PORTS: 'openai:9', ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    let sigintAt;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const killer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, opts.killAfterMs ?? 30_000);
    const interrupter =
      opts.sigintAfterMs !== undefined
        ? setTimeout(() => {
            sigintAt = performance.now();
            child.kill('SIGINT');
          }, opts.sigintAfterMs)
        : undefined;
    child.on('close', (code, signal) => {
      const end = performance.now();
      clearTimeout(killer);
      clearTimeout(interrupter);
      const m = /\[maxrss-kb\] (\d+)/.exec(stderr);
      resolve({
        code,
        signal,
        stdout,
        stderr: stderr.replace(/\n?\[maxrss-kb\] \d+\n/, ''),
        ms: end - start,
        maxRssMb: m ? Number(m[1]) / 1024 : undefined,
        sigintToExitMs: sigintAt === undefined ? undefined : end - sigintAt,
        killed,
      });
    });
  });
}

/** A config for one model of a hostile server. */
export function hostileConfig(url, model, protocol = 'openai-chat', settings = {}) {
  return JSON.stringify({
    models: [
      {
        id: `hostile-${model}`,
        protocol,
        baseUrl: protocol === 'openai-chat' ? `${url}/v1` : url,
        model,
        region: 'local',
        tokenizer: 'o200k',
        price: { inputPerM: 0, outputPerM: 0 },
      },
    ],
    settings: { runs: 1, warmup: 0, ...settings },
  });
}
