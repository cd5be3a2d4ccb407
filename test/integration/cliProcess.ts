/** The built CLI as a user runs it: dist/cli.js in its own process, with a clean environment. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(__dirname, '../../dist/cli.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    // No provider keys from the machine running the tests; no local-server discovery.
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', TOKENSCOPE_LOCAL_PORTS: 'openai:9', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
