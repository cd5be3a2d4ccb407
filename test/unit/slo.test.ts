import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config';
import { readEditorSettings } from '../../src/core/editorSettings';
import { applySlo, evaluateSlo, parseSlo, runMeetsSlo, sloProblem } from '../../src/core/slo';
import { formatReportTable } from '../../src/core/report/table';
import { report, result, run } from '../extension/fixtures';

describe('parseSlo', () => {
  it('reads the documented syntax, with units and spaces', () => {
    const t = parseSlo('ttft<=800, ttfo <= 2s ,tps>=30,e2e<10000');
    expect(t.map(({ metric, op, value }) => [metric, op, value])).toEqual([
      ['ttftMs', '<=', 800],
      ['ttfoMs', '<=', 2000],
      ['decodeTps', '>=', 30],
      ['e2eMs', '<', 10000],
    ]);
    expect(t[1].term).toBe('ttfo<=2s');
  });

  it.each([
    ['ttft<=800,tpz>=3', /"tpz>=3": unknown metric "tpz"/],
    ['ttft=800', /"ttft=800" is not of the form/],
    ['ttft<=800,', /empty term/],
    ['', /empty/],
    ['tps>=30s', /unit "s" is not accepted for tps/],
    ['ttft<=800,ttft<900', /ttft already has an upper limit/],
    ['ttft<=abc', /"ttft<=abc" is not of the form/],
  ])('refuses %j naming the bad term', (text, message) => {
    expect(() => parseSlo(text)).toThrow(message);
    expect(sloProblem(text)).toMatch(message);
  });

  it('a config with a bad settings.slo is refused naming the field and the term', () => {
    const text = JSON.stringify({ models: [{ id: 'deepseek-v4-flash' }], settings: { slo: 'ttft<=800,speed>=3' } });
    expect(() => parseConfig(text, 'c.json')).toThrow(
      /c\.json: settings\.slo: SLO term "speed>=3": unknown metric "speed"/,
    );
    expect(parseConfig(text.replace('speed', 'tps'), 'c.json').settings.slo).toBe('ttft<=800,tps>=3');
  });
});

describe('the editor setting tokenscope.slo', () => {
  it('unset is no SLO; valid gives targets; invalid names the term', () => {
    const read = (slo: unknown) => readEditorSettings((k) => (k === 'slo' ? slo : undefined)).slo;
    expect(read(undefined)).toEqual({ targets: [], problem: null });
    expect(read('  ')).toEqual({ targets: [], problem: null });
    expect(read('tps>=30').targets.map((t) => t.metric)).toEqual(['decodeTps']);
    expect(read('tps>=30,lag<=3')).toEqual({
      targets: [],
      problem: expect.stringMatching(/SLO term "lag<=3": unknown metric "lag"/),
    });
  });
});

describe('evaluateSlo', () => {
  const targets = parseSlo('ttft<=500,tps>=40');

  it('counts runs that met every target; failed runs and missing values miss', () => {
    expect(runMeetsSlo(run({ ttftMs: 500, decodeTps: 40 }), targets)).toBe(true);
    expect(runMeetsSlo(run({ ttftMs: 501, decodeTps: 90 }), targets)).toBe(false);
    expect(runMeetsSlo(run({ ttftMs: 100, decodeTps: null }), targets)).toBe(false);
    expect(runMeetsSlo(run({ ok: false, ttftMs: 100, decodeTps: 90 }), targets)).toBe(false);
  });

  it('met/total/share and goodput = concurrency × met ÷ Σ run time', () => {
    const runs = [
      run({ ttftMs: 200, decodeTps: 50, e2eMs: 1000 }),
      run({ ttftMs: 600, decodeTps: 50, e2eMs: 3000 }),
      run({ ttftMs: 300, decodeTps: 45, e2eMs: 2000 }),
      run({ ok: false, errorKind: 'server', ttftMs: null, decodeTps: null, e2eMs: null, setupMs: 2000 }),
      run({ ok: false, errorKind: 'cancelled', ttftMs: null, e2eMs: null }),
    ];
    const slo = evaluateSlo(result('m', 'CN', runs), targets, 4);
    expect(slo).toMatchObject({ met: 2, total: 4, share: 0.5, concurrency: 4 });
    // 4 clients × 2 good requests ÷ (1 + 3 + 2 + 2) s of busy time
    expect(slo.goodputRps).toBeCloseTo(1, 10);
  });

  it('two models, one meeting and one missing: report and table say so', () => {
    const rep = report([
      result('quick', 'CN', [run({ ttftMs: 100, decodeTps: 80 }), run({ ttftMs: 120, decodeTps: 70 })]),
      result('sluggish', 'US', [run({ ttftMs: 900, decodeTps: 80 }), run({ ttftMs: 300, decodeTps: 20 })]),
    ]);
    applySlo(rep, targets);
    expect(rep.settings.slo).toBe('ttft<=500,tps>=40');
    expect(rep.results.map((r) => [r.slo!.met, r.slo!.total])).toEqual([
      [2, 2],
      [0, 2],
    ]);
    const table = formatReportTable(rep);
    expect(table).toMatch(/quick .*2\/2 \(100%\)/);
    expect(table).toMatch(/sluggish .*0\/2 \(0%\)/);
    expect(table).toMatch(/SLO ttft<=500,tps>=40/);
  });
});
