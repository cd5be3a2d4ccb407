/**
 * `tokenscope advise`: which speculative-decoding technique would speed a prompt's task up, and about how much.
 * Without --output: the task's category and the published per-category estimates. With --output: the
 * prompt-lookup replay over that output too. Everything it prints is an estimate, and says what it assumes.
 */
import {
  advise,
  diffVllmSpecCounters,
  formatSpeedup,
  specCounters,
  vllmSpecCounters,
  type Advice,
  type ServerSpecStats,
} from '../core/advisor';
import { loadTokenizer } from '../core/tokenizers';
import { TOKENIZER_FAMILIES, type TokenizerFamily } from '../core/types';
import { readTextFile, UsageError, type Io } from './io';
import { checkPromptText } from '../core/promptCheck';
import { percent } from '../core/report/format';

export interface AdviseArgs {
  prompt?: string;
  output?: string;
  json?: boolean;
  tokenizer?: string;
  /** VS Code language id of the code in the prompt (marks the prompt as carrying code). */
  language?: string;
  gamma?: string;
  draftCost?: string;
  /** vLLM /metrics scrape taken after the run (and optionally one taken before it). */
  vllmMetrics?: string;
  vllmMetricsBefore?: string;
  /** llama.cpp server /metrics scrapes, the same way. */
  llamacppMetrics?: string;
  llamacppMetricsBefore?: string;
}

function number(
  flag: string,
  value: string | undefined,
  check: (n: number) => boolean,
  rule: string,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`${flag} must be ${rule}, got "${value}"`);
  return n;
}

export async function adviseCommand(args: AdviseArgs, io: Io): Promise<number> {
  if (!args.prompt) throw new UsageError('no prompt: pass --prompt FILE');
  const family = (args.tokenizer ?? 'o200k') as TokenizerFamily;
  if (!(TOKENIZER_FAMILIES as readonly string[]).includes(family))
    throw new UsageError(`--tokenizer must be one of ${TOKENIZER_FAMILIES.join(', ')}, got "${args.tokenizer}"`);
  const gamma = number(
    '--gamma',
    args.gamma,
    (n) => Number.isInteger(n) && n >= 1 && n <= 64,
    'an integer from 1 to 64',
  );
  const c = number('--draft-cost', args.draftCost, (n) => n >= 0 && n <= 10, 'a number from 0 to 10');
  if (args.vllmMetricsBefore && !args.vllmMetrics)
    throw new UsageError('--vllm-metrics-before needs --vllm-metrics (the scrape taken after the run)');
  if (args.llamacppMetricsBefore && !args.llamacppMetrics)
    throw new UsageError('--llamacpp-metrics-before needs --llamacpp-metrics (the scrape taken after the run)');

  const prompt = await readTextFile(args.prompt, 'prompt file');
  const check = checkPromptText(prompt, 'count', `the prompt file "${args.prompt}"`);
  if (!check.ok) throw new UsageError(check.message.charAt(0).toLowerCase() + check.message.slice(1));
  const output = args.output !== undefined ? await readTextFile(args.output, 'output file') : undefined;
  if (output !== undefined && !output.trim()) throw new UsageError(`the output file "${args.output}" is empty`);

  const serverStats: ServerSpecStats[] = [];
  const notes: string[] = [];
  if (args.vllmMetrics) {
    const after = vllmSpecCounters(await readTextFile(args.vllmMetrics, 'vLLM metrics file'));
    if (!after)
      throw new UsageError(
        `"${args.vllmMetrics}" has no vllm:spec_decode_* counters (is speculative decoding on, and is it a vLLM /metrics scrape?)`,
      );
    const before = args.vllmMetricsBefore
      ? vllmSpecCounters(await readTextFile(args.vllmMetricsBefore, 'vLLM metrics file'))
      : null;
    const diff = diffVllmSpecCounters(before, after);
    if (diff.reset)
      notes.push('the vLLM counters went down between the scrapes (server restart?): the later scrape is used alone');
    if (!args.vllmMetricsBefore) notes.push('one vLLM scrape: its counters cover everything since the server started');
    serverStats.push({ source: 'vllm', ...diff.counters });
  }
  if (args.llamacppMetrics) {
    const after = specCounters(await readTextFile(args.llamacppMetrics, 'llama.cpp metrics file'), 'llama.cpp');
    if (!after)
      throw new UsageError(
        `"${args.llamacppMetrics}" has no llamacpp:spec_decode_* counters (is a draft model or MTP on, and is it a llama.cpp server /metrics scrape with --metrics?)`,
      );
    const before = args.llamacppMetricsBefore
      ? specCounters(await readTextFile(args.llamacppMetricsBefore, 'llama.cpp metrics file'), 'llama.cpp')
      : null;
    const diff = diffVllmSpecCounters(before, after);
    if (diff.reset)
      notes.push(
        'the llama.cpp counters went down between the scrapes (server restart?): the later scrape is used alone',
      );
    if (!args.llamacppMetricsBefore)
      notes.push('one llama.cpp scrape: its counters cover everything since the server started');
    serverStats.push({ source: 'llama.cpp-metrics', ...diff.counters });
  }

  let tokenizer: { encode(text: string): number[]; name: string } | undefined;
  if (output !== undefined) {
    try {
      tokenizer = await loadTokenizer(family);
    } catch (e) {
      throw new UsageError(`cannot load the ${family} tokenizer: ${(e as Error).message}`);
    }
  }
  const advice = advise({
    prompt,
    output,
    tokenizer,
    context: args.language ? { languageId: args.language } : undefined,
    serverStats: serverStats.length ? serverStats : undefined,
    options: { ...(gamma !== undefined ? { gamma } : {}), ...(c !== undefined ? { c } : {}) },
  });
  if (notes.length) advice.reasons.push(...notes);
  io.out(args.json ? JSON.stringify(advice, null, 2) : formatAdvice(advice));
  return 0;
}

