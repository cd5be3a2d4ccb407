/**
 * Standalone test server (bundled by esbuild.mjs to out/test-server.js):
 *
 *   node out/test-server.js [--port N] [--host H] [--config schedules.json]
 *
 * The config is { "models": { "name": Schedule, ... } }. Prints exactly one line,
 * "tokenscope-test-server listening on http://127.0.0.1:PORT", once it accepts connections.
 * Control routes: GET /__records (times as epoch ms, each record with its truth), POST /__reset,
 * POST /__models (body like the config; adds or replaces models).
 */
import { readFileSync } from 'node:fs';
import type { Schedule } from './schedule';
import { startStreamServer } from './streamServer';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

async function main() {
  const port = Number(arg('port') ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0..65535, got ${arg('port')}`);
  const configPath = arg('config');
  const config = configPath
    ? (JSON.parse(readFileSync(configPath, 'utf8')) as { models?: Record<string, Schedule> })
    : {};

  const server = await startStreamServer({ port, host: arg('host') ?? '127.0.0.1', controlRoutes: true });
  server.setModels(config.models ?? {});
  process.stdout.write(`tokenscope-test-server listening on ${server.url}\n`);

  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`tokenscope-test-server: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
