// The panel page at 600 px, as a newcomer meets it beside the editor: a run whose file changed says
// it is out of date and offers Re-run, the findings' fixes are buttons, the colour scale can be
// pinned so the next run is drawn on it, the layer table's verdict stays in view, a run of many
// layers is drawn with grouped rows (said under the plot), an initial record is an epoch-0
// column, and progress for a run the page lacks asks the host for it again.
// Needs `node scripts/build.mjs` first.

import * as assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { Page } from 'playwright-core';
import type { EpochRecord, ReportLayer } from '../../src/engine/types';
import type { PanelToHost } from '../../src/protocol';
import { statsOfRecords } from '../../src/engine/findings';
import { panelColumns } from '../../src/host/panel/aggregate';
import { formatValue } from '../../src/webview/format';
import * as fx from './fixtures';
import { launchPanelBrowser, send, servePanel } from './pageServer';

function installFakeVsCode(): void {
  const posted: unknown[] = [];
  (window as unknown as { __posted: unknown[] }).__posted = posted;
  (window as unknown as { acquireVsCodeApi: unknown }).acquireVsCodeApi = () => ({
    postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => undefined,
    setState: () => undefined,
  });
}

async function posted(page: Page): Promise<PanelToHost[]> {
  return page.evaluate(() => (window as unknown as { __posted: PanelToHost[] }).__posted);
}

async function legendLabel(page: Page): Promise<string> {
  return (await page.locator('canvas.legend').getAttribute('aria-label')) ?? '';
}

async function lossLabel(page: Page): Promise<string> {
  return (await page.locator('.loss canvas').getAttribute('aria-label')) ?? '';
}

/** The first layer's ∂L/∂W RMS in the layer table. */
async function firstGradCell(page: Page): Promise<string> {
  return (await page.locator('.layer-table tbody tr').first().locator('td').nth(5).textContent()) ?? '';
}

/**
 * A running run of 20 epochs, shown in a page `height` px tall (scrolled to the top) once its table
 * has it; then `body`, and the page back to 600 × 900.
 */
async function withRunningRun(page: Page, id: string, height: number, body: () => Promise<void>): Promise<void> {
  await page.setViewportSize({ width: 600, height });
  try {
    await page.evaluate(() => window.scrollTo(0, 0));
    await send(page, { type: 'show', view: { kind: 'run', run: fx.run(id, 20, 'running') }, metric: 'gradRms' });
    await page.waitForFunction((runId) => document.querySelector<HTMLElement>('.layer-table tbody')?.dataset.run === runId, id);
    await body();
  } finally {
    await page.setViewportSize({ width: 600, height: 900 });
  }
}

