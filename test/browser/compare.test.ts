// Compare as a person meets it, in a real VS Code (code-server) in Chromium: open deep-sigmoid.nnspec,
// run "Gradient Flow: Compare Activations…" from the palette, accept the picker's default selection
// (the file as written and three activation variants), and find four heatmaps painted in the panel,
// one row per layer each, with a verdict under each. Then "Gradient Flow: Find Learning Rate" on
// relu-he.nnspec plots its sweep and its short trainings. Screenshots: test-artifacts/compare.png and lr-find.png.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, activeEditor, findFrameWith, openFile, openWorkbench, paintedHeatmapRows, poll, runCommand, type Workbench } from './harness';

describe('Compare Activations… from the palette (code-server in Chromium)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let page: Page;

  before(async () => {
    wb = await openWorkbench('browser-compare');
    page = wb.page;
  });
  afterEach(function () {
    return wb?.screenshotOnFailure(this);
  });
  after(() => wb?.close());

  it('offers the variants with the file as written and three activation variants selected', async () => {
    await openFile(page, 'deep-sigmoid.nnspec');
    await runCommand(page, 'Gradient Flow: Compare Activations…', { opensQuickInput: true });
    // The same quick input now holds the variant picker.
    await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'Compare Activations…' }).waitFor({ timeout: 30_000 });
    // The rows and their check boxes render a moment apart: wait for four checked ones.
    const checked = await poll(
      'four variants checked',
      async () => {
        const labels = await page
          .locator('.quick-input-widget .monaco-list-row')
          .evaluateAll((els) =>
            els
              .filter(
                (el) => (el.querySelector('input[type=checkbox]') as HTMLInputElement | null)?.checked || el.querySelector('.monaco-custom-toggle.checked'),
              )
              .map((el) => (el.textContent ?? '').trim()),
          );
        return labels.length >= 4 ? labels : null;
      },
      20_000,
    );
    console.log(`    selected: ${checked.join(' | ')}`);
    assert.equal(checked.length, 4, checked.join(' | '));
    for (const label of ['as written', 'relu + he_normal', 'leaky_relu + he_normal', 'tanh + glorot_uniform'])
      assert.ok(
        checked.some((c) => c.includes(label)),
        label,
      );
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  });

  it('trains them and paints four heatmaps side by side, each with its verdict', async () => {
    const frame = await findFrameWith(page, '.compare-grid .variant', 60_000);
    await poll(
      'four variants, all done',
      () =>
        frame.evaluate(() => {
          const cards = [...document.querySelectorAll('.compare-grid .variant')];
          return cards.length === 4 && cards.every((c) => c.querySelector('.state-badge.done'));
        }),
      90_000,
    );
    const rows = await poll(
      'four painted heatmaps of 9 rows',
      async () => {
        const r = await paintedHeatmapRows(frame, '.compare-grid .heatmap-box');
        return r.length === 4 && r.every((n) => n === 9) ? r : null;
      },
      30_000,
    );
    assert.deepEqual(rows, [9, 9, 9, 9]);
    const verdicts = await frame.$$eval('.compare-grid .variant .verdict-line', (els) => els.map((e) => e.textContent ?? ''));
    console.log(`    verdicts: ${verdicts.join(' | ')}`);
    assert.match(verdicts[0]!, /vanishing/);
    assert.doesNotMatch(verdicts[1]!, /vanishing/);
  });

  it('the file is no longer busy: its CodeLens offers Train & Inspect again', async () => {
    const lens = activeEditor(page).locator('.codelens-decoration');
    await poll('the CodeLens to say Train & Inspect', async () => /Train & Inspect/.test(await lens.first().innerText()), 10_000);
  });

  it('the panel maximized, four heatmaps on one colour scale and one legend (screenshot)', async () => {
    const tab = page.locator('.tabs-container .tab').filter({ hasText: 'Compare deep-sigmoid.nnspec' }).first();
    await tab.click();
    const group = page.locator('.editor-group-container').filter({ has: tab });
    const groupWidth = async () => (await group.boundingBox())?.width ?? 0;
    const editorWidth = () => page.evaluate(() => document.querySelector('.part.editor')?.getBoundingClientRect().width ?? 0);
    const narrow = await groupWidth();
    // Clicking the tab puts the focus in the webview, which can close the palette as it settles; runCommand retries.
    await runCommand(page, 'Maximize Editor Group');
    await poll("the panel's group to fill the editor area", async () => (await groupWidth()) > Math.max(narrow + 50, 0.95 * (await editorWidth())), 20_000);
    const frame = await findFrameWith(page, '.compare-grid .variant', 30_000);
    // The page lays its heatmaps out again at the new size: wait for four painted ones.
    const rows = await poll(
      'four painted heatmaps after the resize',
      async () => {
        const r = await paintedHeatmapRows(frame, '.compare-grid .heatmap-box');
        return r.length === 4 && r.every((n) => n === 9) ? r : null;
      },
      30_000,
    );
    assert.deepEqual(rows, [9, 9, 9, 9]);
    const scales = await frame.$$eval('.compare-grid .heatmap-box', (els) => els.map((e) => (e as HTMLElement).dataset.domain ?? ''));
    assert.equal(scales.length, 4);
    assert.match(scales[0]!, /^log \S+ \S+$/, 'a log colour scale');
    assert.equal(new Set(scales).size, 1, `one colour scale for all four: ${scales.join(' | ')}`);
    assert.equal(await frame.locator('.legend').count(), 1, 'one legend for the four heatmaps');
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('compare'))}`);
  });

  it("Find Learning Rate on relu-he.nnspec plots the sweep, marks the file's lr, and its short trainings say the file's 0.05 trained best", async () => {
    await page.keyboard.press('Control+p');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('relu-he.nnspec');
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'relu-he.nnspec' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'relu-he.nnspec' }).first().waitFor({ timeout: 20_000 });
    await runCommand(page, 'Gradient Flow: Find Learning Rate');
    // The sweep and then four short trainings run in the worker; the view comes with both.
    const frame = await findFrameWith(page, '.lrfind-view .lr-trials tbody tr', 120_000);
    const label = await poll(
      'the plot with its suggestion',
      async () => {
        const l = await frame.$eval('.lrfind-view canvas', (c) => c.getAttribute('aria-label') ?? '');
        return /suggested lr .*; current lr 0\.05\.$/.test(l) ? l : null;
      },
      30_000,
    );
    console.log(`    ${label}`);
    const rows = (await frame.locator('.lr-trials tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    console.log(`    ${rows.join('\n    ')}`);
    assert.equal(rows.length, 4);
    assert.match(rows[3]!, /^0\.05 file [\d.]+ trained best in the file$/);
    assert.match((await frame.locator('.lr-summary').textContent()) ?? '', /^The file's lr = 0\.05 trained best in 300 steps/);
    const buttons = await frame.locator('.lr-trials vscode-button').allTextContents();
    assert.equal(buttons.length, 3, "a Use button on each tried lr but the file's");
    for (const b of buttons) assert.match(b.trim(), /^Use lr = [\d.e-]+$/);
    const painted = await frame.$eval('.lrfind-view canvas', (el) => {
      const c = el as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    assert.ok(painted > 1000, `${painted} painted pixels`);
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('lr-find'))}`);
  });
});
