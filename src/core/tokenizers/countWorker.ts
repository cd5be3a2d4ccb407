/**
 * Worker-thread entry (bundled as dist/countWorker.js): loads tokenizer families and counts text off the thread
 * that asked, so a first count never freezes the editor while a vocabulary is parsed (0.3–1 s per family).
 */
import { parentPort } from 'node:worker_threads';
import type { TokenizerFamily } from '../types';
import { loadTokenizer } from './registry';

export type CountRequest = { id: number; family: TokenizerFamily; text: string };
export type CountReply =
  { id: number; family: TokenizerFamily; count: number } | { id: number; family: TokenizerFamily; error: string };

parentPort?.on('message', (req: CountRequest) => {
  loadTokenizer(req.family).then(
    (tok) =>
      parentPort!.postMessage({ id: req.id, family: req.family, count: tok.count(req.text) } satisfies CountReply),
    (e: unknown) =>
      parentPort!.postMessage({
        id: req.id,
        family: req.family,
        error: e instanceof Error ? e.message : String(e),
      } satisfies CountReply),
  );
});
