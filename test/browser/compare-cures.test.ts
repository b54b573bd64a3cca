// Compare with the cures (issue 12), as a person meets it in a real VS Code (code-server) in
// Chromium: on the issue's 16-layer tanh stack and 20-layer sigmoid stack (test/unit/issueNetworks.ts),
// "Gradient Flow: Compare Activations…", the activation variants unticked and "+ residual" and
// "+ layer norm" ticked, and the verdict under each heatmap read once every variant is done.
// Screenshots: test-artifacts/compare-cures-tanh.png and compare-cures-sigmoid.png.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, findFrameWith, openFile, openWorkbench, paintedHeatmapRows, poll, runCommand, type Workbench } from './harness';
import { DEEP_SIGMOID_20, DEEP_TANH } from '../unit/issueNetworks';

const WANTED = ['as written', '+ residual', '+ layer norm'];

/** The picker's rows as { label, checked }, once its check boxes have rendered. */
async function pickerRows(page: Page): Promise<{ label: string; checked: boolean }[]> {
  return page.locator('.quick-input-widget .monaco-list-row').evaluateAll((els) =>
    els.map((el) => ({
      label: (el.querySelector('.label-name')?.textContent ?? el.textContent ?? '').trim(),
      checked: Boolean((el.querySelector('input[type=checkbox]') as HTMLInputElement | null)?.checked || el.querySelector('.monaco-custom-toggle.checked')),
    })),
  );
}

/** Runs Compare on the open file with exactly WANTED ticked; returns each card's heading and verdict once all are done. */
async function compareCures(page: Page, fileName: string, layers: number): Promise<Map<string, string>> {
  await runCommand(page, 'Gradient Flow: Compare Activations…', { opensQuickInput: true });
  await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'Compare Activations…' }).waitFor({ timeout: 30_000 });
  // The rows and their check boxes render a moment apart: wait for the default selection (as written first).
  await poll(
    'the variants listed and the defaults ticked',
    async () => (await pickerRows(page)).some((r) => r.label.startsWith('as written') && r.checked),
    20_000,
  );
  const labels = (await pickerRows(page)).map((r) => r.label);
  for (const want of ['+ residual', '+ layer norm', '+ batch norm'])
    assert.ok(
      labels.some((l) => l.startsWith(want)),
      `${want} offered: ${labels.join(' | ')}`,
    );
  for (const label of labels) {
    const want = WANTED.some((w) => label.startsWith(w));
    // Exactly this label: "relu + he_normal" is also the end of "leaky_relu + he_normal".
    const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    const row = page
      .locator('.quick-input-widget .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: exact }) })
      .first();
    // The box is read back until it says so.
    await poll(
      `"${label}" ${want ? 'ticked' : 'unticked'}`,
      async () => {
        const now = (await pickerRows(page)).find((r) => r.label === label)?.checked;
        if (now === want) return true;
        // A click event on the box itself: a row's hover tooltip can lie over the next row's box.
        await row.locator('input[type=checkbox], .monaco-custom-toggle').first().dispatchEvent('click', undefined, { timeout: 5_000 });
        return false;
      },
      20_000,
    );
  }
  const ticked = (await pickerRows(page)).filter((r) => r.checked).map((r) => r.label);
  assert.deepEqual(
    ticked.map((l) => WANTED.find((w) => l.startsWith(w))),
    WANTED,
    ticked.join(' | '),
  );
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });

  const tab = page
    .locator('.tabs-container .tab')
    .filter({ hasText: `Compare ${fileName}` })
    .first();
  await tab.waitFor({ timeout: 60_000 });
  // Its cards appear when the variants' runs start, which a loaded machine can delay for minutes.
  const frame = await findFrameWith(page, '.compare-grid .variant', 240_000);
  // Twenty-layer networks, 300 epochs each, on a busy machine: wait for the state, not a time.
  await poll(
    'three variants, all done',
    () =>
      frame.evaluate(() => {
        const cards = [...document.querySelectorAll('.compare-grid .variant')];
        return cards.length === 3 && cards.every((c) => c.querySelector('.state-badge.done'));
      }),
    240_000,
  );
  await poll(
    `three painted heatmaps of ${layers} rows`,
    async () => {
      const r = await paintedHeatmapRows(frame, '.compare-grid .heatmap-box');
      return r.length === 3 && r.every((n) => n === layers);
    },
    30_000,
  );
  const cards = await frame.$$eval('.compare-grid .variant', (els) =>
    els.map((e) => [e.querySelector('h3')?.textContent ?? '', e.querySelector('.verdict-line')?.textContent ?? ''] as const),
  );
  console.log(`    ${cards.map(([h, v]) => `${h}: ${v}`).join('\n    ')}`);
  const byVariant = new Map<string, string>();
  for (const w of WANTED) {
    const card = cards.find(([h]) => h.includes(w));
    assert.ok(card, `a card for ${w}: ${cards.map(([h]) => h).join(' | ')}`);
    byVariant.set(w, card[1]);
  }
  return byVariant;
}

/** The layers a verdict line calls vanishing ("vanishing (layers 0, 1); plateau" → [0, 1]). */
function vanishingLayers(verdict: string): number[] {
  const m = /vanishing \(layers? ([\d, ]+)\)/.exec(verdict);
  return m ? m[1]!.split(',').map((s) => Number(s.trim())) : [];
}

describe('Compare with the cures: residual connections and layer norm (code-server in Chromium)', function () {
  this.timeout(600_000);
  let wb: Workbench;
  let page: Page;

  before(async () => {
    wb = await openWorkbench('browser-compare-cures', { files: { 'deep-tanh.nnspec': DEEP_TANH, 'deep-sigmoid-20.nnspec': DEEP_SIGMOID_20 } });
    page = wb.page;
  });
  afterEach(function () {
    return wb?.screenshotOnFailure(this);
  });
  after(() => wb?.close());

  it('16 tanh layers with normal(0, 0.05): vanishing as written, not with + residual or + layer norm', async () => {
    await openFile(page, 'deep-tanh.nnspec');
    const v = await compareCures(page, 'deep-tanh.nnspec', 17);
    assert.ok(vanishingLayers(v.get('as written')!).includes(0), v.get('as written'));
    assert.doesNotMatch(v.get('+ residual')!, /vanishing/);
    assert.doesNotMatch(v.get('+ layer norm')!, /vanishing/);
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('compare-cures-tanh'))}`);
  });

  it('20 sigmoid layers: + residual lifts layer 0 out of vanishing; + layer norm does not (sigmoid′ ≤ 1/4 whatever z)', async () => {
    // One Compare panel at a time, so the frame found is this run's.
    await runCommand(page, 'View: Close All Editors');
    await poll(
      'the first Compare panel closed',
      async () => (await page.locator('.tabs-container .tab').filter({ hasText: 'Compare deep-tanh' }).count()) === 0,
      20_000,
    );
    await openFile(page, 'deep-sigmoid-20.nnspec');
    const v = await compareCures(page, 'deep-sigmoid-20.nnspec', 21);
    assert.ok(vanishingLayers(v.get('as written')!).includes(0), v.get('as written'));
    assert.ok(!vanishingLayers(v.get('+ residual')!).includes(0), v.get('+ residual'));
    assert.ok(vanishingLayers(v.get('+ layer norm')!).includes(0), v.get('+ layer norm'));
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('compare-cures-sigmoid'))}`);
  });
});
