// The walkthrough "Get started with Gradient Flow" in a real VS Code (code-server) in Chromium, step
// by step through its own buttons: it is listed by "Welcome: Open Walkthrough…" with its five steps;
// "Open deep-sigmoid.nnspec" opens the example beside it; "Train & Inspect" trains it; "Show the
// hover" shows the vanishing evidence; "Show the quick fixes" offers the fix, and choosing it edits
// the line; trained again, the fixed network has no vanishing layer (the walkthrough's own fix
// heals); "Compare Activations…" opens the variant picker. Each step is ticked by its completion
// event. Last, a run that opens the panel anew fills it live.
// Screenshots: test-artifacts/walkthrough.png, walkthrough-healed.png, first-run-live.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { ROOT, editorTab, findFrameWith, openFile, openWorkbench, paintedHeatmapRows, poll, runCommand, type Workbench } from './harness';

/** The run view's header in the panel: its state badge and "epoch N of M". */
async function runHeader(frame: Frame): Promise<{ state: string; epoch: number; of: number } | null> {
  return frame.evaluate(() => {
    const state = document.querySelector('.run-view .view-header .state-badge')?.textContent ?? '';
    const m = /epoch (\d+) of (\d+)/.exec(document.querySelector('.run-view .view-header .epochs')?.textContent ?? '');
    return m ? { state, epoch: Number(m[1]), of: Number(m[2]) } : null;
  });
}

