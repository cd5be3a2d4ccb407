// @vitest-environment happy-dom
/**
 * Hostile model output and names in the webviews: HTML/JS (<script>, <img onerror>, javascript: links, SVG,
 * iframes), ANSI escapes, bidi controls, NUL bytes and a very long line. Everything renders as inert text,
 * exactly as received; text from models, providers and settings sits in direction-isolated elements (dir="auto",
 * which the HTML user-agent style sheet isolates), so a stray U+202E cannot reorder the panel's own text; and
 * long lines wrap inside a bounded, scrollable box.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createResultsApp } from '../../media/src/lib/resultsRender';
import { createSidebarApp } from '../../media/src/lib/sidebarRender';
import type { LeaderboardRow } from '../../src/core/history/contract';
import { buildLeaderboardView } from '../../src/core/report/leaderboardView';
import { buildResultsView } from '../../src/core/report/resultsView';
import { parseResultsToWebview } from '../../src/shared/protocol/results';
import { failedRun, report, result, run } from './fixtures';

const HTML =
  '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"><a href="javascript:window.pwned=3">click</a>[md](javascript:alert(1))<svg onload="window.pwned=4"></svg><iframe srcdoc="<script>parent.pwned=5</script>"></iframe><style>*{display:none}</style>';
const ANSI = '\u001b[31mred\u001b[0m \u001b]0;title\u0007 \u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\';
const BIDI = 'safe \u202eevil.exe\u202c \u2067rtl\u2069 \u200fmark';
const NUL = 'before\u0000after';
const LONG = 'x'.repeat(1_000_000);
const ANSWER = `${HTML} ${ANSI} ${BIDI} ${NUL}`;
const LABEL = `Model <b>bold</b> \u202eevil ${ANSI}`;
const ID = 'evil"] [onclick=x] <i>';

function hostileReport() {
  return report([
    result(
      ID,
      'CN',
      [
        run({ answerText: ANSWER, reasoningText: `${HTML}${BIDI}`, notes: [`note ${HTML} ${BIDI}`] }),
        failedRun(`${ID} (host): server error (HTTP 500: ${HTML} ${BIDI} ${NUL})`, 'server'),
      ],
      { label: LABEL, warnings: [`warning ${HTML} ${BIDI}`] },
    ),
    result('long-line', 'US', [run({ answerText: LONG })]),
  ]);
}

function received(r = hostileReport()) {
  const msg = parseResultsToWebview(JSON.parse(JSON.stringify({ type: 'results', view: buildResultsView(r) })));
  if (msg?.type !== 'results') throw new Error('the view did not validate');
  return msg.view;
}

/** Elements and attributes that would mean model text became markup. */
function expectInert(root: HTMLElement) {
  expect(
    root.querySelectorAll('script, img, iframe, svg, object, embed, style, link, meta, a, b, i, form').length,
  ).toBe(0);
  for (const node of Array.from(root.querySelectorAll('*'))) {
    for (const attr of Array.from(node.attributes)) {
      expect(attr.name, `<${node.tagName.toLowerCase()} ${attr.name}>`).not.toMatch(/^on/i);
      expect(attr.value).not.toMatch(/^\s*javascript:/i);
      expect(['href', 'src', 'srcdoc', 'style', 'action', 'formaction']).not.toContain(attr.name);
    }
  }
  expect((window as { pwned?: unknown }).pwned).toBeUndefined();
}

/** The element holding exactly `text` isolates its direction. */
function expectIsolated(el: Element | null, what: string) {
  expect(el, what).not.toBeNull();
  expect(el!.getAttribute('dir'), `${what} has dir="auto"`).toBe('auto');
}

