import { describe, expect, it } from 'vitest';
import {
  CSV_COLUMNS,
  csvField,
  exportReport,
  mdCell,
  reportToCsv,
  reportToMarkdown,
} from '../../src/core/report/export';
import { run, report, result, sampleReport } from './fixtures';

/** Minimal RFC 4180 parser for the round trip. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('CSV export', () => {
  it('has one row per measured run under a fixed header', () => {
    const rows = parseCsv(reportToCsv(sampleReport()));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + 6);
    const col = (name: string) => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
    expect(rows[1][col('model_id')]).toBe('deepseek-v4-flash');
    expect(rows[1][col('decode_tps')]).toBe('80');
    expect(rows[4][col('ok')]).toBe('false');
    expect(rows[4][col('error_kind')]).toBe('auth');
    expect(rows[4][col('ttft_ms')]).toBe('');
  });

  it('leaves warm-up runs out', () => {
    const r = report([result('a', 'CN', [run({ warmup: true }), run()])]);
    expect(parseCsv(reportToCsv(r))).toHaveLength(2);
  });

  it('quotes and neutralises formulas in text fields', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
    expect(csvField(NaN)).toBe('');
  });
});

describe('Markdown export', () => {
  const md = reportToMarkdown(sampleReport());

  it('has a summary table with best values in bold and the region rows', () => {
    expect(md).toContain('| Model | Region | Runs ok | TTFT (ms) |');
    expect(md).toMatch(/\| deepseek-v4-flash label \\\(deepseek-v4-flash\\\) \| CN \| 2\/2 \|/);
    expect(md).toContain('**85.0 ±5.0**');
    expect(md).toContain('## By region');
    expect(md).toMatch(/\| CN \| 2 \|/);
  });

  it('lists failures with markup escaped', () => {
    expect(md).toContain('## Notes');
    expect(md).toContain('\\<b\\>bold\\</b\\>');
  });

  it('mdCell keeps a cell on one line and escapes pipes', () => {
    expect(mdCell('a | b\nc')).toBe('a \\| b c');
  });

  it('exportReport picks the format', () => {
    const r = sampleReport();
    expect(JSON.parse(exportReport(r, 'json'))).toEqual(r);
    expect(exportReport(r, 'csv').startsWith('model_id,')).toBe(true);
    expect(exportReport(r, 'markdown').startsWith('# Tokenscope benchmark')).toBe(true);
  });
});
