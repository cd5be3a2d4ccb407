/**
 * Token counts from a worker thread (see countWorker.ts). The caller's event loop never parses a vocabulary:
 * `count` resolves when the worker has the family loaded and the text counted; `isLoaded` says which families
 * answer quickly. The worker starts on first use, is unref'd (it never keeps a process alive), and is started
 * again after a crash.
 */
import { Worker } from 'node:worker_threads';
import type { TokenizerFamily } from '../types';
import type { CountReply, CountRequest } from './countWorker';

export class OffThreadCounter {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (n: number) => void; reject: (e: Error) => void }>();
  private readonly loaded = new Set<TokenizerFamily>();

  /** @param workerFile the bundled worker, dist/countWorker.js */
  constructor(private readonly workerFile: string) {}

  count(family: TokenizerFamily, text: string): Promise<number> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref(); // keep it alive while an answer is owed
      worker.postMessage({ id, family, text } satisfies CountRequest);
    });
  }

  /** Whether the worker has answered for this family before (its vocabulary is loaded there). */
  isLoaded(family: TokenizerFamily): boolean {
    return this.loaded.has(family);
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new Error('token counter closed'));
    void w?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerFile);
    worker.unref();
    worker.on('message', (reply: CountReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in reply) p.reject(new Error(`could not count with ${reply.family}: ${reply.error}`));
      else {
        this.loaded.add(reply.family);
        p.resolve(reply.count);
      }
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.loaded.clear();
      this.failAll(new Error(`the token-count worker stopped: ${why}`));
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private failAll(e: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }
}
