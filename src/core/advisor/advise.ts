/**
 * The advisor: which speculation technique would speed a task up, by about how much, and why.
 * Pure: give it the prompt (and, after a run, the output and what the run measured); it returns JSON.
 */
import { percent } from '../report/format';
import type { TaskCategory } from '../types';
import { chunkTimingHint, type ChunkTimingHint, type ChunkTimingInput } from './chunkTiming';
import { classifyTask, type TaskClassification, type TaskContext, type TaskSubtype } from './classify';
import {
  EAGLE2_MEAN,
  acceptanceLengthK7,
  estimateDraftModel,
  estimatePromptLookupFromCategory,
  estimatePromptLookupFromReplay,
  type DraftModelEstimate,
  type EstimateOptions,
  type PromptLookupEstimate,
} from './estimate';
import { replayPromptLookup, simpleTokenizer, type PldOptions, type PldReplay } from './pld';
import { SPEC_BENCH, SPEC_BENCH_TASK_LABEL, TECHNIQUE_NAMES, type SpecBenchTask } from './published';
import { measuredAcceptance, type MeasuredAcceptance, type ServerSpecStats } from './serverStats';

export interface AdviseTokenizer {
  encode(text: string): number[];
  name?: string;
}

export interface AdviseOptions extends EstimateOptions {
  /** Smallest estimated speedup worth flagging (default 1.3). */
  threshold?: number;
  pld?: PldOptions;
}

export interface AdviseInput {
  prompt: string;
  /** The run's output (answer, with any visible reasoning before it); enables the PLD replay. */
  output?: string;
  context?: TaskContext;
  /** RunMetrics.tokensPerChunk / interChunkMs of a streamed run. */
  chunkTiming?: ChunkTimingInput;
  /** Speculation statistics the server reported (llama.cpp timings, vLLM counters, …). */
  serverStats?: ServerSpecStats | ServerSpecStats[];
  /** Tokenizer for the replay (the model's own, ideally); a simple word/character splitter otherwise. */
  tokenizer?: AdviseTokenizer;
  options?: AdviseOptions;
}

export type Technique = 'prompt-lookup' | 'draft-model';

export interface Advice {
  category: TaskCategory;
  subtype: TaskSubtype;
  confidence: number;
  /** True when a technique that fits this task is estimated at ≥ threshold. */
  flagged: boolean;
  /** The technique that fits (null when none is material). */
  technique: Technique | null;
  /** Plain-language verdict, e.g. "Coding edit — 71% of the output is copied from the prompt; …". */
  verdict: string;
  estimates: { promptLookup: PromptLookupEstimate; draftModel: DraftModelEstimate };
  /** Acceptance the server measured, where it reported any. */
  measured: MeasuredAcceptance[];
  /** What the chunk timing suggests about multi-token steps (a hint, never proof). */
  chunkTiming: ChunkTimingHint | null;
  reasons: string[];
  assumptions: string[];
  /** Everything above except `measured` is an estimate. */
  label: 'estimated';
  threshold: number;
  tokenizer: string | null;
  /** The replay behind estimates.promptLookup when basis is 'replay' (without its per-step trace). */
  replay: Omit<PldReplay, 'trace'> | null;
}

const SUBTYPE_LABEL: Record<TaskSubtype, string> = {
  'code-edit': 'Coding edit',
  'code-generate': 'Code generation',
  'code-port': 'Code port',
  math: 'Reasoning',
  logic: 'Reasoning (logic)',
  summarization: 'Summarization',
  rag: 'Retrieval-grounded answer',
  translation: 'Translation',
  'multi-turn': 'Multi-turn chat',
  qa: 'Chat',
  'text-edit': 'Text rewrite',
};

/** Tasks whose output copies its input: prompt lookup is the first thing to try. */
const COPYING: ReadonlySet<TaskSubtype> = new Set(['code-edit', 'summarization', 'rag', 'text-edit']);

export function formatSpeedup(x: number): string {
  return `${x < 1.3 ? x.toFixed(2) : x.toFixed(1)}×`;
}

function draftAnchor(c: TaskClassification): SpecBenchTask | 'code' {
  if (c.category === 'coding-edit' || c.category === 'coding-generate') return 'code';
  return c.specBenchTask ?? 'qa';
}

