// Helpers of the end-to-end suite that are about Tokenscope's UI (the generic VS Code driving is in
// scripts/e2e/vscode.mjs): picking models in the quick pick, reading the results panel and the leaderboard,
// the editor hover, the test server's ground truth, and colour contrast inside a webview.
import { findFrameWith, waitForQuickInput } from '../../scripts/e2e/vscode.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; returns it. Throws with `what` and the last value on timeout. */
export async function waitFor(fn, { timeoutMs = 15_000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `; last error: ${lastError.message}` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}

export function check(cond, message) {
  if (!cond) throw new Error(message);
}

export function median(xs) {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** |shown − expected| within max(rel·expected, abs). Returns a description for failure messages. */
export function within(shown, expected, { rel = 0, abs = 0 }) {
  const tol = Math.max(Math.abs(expected) * rel, abs);
  return { ok: shown !== null && Number.isFinite(shown) && Math.abs(shown - expected) <= tol, tol };
}

// ------------------------------------------------------------------------------------------------ quick pick

const QUICK_INPUT = '.quick-input-widget';

/**
 * In the open "Tokenscope: models to benchmark" quick pick, checks exactly the models `wanted` among `all`
 * (model ids) the way a person does: filter by the id, tick or untick the row's checkbox; then Enter.
 */
export async function pickModels(page, wanted, all, { timeoutMs = 15_000 } = {}) {
  await waitForQuickInput(page, 'Tokenscope: models to benchmark', { timeoutMs });
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  for (const id of all) {
    await input.fill(id);
    const row = page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`, {
      has: page.locator('.label-description', { hasText: `${id} ·` }),
    });
    await row.first().waitFor({ state: 'visible', timeout: timeoutMs });
    const want = wanted.includes(id);
    const isChecked = async () => (await row.first().getAttribute('aria-checked')) === 'true';
    if ((await isChecked()) !== want) {
      await row.first().locator('input.quick-input-list-checkbox').click();
      await waitFor(async () => (await isChecked()) === want, {
        timeoutMs,
        what: `${id} to be ${want ? 'checked' : 'unchecked'}`,
      });
    }
  }
  await input.fill('');
  // Nothing else (no built-in model) may be checked.
  const count = page.locator(`${QUICK_INPUT} .quick-input-count`);
  await waitFor(async () => (await count.innerText()).trim() === `${wanted.length} Selected`, {
    timeoutMs,
    what: `the quick pick to show "${wanted.length} Selected" (shows "${await count.innerText().catch(() => '?')}")`,
  });
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: timeoutMs });
}

/**
 * In an open quick pick: types `text`, highlights the entry labelled exactly `label` (moving down with the arrow
 * keys when another entry ranks first, as a person would) and accepts it with Enter.
 */
export async function chooseInQuickPick(page, text, label, { timeoutMs = 15_000 } = {}) {
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(text, { timeout: timeoutMs }).catch(async (e) => {
    const state = await page.evaluate(() => {
      const w = document.querySelector('.quick-input-widget');
      const i = w?.querySelector('.quick-input-box input');
      return {
        display: w?.style.display,
        title: w?.querySelector('.quick-input-title')?.textContent,
        value: i?.value,
        disabled: i?.disabled,
        readOnly: i?.readOnly,
        inputs: w?.querySelectorAll('input').length,
        active: document.activeElement?.outerHTML.slice(0, 120),
      };
    });
    throw new Error(`could not type "${text}" into the quick pick (${JSON.stringify(state)}): ${e.message}`);
  });
  const rowLabels = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('.quick-input-list .monaco-list-row')].map((r) => ({
        label: r.querySelector('.label-name')?.textContent.trim(),
        focused: r.classList.contains('focused'),
      })),
    );
  await waitFor(async () => (await rowLabels()).some((r) => r.label === label), {
    timeoutMs,
    what: `an entry "${label}" in the quick pick`,
  });
  const n = (await rowLabels()).length;
  for (let i = 0; i <= n && !(await rowLabels()).some((r) => r.focused && r.label === label); i++)
    await page.keyboard.press('ArrowDown');
  check(
    (await rowLabels()).some((r) => r.focused && r.label === label),
    `could not highlight "${label}" in the quick pick`,
  );
  await page.keyboard.press('Enter');
}

/** Types into an open input box (e.g. a password prompt) whose title contains `title`, then Enter. */
/** Answers a modal dialog whose text contains `text` by clicking the button labelled `button`; returns the dialog's text. */
export async function answerDialog(page, text, button, { timeoutMs = 15_000, before } = {}) {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text }).first();
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const shown = (await dialog.innerText()).trim();
  if (before) await before(shown);
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'hidden', timeout: timeoutMs });
  return shown;
}

export async function answerInputBox(page, title, value, { timeoutMs = 15_000 } = {}) {
  await waitForQuickInput(page, title, { timeoutMs });
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.fill(value);
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: timeoutMs });
}

// ------------------------------------------------------------------------------------------------- editor

/** Selects a whole line of the active editor with the keyboard: Go to Line (Ctrl+G), Home, Shift+End. */
export async function selectLine(page, line) {
  await page.keyboard.press('Control+g');
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 });
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
}

/** The status bar entry of Tokenscope's selection token count: its text ("17 tok"), or null when hidden. */
export async function statusBarTokens(page) {
  return page.evaluate(() => {
    const el = document.querySelector('.statusbar-item[id$="selectionTokens"]');
    return el && el.offsetParent !== null ? el.textContent.trim() : null;
  });
}

// ------------------------------------------------------------------------------------------ results panel

export const resultsFrame = (page, timeoutMs = 20_000) => findFrameWith(page, '#results-status', timeoutMs);
export const sidebarFrame = (page, timeoutMs = 20_000) => findFrameWith(page, '#leaderboard-status', timeoutMs);

/** Everything the results panel shows that the suite checks, read from its DOM hooks. */
export async function readResults(frame) {
  return frame.evaluate(() => {
    const status = document.querySelector('#results-status');
    const num = (v) => (v === undefined || v === null || v === '' ? null : Number(v));
    const cellsOf = (tr) => {
      const cells = {};
      for (const td of tr.querySelectorAll('td[data-metric]')) {
        cells[td.dataset.metric] = {
          value: num(td.dataset.value),
          text: (td.childNodes[0]?.textContent ?? '').trim(),
          best: td.dataset.best === 'true',
        };
      }
      return cells;
    };
    const rows = [...document.querySelectorAll('#results-table tbody tr[data-model-id]')].map((tr) => {
      const runs = tr.querySelector('td[data-field=runs]');
      return {
        id: tr.dataset.modelId,
        region: tr.dataset.region,
        status: tr.dataset.status,
        badge: tr.querySelector('[data-field="status"]')?.textContent ?? null,
        ok: Number(runs?.dataset.ok),
        failed: Number(runs?.dataset.failed),
        cells: cellsOf(tr),
      };
    });
    const aggregates = [...document.querySelectorAll('#results-table tfoot tr[data-aggregate-region]')].map((tr) => ({
      region: tr.dataset.aggregateRegion,
      cells: cellsOf(tr),
    }));
    const cancel = document.querySelector('#cancel-benchmark');
    const progress = document.querySelector('#results-progress');
    return {
      running: status?.dataset.running ?? null,
      statusText: status?.textContent ?? '',
      rows,
      aggregates,
      cancelVisible: !!cancel && !cancel.hidden && cancel.offsetParent !== null,
      progressVisible: !!progress && !progress.hidden && progress.offsetParent !== null,
      warnings: [...document.querySelectorAll('#warnings li')].map((li) => li.textContent),
      prompt: document.querySelector('#results-prompt')?.textContent ?? '',
      demo: !document.querySelector('#demo-banner')?.hidden,
      caption: document.querySelector('#results-table caption')?.textContent ?? '',
      exportDisabled: !!document.querySelector('#export-json')?.disabled,
      exportReason: document.querySelector('#export-reason')?.textContent ?? '',
    };
  });
}

/** Waits until the panel shows a finished benchmark of exactly `ids` with `runs` runs each; returns it. */
export async function waitForFinishedResults(page, ids, runs, { timeoutMs = 60_000 } = {}) {
  let last;
  return waitFor(
    async () => {
      const frame = await resultsFrame(page, 1000);
      last = await readResults(frame);
      const same = last.rows.length === ids.length && ids.every((id) => last.rows.some((r) => r.id === id));
      // A model whose every run failed is finished too: its row says 'failed'.
      const done =
        last.running === 'false' &&
        last.rows.every((r) => (r.status === 'done' || r.status === 'failed') && r.ok + r.failed === runs);
      return same && done ? { frame, results: last } : null;
    },
    {
      timeoutMs,
      intervalMs: 200,
      what: `finished results for ${ids.join(', ')} (last seen: ${JSON.stringify(last?.rows?.map((r) => [r.id, r.status, r.ok, r.failed]))}, running ${last?.running})`,
    },
  );
}

/** Number of pixels drawn (alpha > 0) on a canvas in the frame: 0 for an empty chart. */
export async function canvasInk(frame, selector) {
  return frame.evaluate((sel) => {
    const c = document.querySelector(sel);
    if (!c || !c.width || !c.height) return 0;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  }, selector);
}

// ------------------------------------------------------------------------------------------------ sidebar

export async function readLeaderboard(frame) {
  return frame.evaluate(() => {
    const read = (sel, key) =>
      [...document.querySelectorAll(`${sel} tbody tr`)].map((tr) => {
        const cells = {};
        for (const td of tr.querySelectorAll('td[data-metric]'))
          cells[td.dataset.metric] = td.dataset.value === undefined ? null : Number(td.dataset.value);
        return { key: tr.dataset[key], cells, runs: Number(tr.querySelector('td[data-field=runs]')?.dataset.runs) };
      });
    const empty = document.querySelector('#leaderboard-empty');
    return {
      empty: !!empty && !empty.hidden,
      models: read('#leaderboard-models', 'modelId'),
      regions: read('#leaderboard-regions', 'region'),
    };
  });
}

// ---------------------------------------------------------------------------------------------- test server

/** The test server's records of model `name` received since `sinceEpochMs`. */
export async function recordsOf(server, name, sinceEpochMs) {
  return (await server.records()).filter((r) => r.model === name && r.receivedAtEpochMs >= sinceEpochMs);
}

// ------------------------------------------------------------------------------------------------ contrast

/**
 * Contrast of every visible text in the frame against its effective background (WCAG 2 ratio), with
 * semi-transparent colours and backgrounds composited. Disabled controls and visually hidden text are skipped
 * (WCAG exempts them). Returns { theme, checked, min, worst: [{ text, where, ratio, fg, bg }] } sorted worst first.
 */
export async function contrastReport(frame) {
  return frame.evaluate(() => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const p = m[1]
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, below) => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat(1);
    };
    const lum = (c) => {
      const f = (v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c[3] > 0) layers.push(c);
        if (c && c[3] === 1) break;
      }
      let bg = [255, 255, 255, 1];
      for (const l of layers.reverse()) bg = over(l, bg);
      return bg;
    };
    const hiddenByAncestor = (el) => {
      for (let e = el; e; e = e.parentElement) {
        if (e.hidden || e.classList.contains('visually-hidden')) return true;
        const s = getComputedStyle(e);
        if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return true;
        if (e.matches('button:disabled, select:disabled, input:disabled')) return true;
      }
      return false;
    };
    const results = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (['SCRIPT', 'STYLE', 'CANVAS', 'OPTION'].includes(el.tagName)) continue;
      const text = [...el.childNodes]
        .filter((n) => n.nodeType === 3)
        .map((n) => n.textContent)
        .join('')
        .trim();
      if (!text) continue;
      if (!el.getClientRects().length || hiddenByAncestor(el)) continue;
      const bg = background(el);
      let fg = parse(getComputedStyle(el).color);
      if (!fg) continue;
      // Opacity of ancestors fades the text towards the background.
      let opacity = 1;
      for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      fg = over([fg[0], fg[1], fg[2], fg[3] * opacity], bg);
      const where = el.id
        ? `#${el.id}`
        : `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`;
      results.push({
        text: text.slice(0, 40),
        where,
        ratio: Math.round(ratio(fg, bg) * 100) / 100,
        fg: fg.slice(0, 3).map(Math.round),
        bg: bg.slice(0, 3).map(Math.round),
      });
    }
    results.sort((a, b) => a.ratio - b.ratio);
    return {
      theme: document.body.className,
      checked: results.length,
      min: results.length ? results[0].ratio : null,
      worst: results.slice(0, 12),
      all: results,
    };
  });
}

