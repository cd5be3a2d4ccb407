/** Small local servers and captures for the reliability tests (faults the streaming test server does not model). */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/io';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface RawServer {
  url: string;
  port: number;
  /** Every request that reached the handler (a TLS handshake that failed never gets here). */
  seen: SeenRequest[];
  close(): Promise<void>;
}

type Handler = (req: SeenRequest, res: ServerResponse) => unknown;

async function listen(server: Server, seen: SeenRequest[], scheme: 'http' | 'https'): Promise<RawServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function wrap(handler: Handler, seen: SeenRequest[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (s: string) => (body += s));
    req.on('end', () => {
      const r: SeenRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      seen.push(r);
      Promise.resolve(handler(r, res)).catch(() => res.destroy());
    });
  };
}

/** A plain HTTP server on 127.0.0.1 answering with `handler`. */
export function startRawServer(handler: Handler): Promise<RawServer> {
  const seen: SeenRequest[] = [];
  return listen(createServer(wrap(handler, seen)), seen, 'http');
}

/** An HTTPS server on 127.0.0.1 with the given certificate. */
export function startHttpsServer(tls: { key: string; cert: string }, handler: Handler): Promise<RawServer> {
  const seen: SeenRequest[] = [];
  return listen(
    createHttpsServer({ key: tls.key, cert: tls.cert }, wrap(handler, seen)) as unknown as Server,
    seen,
    'https',
  );
}

/** A fresh self-signed certificate for 127.0.0.1 / localhost, made with openssl at test time. */
export function selfSignedCert(): Promise<{ key: string; cert: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const args = [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ];
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { timeout: 20_000 }, (err) => {
      try {
        if (err) return reject(err);
        resolve({ key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = await startRawServer((_, res) => void res.end());
  await s.close();
  return s.port;
}

/** An OpenAI-style SSE stream of `tokens`, then usage and [DONE]. */
export function openaiStream(tokens: string[], model = 'm'): string {
  const chunk = (delta: object, extra: object = {}) =>
    `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
  return (
    chunk({ role: 'assistant', content: '' }) +
    tokens.map((t) => chunk({ content: t })).join('') +
    `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model, choices: [], usage: { prompt_tokens: 3, completion_tokens: tokens.length, total_tokens: 3 + tokens.length } })}\n\n` +
    'data: [DONE]\n\n'
  );
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process with a captured Io and the given environment only. */
export async function runCli(argv: string[], env: Record<string, string> = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => void (out += t.endsWith('\n') ? t : t + '\n'),
    err: (t) => void (err += t.endsWith('\n') ? t : t + '\n'),
    env: { TOKENSCOPE_LOCAL_PORTS: 'openai:9', ...env },
    isTTY: false,
  };
  const code = await main(argv, io);
  return { code, out, err };
}

/** Raw control characters a terminal would act on: C0 (but LF, TAB, CRLF), DEL, C1, and bidi controls. */
export const TERMINAL_UNSAFE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

/** Hostile text: colour, clear screen, OSC window title, OSC 8 hyperlink, bell, bidi override, NUL, C1 CSI. */
export const HOSTILE =
  '\u001b[31mRED\u001b[0m \u001b[2J\u001b]0;pwned-title\u0007 \u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\ ' +
  'abc\u202edcb\u202c \u2066iso\u2069 nul\u0000byte c1\u009b31m bs\u0008 cr\roverwrite';