describe('webview page at 600 px: out of date, fixes, pinned scale, many layers (chromium)', function () {
  this.timeout(120_000);
  let server: Server;
  let browser: Awaited<ReturnType<typeof launchPanelBrowser>> | undefined;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    let origin: string;
    ({ server, origin } = await servePanel());
    browser = await launchPanelBrowser('gf-chromium-panel-', { viewport: { width: 600, height: 900 } });
    await browser.context.addInitScript(installFakeVsCode);
    page = browser.page;
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(origin);
    await send(page, { type: 'show', view: { kind: 'run', run: fx.run('r1', 50, 'done') }, metric: 'gradRms' });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.heatmap-box')?.dataset.plot);
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  it("keeps the layer table's Verdict column inside a 600 px panel", async () => {
    const cell = page.locator('.layer-table tbody td.verdict').first();
    const box = await cell.boundingBox();
    assert.ok(box);
    assert.ok(box.x + box.width <= 600, `the verdict cell ends at ${box.x + box.width} px`);
    assert.equal(await cell.textContent(), 'vanishing');
  });

  it("offers the findings' fixes as buttons that ask the host to apply them", async () => {
    await page.getByRole('button', { name: 'Use relu with he_normal on line 5' }).click();
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'applyFix'));
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'applyFix'),
      [{ type: 'applyFix', findingIndex: 0, fixIndex: 0 }],
    );
  });

  it('says a run is out of date after an edit, with a Re-run button; a new show clears it', async () => {
    assert.equal(await page.locator('.out-of-date-notice').count(), 0);
    await send(page, { type: 'outOfDate', outOfDate: true });
    const notice = page.locator('.out-of-date-notice');
    await notice.waitFor({ state: 'visible' });
    assert.match((await notice.textContent()) ?? '', /Out of date/);
    await notice.getByRole('button', { name: 'Re-run' }).click();
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'rerun'));
    await send(page, { type: 'show', view: { kind: 'run', run: fx.run('r2', 50, 'done') }, metric: 'gradRms' });
    await page.waitForFunction(() => document.querySelector('.out-of-date-notice') === null);
  });

  it('a pinned colour scale is kept for the next run; unpinned, the run fits its own', async () => {
    const own = await legendLabel(page);
    await page.locator('vscode-checkbox[label="Pin colour scale"]').click();
    await page.waitForFunction(() => /pinned/.test(document.querySelector('canvas.legend')?.getAttribute('aria-label') ?? ''));
    // A run with gradients 100 times smaller: on the pinned scale its legend keeps the old ticks.
    const small = { ...fx.run('r3', 50, 'done'), records: fx.columns(fx.epochs(1, 50).map(scaled(0.01))) };
    await send(page, { type: 'show', view: { kind: 'run', run: small }, metric: 'gradRms' });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.heatmap-box')?.dataset.plot);
    const pinned = await legendLabel(page);
    assert.match(pinned, /pinned/);
    assert.equal(pinned.replace(/, pinned.*?colours\)/, ''), own, 'the same ticks as the first run');
    await page.locator('vscode-checkbox[label="Pin colour scale"]').click();
    await page.waitForFunction((before) => document.querySelector('canvas.legend')?.getAttribute('aria-label') !== before, pinned);
    assert.doesNotMatch(await legendLabel(page), /pinned/);
    assert.notEqual(await legendLabel(page), own, 'its own, lower scale');
  });

  it("draws 1,000 layers with grouped rows, says so under the plot, and names a row's layers in its tooltip", async () => {
    const layers: ReportLayer[] = Array.from({ length: 1000 }, (_, i) => ({ ...fx.LAYERS[1]!, index: i, line: i + 3 }));
    const base = fx.epochs(1, 20);
    const epochs: EpochRecord[] = base.map((e) => ({
      ...e,
      layers: layers.map((_, i) => ({ ...e.layers[1]!, gradRms: 10 ** (-1 - i / 200) })),
      histograms: [],
    }));
    const records = panelColumns(statsOfRecords(epochs), layers.length, 1, 0, epochs.length);
    // Labels of about one width, but the widest is neither the longest nor at either end (only the widest few are measured exactly).
    const rowLabels = layers.map((l) => `L${l.index} · line ${l.line} · tanh`);
    rowLabels[517] = 'L517 · WWWWWWWWWWWW';
    rowLabels[700] = `L700 · ${'i'.repeat(40)}`;
    await send(page, {
      type: 'show',
      view: { kind: 'run', run: { ...fx.run('deep', 0, 'done'), layers, rowLabels, records, totalEpochs: 20, findings: [] } },
      metric: 'gradRms',
    });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.heatmap-box')?.dataset.rows === '1000');
    const perRow = Number(await page.locator('.heatmap-box').getAttribute('data-layers-per-row'));
    const plot = ((await page.locator('.heatmap-box').getAttribute('data-plot')) ?? '').split(',').map(Number);
    // The plot starts past the widest label, as if every label had been measured: 12 px beyond it (a pixel's rounding allowed).
    const widest = await page.evaluate((texts) => {
      const canvas = document.querySelector<HTMLCanvasElement>('.heatmap canvas');
      const ctx = document.createElement('canvas').getContext('2d');
      if (!canvas || !ctx) return { font: '', widths: [] as number[] };
      ctx.font = (canvas.getContext('2d') as CanvasRenderingContext2D).font; // the axes' font, set when they were drawn
      return { font: ctx.font, widths: texts.map((t) => ctx.measureText(t).width) };
    }, rowLabels);
    const most = Math.max(...widest.widths);
    assert.equal(widest.widths.indexOf(most), 517, `the wide label is the widest in ${widest.font}`);
    assert.ok(Math.abs((plot[0] ?? 0) - Math.ceil(most + 12)) <= 1, `plot from ${plot[0]} px, the widest label ${most} px`);
    assert.ok(perRow > 1 && Math.ceil(1000 / perRow) <= (plot[3] ?? 0), `${perRow} layers per row in a plot ${plot[3]} px high`);
    assert.match((await page.locator('.heatmap-note').textContent()) ?? '', new RegExp(`Each row: ${perRow} layers`));
    const bb = await page.locator('.heatmap-box').boundingBox();
    assert.ok(bb);
    await page.mouse.move(bb.x + (plot[0] ?? 0) + (plot[2] ?? 0) / 2, bb.y + (plot[1] ?? 0) + 1);
    await page.locator('.heatmap-tip').waitFor({ state: 'visible' });
    assert.match((await page.locator('.heatmap-tip').textContent()) ?? '', new RegExp(`^L0–L${perRow - 1} · lines 3–${perRow + 2} \\(${perRow} layers\\)`));

    // The layer table holds the rows in view only; scrolled to its end it shows the last layer, whose row reveals its line.
    const rows = page.locator('.layer-table tbody tr:not(.spacer)');
    const shown = await rows.count();
    assert.ok(shown > 0 && shown < 100, `${shown} layer rows in the document`);
    await page.locator('.table-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForFunction(() => [...document.querySelectorAll('.layer-table tbody tr')].some((tr) => tr.querySelector('td')?.textContent === 'L999'));
    assert.ok((await rows.count()) < 100, 'still only the rows in view');
    await page.locator('.layer-table tbody tr', { has: page.locator('td', { hasText: /^L999$/ }) }).click();
    await page.waitForFunction(() => JSON.stringify((window as unknown as { __posted: unknown[] }).__posted.at(-1)).includes('"line":1002'));
    assert.deepEqual((await posted(page)).at(-1), { type: 'revealLayer', fileName: fx.FILE, line: 1002 });
  });

  it('draws an initial record as its own epoch-0 column', async () => {
    const run = fx.run('init', 10, 'done');
    const initial = fx.columns([{ ...fx.epochs(1, 1)[0]!, epoch: 0 }]);
    await send(page, { type: 'show', view: { kind: 'run', run: { ...run, totalEpochs: 10, initial } }, metric: 'gradRms' });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.heatmap-box')?.dataset.columns === '11');
    assert.match((await page.locator('.heatmap-note').textContent()) ?? '', /Epoch 0: the gradient at initialisation/);
    const plot = ((await page.locator('.heatmap-box').getAttribute('data-plot')) ?? '').split(',').map(Number);
    const bb = await page.locator('.heatmap-box').boundingBox();
    assert.ok(bb);
    // The first of 11 epoch-wide columns.
    await page.mouse.move(bb.x + (plot[0] ?? 0) + (plot[2] ?? 0) / 22, bb.y + (plot[1] ?? 0) + 5);
    await page.locator('.heatmap-tip').waitFor({ state: 'visible' });
    assert.match((await page.locator('.heatmap-tip').textContent()) ?? '', /epoch 0 \(at initialisation/);
  });

  it('shows a large run (layers × records ≥ 100,000) over frames, its loss chart and table after its heatmap; a small run in one frame', async () => {
    /** The animation frames, counted from the show's post, in which the run's heatmap and its table were first seen drawn. */
    const framesOf = async (id: string, count: number, epochs: number): Promise<{ heatmap: number; table: number }> => {
      const layers: ReportLayer[] = Array.from({ length: count }, (_, i) => ({ ...fx.LAYERS[1]!, index: i, line: i + 3 }));
      const base = fx.epochs(1, epochs);
      const records = panelColumns(
        statsOfRecords(base.map((e) => ({ ...e, layers: layers.map((_, i) => ({ ...e.layers[1]!, gradRms: 10 ** (-1 - i / 400) })), histograms: [] }))),
        count,
        1,
        0,
        epochs,
      );
      await page.evaluate(
        ([runId, rows]) => {
          const w = window as unknown as { __frames: { heatmap: number; table: number } };
          w.__frames = { heatmap: -1, table: -1 };
          let n = 0;
          // Registered before the show's own frame callbacks, each probe sees what the frames before it drew.
          const probe = (): void => {
            n++;
            if (w.__frames.heatmap < 0 && document.querySelector<HTMLElement>('.heatmap-box')?.dataset.rows === rows) w.__frames.heatmap = n;
            if (w.__frames.table < 0 && document.querySelector<HTMLElement>('.layer-table tbody')?.dataset.run === runId) w.__frames.table = n;
            if ((w.__frames.heatmap < 0 || w.__frames.table < 0) && n < 300) requestAnimationFrame(probe);
          };
          requestAnimationFrame(probe);
        },
        [id, String(count)] as const,
      );
      await send(page, {
        type: 'show',
        view: { kind: 'run', run: { ...fx.run(id, 0, 'done'), layers, records, totalEpochs: epochs, findings: [] } },
        metric: 'gradRms',
      });
      await page.waitForFunction(() => {
        const f = (window as unknown as { __frames: { heatmap: number; table: number } }).__frames;
        return f.heatmap > 0 && f.table > 0;
      });
      return page.evaluate(() => (window as unknown as { __frames: { heatmap: number; table: number } }).__frames);
    };
    const large = await framesOf('large', 1001, 120);
    assert.ok(large.table > large.heatmap, `1,001 × 120: heatmap seen in frame ${large.heatmap}, table in frame ${large.table}`);
    const small = await framesOf('small', 6, 30);
    assert.equal(small.table, small.heatmap, `6 × 30: heatmap and table seen in the same frame (${small.heatmap}, ${small.table})`);
  });

  it('while a run streams, leaves its loss chart and table undrawn below the fold, and draws them when scrolled to', async () => {
    await withRunningRun(page, 'fold', 360, async () => {
      const shown = { loss: await lossLabel(page), cell: await firstGradCell(page) };
      assert.match(shown.loss, /at epoch 20\b/);
      const tops = await page.evaluate(() => ['.loss', '.layers'].map((q) => document.querySelector(q)?.getBoundingClientRect().top ?? 0));
      assert.ok(
        tops.every((t) => t > 360),
        `loss chart and table below the fold: ${tops.join(', ')}`,
      );

      // Progress as a run streams it, several streaming turns apart (one every 150 ms).
      for (const [from, to] of [
        [21, 24],
        [25, 27],
        [28, 30],
      ] as const) {
        await send(page, { type: 'progress', runId: 'fold', records: fx.columns(fx.epochs(from, to)), findings: fx.FINDINGS, state: 'running' });
        await page.waitForFunction((n) => document.querySelector<HTMLElement>('.heatmap-box')?.dataset.columns === n, String(to));
        await page.waitForTimeout(250);
      }
      assert.equal(await lossLabel(page), shown.loss, 'the loss chart out of view is not drawn');
      assert.equal(await firstGradCell(page), shown.cell, 'the table out of view is not drawn');

      await page.locator('.layers').scrollIntoViewIfNeeded();
      await page.waitForFunction((old) => (document.querySelector('.layer-table tbody tr td:nth-child(6)')?.textContent ?? old) !== old, shown.cell);
      await page.locator('.loss').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => /at epoch 30\b/.test(document.querySelector('.loss canvas')?.getAttribute('aria-label') ?? ''));
    });
  });

  it('while a run streams, a progress that brings no new findings writes text only in boxes of fixed size, which lay out alone', async () => {
    // Every part in view, so the loss chart and the table take their turns too. (New findings change
    // the findings list and the verdicts, and lay the page out: that happens a few times a run.)
    await withRunningRun(page, 'boxes', 3000, async () => {
      await page.evaluate(() => {
        const w = window as unknown as { __writes: MutationRecord[] };
        w.__writes = [];
        new MutationObserver((records) => w.__writes.push(...records)).observe(document.body, { childList: true, characterData: true, subtree: true });
      });
      const before = await firstGradCell(page);
      for (let to = 21; to <= 26; to++) {
        await send(page, { type: 'progress', runId: 'boxes', records: fx.columns(fx.epochs(to, to)), findings: fx.FINDINGS, state: 'running' });
        await page.waitForTimeout(200);
      }
      await page.waitForFunction(() => /at epoch 2[1-6]\b/.test(document.querySelector('.loss canvas')?.getAttribute('aria-label') ?? ''));
      assert.notEqual(await firstGradCell(page), before, 'the table took its turn');
      const loose = await page.evaluate(() => {
        // A box lays out alone when it is contained in size and layout (contain: strict, or size and layout).
        const fixed = (el: Element | null): boolean => {
          for (let e = el; e; e = e.parentElement) {
            const c = getComputedStyle(e).contain;
            if (c === 'strict' || (c.includes('size') && c.includes('layout'))) return true;
          }
          return false;
        };
        const w = window as unknown as { __writes: MutationRecord[] };
        return w.__writes
          .map((r) => (r.target instanceof Element ? r.target : r.target.parentElement))
          .filter((el) => !fixed(el))
          .map((el) => `${el?.tagName.toLowerCase()}.${el?.className}: ${el?.textContent?.slice(0, 40)}`);
      });
      assert.deepEqual([...new Set(loose)], [], 'texts written outside a box of fixed size');
    });
  });

  it('a slow run (progress half a second apart) brings its loss chart and its table to each new epoch', async () => {
    await withRunningRun(page, 'slow', 3000, async () => {
      await page.waitForTimeout(400);
      for (let to = 21; to <= 23; to++) {
        const [record] = fx.epochs(to, to);
        await send(page, { type: 'progress', runId: 'slow', records: fx.columns(fx.epochs(to, to)), findings: fx.FINDINGS, state: 'running' });
        await page.waitForFunction((n) => document.querySelector<HTMLElement>('.heatmap-box')?.dataset.columns === n, String(to));
        await page.waitForTimeout(400);
        assert.match(await lossLabel(page), new RegExp(`at epoch ${to}\\b`), `the loss chart at epoch ${to}`);
        assert.equal(await firstGradCell(page), formatValue(record?.layers[0]?.gradRms ?? NaN), `the table at epoch ${to}`);
      }
    });
  });

  it('asks the host for the run again when progress comes for a run it does not have', async () => {
    const before = (await posted(page)).filter((m) => m.type === 'ready').length;
    await send(page, { type: 'progress', runId: 'lost-show', records: fx.columns(fx.epochs(1, 2)), findings: [], state: 'running' });
    await page.waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'ready').length > n, before);
    assert.deepEqual(errors, []);
  });
});

function scaled(f: number): (e: EpochRecord) => EpochRecord {
  return (e) => ({ ...e, layers: e.layers.map((l) => ({ ...l, gradRms: l.gradRms * f })) });
}