/** WCAG 2 contrast ratio of two opaque colours given as [r, g, b]. */
export function contrastRatio(a, b) {
  const lum = (c) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/**
 * The text colours Chart.js resolved for each chart the webview registered on window.tokenscopeCharts (see
 * media/src/lib/theme.ts) — legend labels, and each shown axis's tick labels and title — with their contrast
 * against the page background (translucent colours composited). Charts whose canvas is not displayed are
 * listed with visible: false. Returns { theme, background, charts: [{ name, visible, datasets, parts: [{ part,
 * color, ratio }] }] }; a colour Chart.js holds as something other than a CSS string has ratio null.
 */
export async function chartColours(frame) {
  const raw = await frame.evaluate(() => {
    const probe = document.createElement('span');
    document.body.append(probe);
    // The browser's own parser turns any CSS colour into rgb()/rgba().
    const rgba = (css) => {
      probe.style.color = '';
      probe.style.color = css;
      const m = /rgba?\(([^)]+)\)/.exec(getComputedStyle(probe).color);
      const p = m
        ? m[1]
            .split(/[\s,/]+/)
            .filter(Boolean)
            .map(Number)
        : null;
      return p ? [p[0], p[1], p[2], p.length > 3 ? p[3] : 1] : null;
    };
    const displayed = (el) => !!el && el.getClientRects().length > 0 && !el.closest('[hidden]');
    const charts = Object.entries(window.tokenscopeCharts ?? {}).map(([name, c]) => {
      const parts = [];
      const add = (part, color) =>
        parts.push({
          part,
          css: typeof color === 'string' ? color : `(${typeof color})`,
          rgba: typeof color === 'string' ? rgba(color) : null,
        });
      if (c.legend && c.legend.options.display !== false) add('legend', c.legend.options.labels.color);
      for (const [id, s] of Object.entries(c.scales ?? {})) {
        if (s.options.display === false) continue;
        if (s.options.ticks?.display !== false) add(`${id} ticks`, s.options.ticks.color);
        if (s.options.title?.display) add(`${id} title`, s.options.title.color);
      }
      return { name, visible: displayed(c.canvas), datasets: c.data?.datasets?.length ?? 0, parts };
    });
    const bg = rgba(getComputedStyle(document.body).backgroundColor);
    probe.remove();
    return { theme: document.body.className, background: bg, charts };
  });
  // The body's background over white (a webview's canvas); then each colour over that.
  const over = (top, below) => [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3]));
  const bg = raw.background ? over(raw.background, [255, 255, 255]) : [255, 255, 255];
  return {
    theme: raw.theme,
    background: `rgb(${bg.map(Math.round).join(', ')})`,
    charts: raw.charts.map((c) => ({
      ...c,
      parts: c.parts.map((p) => ({
        part: p.part,
        color: p.css,
        ratio: p.rgba ? Math.round(contrastRatio(over(p.rgba, bg), bg) * 100) / 100 : null,
      })),
    })),
  };
}

