/**
 * Keep-alive agents that can open connections before the requests that will use them. With warm-up on, a
 * benchmark opens one connection per concurrency slot ahead of its timed runs, so a burst measures the provider,
 * not this client's handshakes. A bare TCP (or TLS) connect costs the client a fraction of a request on a new
 * connection (on loopback ~60 µs against ~300 µs for a bare node:http request) and sends the provider nothing
 * billable; the first connection's cost stays visible in the warm-up run.
 *
 * The agent hands an opened connection to the first request for its origin through `createConnection`, the
 * documented way for an agent to supply sockets; the origin is the agent's own name for it (`getName`).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Connections handed to a request from those opened ahead: their request phases show no connect. */
const handedOut = new WeakSet<object>();

/** Whether this socket was opened before its request (so the request did not pay for connecting). */
export function openedAhead(socket: object): boolean {
  return handedOut.has(socket);
}

export interface Preconnecting {
  /**
   * Opens up to `count` connections to `baseUrl`'s origin and waits until they are connected (or have failed,
   * or `timeoutMs` passed: a connection that cannot be opened is the timed run's to report). Resolves to the
   * number opened.
   */
  preconnect(baseUrl: string, count: number, timeoutMs: number, signal?: AbortSignal): Promise<number>;
}

type ConnectOptions = http.ClientRequestArgs & { servername?: string; _agentKey?: string };
type Connect = (options: ConnectOptions) => Duplex | null | undefined;

/** Idle connections opened ahead, per origin name, each handed out once. */
class OpenedAhead {
  private readonly idle = new Map<string, Socket[]>();

  take(name: string): Socket | undefined {
    const list = this.idle.get(name);
    while (list?.length) {
      const socket = list.shift()!;
      if (!socket.destroyed && socket.writable) {
        handedOut.add(socket);
        return socket;
      }
    }
    return undefined;
  }

  /** Opens `count` connections with the agent's own `connect` (for TLS it also reuses and caches sessions). */
  async open(
    agent: http.Agent,
    baseUrl: string,
    count: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    connect: Connect,
  ) {
    const options = connectOptions(agent, baseUrl);
    const name = agent.getName(options);
    const opened = await Promise.all(
      Array.from({ length: count }, () =>
        this.openOne(name, { ...options, _agentKey: name }, connect, timeoutMs, signal),
      ),
    );
    return opened.filter(Boolean).length;
  }

  private async openOne(
    name: string,
    options: ConnectOptions,
    connect: Connect,
    timeoutMs: number,
    signal?: AbortSignal,
  ) {
    if (signal?.aborted) return false;
    const socket = connect(options) as Socket | null | undefined;
    if (!socket) return false;
    // Idle, nobody else listens: an error (a reset while waiting) only means this connection is not used.
    socket.on('error', () => socket.destroy());
    const connected = await new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once(options.protocol === 'https:' ? 'secureConnect' : 'connect', () => done(true));
      socket.once('close', () => done(false));
    });
    if (!connected) {
      socket.destroy();
      return false;
    }
    const list = this.idle.get(name) ?? [];
    list.push(socket);
    this.idle.set(name, list);
    socket.once('close', () => {
      const i = list.indexOf(socket);
      if (i >= 0) list.splice(i, 1);
    });
    return true;
  }

  destroy(): void {
    for (const list of this.idle.values()) for (const socket of list.splice(0)) socket.destroy();
  }
}

/**
 * The options node:http would give `createConnection` for a request to `baseUrl` (host and port as
 * ClientRequest sets them, the server name as the agent derives it), so that `getName` names the same origin.
 */
function connectOptions(agent: http.Agent, baseUrl: string): ConnectOptions {
  const url = new URL(baseUrl);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    ...(agent as http.Agent & { options?: object }).options,
    protocol: url.protocol,
    host,
    port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    servername: isIP(host) ? '' : host,
  };
}

export class PreconnectHttpAgent extends http.Agent implements Preconnecting {
  private readonly ahead = new OpenedAhead();

  override createConnection(
    options: http.ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    return this.ahead.take(this.getName(options)) ?? super.createConnection(options, callback);
  }

  preconnect(baseUrl: string, count: number, timeoutMs: number, signal?: AbortSignal): Promise<number> {
    return this.ahead.open(this, baseUrl, count, timeoutMs, signal, (o) => super.createConnection(o));
  }

  override destroy(): void {
    this.ahead.destroy();
    super.destroy();
  }
}

export class PreconnectHttpsAgent extends https.Agent implements Preconnecting {
  private readonly ahead = new OpenedAhead();

  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    return this.ahead.take(this.getName(options)) ?? super.createConnection(options, callback);
  }

  preconnect(baseUrl: string, count: number, timeoutMs: number, signal?: AbortSignal): Promise<number> {
    return this.ahead.open(this, baseUrl, count, timeoutMs, signal, (o) =>
      super.createConnection(o as https.RequestOptions),
    );
  }

  override destroy(): void {
    this.ahead.destroy();
    super.destroy();
  }
}
