import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LiveReport } from '../../src/core/report/live';
import { emptyResult, recordRun, reportHeader } from '../../src/core/report/reportParts';
import type { ModelSpec } from '../../src/core/types';
import { run } from '../extension/fixtures';

const spec: ModelSpec = {
  id: 'glm-4.6',
  region: 'CN',
  protocol: 'openai-chat',
  model: 'glm-4.6',
  baseUrl: 'https://open.bigmodel.cn/api/paas/v4',
  apiKeyEnv: 'ZHIPU_API_KEY',
};
const settings = { runs: 3, warmup: 1, concurrency: 1, maxTokens: 512, timeoutMs: 120_000 };

describe('report parts shared by the runner and the live report', () => {
  it('the header keeps the prompt as its length and SHA-256 only', () => {
    const prompt = '请用三句话解释量子纠缠。';
    const h = reportHeader(prompt, settings, '2026-12-03T12:00:00.000Z');
    expect(h.prompt).toEqual({ chars: prompt.length, sha256: createHash('sha256').update(prompt).digest('hex') });
    expect(JSON.stringify(h)).not.toContain('量子');
    expect(h.finishedAt).toBe(h.startedAt);
  });

  it('the live report starts from the same header and empty results as the runner', () => {
    const now = new Date('2026-12-03T12:00:00.000Z');
    const live = new LiveReport([spec], 'p', settings, now).current;
    expect(live).toEqual({ ...reportHeader('p', settings, now.toISOString()), results: [emptyResult(spec)] });
  });

  it('a result keeps the host of its base URL, never its path; runs count by outcome', () => {
    const r = emptyResult(spec);
    expect(r.host).toBe('open.bigmodel.cn');
    recordRun(r, run());
    recordRun(r, run({ ok: false, errorKind: 'timeout' }));
    recordRun(r, run({ ok: false, errorKind: 'cancelled' }));
    expect([r.okRuns, r.failedRuns, r.cancelledRuns, r.runs.length]).toEqual([1, 1, 1, 3]);
  });
});