export function advise(input: AdviseInput): Advice {
  const opts = input.options ?? {};
  const threshold = opts.threshold ?? 1.3;
  const cls = classifyTask(input.prompt, input.context);
  const reasons = cls.reasons.map((r) => `classification: ${r}`);
  const assumptions: string[] = [];

  // Prompt lookup: replay over the output when there is one, else the category's published number.
  let replay: PldReplay | null = null;
  let pld: PromptLookupEstimate;
  let tokenizerName: string | null = null;
  if (input.output !== undefined && input.output.length > 0) {
    const tok = input.tokenizer ?? simpleTokenizer();
    tokenizerName = input.tokenizer
      ? (input.tokenizer.name ?? 'given tokenizer')
      : (tok as ReturnType<typeof simpleTokenizer>).name;
    if (!input.tokenizer)
      assumptions.push(
        'no model tokenizer given: the replay splits text into words and CJK characters, which only approximates real tokens',
      );
    replay = replayPromptLookup(tok.encode(input.prompt), tok.encode(input.output), opts.pld);
    pld = estimatePromptLookupFromReplay(replay, opts);
    reasons.push(
      `prompt lookup, replayed over ${replay.outputTokens} output tokens: ${replay.meanAcceptedPerStep.toFixed(2)} tokens per target step in ${replay.steps} steps, ` +
        `${replay.acceptanceRate === null ? 'nothing drafted' : `${percent(replay.acceptanceRate)} of drafted tokens accepted`}, ${percent(replay.copiedShare)} of output ${replay.copyNgram}-grams found in the prompt`,
    );
  } else {
    pld = estimatePromptLookupFromCategory(cls.specBenchTask);
    reasons.push(
      pld.speedup === null
        ? 'prompt lookup: no published number for this task type; pass the output to replay it'
        : `prompt lookup: Spec-Bench measured ${formatSpeedup(pld.speedup)} on ${SPEC_BENCH_TASK_LABEL[cls.specBenchTask!]} (no output given to replay)`,
    );
  }

  const draft = estimateDraftModel(draftAnchor(cls), opts);
  reasons.push(
    `model-based drafting: α ${draft.alpha.toFixed(2)} for ${draft.anchor === 'code' ? 'code' : SPEC_BENCH_TASK_LABEL[draft.anchor]} → ${draft.expectedTokensPerStep.toFixed(2)} tokens per step at γ ${draft.gamma}, ` +
      `${formatSpeedup(draft.speedup)} at c ${draft.c}` +
      (draft.published
        ? ` (Spec-Bench measured EAGLE-2 ${draft.published['EAGLE-2']}×, SpS ${draft.published.SpS}× on this task)`
        : ''),
  );
  reasons.push(
    draft.fitsTask
      ? draft.anchor === 'code'
        ? `model-based drafters accept more tokens on code than on chat (DeepSeek-V3's MTP head: HumanEval ${acceptanceLengthK7('code').toFixed(2)} vs MT-Bench ${acceptanceLengthK7('multi-turn').toFixed(2)} at K = 7)`
        : `model-based drafters gain most on this task type (Spec-Bench EAGLE-2 ${SPEC_BENCH.speedup['EAGLE-2'][draft.anchor as SpecBenchTask]}× vs the six-task mean ${EAGLE2_MEAN.toFixed(2)}×)`
      : `model-based drafters gain less on this task type than on math or multi-turn (Spec-Bench EAGLE-2 ${SPEC_BENCH.speedup['EAGLE-2'][draft.anchor as SpecBenchTask]}× vs the six-task mean ${EAGLE2_MEAN.toFixed(2)}×)`,
  );

  // Flag: a technique that fits this task at ≥ threshold. Prompt lookup always counts (a replay is evidence about
  // this very output; a category number is Spec-Bench's measurement); model-based drafting counts where published
  // results put the task among those where it gains most.
  const pldOk = pld.speedup !== null && pld.speedup >= threshold;
  const draftOk = draft.fitsTask && draft.speedup >= threshold;
  const flagged = pldOk || draftOk;
  let technique: Technique | null = null;
  if (pldOk && (!draftOk || COPYING.has(cls.subtype) || pld.speedup! >= draft.speedup)) technique = 'prompt-lookup';
  else if (draftOk) technique = 'draft-model';
  reasons.push(
    flagged
      ? `flagged: ${technique === 'prompt-lookup' ? 'prompt lookup' : 'model-based drafting'} is estimated at ${formatSpeedup(technique === 'prompt-lookup' ? pld.speedup! : draft.speedup)} (threshold ${threshold}×)`
      : `not flagged: no technique that fits this task reaches ${threshold}×`,
  );

  // Measured acceptance next to the estimate.
  const measured = (
    input.serverStats === undefined ? [] : Array.isArray(input.serverStats) ? input.serverStats : [input.serverStats]
  ).map(measuredAcceptance);
  for (const m of measured) {
    const parts = [
      m.acceptanceLength !== null ? `acceptance length ${m.acceptanceLength.toFixed(2)} tokens per step` : null,
      m.acceptanceRate !== null ? `${percent(m.acceptanceRate)} of drafted tokens accepted` : null,
    ].filter(Boolean);
    const est = replay
      ? ` (PLD replay estimated ${replay.meanAcceptedPerStep.toFixed(2)} tokens per step; model-based estimate ${draft.expectedTokensPerStep.toFixed(2)})`
      : ` (model-based estimate ${draft.expectedTokensPerStep.toFixed(2)} tokens per step)`;
    reasons.push(`measured by ${m.source}: ${parts.length ? parts.join(', ') : 'no drafts reported'}${est}`);
  }

  const timing = input.chunkTiming ? chunkTimingHint(input.chunkTiming) : null;
  if (timing) {
    const say: Record<typeof timing.verdict, string> = {
      'multi-token-steps': 'the provider appears to emit multi-token steps already (speculation or MTP)',
      coalescing: 'the provider appears to coalesce single-token steps into chunks',
      'single-token': 'chunks carry one token each: no sign of multi-token steps',
      unclear: 'chunk timing does not say whether steps carry several tokens',
    };
    reasons.push(`chunk timing (hint, not proof): ${say[timing.verdict]}`);
  }

  assumptions.push(...pld.assumptions, ...draft.assumptions);
  if (timing)
    assumptions.push(
      'the chunk-timing reading is a hint: providers coalesce, pad or batch streams for reasons other than speculation',
    );

  const verdict = makeVerdict(cls, pld, draft, technique, flagged, threshold);
  return {
    category: cls.category,
    subtype: cls.subtype,
    confidence: cls.confidence,
    flagged,
    technique,
    verdict,
    estimates: { promptLookup: pld, draftModel: draft },
    measured,
    chunkTiming: timing,
    reasons,
    assumptions,
    label: 'estimated',
    threshold,
    tokenizer: tokenizerName,
    replay: replay ? withoutTrace(replay) : null,
  };
}

