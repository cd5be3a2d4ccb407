/** The chunk-timing hint on synthetic timings, the Prometheus parser, and measured acceptance. */
import { describe, expect, it } from 'vitest';
import {
  chunkTimingHint,
  diffVllmSpecCounters,
  measuredAcceptance,
  parsePrometheusText,
  serverStatsFromEvents,
  vllmSpecCounters,
} from '../../src/core/advisor';

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number) {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** n chunks; sizes from `size`, gap before each chunk from `gap`. The first chunk is the TTFT chunk. */
function stream(n: number, size: (i: number) => number, gap: (tokens: number) => number) {
  const tokensPerChunk = Array.from({ length: n }, (_, i) => size(i));
  const interChunkMs = tokensPerChunk.slice(1).map((t) => gap(t));
  return { tokensPerChunk, interChunkMs };
}

describe('chunkTimingHint', () => {
  it('multi-token chunks at a constant gap → multi-token steps', () => {
    const r = lcg(1);
    // Speculation: each step accepts 0–3 draft tokens (1–4 tokens per chunk); a step takes 30 ms ± 2 whatever it emits.
    const s = stream(
      200,
      () => 1 + Math.floor(r() * 4),
      () => 30 + (r() - 0.5) * 4,
    );
    const h = chunkTimingHint(s);
    expect(h.verdict).toBe('multi-token-steps');
    expect(h.label).toBe('hint');
    expect(h.tokenScaledShare!).toBeLessThan(0.1);
    expect(h.reasons.join(' ')).toMatch(/multi-token steps/);
  });

  it('gaps growing linearly with tokens per chunk → coalescing', () => {
    const r = lcg(2);
    // One token every 20 ms, handed out in chunks of 1–6 tokens: a k-token chunk waited k × 20 ms.
    const s = stream(
      200,
      () => 1 + Math.floor(r() * 6),
      (t) => t * 20 + (r() - 0.5) * 4,
    );
    const h = chunkTimingHint(s);
    expect(h.verdict).toBe('coalescing');
    expect(h.perTokenMs!).toBeCloseTo(20, 0);
    expect(Math.abs(h.fixedMs!)).toBeLessThan(3);
  });

  it('one token per chunk → single-token', () => {
    const r = lcg(3);
    const h = chunkTimingHint(
      stream(
        100,
        () => 1,
        () => 25 + r(),
      ),
    );
    expect(h.verdict).toBe('single-token');
    expect(h.singleTokenShare).toBe(1);
  });

  it('stalls are left out', () => {
    const r = lcg(4);
    const s = stream(
      200,
      () => 1 + Math.floor(r() * 4),
      () => 30 + (r() - 0.5) * 4,
    );
    s.interChunkMs[50] = 2000;
    s.interChunkMs[120] = 900;
    const h = chunkTimingHint(s);
    expect(h.verdict).toBe('multi-token-steps');
    expect(h.reasons.join(' ')).toMatch(/2 stalled gap/);
  });

  it('too few chunks, or chunks that never vary in size → unclear', () => {
    expect(
      chunkTimingHint(
        stream(
          5,
          () => 2,
          () => 30,
        ),
      ).verdict,
    ).toBe('unclear');
    const h = chunkTimingHint(
      stream(
        100,
        () => 3,
        () => 30,
      ),
    );
    expect(h.verdict).toBe('unclear');
    expect(h.reasons.join(' ')).toMatch(/do not vary/);
  });

  it('gaps that grow with size but not in proportion → unclear', () => {
    const r = lcg(5);
    // gap = 30 + 10 × tokens: the per-token part is about half the gap.
    const h = chunkTimingHint(
      stream(
        200,
        () => 1 + Math.floor(r() * 4),
        (t) => 30 + 10 * t,
      ),
    );
    expect(h.verdict).toBe('unclear');
  });

  it('reads fractional token estimates (RunMetrics spreads usage over reads) by rounding', () => {
    const r = lcg(6);
    const s = stream(
      150,
      () => (1 + Math.floor(r() * 3)) * 1.04,
      () => 40 + r(),
    );
    expect(chunkTimingHint(s).verdict).toBe('multi-token-steps');
  });
});

const SCRAPE = `# HELP vllm:spec_decode_num_drafts_total Number of spec decoding drafts.
# TYPE vllm:spec_decode_num_drafts_total counter
vllm:spec_decode_num_drafts_total{engine="0",model_name="qwen3-8b"} 1200.0
vllm:spec_decode_num_drafts_total{engine="1",model_name="qwen3-8b"} 800.0
# HELP vllm:spec_decode_num_draft_tokens_total Number of draft tokens.
# TYPE vllm:spec_decode_num_draft_tokens_total counter
vllm:spec_decode_num_draft_tokens_total{engine="0",model_name="qwen3-8b"} 3600.0
vllm:spec_decode_num_draft_tokens_total{engine="1",model_name="qwen3-8b"} 2400.0
vllm:spec_decode_num_draft_tokens_created{engine="0",model_name="qwen3-8b"} 1.7e9
# TYPE vllm:spec_decode_num_accepted_tokens_total counter
vllm:spec_decode_num_accepted_tokens_total{engine="0",model_name="qwen3-8b"} 2400
vllm:spec_decode_num_accepted_tokens_total{engine="1",model_name="qwen3-8b"} 1600
vllm:spec_decode_num_accepted_tokens_per_pos_total{engine="0",model_name="qwen3-8b",position="0"} 1000
vllm:spec_decode_num_accepted_tokens_per_pos_total{engine="0",model_name="qwen3-8b",position="1"} 800
vllm:spec_decode_num_accepted_tokens_per_pos_total{engine="0",model_name="qwen3-8b",position="2"} 600
vllm:num_requests_running{model_name="qwen3-8b"} 3
vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="qwen3-8b"} 42
weird_label_metric{path="C:\\\\tmp",msg="say \\"hi\\"\\nbye"} NaN 1712345678000
`;

describe('Prometheus text parser', () => {
  it('parses names, labels (with escapes), values and timestamps', () => {
    const p = parsePrometheusText(SCRAPE);
    expect(p.badLines).toEqual([]);
    expect(p.types['vllm:spec_decode_num_drafts_total']).toBe('counter');
    const w = p.samples.find((s) => s.name === 'weird_label_metric')!;
    expect(w.labels).toEqual({ path: 'C:\\tmp', msg: 'say "hi"\nbye' });
    expect(Number.isNaN(w.value)).toBe(true);
    expect(w.timestampMs).toBe(1712345678000);
    expect(p.samples.find((s) => s.name === 'vllm:time_to_first_token_seconds_bucket')!.labels.le).toBe('+Inf');
  });

  it('reports lines it cannot read instead of guessing', () => {
    const p = parsePrometheusText('good 1\n{bad} 2\nunclosed{a="x 3\nnovalue\n# EOF\n');
    expect(p.samples.map((s) => s.name)).toEqual(['good']);
    expect(p.badLines).toEqual([2, 3, 4]);
  });

  it('sums the vLLM speculation counters over engines, with or without the _total suffix', () => {
    const c = vllmSpecCounters(SCRAPE)!;
    expect(c).toEqual({ drafts: 2000, draftTokens: 6000, acceptedTokens: 4000, acceptedPerPosition: [1000, 800, 600] });
    const bare = vllmSpecCounters(
      'vllm:spec_decode_num_drafts 10\nvllm:spec_decode_num_draft_tokens 30\nvllm:spec_decode_num_accepted_tokens 15\n',
    )!;
    expect(bare).toEqual({ drafts: 10, draftTokens: 30, acceptedTokens: 15 });
    expect(vllmSpecCounters('vllm:num_requests_running 1\n')).toBeNull();
    expect(vllmSpecCounters(SCRAPE, 'other-model')).toBeNull();
  });

  it('diffs two scrapes, and notices a counter reset', () => {
    const before = vllmSpecCounters(SCRAPE)!;
    const after = { drafts: 2100, draftTokens: 6300, acceptedTokens: 4180, acceptedPerPosition: [1070, 850, 620] };
    const d = diffVllmSpecCounters(before, after);
    expect(d).toEqual({
      reset: false,
      counters: { drafts: 100, draftTokens: 300, acceptedTokens: 180, acceptedPerPosition: [70, 50, 20] },
    });
    expect(diffVllmSpecCounters(before, { drafts: 5, draftTokens: 15, acceptedTokens: 9 }).reset).toBe(true);
  });
});

describe('measuredAcceptance', () => {
  it('vLLM: acceptance length = 1 + accepted ÷ drafts; rate = accepted ÷ draft tokens', () => {
    // 100 drafts of 3 tokens, 180 accepted: length 1 + 180/100 = 2.8, rate 180/300 = 0.6.
    const m = measuredAcceptance({ source: 'vllm', drafts: 100, draftTokens: 300, acceptedTokens: 180 });
    expect(m.acceptanceLength).toBeCloseTo(2.8, 12);
    expect(m.acceptanceRate).toBeCloseTo(0.6, 12);
    expect(m.meanDraftLength).toBe(3);
    expect(m.label).toBe('measured');
    // implied α at γ = 3: (1 − α^4)/(1 − α) = 2.8
    const a = m.impliedAlpha!;
    expect((1 - a ** 4) / (1 - a)).toBeCloseTo(2.8, 6);
  });

  it('llama.cpp: steps = generated − accepted, so length = generated ÷ (generated − accepted)', () => {
    // 200 tokens generated, 120 drafted, 80 accepted → 120 steps, length 200/120 = 1.667, rate 80/120.
    const m = measuredAcceptance({ source: 'llama.cpp', draftTokens: 120, draftAccepted: 80, generatedTokens: 200 });
    expect(m.acceptanceLength).toBeCloseTo(200 / 120, 12);
    expect(m.acceptanceRate).toBeCloseTo(80 / 120, 12);
    expect(
      measuredAcceptance({ source: 'llama.cpp', draftTokens: 120, draftAccepted: 80 }).acceptanceLength,
    ).toBeNull();
  });

  it('SGLang and OpenAI predicted outputs', () => {
    expect(
      measuredAcceptance({ source: 'sglang', verifyCount: 50, completionTokens: 160 }).acceptanceLength,
    ).toBeCloseTo(3.2, 12);
    const p = measuredAcceptance({
      source: 'openai-predicted',
      acceptedPredictionTokens: 300,
      rejectedPredictionTokens: 100,
    });
    expect(p.acceptanceRate).toBe(0.75);
    expect(p.acceptanceLength).toBeNull();
  });

  it('reads llama.cpp timings and predicted-output usage from a run’s events', () => {
    const s = serverStatsFromEvents([
      { kind: 'token', channel: 'answer', text: 'x' },
      { kind: 'serverTiming', evalCount: 200, evalDurationMs: 900, draftTokens: 120, draftAccepted: 80 },
      { kind: 'usage', usage: { outputTokens: 200, acceptedPredictionTokens: 30, rejectedPredictionTokens: 10 } },
    ]);
    expect(s).toEqual([
      { source: 'llama.cpp', draftTokens: 120, draftAccepted: 80, generatedTokens: 200 },
      { source: 'openai-predicted', acceptedPredictionTokens: 30, rejectedPredictionTokens: 10 },
    ]);
    expect(serverStatsFromEvents([{ kind: 'serverTiming', evalCount: 10 }])).toEqual([]);
  });
});
