// @vitest-environment happy-dom
/** Same model, different hosts, and where each cost's price came from: in the table, the exports and the panel. */
import { describe, expect, it } from 'vitest';
import { reportToCsv, reportToMarkdown } from '../../src/core/report/export';
import { hostGroups, priceSourceLine } from '../../src/core/report/hostGroups';
import { buildResultsView } from '../../src/core/report/resultsView';
import { formatReportTable } from '../../src/core/report/table';
import type { PriceSource } from '../../src/core/types';
import { isResultsView } from '../../src/shared/protocol/results';
import { createResultsApp } from '../../media/src/lib/resultsRender';
import { report, result, run } from './fixtures';

const genai = (providerId: string, modelId: string): PriceSource => ({
  kind: 'genai-prices',
  package: '@pydantic/genai-prices',
  version: '0.1.8',
  data: 'bundled',
  dataDate: '2026-09-23',
  providerId,
  modelId,
});

/** DeepSeek V4 Flash from three hosts (Fireworks fastest, DeepSeek cheapest), plus an unrelated US model and an unpriced one. */
function hostsReport() {
  return report([
    result(
      'deepseek-v4-flash',
      'CN',
      [
        run({ decodeTps: 60, ttftMs: 900, costUsd: 0.0001, priceSource: genai('deepseek', 'deepseek-v4-flash') }),
        run({ decodeTps: 62, ttftMs: 950, costUsd: 0.0001, priceSource: genai('deepseek', 'deepseek-v4-flash') }),
      ],
      { provider: 'deepseek', baseModel: 'deepseek-v4-flash' },
    ),
    result(
      'deepseek-v4-flash@openrouter',
      'CN',
      [
        run({
          decodeTps: 70,
          ttftMs: 700,
          costUsd: 0.0003,
          priceSource: genai('openrouter', 'deepseek/deepseek-v4-flash'),
        }),
      ],
      { provider: 'openrouter', baseModel: 'deepseek-v4-flash' },
    ),
    result(
      'deepseek-v4-flash@fireworks',
      'CN',
      [run({ decodeTps: 140, ttftMs: 400, costUsd: 0.0002, priceSource: genai('fireworks', 'deepseek-v4-flash') })],
      { provider: 'fireworks', baseModel: 'deepseek-v4-flash' },
    ),
    result(
      'gpt-6-sol',
      'US',
      [run({ decodeTps: 90, costUsd: 0.002, priceSource: { kind: 'config', readOn: '2026-11-01' } })],
      { provider: 'openai', baseModel: 'gpt-6-sol' },
    ),
    result('qwen3.7-max', 'CN', [run({ decodeTps: 50, costUsd: null })], {
      provider: 'alibaba',
      baseModel: 'qwen3.7-max',
    }),
  ]);
}

describe('hostGroups', () => {
  it('groups results of one base model, fastest first, and names the fastest and the cheapest', () => {
    expect(hostGroups(hostsReport().results)).toEqual([
      {
        baseModel: 'deepseek-v4-flash',
        ids: ['deepseek-v4-flash@fireworks', 'deepseek-v4-flash@openrouter', 'deepseek-v4-flash'],
        fastestId: 'deepseek-v4-flash@fireworks',
        cheapestId: 'deepseek-v4-flash',
      },
    ]);
  });

  it('says which price each model was costed with, and which had none', () => {
    expect(priceSourceLine(hostsReport().results)).toBe(
      'Costs: genai-prices 0.1.8, data of 2026-09-23 (deepseek-v4-flash, deepseek-v4-flash@openrouter, deepseek-v4-flash@fireworks); your config (read 2026-11-01) (gpt-6-sol); no price (qwen3.7-max).',
    );
  });
});

