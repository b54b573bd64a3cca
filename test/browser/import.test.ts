// A model made elsewhere, as a person brings it, in a real VS Code (code-server) in Chromium: a Keras
// model.to_json() file and a TensorFlow.js layers model (model.json and its weight shard), both
// written here by TensorFlow.js, and a trained PyTorch MLP exported by torch.onnx.export
// (test/fixtures/models/pytorch-mlp-circles.onnx). "Gradient Flow: Open Model as .nnspec…" (from
// the palette on an open model.json, from the explorer's context menu on the .onnx file) writes the
// spec beside the model and opens it; its `nnspec weights` are the model's own numbers; it checks
// clean; Train & Inspect paints one heatmap row per layer and lists the findings the CLI finds for
// the same spec.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type * as TF from '@tensorflow/tfjs';
import { linearLayer } from '../unit/onnxFile';
import { ROOT, editorTab, explorerRow, findFrameWith, openFile, openWorkbench, paintedHeatmapRows, poll, runCommand, type Workbench } from './harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf: typeof TF = require('@tensorflow/tfjs');

const CLI = path.join(ROOT, 'dist/cli.js');
const ONNX_MLP = path.join(ROOT, 'test/fixtures/models/pytorch-mlp-circles.onnx');
const IMPORT = 'Open Model as .nnspec…';

/** Eight sigmoid layers (tfjs's glorotUniform), then a sigmoid output: the textbook vanishing gradient. */
function deepSigmoidModel(): string {
  const m = tf.sequential({ name: 'deep_sigmoid' });
  for (let k = 0; k < 8; k++)
    m.add(tf.layers.dense({ units: 16, activation: 'sigmoid', kernelInitializer: 'glorotUniform', ...(k === 0 ? { inputShape: [2] } : {}) }));
  m.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'glorotUniform' }));
  return JSON.stringify(m.toJSON(null, false));
}

/** A small tabular classifier saved as TensorFlow.js saves a layers model: model.json and one weight shard. */
async function tfjsModel(): Promise<{ modelJson: string; shard: Uint8Array; weights: { W: number[]; b: number[] }[] }> {
  const m = tf.sequential({ name: 'tabular' });
  m.add(tf.layers.dense({ units: 8, activation: 'relu', inputShape: [4], kernelInitializer: 'heNormal' }));
  m.add(tf.layers.dense({ units: 6, activation: 'tanh' }));
  m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  let modelJson = '';
  let shard = new Uint8Array();
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      modelJson = JSON.stringify({
        format: 'layers-model',
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }],
      });
      shard = new Uint8Array(a.weightData as ArrayBuffer);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const own = m.getWeights().map((w) => Array.from(w.dataSync()));
  return { modelJson, shard, weights: [0, 1, 2].map((k) => ({ W: own[2 * k], b: own[2 * k + 1] })) };
}

interface Case {
  readonly what: string;
  /** The model, relative to the workspace. */
  readonly model: string;
  /** How the user asks for the import. */
  readonly from: 'palette' | 'explorer';
  readonly layers: number;
  /** The model's own weights per layer (W flattened [in][out]); null for a file that holds none. */
  readonly weights: readonly { readonly W: readonly number[]; readonly b: readonly number[] }[] | null;
  /** A finding the run must have (the deep sigmoid stack's vanishing gradient); without one, the check prints nothing. */
  readonly finding?: string;
}

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