/** The panel's layer table: each row's activation and verdict cells. */
async function layerRows(frame: Frame): Promise<string[]> {
  return frame.$$eval('.layers .layer-table tbody tr', (rows) => rows.map((r) => (r as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
}

const STEP = 'gradient-flow.gradient-flow#gradientFlow.start#';

describe('the walkthrough (code-server in Chromium)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let page: Page;

  /** A step's tick (attached: the walkthrough may be behind another editor of its group). */
  const ticked = (step: string) => ({
    waitFor: (o: { timeout: number }) => page.locator(`[data-done-step-id="${STEP}${step}"][aria-checked="true"]`).waitFor({ state: 'attached', ...o }),
  });

  /** Expands a step of the walkthrough and clicks its button. */
  async function pressStepButton(step: string, label: string): Promise<void> {
    const el = page.locator(`.getting-started-step[data-step-id="${STEP}${step}"]`);
    await el.click();
    await el.locator('.button-container a').filter({ hasText: label }).first().click();
  }

  before(async () => {
    // deep-sigmoid for 100000 epochs of 4000 samples, for the last test: long enough that the run still goes
    // when the panel is up, on an idle machine too (20000 epochs of 400 samples ended before the page loaded).
    const longRun = fs
      .readFileSync(path.join(ROOT, 'examples', 'deep-sigmoid.nnspec'), 'utf8')
      .replace(/epochs=\d+/, 'epochs=100000')
      .replace(/samples=\d+/, 'samples=4000');
    wb = await openWorkbench('browser-walkthrough', { files: { 'long-run.nnspec': longRun } });
    page = wb.page;
  });
  afterEach(function () {
    return wb?.screenshotOnFailure(this);
  });
  after(() => wb?.close()); // also ends the long run of the last test

  it('is listed under Welcome: Open Walkthrough… and shows its five steps', async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Welcome: Open Walkthrough');
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Open Walkthrough' }).first().click();
    const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Get started with Gradient Flow' }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    const steps = page.locator('.getting-started-step');
    await poll('the steps', async () => (await steps.count()) >= 5, 20_000);
    const titles = (await steps.allInnerTexts()).map((t) => t.split('\n')[0]!.trim());
    assert.deepEqual(titles.slice(0, 5), [
      'Open the deep-sigmoid example',
      'Run Train & Inspect',
      "Read the flagged layer's hover",
      'Apply the quick fix',
      'Compare activations side by side',
    ]);
  });

  it('"Open deep-sigmoid.nnspec" opens the example beside it and ticks the step', async () => {
    await pressStepButton('openExample', 'Open deep-sigmoid.nnspec');
    await editorTab(page, 'deep-sigmoid.nnspec').first().waitFor({ timeout: 20_000 });
    await ticked('openExample').waitFor({ timeout: 20_000 });
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('walkthrough'))}`);
  });

  it('"Train & Inspect" trains the example (the walkthrough has the focus, the example is beside it) and the panel shows the run', async () => {
    await pressStepButton('train', 'Train & Inspect');
    await editorTab(page, 'Gradient Flow: deep-sigmoid').first().waitFor({ timeout: 30_000 });
    await ticked('train').waitFor({ timeout: 20_000 });
    // The first run of the session: the panel was created for it and must not stay at "Waiting for a training run…".
    const frame = await findFrameWith(page, '.run-view .view-header .epochs', 60_000);
    const done = await poll(
      'the first run, done, in the panel',
      async () => {
        const h = await runHeader(frame);
        return h && h.state === 'done' && h.epoch === h.of ? h : null;
      },
      90_000,
    );
    assert.equal(done.of, 300);
    assert.deepEqual(await paintedHeatmapRows(frame), [9], 'one heatmap, a row per dense layer');
  });

  it('"Show the hover" shows the vanishing evidence on the first dense line', async () => {
    // The run takes a second or two; until it ends there is no flagged line to show.
    const text = await poll(
      'the vanishing hover',
      async () => {
        await pressStepButton('hover', 'Show the hover');
        const hover = page.locator('.monaco-hover:not(.hidden)').first();
        await hover.waitFor({ state: 'visible', timeout: 3_000 });
        const t = await hover.innerText();
        return /vanishing/.test(t) ? t : null;
      },
      60_000,
    );
    assert.match(text, /Layer 0 vanishing/);
    await ticked('hover').waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
  });

  it('"Show the quick fixes" offers relu with he_normal, and choosing it edits the line and ticks the step', async () => {
    await pressStepButton('quickFix', 'Show the quick fixes');
    // The preferred fix comes first and has the focus; Enter applies it (the list re-renders as the
    // code actions arrive, so a click can miss).
    const item = page.locator('.action-widget .monaco-list-row.focused').filter({ hasText: 'Use relu with he_normal init' }).first();
    await item.waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    assert.ok(await item.isVisible(), 'the quick-fix menu stays open');
    await page.keyboard.press('Enter');
    // The editor renders spaces as no-break spaces.
    const lines = async () => (await page.locator('.monaco-editor .view-lines').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
    await poll('the edited line', async () => /dense 16 relu init=he_normal/.test(await lines()), 20_000);
    await ticked('quickFix').waitFor({ timeout: 20_000 });
  });

  it("trained again after the walkthrough's fix, deep-sigmoid heals: no layer vanishes, and the panel says so", async () => {
    const frame = await findFrameWith(page, '.run-view .layers', 30_000);
    const sigmoidRun = await frame.$eval('.layers .layer-table tbody', (b) => (b as HTMLElement).dataset.run ?? '');
    // As a newcomer does: Train & Inspect on the edited example (the walkthrough's button trains it as it is now).
    await pressStepButton('train', 'Train & Inspect');
    const rows = await poll(
      'the retrained run, done, in the panel',
      async () => {
        const run = await frame.$eval('.layers .layer-table tbody', (b) => (b as HTMLElement).dataset.run ?? '');
        const h = await runHeader(frame);
        return run !== sigmoidRun && h?.state === 'done' && h.epoch === h.of ? layerRows(frame) : null;
      },
      120_000,
    );
    console.log(`    ${rows.join('\n    ')}`);
    assert.equal(rows.length, 9);
    assert.ok(
      rows.slice(0, 8).every((r) => /\brelu\b/.test(r)),
      'the fix made every hidden layer relu (it reaches the layers above the flagged one)',
    );
    assert.ok(!rows.some((r) => /vanishing/i.test(r)), "no layer's verdict is vanishing");
    const findings = (await frame.locator('.findings').innerText()).replace(/\s+/g, ' ');
    assert.doesNotMatch(findings, /vanishing|plateau/i, findings);
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('walkthrough-healed'))}`);
  });

  it('"Compare Activations…" opens the variant picker and ticks the step', async () => {
    await pressStepButton('compare', 'Compare Activations…');
    await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'Compare Activations…' }).waitFor({ timeout: 20_000 });
    await ticked('compare').waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('walkthrough-done'))}`);
  });

  it('a run that opens the panel anew (as the first run of a session does) fills it live, epoch by epoch', async () => {
    // Closed, so the next run creates the panel and its page again: the moment the first run's updates were lost.
    const panelTab = editorTab(page, 'Gradient Flow: deep-sigmoid').first();
    if (await panelTab.count()) {
      await panelTab.hover();
      await panelTab.locator('.codicon-close').click();
    }
    await poll('the panel closed', async () => (await page.locator('.tabs-container .tab').filter({ hasText: 'Gradient Flow:' }).count()) === 0, 20_000);
    await openFile(page, 'long-run.nnspec');
    await runCommand(page, 'Gradient Flow: Train & Inspect');
    const frame = await findFrameWith(page, '.run-view .view-header .epochs', 60_000);
    const first = await poll(
      'the running run in the panel',
      async () => {
        const h = await runHeader(frame);
        return h && h.state === 'running' && h.epoch > 0 ? h : null;
      },
      60_000,
    );
    assert.equal(first.of, 100000);
    const later = await poll(
      'more epochs while it runs',
      async () => {
        const h = await runHeader(frame);
        return h && h.state === 'running' && h.epoch > first.epoch ? h : null;
      },
      60_000,
    );
    console.log(`    live: epoch ${first.epoch}, then ${later.epoch} of 100000`);
    assert.equal(await frame.locator('.placeholder').count(), 0, 'not "Waiting for a training run…"');
    const columns = Number(await frame.locator('.heatmap-box').first().getAttribute('data-columns'));
    assert.ok(columns > 0, `the heatmap has ${columns} columns while the run goes on`);
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('first-run-live'))}`);
  });
});
