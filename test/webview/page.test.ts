// The panel page in a real browser: dist/webview.js in the document panelHtml produces, CSP on,
// with a fake acquireVsCodeApi standing in for VS Code. Needs `node scripts/build.mjs` first.

import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import type { ConsoleMessage, Page } from 'playwright-core';
import type { HostToPanel, PanelToHost } from '../../src/protocol';
import { formatValue } from '../../src/webview/format';
import * as fx from './fixtures';
import { encodeMessage, launchPanelBrowser, REVIVE, servePanel } from './pageServer';
import { DARK, HIGH_CONTRAST, LIGHT, type ThemeVars } from './themes';

const ROOT = resolve(__dirname, '../../..');
const ARTIFACTS = join(ROOT, 'test-artifacts/webview');

interface Recorded {
  posted: PanelToHost[];
  csp: string[];
}

declare global {
  interface Window {
    __gf: Recorded;
  }
}

/** Runs in the page before its scripts: the fake VS Code API, the theme, a CSP violation log. */
function installFakeVsCode(): void {
  const rec = { posted: [] as unknown[], csp: [] as string[] };
  (window as unknown as { __gf: unknown }).__gf = rec;
  document.addEventListener('securitypolicyviolation', (e) => rec.csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  let acquired = false;
  (window as unknown as { acquireVsCodeApi: unknown }).acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      // VS Code serialises with JSON, so the fake does too (NaN becomes null).
      postMessage: (m: unknown) => rec.posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => {
        const s = sessionStorage.getItem('gf-state');
        return s ? JSON.parse(s) : undefined;
      },
      setState: (s: unknown) => {
        sessionStorage.setItem('gf-state', JSON.stringify(s));
        return s;
      },
    };
  };
  const theme = JSON.parse(sessionStorage.getItem('gf-theme') ?? 'null') as { bodyClass: string; vars: Record<string, string> } | null;
  if (theme) {
    // Init scripts run before <html> exists: apply as soon as each element is parsed.
    let vars = false;
    const apply = (): boolean => {
      if (!vars && document.documentElement) {
        for (const [k, v] of Object.entries(theme.vars)) document.documentElement.style.setProperty(k, v);
        vars = true;
      }
      if (!document.body) return false;
      document.body.className = theme.bodyClass;
      return true;
    };
    if (!apply()) {
      const obs = new MutationObserver(() => apply() && obs.disconnect());
      obs.observe(document, { childList: true, subtree: true });
    }
  }
}

/** What VS Code does on a theme switch: new variables on <html>, a new class on <body>. */
async function setTheme(page: Page, theme: ThemeVars): Promise<void> {
  await page.evaluate((t) => {
    sessionStorage.setItem('gf-theme', JSON.stringify(t));
    document.documentElement.removeAttribute('style');
    for (const [k, v] of Object.entries(t.vars)) document.documentElement.style.setProperty(k, v);
    document.body.className = t.bodyClass;
  }, theme);
  await page.waitForTimeout(150);
}

async function send(page: Page, msg: HostToPanel | Record<string, unknown> | string): Promise<void> {
  // Typed arrays as typed arrays, the rest through JSON, like VS Code's postMessage.
  await page.evaluate(`window.postMessage((${REVIVE})(${JSON.stringify(encodeMessage(msg))}), '*')`);
}

async function posted(page: Page): Promise<PanelToHost[]> {
  return page.evaluate(() => window.__gf.posted);
}

/** The last posted message, once it matches: chart.js handles clicks in the next animation frame. */
async function expectPosted(page: Page, expected: PanelToHost): Promise<void> {
  const want = JSON.stringify(expected);
  try {
    await page.waitForFunction((w) => JSON.stringify(window.__gf.posted.at(-1)) === w, want, { timeout: 3000 });
  } catch {
    assert.deepEqual((await posted(page)).at(-1), expected);
  }
}