describe('results panel with hostile output', () => {
  beforeEach(() => {
    delete (window as { pwned?: unknown }).pwned;
    document.body.innerHTML = '<main id="app"></main>';
  });

  it('renders HTML/JS, ANSI, bidi and NUL as inert text, exactly as received', () => {
    const root = document.getElementById('app')!;
    createResultsApp(
      root,
      () => {},
      () => ({ update() {} }),
    ).render(received());
    expectInert(root);
    const answer = root.querySelector('pre.answer-text')!;
    expect(answer.textContent).toBe(ANSWER);
    expect(answer.children).toHaveLength(0);
    expect(root.querySelector('pre.reasoning-text')!.textContent).toBe(`${HTML}${BIDI}`);
    expect(root.querySelector('.run-error p')!.textContent).toContain(HTML);
    expect(root.querySelector('.run-notes li')!.textContent).toBe(`note ${HTML} ${BIDI}`);
    expect(root.querySelector('#warnings li')!.textContent).toBe(`warning ${HTML} ${BIDI}`);
    // A hostile id is only an attribute value: the row is found by it and nothing else changed.
    const rows = Array.from(root.querySelectorAll('#results-table tbody tr'));
    expect(rows.map((r) => r.getAttribute('data-model-id'))).toEqual([ID, 'long-line']);
    expect(rows[0].querySelector('.label')!.textContent).toBe(LABEL);
  });

  it('isolates the direction of every text that came from a model, a provider or settings', () => {
    const root = document.getElementById('app')!;
    createResultsApp(
      root,
      () => {},
      () => ({ update() {} }),
    ).render(received());
    expectIsolated(root.querySelector('#results-table tbody tr .label'), 'table label');
    expectIsolated(root.querySelector('details.model-output summary .label'), 'outputs label');
    expectIsolated(root.querySelector('pre.answer-text'), 'answer');
    expectIsolated(root.querySelector('pre.reasoning-text'), 'reasoning');
    expectIsolated(root.querySelector('.run-error p'), 'error');
    expectIsolated(root.querySelector('.run-notes li'), 'note');
    expectIsolated(root.querySelector('#warnings li'), 'warning');
    // The panel's own words after a label are outside the isolate, so "— 1 ok, 1 failed" reads as written.
    const summary = root.querySelector('details.model-output summary')!;
    expect(summary.querySelector('.label')!.nextSibling!.textContent).toBe(' — 1 ok, 1 failed');
  });

  it('keeps a 1 MB line whole, in a box that wraps and scrolls', () => {
    const root = document.getElementById('app')!;
    createResultsApp(
      root,
      () => {},
      () => ({ update() {} }),
    ).render(received());
    const long = root.querySelector('details[data-model-id="long-line"] pre.answer-text')!;
    expect(long.textContent!.length).toBe(LONG.length);
    const css = readFileSync(join(__dirname, '../../media/results.css'), 'utf8');
    const rule = /pre\.answer-text,\s*pre\.reasoning-text \{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(rule).toMatch(/white-space: pre-wrap/);
    expect(rule).toMatch(/(word-break: break-word|overflow-wrap: anywhere)/);
    expect(rule).toMatch(/max-height: \d+px/);
    expect(rule).toMatch(/overflow: auto/);
    const errorRule = /\.run-error p \{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(errorRule).toMatch(/overflow-wrap: anywhere/);
  });
});

describe('sidebar leaderboard with hostile names', () => {
  const row = (key: string, label?: string): LeaderboardRow => ({
    key,
    ...(label ? { label } : {}),
    region: 'CN',
    runs: 2,
    failedRuns: 0,
    medianDecodeTps: 50,
    medianNormalizedTps: 45,
    medianTtftMs: 300,
    costPerMOutput: 1,
    lastRun: '2025-11-30T10:00:00Z',
  });

  it('renders labels and keys as inert, isolated text', () => {
    document.body.innerHTML = '<main id="app"></main>';
    const root = document.getElementById('app')!;
    createSidebarApp(root, () => {}).render(
      buildLeaderboardView(
        { models: [row(ID, LABEL), row(`key ${HTML}`)], regions: [row('CN')] },
        { category: 'all', range: 'all' },
        4,
        [`warn ${HTML}`],
      ),
    );
    expectInert(root);
    const th = Array.from(root.querySelectorAll('#leaderboard-models tbody tr'))
      .find((tr) => tr.getAttribute('data-model-id') === ID)!
      .querySelector('th')!;
    expect(th.textContent).toContain(LABEL);
    expectIsolated(th.querySelector('.label'), 'leaderboard label');
    expect(root.querySelectorAll('#leaderboard-models tbody tr')).toHaveLength(2);
  });
});
