/**
 * Model-level lines for provider behaviours that change how a number reads: summarized thinking, a cold model
 * load, the upstream an aggregator picked, and a cost the provider billed itself. Shown with the model's
 * warnings in the table, the results panel and exports.
 */
import { median } from './stats';
import type { ModelResult } from './types';

const f1 = (v: number) => v.toFixed(1);
const medianOrNull = (xs: (number | null | undefined)[]) => {
  const known = xs.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return known.length ? median(known) : null;
};

export function quirkNotes(result: ModelResult): string[] {
  const ok = result.runs.filter((r) => r.ok);
  const notes: string[] = [];
  const summarized = ok.filter((r) => r.thinkingSummarized);
  if (summarized.length) {
    const gen = medianOrNull(summarized.map((r) => r.decodeTps));
    const arrived = medianOrNull(summarized.map((r) => r.arrivedTps));
    notes.push(
      `${result.id}: thinking summarized by provider (${summarized.length} of ${ok.length} runs): usage bills more thinking than arrives. ` +
        `tok/s counts the tokens the model generated${gen !== null ? ` (median ${f1(gen)})` : ''}; the text that arrived ran at ${arrived !== null ? `a median ${f1(arrived)} tok/s` : 'an unknown rate'}.`,
    );
  }
  const cold = result.runs.map((r, i) => ({ r, i })).filter(({ r }) => r.coldLoad);
  if (cold.length)
    notes.push(
      `${result.id}: cold model load on run ${cold.map(({ r, i }) => `${i + 1} (${f1((r.modelLoadMs ?? 0) / 1000)} s)`).join(', ')}, server-reported: that TTFT includes loading the model into memory, not the model answering. A warm-up run (--warmup 1) absorbs it.`,
    );
  const servers = [...new Set(ok.map((r) => r.servedBy).filter((s): s is string => !!s))];
  if (servers.length)
    notes.push(
      `${result.id}: served by ${servers.join(', ')} (the aggregator picks the upstream provider per request).`,
    );
  if (ok.some((r) => r.costReported))
    notes.push(`${result.id}: cost is what the provider billed (usage.cost), not computed from list prices.`);
  return notes;
}