describe('the CLI table and the exports', () => {
  it('the table lists the hosts of each shared model and the price sources', () => {
    const text = formatReportTable(hostsReport());
    expect(text).toContain('Same model, different hosts');
    expect(text).toMatch(
      /deepseek-v4-flash: deepseek-v4-flash@fireworks 140\.0 tok\/s, 400 ms, \$0\.0002 \(fastest\) · deepseek-v4-flash@openrouter 70\.0 tok\/s.* · deepseek-v4-flash 61\.0 tok\/s, 925 ms, \$0\.0001 \(cheapest\)/,
    );
    expect(text).toContain('Costs: genai-prices 0.1.8, data of 2026-09-23 (');
  });

  it('CSV rows carry provider, base model, cache writes and the price source', () => {
    const lines = reportToCsv(hostsReport()).trim().split('\r\n');
    const header = lines[0].split(',');
    expect(header).toEqual(
      expect.arrayContaining(['provider', 'base_model', 'cache_write_input_tokens', 'price_source']),
    );
    // Fields up to base_model hold no commas, so a plain split finds them.
    const fireworks = lines.find((l) => l.startsWith('deepseek-v4-flash@fireworks,'))!;
    const cells = fireworks.split(',');
    expect(cells[header.indexOf('provider')]).toBe('fireworks');
    expect(cells[header.indexOf('base_model')]).toBe('deepseek-v4-flash');
    expect(fireworks).toContain(',0.0002,"genai-prices 0.1.8, data of 2026-09-23",');
    expect(lines.find((l) => l.startsWith('gpt-6-sol,'))).toContain(',0.002,your config (read 2026-11-01),');
    expect(lines.find((l) => l.startsWith('qwen3.7-max,'))).toMatch(/,usage,o200k_base,,,/);
  });

  it('Markdown has a hosts table with the fastest and cheapest in bold', () => {
    const md = reportToMarkdown(hostsReport());
    expect(md).toContain('## Same model, different hosts');
    expect(md).toContain('| deepseek-v4-flash | deepseek-v4-flash@fireworks | fireworks | **140.0** | 400 | $0.0002 |');
    expect(md).toContain('| deepseek-v4-flash | deepseek-v4-flash | deepseek | 61.0 | 925 | **$0.0001** |');
    expect(md).toContain('Costs: genai-prices 0.1.8, data of 2026-09-23 \\(deepseek-v4-flash,');
  });
});

describe('the results panel', () => {
  it('shows the hosts section, and each cost says where its price came from', () => {
    const view = buildResultsView(hostsReport());
    expect(isResultsView(view)).toBe(true);
    expect(view.rows.find((r) => r.id === 'gpt-6-sol')).toMatchObject({
      provider: 'openai',
      baseModel: 'gpt-6-sol',
      priceSource: 'your config (read 2026-11-01)',
    });
    document.body.innerHTML = '<main id="app"></main>';
    const root = document.getElementById('app')!;
    createResultsApp(root, () => {}).render(view);
    const group = root.querySelector('#host-groups table[data-base-model="deepseek-v4-flash"]')!;
    expect(Array.from(group.querySelectorAll('tbody tr')).map((r) => r.getAttribute('data-model-id'))).toEqual([
      'deepseek-v4-flash@fireworks',
      'deepseek-v4-flash@openrouter',
      'deepseek-v4-flash',
    ]);
    expect(group.querySelector('tr[data-fastest="true"]')!.getAttribute('data-model-id')).toBe(
      'deepseek-v4-flash@fireworks',
    );
    expect(group.querySelector('tr[data-cheapest="true"]')!.getAttribute('data-model-id')).toBe('deepseek-v4-flash');
    const cost = root.querySelector(
      '#results-table tr[data-model-id="deepseek-v4-flash@openrouter"] td[data-metric="costUsd"]',
    )!;
    expect(cost.getAttribute('title')).toContain('Priced by genai-prices 0.1.8, data of 2026-09-23');
    expect(
      root
        .querySelector('#results-table tr[data-model-id="qwen3.7-max"] td[data-metric="costUsd"]')!
        .getAttribute('title'),
    ).toContain('No price known');
  });

  it('hides the hosts section when no two results share a model', () => {
    const view = buildResultsView(report([result('a', 'CN', [run()]), result('b', 'US', [run()])]));
    expect(view.hostGroups).toEqual([]);
    document.body.innerHTML = '<main id="app"></main>';
    const root = document.getElementById('app')!;
    createResultsApp(root, () => {}).render(view);
    expect((root.querySelector('#host-groups') as HTMLElement).hidden).toBe(true);
  });
});