/** Right-click `relPath` in the explorer (its folders expanded) and pick `title` from the context menu; once more if the menu closed under us. */
async function explorerCommand(page: Page, relPath: string, title: string): Promise<void> {
  const parts = relPath.split('/');
  for (const part of parts.slice(0, -1)) {
    const folder = explorerRow(page, part).first();
    await folder.waitFor({ state: 'visible', timeout: 15_000 });
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
  }
  const row = explorerRow(page, parts[parts.length - 1]!).first();
  const item = page.locator('.monaco-menu .action-item').filter({ hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    try {
      await row.click({ button: 'right', timeout: 15_000 });
      await item.waitFor({ state: 'visible', timeout: 10_000 });
      await item.click({ timeout: 10_000 });
      // In CI the click once only highlighted the item and the menu stayed open: then Enter runs the highlighted item.
      const menu = page.locator('.context-view .monaco-menu').first();
      if (
        !(await menu.waitFor({ state: 'hidden', timeout: 5_000 }).then(
          () => true,
          () => false,
        ))
      ) {
        await item.hover();
        await page.keyboard.press('Enter');
        await menu.waitFor({ state: 'hidden', timeout: 5_000 });
      }
      return;
    } catch (e) {
      if (attempt > 1) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

describe('Open Model as .nnspec… (code-server in Chromium)', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let page: Page;
  const cases: Case[] = [];

  before(async () => {
    const tfjs = await tfjsModel();
    const mlp = new Uint8Array(fs.readFileSync(ONNX_MLP));
    cases.push(
      { what: 'a Keras model.to_json() file', model: 'keras/deep_sigmoid.json', from: 'palette', layers: 9, weights: null, finding: 'vanishing' },
      { what: 'a TensorFlow.js model.json with its weight shard', model: 'tfjs/model.json', from: 'palette', layers: 3, weights: tfjs.weights },
      {
        what: 'an ONNX file from PyTorch (a trained MLP)',
        model: 'pytorch/mlp.onnx',
        from: 'explorer',
        layers: 2,
        weights: [linearLayer(ONNX_MLP, 'fc1.weight', 'fc1.bias'), linearLayer(ONNX_MLP, 'fc2.weight', 'fc2.bias')],
      },
    );
    wb = await openWorkbench('browser-import', {
      files: {
        'keras/deep_sigmoid.json': deepSigmoidModel(),
        'tfjs/model.json': tfjs.modelJson,
        'tfjs/group1-shard1of1.bin': tfjs.shard,
        'pytorch/mlp.onnx': mlp,
      },
    });
    page = wb.page;
    // The explorer lists the workspace once the workbench has settled (slow under load); the first open waits for it.
    await explorerRow(page, 'keras').first().waitFor({ state: 'visible', timeout: 90_000 });
  });
  afterEach(function () {
    return wb?.screenshotOnFailure(this);
  });
  after(() => wb?.close());

  const specOf = (c: Case) => c.model.replace(/\.(json|onnx)$/, '.nnspec');

  for (const [k, name] of ['keras', 'tfjs', 'pytorch'].entries()) {
    const the = () => cases[k]!;

    it(`${name}: writes the spec beside the model and opens it; its weights are the model's own; it checks clean`, async () => {
      const c = the();
      if (c.from === 'palette') {
        await openFile(page, c.model);
        await runCommand(page, `Gradient Flow: ${IMPORT}`);
      } else {
        await explorerCommand(page, c.model, IMPORT);
      }
      const spec = specOf(c);
      await editorTab(page, path.basename(spec)).and(page.locator('.tab.active')).first().waitFor({ timeout: 30_000 });
      const file = path.join(wb.workspace, spec);
      const text = fs.readFileSync(file, 'utf8');
      assert.equal(text.split('\n').filter((l) => /^dense \d+ /.test(l)).length, c.layers, text);
      if (c.weights) {
        const printed = cli('weights', file);
        assert.equal(printed.status, 0, printed.stderr);
        const layers = (JSON.parse(printed.stdout) as { layers: { W: number[][]; b: number[] }[] }).layers;
        assert.deepEqual(
          layers.map((l) => ({ W: l.W.flat(), b: l.b })),
          c.weights.map((w) => ({ W: [...w.W], b: [...w.b] })),
        );
      } else {
        assert.doesNotMatch(text, /^weights /m, 'a to_json() file holds no weights');
      }
      // The spec checks clean: no error from the engine the editor's diagnostics run; a healthy model, no problem
      // at all (the deep sigmoid stack is predicted to vanish: warnings, as it should be).
      const checked = cli('check', file);
      assert.equal(checked.status, 0, checked.stdout + checked.stderr);
      if (c.finding) assert.doesNotMatch(checked.stdout, /: error: /);
      else assert.equal(checked.stdout, '');
    });

    it(`${name}: Train & Inspect paints a heatmap row per layer and lists the findings the CLI finds; no error in the editor`, async () => {
      const c = the();
      const spec = specOf(c);
      await runCommand(page, 'Gradient Flow: Train & Inspect');
      const frame = await findFrameWith(page, `.heatmap-box[data-rows="${c.layers}"]`, 60_000);
      await poll(
        `the run of ${spec} to end`,
        () =>
          frame.evaluate(
            ([file, rows]) =>
              document.querySelector('.meta .file')?.textContent === file &&
              document.querySelector('.meta .state-badge.done') !== null &&
              document.querySelectorAll('.layer-table tbody tr').length === rows,
            [path.basename(spec), c.layers] as const,
          ),
        90_000,
      );
      assert.equal(await poll('painted heatmap rows', async () => ((await paintedHeatmapRows(frame))[0] === c.layers ? c.layers : null), 20_000), c.layers);
      // The same spec, trained by the CLI (same seed, same epochs): the panel lists exactly its findings.
      const trained = cli('train', path.join(wb.workspace, spec), '--json');
      assert.equal(trained.status, 0, trained.stderr);
      const expected = (JSON.parse(trained.stdout) as { findings: { kind: string; line: number }[] }).findings.map(
        (f) => `${f.kind.replace(/_/g, ' ')} @ line ${f.line}`,
      );
      const shown = await frame.$$eval('.findings-list li', (items) =>
        items.map((li) => `${li.querySelector('strong')?.textContent ?? ''} @ ${li.querySelector('button.link')?.textContent ?? ''}`),
      );
      assert.deepEqual(shown.sort(), expected.sort());
      if (expected.length === 0) assert.match(await frame.innerText('.findings'), /No findings: every layer looks healthy\./);
      if (c.finding)
        assert.ok(
          shown.some((f) => f.startsWith(`${c.finding} @`)),
          `a ${c.finding} finding`,
        );
      console.log(`    ${c.what}: ${expected.length === 0 ? 'no findings' : expected.join(', ')}`);
      // The spec's editor shows no error: its diagnostics were refreshed with the run's findings by now.
      const editor = page.locator('.editor-group-container').filter({ has: editorTab(page, path.basename(spec)).and(page.locator('.tab.active')) });
      await editor.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await editor.locator('.squiggly-error').count(), 0);
      console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot(`import-${name}`))}`);
    });
  }
});
