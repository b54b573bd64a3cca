// A model made elsewhere, as a person brings it, in a real VS Code (code-server) in Chromium: a
// Keras-style model JSON (written here by TensorFlow.js's model.toJSON(), architecture and
// initializers) is opened, "Gradient Flow: Open Model as .nnspec…" writes the spec beside it and
// opens it, and Train & Inspect paints one heatmap row per layer, the deep sigmoid stack flagged
// as vanishing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type * as TF from '@tensorflow/tfjs';
import { ROOT, activeEditor, editorTab, findFrameWith, openFile, openWorkbench, paintedHeatmapRows, poll, runCommand, type Workbench } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf: typeof TF = require('@tensorflow/tfjs');

/** Eight sigmoid layers (tfjs's glorotUniform), then a sigmoid output: the textbook vanishing gradient. */
function deepSigmoidModel(): string {
  const m = tf.sequential({ name: 'deep_sigmoid' });
  for (let k = 0; k < 8; k++)
    m.add(tf.layers.dense({ units: 16, activation: 'sigmoid', kernelInitializer: 'glorotUniform', ...(k === 0 ? { inputShape: [2] } : {}) }));
  m.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'glorotUniform' }));
  return JSON.stringify(m.toJSON(null, false));
}

describe('Open Model as .nnspec… (code-server in Chromium)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let page: Page;

  before(async () => {
    wb = await openWorkbench('browser-import', { files: { 'keras/model.json': deepSigmoidModel() } });
    page = wb.page;
  });
  afterEach(function () {
    return wb?.screenshotOnFailure(this);
  });
  after(() => wb?.close());

  it('writes model.nnspec beside the model and opens it', async () => {
    await openFile(page, 'keras/model.json');
    await runCommand(page, 'Gradient Flow: Open Model as .nnspec…');
    await editorTab(page, 'model.nnspec').waitFor({ timeout: 30_000 });
    const spec = fs.readFileSync(path.join(wb.workspace, 'keras/model.nnspec'), 'utf8');
    assert.equal(spec.split('\n').filter((l) => /^dense 16 sigmoid {2}# layer \d 'dense_Dense\d' \(Dense\)$/.test(l)).length, 8);
    assert.match(spec, /^dense 1 sigmoid {2}#.*\n^loss bce$/m);
    // The spec checks clean: no error squiggles.
    await page.waitForTimeout(1500);
    assert.equal(await activeEditor(page).locator('.squiggly-error').count(), 0);
  });

  it('trains it: one painted heatmap row per layer, the first layers flagged vanishing', async () => {
    await runCommand(page, 'Gradient Flow: Train & Inspect');
    const frame = await findFrameWith(page, '.heatmap-box[data-rows="9"]', 60_000);
    await poll(
      'the run to end',
      () => frame.evaluate(() => /done/i.test(document.body.innerText) && document.querySelectorAll('.layer-table tbody tr').length === 9),
      60_000,
    );
    assert.equal(await poll('painted heatmap rows', async () => ((await paintedHeatmapRows(frame))[0] === 9 ? 9 : null), 20_000), 9);
    const verdicts = await frame.$$eval('.layer-table tbody tr', (rows) => rows.map((r) => r.textContent ?? ''));
    console.log(`    verdicts: ${verdicts.map((v) => v.replace(/\s+/g, ' ').trim()).join(' | ')}`);
    assert.match(verdicts[0]!, /vanishing/);
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('import-heatmap'))}`);
  });
});