async function heatmapGeometry(
  page: Page,
  nth = 0,
): Promise<{ x: number; y: number; left: number; top: number; width: number; height: number; rows: number; columns: number }> {
  const box = page.locator('.heatmap-box').nth(nth);
  await box.scrollIntoViewIfNeeded();
  await page.waitForFunction((i) => Boolean(document.querySelectorAll<HTMLElement>('.heatmap-box')[i]?.dataset.plot), nth);
  const data = await box.evaluate((el: HTMLElement) => ({ plot: el.dataset.plot ?? '', rows: Number(el.dataset.rows), columns: Number(el.dataset.columns) }));
  const bb = await box.boundingBox();
  assert.ok(bb);
  const [left = 0, top = 0, width = 0, height = 0] = data.plot.split(',').map(Number);
  return { x: bb.x, y: bb.y, left, top, width, height, rows: data.rows, columns: data.columns };
}

/** Page coordinates of the centre of the cell of `layer` at `epoch` (the x axis spans 0.5..total+0.5). */
function cellCenter(g: Awaited<ReturnType<typeof heatmapGeometry>>, layer: number, epoch: number, total = 50): { x: number; y: number } {
  return { x: g.x + g.left + ((epoch - 0.5) / total) * g.width, y: g.y + g.top + ((layer + 0.5) / g.rows) * g.height };
}

/** Runs of opaque pixels down the middle of the plot: one per painted heatmap row. */
async function paintedRows(page: Page, nth = 0): Promise<{ runs: number; opaque: number }> {
  return page.evaluate((i) => {
    const box = document.querySelectorAll<HTMLElement>('.heatmap-box')[i];
    const canvas = box?.querySelector('canvas');
    const ctx = canvas?.getContext('2d');
    if (!box || !canvas || !ctx) return { runs: -1, opaque: 0 };
    const [left = 0, top = 0, width = 0, height = 0] = (box.dataset.plot ?? '').split(',').map(Number);
    const dpr = canvas.width / canvas.clientWidth;
    // A strip a few pixels wide, so a one-pixel gap between columns cannot hide a cell.
    const strip = 8;
    const x = Math.round((left + width * 0.5) * dpr);
    const px = ctx.getImageData(x, Math.round(top * dpr), strip, Math.round(height * dpr)).data;
    let runs = 0;
    let opaque = 0;
    let inRun = false;
    for (let row = 0; row * strip * 4 < px.length; row++) {
      let solid = false;
      for (let c = 0; c < strip; c++) solid ||= (px[(row * strip + c) * 4 + 3] ?? 0) === 255;
      if (solid) opaque++;
      if (solid && !inRun) runs++;
      inRun = solid;
    }
    return { runs, opaque };
  }, nth);
}