function withoutTrace({ trace: _trace, ...rest }: PldReplay): Omit<PldReplay, 'trace'> {
  return rest;
}

/** Below this share of copied prompt n-grams, a replayed gain comes mostly from the output repeating itself. */
const MOSTLY_SELF_REPEATING = 0.2;

/**
 * Where a replayed prompt-lookup gain comes from. The replay drafts from the prompt and from the output written so
 * far, so an output that repeats its own phrases gains even when it copies nothing from the prompt.
 */
export function copySource(copiedShare: number): string {
  return copiedShare < MOSTLY_SELF_REPEATING
    ? `the output repeats its own earlier text (only ${percent(copiedShare)} of it is copied from the prompt), and prompt lookup drafts from both`
    : `${percent(copiedShare)} of the output is copied from the prompt`;
}

function makeVerdict(
  cls: TaskClassification,
  pld: PromptLookupEstimate,
  draft: DraftModelEstimate,
  technique: Technique | null,
  flagged: boolean,
  threshold: number,
): string {
  const head = SUBTYPE_LABEL[cls.subtype];
  const pldWhere = `${TECHNIQUE_NAMES.promptLookup}${cls.subtype === 'code-edit' ? '; ' + TECHNIQUE_NAMES.predictedOutputs : ''}`;
  // Where the prompt-lookup number comes from, in a few words.
  const pldSource =
    pld.basis === 'replay'
      ? `${percent(pld.copiedShare ?? 0)} of the output copied from the prompt`
      : pld.specBenchTask
        ? `Spec-Bench, ${SPEC_BENCH_TASK_LABEL[pld.specBenchTask]}`
        : '';
  const drafter = `a model-based drafter (${TECHNIQUE_NAMES.draftModel})`;
  let s: string;
  if (technique === 'prompt-lookup') {
    s =
      pld.basis === 'replay'
        ? `${head} — ${copySource(pld.copiedShare ?? 0)}; prompt-lookup speculation would give about ${formatSpeedup(pld.speedup!)} (${pldWhere})`
        : `${head} — prompt-lookup speculation would give about ${formatSpeedup(pld.speedup!)} (${pldSource}; ${pldWhere})`;
    if (draft.fitsTask && draft.speedup >= threshold) s += `; ${drafter} about ${formatSpeedup(draft.speedup)}`;
  } else if (technique === 'draft-model') {
    const why =
      draft.anchor === 'code'
        ? 'drafters accept more tokens on code than on chat'
        : `model-based drafters gain most on ${draft.anchor === 'math' ? 'math reasoning' : 'multi-turn chat'}`;
    if (cls.subtype === 'code-edit' && pld.speedup === null) {
      s = `${head} — edits copy the code in the prompt, so prompt lookup (${pldWhere}) should fit: pass the output to estimate it; ${drafter} would give about ${formatSpeedup(draft.speedup)}`;
    } else {
      s = `${head} — ${why}: ${drafter} would give about ${formatSpeedup(draft.speedup)}`;
      if (pld.speedup !== null && pld.speedup >= threshold)
        s += `; prompt lookup about ${formatSpeedup(pld.speedup)} with no extra model (${pldSource})`;
      else if (pld.speedup !== null) s += `; prompt lookup only about ${formatSpeedup(pld.speedup)} (${pldSource})`;
    }
  } else {
    const pldPart =
      pld.speedup === null
        ? 'prompt lookup needs an output to estimate'
        : `prompt lookup about ${formatSpeedup(pld.speedup)} (${pldSource})`;
    const copyHint =
      COPYING.has(cls.subtype) && pld.speedup === null
        ? ', and the output will likely copy the input: pass it to replay prompt lookup'
        : '';
    s = `${head} — no material speedup expected from the technique that fits: ${pldPart}${copyHint}; model-based drafters gain less here than on reasoning, code or multi-turn chat (about ${formatSpeedup(draft.speedup)} at batch 1)`;
  }
  return `${s}. Estimated${flagged ? '' : '; not flagged'}.`;
}
