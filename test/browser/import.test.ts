// A model made elsewhere, as a person brings it, in a real VS Code (code-server) in Chromium: a
// TensorFlow.js layers model (model.json and its shard, written here by TensorFlow.js itself) is
// opened, "Gradient Flow: Open Model as .nnspec…" writes the spec beside it and opens it, and Train
// & Inspect paints one heatmap row per layer, with the deep sigmoid stack flagged as vanishing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type * as TF from '@tensorflow/tfjs';
import { ROOT, activeEditor, editorTab, findFrameWith, openFile, openWorkbench, paintedHeatmapRows, poll, runCommand, type Workbench } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf: typeof TF = require('@tensorflow/tfjs');

/** Six sigmoid layers with N(0, 1) weights, then a sigmoid output: the textbook vanishing gradient. */
async function deepSigmoidModel(): Promise<{ modelJson: string; shard: Uint8Array }> {
  const m = tf.sequential({ name: 'deep_sigmoid' });
  for (let k = 0; k < 6; k++) {
    m.add(tf.layers.dense({ units: 16, activation: 'sigmoid', kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: k + 1 }), ...(k === 0 ? { inputShape: [2] } : {}) }));
  }
  m.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  let modelJson = '';
  let shard = new Uint8Array();
  await m.save(tf.io.withSaveHandler(async (a) => {
    modelJson = JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }] });
    shard = new Uint8Array(a.weightData as ArrayBuffer);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return { modelJson, shard };
}

describe('Open Model as .nnspec… (code-server in Chromium)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let page: Page;

  before(async () => {
    const { modelJson, shard } = await deepSigmoidModel();
    wb = await openWorkbench('browser-import', { files: { 'keras/model.json': modelJson } });
    fs.writeFileSync(path.join(wb.workspace, 'keras/group1-shard1of1.bin'), shard);
    page = wb.page;
  });
  afterEach(function () { return wb?.screenshotOnFailure(this); });
  after(() => wb?.close());

  it('writes model.nnspec and model.weights.json beside the model and opens the spec', async () => {
    await openFile(page, 'keras/model.json');
    await runCommand(page, 'Gradient Flow: Open Model as .nnspec…');
    await editorTab(page, 'model.nnspec').waitFor({ timeout: 30_000 });
    const spec = fs.readFileSync(path.join(wb.workspace, 'keras/model.nnspec'), 'utf8');
    assert.match(spec, /^weights "model\.weights\.json"$/m);
    assert.equal(spec.split('\n').filter((l) => l.startsWith('dense ')).length, 7);
    assert.ok(fs.existsSync(path.join(wb.workspace, 'keras/model.weights.json')));
    // The spec checks clean: no error squiggles.
    await page.waitForTimeout(1500);
    assert.equal(await activeEditor(page).locator('.squiggly-error').count(), 0);
  });

  it('trains it: one painted heatmap row per layer, the first layers flagged vanishing', async () => {
    await runCommand(page, 'Gradient Flow: Train & Inspect');
    const frame = await findFrameWith(page, '.heatmap-box[data-rows="7"]', 60_000);
    await poll('the run to end', () => frame.evaluate(() => /done/i.test(document.body.innerText) && document.querySelectorAll('.layer-table tbody tr').length === 7), 60_000);
    assert.equal(await poll('painted heatmap rows', async () => ((await paintedHeatmapRows(frame))[0] === 7 ? 7 : null), 20_000), 7);
    const verdicts = await frame.$$eval('.layer-table tbody tr', (rows) => rows.map((r) => r.textContent ?? ''));
    console.log(`    verdicts: ${verdicts.map((v) => v.replace(/\s+/g, ' ').trim()).join(' | ')}`);
    assert.match(verdicts[0]!, /vanishing/);
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('import-heatmap'))}`);
  });
});