describe('webview page (chromium)', function () {
  this.timeout(120_000);
  let server: Server;
  let origin: string;
  let browser: Awaited<ReturnType<typeof launchPanelBrowser>> | undefined;
  let page: Page;
  const problems: string[] = [];
  const warnings: string[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ server, origin } = await servePanel());
    browser = await launchPanelBrowser('gf-chromium-', { viewport: { width: 1100, height: 900 }, deviceScaleFactor: 2 });
    await browser.context.addInitScript(installFakeVsCode);
    page = browser.page;
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console.${m.type()}: ${m.text()}`);
      if (m.type() === 'warning') warnings.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(origin);
    await setTheme(page, DARK);
    await page.reload();
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  afterEach(async () => {
    const csp = await page.evaluate(() => window.__gf.csp);
    assert.deepEqual(csp, [], 'CSP violations');
    assert.deepEqual(problems, [], 'console errors or page errors');
  });

  it('says ready once and waits for the host', async () => {
    assert.deepEqual(await posted(page), [{ type: 'ready' }]);
    assert.match((await page.locator('main#app').textContent()) ?? '', /Waiting for a training run/);
    // The run view built ahead, laid out but unseen: nothing of it shows, and there is nothing to
    // scroll, even in a short panel.
    await page.waitForFunction(() => document.querySelector('.spare-view .heatmap-box') !== null);
    await page.setViewportSize({ width: 1100, height: 300 });
    const waiting = await page.evaluate(() => ({
      text: document.body.innerText.trim(),
      scroll: document.documentElement.scrollHeight - innerHeight,
      width: document.querySelector('.spare-view .heatmap-box')?.getBoundingClientRect().width ?? 0,
    }));
    await page.setViewportSize({ width: 1100, height: 900 });
    assert.equal(waiting.text, 'Waiting for a training run…');
    assert.ok(waiting.scroll <= 0, `nothing to scroll while waiting (${waiting.scroll} px)`);
    assert.ok(waiting.width > 0, 'the view built ahead is laid out at the page width');
  });

  it('draws a run snapshot: one heatmap row per layer, painted', async () => {
    await send(page, { type: 'show', view: { kind: 'run', run: fx.run('r1', 40, 'running') }, metric: 'gradRms' });
    const g = await heatmapGeometry(page);
    assert.equal(g.rows, 3);
    assert.equal(g.columns, 40);
    const painted = await paintedRows(page);
    assert.equal(painted.runs, 3, 'three separate painted rows down the plot');
    assert.ok(painted.opaque > g.height * 2 * 0.8, 'rows fill most of the plot height');
    assert.match((await page.locator('h1').textContent()) ?? '', /deep-sigmoid/);
    assert.match((await page.locator('.view-header .meta').textContent()) ?? '', /running.*epoch 40 of 50/);
  });

  it('appends progress and follows the run to its end', async () => {
    await send(page, { type: 'progress', runId: 'r1', records: fx.columns(fx.epochs(41, 45)), findings: fx.FINDINGS, state: 'running' });
    // An overlapping record (epoch 45 again) must not be drawn twice.
    await send(page, { type: 'progress', runId: 'r1', records: fx.columns(fx.epochs(45, 50)), findings: fx.FINDINGS, state: 'done' });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.heatmap-box')?.dataset.columns === '50');
    assert.match((await page.locator('.view-header .meta').textContent()) ?? '', /done.*epoch 50 of 50/);
    assert.equal((await paintedRows(page)).runs, 3);
  });

  it('lists the layers with their verdicts, and Enter on a row reveals its line', async () => {
    const rows = page.locator('.layer-table tbody tr');
    assert.equal(await rows.count(), 3);
    assert.deepEqual(await page.locator('.layer-table tbody td.verdict').allTextContents(), ['vanishing', 'saturated', 'ok']);
    assert.match((await rows.nth(2).textContent()) ?? '', /L2.*7.*1.*sigmoid.*glorot_uniform/);
    await rows.nth(1).focus();
    await page.keyboard.press('Enter');
    await expectPosted(page, { type: 'revealLayer', fileName: fx.FILE, line: 6 });
    assert.equal(await page.locator('.findings-list li').count(), 2);
  });

  it('clicking a cell reveals its layer and opens its gradient histogram', async () => {
    const g = await heatmapGeometry(page);
    // Row 2 (the output layer, bottom row), epoch 38.
    const c = cellCenter(g, 2, 38);
    await page.mouse.click(c.x, c.y);
    // The line is revealed, and the histogram asked of the host (histograms travel on demand).
    await expectPosted(page, { type: 'histogram', runId: 'r1', stride: 1, record: 37, layer: 2 });
    assert.deepEqual((await posted(page)).at(-2), { type: 'revealLayer', fileName: fx.FILE, line: 7 });
    const hist = page.locator('section.histogram');
    await hist.waitFor({ state: 'visible' });
    assert.match((await hist.locator('h2').textContent()) ?? '', /L2 · line 7 · sigmoid · epoch 38$/);
    assert.match((await hist.textContent()) ?? '', /Loading the histogram of epoch 38/);
    const counts = fx.epochs(38, 38)[0]!.histograms[2]!;
    await send(page, { type: 'histogram', runId: 'r1', stride: 1, record: 37, layer: 2, epoch: 38, counts: [...counts] });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('section.histogram')?.dataset.state === 'shown');
    assert.match((await hist.textContent()) ?? '', new RegExp(`of the ${counts.reduce((a, b) => a + b, 0)} non-zero weight gradients`));
    // An answer for another cell (a click before) changes nothing.
    await send(page, { type: 'histogram', runId: 'r1', stride: 1, record: 3, layer: 2, epoch: 4, counts: null });
    assert.match((await hist.locator('h2').textContent()) ?? '', /epoch 38$/);
    const hover = cellCenter(g, 0, 12);
    await page.mouse.move(hover.x, hover.y);
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(ARTIFACTS, 'run-dark.png'), fullPage: true });
  });

  it("the loss chart: a hover names the epoch and each curve's value, the log scale fits the axis to decades", async () => {
    const box = page.locator('section.loss .loss-box');
    const at = await box.boundingBox();
    const plot = ((await box.getAttribute('data-plot')) ?? '').split(',').map(Number);
    assert.ok(at && plot.length === 4 && plot.every((n) => n > 0), `a plot inside the chart: ${plot.join(',')}`);
    const [left, top, width, height] = plot as [number, number, number, number];
    // The epoch axis spans 1..50, the run's epochs.
    const x = at.x + left + ((25 - 1) / (50 - 1)) * width;
    await page.mouse.move(x, at.y + top + height / 2);
    const tip = page.locator('.chart-tip');
    await tip.waitFor({ state: 'visible' });
    const record = fx.epochs(25, 25)[0]!;
    assert.equal(
      await tip.textContent(),
      ['epoch 25', `loss: ${formatValue(Math.fround(record.loss), 4)}`, `accuracy: ${formatValue(Math.fround(record.accuracy ?? NaN), 4)}`].join('\n'),
    );
    await page.mouse.move(at.x + 2, at.y + 2);
    await tip.waitFor({ state: 'hidden' });
    assert.match((await box.getAttribute('data-y')) ?? '', /^linear /);
    await page.locator('section.loss vscode-checkbox').click();
    await page.waitForFunction(() => /^log /.test(document.querySelector<HTMLElement>('section.loss .loss-box')?.dataset.y ?? ''));
    const [, lo, hi] = ((await box.getAttribute('data-y')) ?? '').split(' ').map(Number) as [string, number, number];
    assert.ok(Number.isInteger(Math.log10(lo)) && Number.isInteger(Math.log10(hi)) && lo <= 0.3 && hi >= 0.7, `decades around the loss: ${lo}..${hi}`);
    await page.locator('section.loss vscode-checkbox').click();
    await page.waitForFunction(() => /^linear /.test(document.querySelector<HTMLElement>('section.loss .loss-box')?.dataset.y ?? ''));
  });

  it('the heatmap is usable from the keyboard', async () => {
    await page.locator('.heatmap-box canvas').focus();
    // The cursor starts on the cell clicked last (the output layer's row).
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expectPosted(page, { type: 'histogram', runId: 'r1', stride: 1, record: 49, layer: 1 });
    assert.deepEqual((await posted(page)).at(-2), { type: 'revealLayer', fileName: fx.FILE, line: 6 });
    assert.match((await page.locator('section.histogram h2').textContent()) ?? '', /L1 · line 6 .* epoch 50/);
  });

  it('changing the metric posts metricChanged and recolours with a linear scale', async () => {
    await page.locator('vscode-single-select#metric').click();
    await page.getByRole('option', { name: 'Saturated fraction' }).click();
    await page.waitForFunction(() => /Saturated fraction/.test(document.querySelector('canvas.legend')?.getAttribute('aria-label') ?? ''));
    await expectPosted(page, { type: 'metricChanged', metric: 'saturated' });
    assert.match((await page.locator('canvas.legend').getAttribute('aria-label')) ?? '', /linear.*0%, 25%, 50%, 75%, 100%/);
    await page.locator('vscode-single-select#metric').click();
    await page.getByRole('option', { name: /update ratio/ }).click();
    await page.waitForFunction(() => /healthy SGD/.test(document.querySelector('canvas.legend')?.getAttribute('aria-label') ?? ''));
    await expectPosted(page, { type: 'metricChanged', metric: 'updateRatio' });
    await page.screenshot({ path: join(ARTIFACTS, 'run-dark-update-ratio.png'), fullPage: true });
  });

  it('a narrower panel redraws into the bitmap it has: only the drawn part shows, and the PNG export is that part', async () => {
    const before = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('.heatmap-box canvas');
      return { bitmap: canvas?.width ?? 0, plot: document.querySelector<HTMLElement>('.heatmap-box')?.dataset.plot ?? '' };
    });
    await page.setViewportSize({ width: 800, height: 900 });
    await page.waitForFunction((plot) => document.querySelector<HTMLElement>('.heatmap-box')?.dataset.plot !== plot, before.plot);
    const after = await page.evaluate(() => {
      const box = document.querySelector<HTMLElement>('.heatmap-box');
      const canvas = box?.querySelector('canvas');
      const clip = box?.querySelector<HTMLElement>('.canvas-clip');
      const ctx = canvas?.getContext('2d');
      if (!box || !canvas || !clip || !ctx) return null;
      const dpr = canvas.width / canvas.clientWidth;
      const boxW = box.clientWidth;
      // Alpha to the right of what was drawn (the bitmap's old width) and inside it (the plot).
      const [left, top, width, height] = (box.dataset.plot ?? '').split(',').map(Number) as [number, number, number, number];
      const beyond = ctx.getImageData(Math.round((boxW + 4) * dpr), Math.round((top + height / 2) * dpr), 1, 1).data[3];
      const inside = ctx.getImageData(Math.round((left + width / 2) * dpr), Math.round((top + height / 2) * dpr), 1, 1).data[3];
      return { bitmap: canvas.width, dpr, boxW, clipW: clip.getBoundingClientRect().width, canvasW: canvas.getBoundingClientRect().width, beyond, inside };
    });
    assert.ok(after);
    assert.equal(after.bitmap, before.bitmap, 'no new bitmap for a narrower panel');
    assert.ok(
      after.canvasW > after.clipW && Math.abs(after.clipW - after.boxW) <= 1,
      `the clip (${after.clipW} px) shows the box's width of a ${after.canvasW} px canvas`,
    );
    assert.equal(after.beyond, 0, 'what the wider panel drew is cleared');
    assert.equal(after.inside, 255, 'the plot is drawn');
    await page.getByRole('button', { name: 'Export PNG' }).click();
    const png = (await posted(page)).at(-1);
    const bytes = Buffer.from(png?.type === 'exportPng' ? (png.dataUrl.split(',')[1] ?? '') : '', 'base64');
    // The PNG's IHDR: width at byte 16. The export pads the heatmap by 12 CSS pixels each side.
    assert.equal(bytes.readUInt32BE(16), Math.round((after.boxW + 24) * after.dpr), 'the export is the drawn part');
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.waitForFunction((plot) => document.querySelector<HTMLElement>('.heatmap-box')?.dataset.plot === plot, before.plot);
  });

  it('exports: PNG as a data URL, CSV and JSON as requests', async () => {
    await page.getByRole('button', { name: 'Export PNG' }).click();
    const png = (await posted(page)).at(-1);
    assert.equal(png?.type, 'exportPng');
    const dataUrl = png?.type === 'exportPng' ? png.dataUrl : '';
    assert.match(dataUrl, /^data:image\/png;base64,/);
    writeFileSync(join(ARTIFACTS, 'export.png'), Buffer.from(dataUrl.split(',')[1] ?? '', 'base64'));
    await page.getByRole('button', { name: 'CSV' }).click();
    await page.getByRole('button', { name: 'JSON' }).click();
    assert.deepEqual((await posted(page)).slice(-2), [
      { type: 'export', format: 'csv' },
      { type: 'export', format: 'json' },
    ]);
  });

  it('ignores malformed messages with a warning', async () => {
    const before = warnings.length;
    await send(page, { type: 'progress', runId: 5 });
    await send(page, { type: 'show', view: { kind: 'run', run: { ...fx.run('bad', 3, 'running'), layers: 'nope' } }, metric: 'gradRms' });
    await send(page, { type: 'progress', runId: 'not-this-run', records: fx.columns([]), findings: [], state: 'running' });
    await send(page, 'hello');
    await page.waitForTimeout(50);
    const got = warnings.slice(before);
    assert.equal(got.length, 4, got.join('\n'));
    assert.match(got[0] ?? '', /malformed message \(runId: expected a string\)/);
    assert.match(got[1] ?? '', /view\.run\.layers: expected an array/);
    assert.match(got[2] ?? '', /unknown run not-this-run/);
    assert.equal((await paintedRows(page)).runs, 3, 'the run is still drawn');
  });

  it('redraws a reloaded page from saved state before any host message', async () => {
    await page.reload();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.heatmap-box')?.dataset.plot);
    assert.deepEqual(await posted(page), [{ type: 'ready' }], 'nothing but ready, and no host message was sent');
    const g = await heatmapGeometry(page);
    assert.equal(g.rows, 3);
    assert.equal(g.columns, 50);
    assert.equal((await paintedRows(page)).runs, 3);
    assert.match((await page.locator('canvas.legend').getAttribute('aria-label')) ?? '', /update ratio/, 'the metric survived the reload');
    assert.match((await page.locator('.view-header .meta').textContent()) ?? '', /done.*epoch 50 of 50/);
  });

  it('follows a switch to the light theme', async () => {
    await page.locator('vscode-single-select#metric').click();
    await page.getByRole('option', { name: /weight gradient/ }).click();
    await setTheme(page, LIGHT);
    const fg = await page.evaluate(() => getComputedStyle(document.body).color);
    assert.equal(fg, 'rgb(59, 59, 59)');
    assert.equal((await paintedRows(page)).runs, 3);
    const g = await heatmapGeometry(page);
    const c = cellCenter(g, 0, 15);
    await page.mouse.click(c.x, c.y);
    await expectPosted(page, { type: 'histogram', runId: 'r1', stride: 1, record: 14, layer: 0 });
    assert.deepEqual((await posted(page)).at(-2), { type: 'revealLayer', fileName: fx.FILE, line: 5 });
    await page.locator('section.histogram').waitFor({ state: 'visible' });
    const hover = cellCenter(g, 1, 30);
    await page.mouse.move(hover.x, hover.y);
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(ARTIFACTS, 'run-light.png'), fullPage: true });
  });

  it('compare: one shared scale, one card per variant, Apply posts applyVariant', async () => {
    await setTheme(page, DARK);
    await send(page, { type: 'show', view: { kind: 'compare', fileName: fx.FILE, variants: fx.variants() }, metric: 'gradRms' });
    await page.locator('.compare-grid article').nth(2).waitFor();
    assert.equal(await page.locator('.compare-grid article').count(), 3);
    assert.equal(await page.locator('canvas.legend').count(), 1, 'one legend for all variants');
    for (let i = 0; i < 3; i++) assert.equal((await paintedRows(page, i)).runs, 3);
    assert.match((await page.locator('canvas.legend').getAttribute('aria-label')) ?? '', /ticks/);
    await page.locator('.compare-grid article').nth(1).getByRole('button', { name: 'Apply' }).click();
    await expectPosted(page, { type: 'applyVariant', variantId: 'relu-he' });
    await send(page, { type: 'progress', runId: 'v3', records: fx.columns([]), findings: [], state: 'nonfinite', verdict: 'Diverged: loss NaN from epoch 31' });
    await page.waitForFunction(() => /loss NaN from epoch 31/.test(document.querySelectorAll('.verdict-line')[2]?.textContent ?? ''));
    await page.screenshot({ path: join(ARTIFACTS, 'compare-dark.png'), fullPage: true });
  });

  it('lrFind: smoothed loss on a log axis, the short trainings with the best marked, and a "Use lr" button per tried lr', async () => {
    await setTheme(page, LIGHT);
    await send(page, { type: 'show', view: { kind: 'lrFind', lrFind: fx.lrFind() }, metric: 'gradRms' });
    const rows = page.locator('.lr-trials tbody tr');
    await rows.nth(3).waitFor();
    assert.deepEqual(
      (await rows.allInnerTexts()).map((t) => t.split('\t').slice(0, 4).join('|').trim()),
      ['0.004|suggested ÷3|0.41|', '0.012|suggested|0.33|', '0.036|suggested ×3|0.29|trained best', '0.5|file|diverged at step 40|'],
    );
    assert.equal(await page.locator('.lr-trials tr.best').count(), 1);
    assert.equal(await rows.nth(3).locator('vscode-button').count(), 0, "no button to write the file's own lr");
    assert.match((await page.locator('.lr-summary').textContent()) ?? '', /^lr = 0\.036 \(suggested ×3\) trained best/);
    assert.match((await page.locator('.lrfind-view canvas').getAttribute('aria-label')) ?? '', /suggested lr 0\.012; current lr 0\.5/);
    await page.getByRole('button', { name: 'Use lr = 0.036' }).click();
    await expectPosted(page, { type: 'applyLr', lr: 0.036 });
    await page.getByRole('button', { name: 'Use lr = 0.012' }).click();
    await expectPosted(page, { type: 'applyLr', lr: 0.012 });
    await page.screenshot({ path: join(ARTIFACTS, 'lrfind-light.png'), fullPage: true });
  });

  it("lrFind cancelled before the short trainings: no table, the suggestion's button alone", async () => {
    await send(page, { type: 'show', view: { kind: 'lrFind', lrFind: { ...fx.lrFind(), check: null } }, metric: 'gradRms' });
    await page.locator('.lr-trials').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Use lr = 0.012' }).click();
    await expectPosted(page, { type: 'applyLr', lr: 0.012 });
  });

  it('downsamples a 3000-epoch run to the plot width, and keeps up with fast progress', async () => {
    const long = { ...fx.run('long', 0, 'running'), totalEpochs: 3000, records: fx.columns(fx.epochs(1, 2000)) };
    await send(page, { type: 'show', view: { kind: 'run', run: long }, metric: 'gradRms' });
    const g = await heatmapGeometry(page);
    const bucket = Number(await page.locator('.heatmap-box').getAttribute('data-bucket'));
    assert.equal(bucket, Math.ceil(3000 / Math.floor(g.width / 3)));
    assert.equal(g.columns, Math.ceil(2000 / bucket));
    for (let e = 2001; e <= 3000; e += 10)
      await send(page, {
        type: 'progress',
        runId: 'long',
        records: fx.columns(fx.epochs(e, e + 9)),
        findings: fx.FINDINGS,
        state: e + 9 === 3000 ? 'done' : 'running',
      });
    await page.waitForFunction((n) => document.querySelector<HTMLElement>('.heatmap-box')?.dataset.columns === String(n), Math.ceil(3000 / bucket));
    assert.equal((await paintedRows(page)).runs, 3);
    assert.match((await page.locator('.view-header .meta').textContent()) ?? '', /done.*epoch 3000 of 3000/);
  });

  it('high contrast: thicker borders, still painted', async () => {
    await setTheme(page, HIGH_CONTRAST);
    await send(page, { type: 'show', view: { kind: 'run', run: fx.run('r2', 50, 'done') }, metric: 'deltaRms' });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.heatmap-box')?.dataset.plot);
    assert.equal(
      await page
        .locator('section.card')
        .first()
        .evaluate((el) => getComputedStyle(el).borderTopWidth),
      '2px',
    );
    assert.equal((await paintedRows(page)).runs, 3);
    await page.screenshot({ path: join(ARTIFACTS, 'run-high-contrast.png'), fullPage: true });
  });
});
