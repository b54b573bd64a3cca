// The walkthrough "Get started with Gradient Flow" in a real VS Code (code-server) in Chromium, step
// by step through its own buttons: it is listed by "Welcome: Open Walkthrough…" with its five steps;
// "Open deep-sigmoid.nnspec" opens the example beside it; "Train & Inspect" trains it; "Show the
// hover" shows the vanishing evidence; "Show the quick fixes" offers the fix, and choosing it edits
// the line; "Compare Activations…" opens the variant picker. Each step is ticked by its completion
// event. Screenshot: test-artifacts/walkthrough.png.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, editorTab, openWorkbench, poll, type Workbench } from './harness';

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
    wb = await openWorkbench('browser-walkthrough');
    page = wb.page;
  });
  afterEach(function () {
    return wb?.screenshotOnFailure(this);
  });
  after(() => wb?.close());

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

  it('"Train & Inspect" trains the example (the walkthrough has the focus, the example is beside it)', async () => {
    await pressStepButton('train', 'Train & Inspect');
    await editorTab(page, 'Gradient Flow: deep-sigmoid').first().waitFor({ timeout: 30_000 });
    await ticked('train').waitFor({ timeout: 20_000 });
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

  it('"Compare Activations…" opens the variant picker and ticks the step', async () => {
    await pressStepButton('compare', 'Compare Activations…');
    await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'Compare Activations…' }).waitFor({ timeout: 20_000 });
    await ticked('compare').waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('walkthrough-done'))}`);
  });
});