/**
 * Scrolls one cell of the results table into view the way a browser does for a person (scrollIntoView inside its
 * scroll box, from the far left) and returns where the cell and its row's model name end up, in the webview's
 * coordinates, with what is drawn on top at their centres (so a cell hidden under the sticky model column shows).
 */
export async function revealTableCell(frame, cellSelector) {
  return frame.evaluate(
    (sel) =>
      new Promise((resolve) => {
        const box = document.querySelector('#results-table-container');
        const cell = document.querySelector(sel);
        if (!box || !cell) return resolve(null);
        box.scrollLeft = 0;
        cell.scrollIntoView({ block: 'nearest', inline: 'nearest' });
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const rect = (e) => {
              const b = e.getBoundingClientRect();
              return {
                left: Math.round(b.left),
                right: Math.round(b.right),
                top: Math.round(b.top),
                bottom: Math.round(b.bottom),
              };
            };
            const model = cell.closest('tr').querySelector('th[scope="row"]');
            const onTop = (e) => {
              const r = e.getBoundingClientRect();
              const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
              return !!hit && e.contains(hit);
            };
            resolve({
              cell: rect(cell),
              model: rect(model),
              box: rect(box),
              viewportWidth: window.innerWidth,
              scrollLeft: Math.round(box.scrollLeft),
              scrollWidth: box.scrollWidth,
              clientWidth: box.clientWidth,
              cellOnTop: onTop(cell),
              modelOnTop: onTop(model),
            });
          }),
        );
      }),
    cellSelector,
  );
}