/** The human-readable report. */
export function formatAdvice(a: Advice): string {
  const lines: string[] = [];
  const pl = a.estimates.promptLookup;
  const dm = a.estimates.draftModel;
  lines.push(`${a.category} (${a.subtype}, confidence ${a.confidence.toFixed(2)})${a.flagged ? '  ⚑ flagged' : ''}`);
  lines.push('');
  lines.push(a.verdict);
  lines.push('');
  lines.push('Estimates (estimated, not measured):');
  const plText =
    pl.speedup === null
      ? 'n/a    no basis (pass --output to replay it)'
      : pl.basis === 'replay'
        ? `${formatSpeedup(pl.speedup).padEnd(6)} replay of ${pl.outputTokens} output tokens (${a.tokenizer}): ${pl.tokensPerStep!.toFixed(2)} tokens per step, ${percent(pl.copiedShare!)} of output n-grams in the prompt`
        : `${formatSpeedup(pl.speedup).padEnd(6)} Spec-Bench's measurement for ${pl.specBenchTask}`;
  lines.push(`  prompt lookup   ${plText}`);
  lines.push(
    `  draft model     ${formatSpeedup(dm.speedup).padEnd(6)} ${dm.anchor === 'code' ? 'code' : dm.anchor}: α ${dm.alpha.toFixed(2)}, γ ${dm.gamma}, c ${dm.c} → ${dm.expectedTokensPerStep.toFixed(2)} tokens per step` +
      (dm.published ? ` (Spec-Bench EAGLE-2 ${dm.published['EAGLE-2']}×, SpS ${dm.published.SpS}×)` : ''),
  );
  for (const m of a.measured) {
    const parts = [
      m.acceptanceLength !== null ? `acceptance length ${m.acceptanceLength.toFixed(2)}` : null,
      m.acceptanceRate !== null ? `acceptance rate ${Math.round(m.acceptanceRate * 100)}%` : null,
      m.meanDraftLength !== null ? `mean draft ${m.meanDraftLength.toFixed(1)}` : null,
    ].filter(Boolean);
    lines.push(`  measured (${m.source})  ${parts.join(', ') || 'no drafts'}`);
  }
  lines.push('');
  lines.push('Why:');
  for (const r of a.reasons) lines.push(`  - ${r}`);
  lines.push('');
  lines.push('Assumptions:');
  for (const r of a.assumptions) lines.push(`  - ${r}`);
  return lines.join('\n');
}
