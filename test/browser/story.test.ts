// The story as a person meets it, in a real VS Code (code-server) in Chromium, with the extension
// installed from its .vsix: open deep-sigmoid.nnspec from the explorer, see the squiggle and read
// its hover, run Train & Inspect from the palette, find the heatmap painted in the panel, and read
// the vanishing finding's hover on the first dense line. Screenshots go to test-artifacts/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { packageVsix } from '../../scripts/vscode/index.mjs';
import {
  ARTIFACTS,
  ROOT,
  activeEditor,
  findFrameWith,
  hoverAt,
  openFile,
  openWorkbench,
  paintedHeatmapRows,
  poll,
  runCommand,
  type Workbench,
} from './harness';

/** Names of the entries of a .zip, from its central directory. */
function zipEntries(file: string): string[] {
  const b = fs.readFileSync(file);
  let eocd = b.length - 22;
  while (eocd >= 0 && b.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip file');
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const nameLen = b.readUInt16LE(p + 28);
    const extra = b.readUInt16LE(p + 30);
    const comment = b.readUInt16LE(p + 32);
    names.push(b.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extra + comment;
  }
  return names;
}

describe('the story, from the .vsix (code-server in Chromium)', function () {
  this.timeout(180_000);
  let wb: Workbench;
  let page: Page;
  let vsix: string;

  before(async () => {
    vsix = packageVsix(path.join(ROOT, '.test-work', 'gradient-flow.vsix'), ROOT);
    wb = await openWorkbench('browser-story', { vsix });
    page = wb.page;
  });
  afterEach(function () {
    return wb?.screenshotOnFailure(this);
  });
  after(() => wb?.close());

  it('packages a .vsix of the bundles, media, grammar, examples and docs, under 2 MB', () => {
    const size = fs.statSync(vsix).size;
    console.log(`    ${path.basename(vsix)}: ${(size / 1024).toFixed(0)} KB`);
    assert.ok(size < 2 * 1024 * 1024, `${size} bytes`);
    const files = zipEntries(vsix)
      .filter((f) => f.startsWith('extension/'))
      .map((f) => f.slice('extension/'.length));
    for (const f of [
      'package.json',
      'dist/extension.js',
      'dist/worker.js',
      'dist/webview.js',
      'dist/cli.js',
      'media/panel.css',
      'syntaxes/nnspec.tmLanguage.json',
      'examples/deep-sigmoid.nnspec',
      'examples/data/iris.csv',
      'docs/nnspec.md',
    ]) {
      assert.ok(files.includes(f), `${f} is in the package`);
    }
    const allowed =
      /^(package\.json|readme\.md|changelog\.md|LICENSE\.txt|language-configuration\.json|dist\/[\w.-]+\.js|media\/.+|syntaxes\/.+|snippets\/.+|examples\/.+|docs\/.+)$/;
    assert.deepEqual(
      files.filter((f) => !allowed.test(f)),
      [],
      'nothing else: no sources, tests, maps or node_modules',
    );
  });

  it('opens deep-sigmoid.nnspec and shows the predicted vanishing as a squiggle with a hover', async () => {
    await openFile(page, 'deep-sigmoid.nnspec');
    await activeEditor(page).locator('.squiggly-warning').first().waitFor({ state: 'visible', timeout: 30_000 });
    const text = await poll(
      "the squiggle's hover on the first dense line",
      async () => {
        const t = await hoverAt(page, 8, 2);
        return /Predicted before training/.test(t) ? t : null;
      },
      30_000,
    );
    assert.match(text, /the backpropagated error reaching layer 0 will be [\d.e-]+ of the output layer's/);
    assert.match(text, /nnspec\(static-vanishing\)/);
    await page.keyboard.press('Escape');
    await page.mouse.move(5, 5);
  });

  it('runs Train & Inspect from the palette and paints one heatmap row per layer', async () => {
    await runCommand(page, 'Gradient Flow: Train & Inspect');
    const frame = await findFrameWith(page, '.heatmap-box[data-rows="9"]', 60_000);
    // The run has 300 epochs and ends in about a second; wait for its state to say done.
    await poll(
      'the run to end',
      () => frame.evaluate(() => /done/i.test(document.body.innerText) && document.querySelectorAll('.layer-table tbody tr').length === 9),
      60_000,
    );
    assert.equal(await poll('painted heatmap rows', async () => ((await paintedHeatmapRows(frame))[0] === 9 ? 9 : null), 20_000), 9);
    const verdicts = await frame.$$eval('.layer-table tbody tr', (rows) => rows.map((r) => r.textContent ?? ''));
    assert.match(verdicts[0]!, /vanishing/);
    assert.doesNotMatch(verdicts[8]!, /vanishing/);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('story-heatmap'))}`);
  });

  it('flags layer 0 as vanishing on the first dense line, with the evidence in the hover', async () => {
    // Back to the editor (the panel opened beside it) and onto the first dense line.
    await page.locator('.tabs-container .tab').filter({ hasText: 'deep-sigmoid.nnspec' }).first().click();
    const text = await poll(
      'the vanishing hover',
      async () => {
        const t = await hoverAt(page, 8, 3);
        return /vanishing/.test(t) ? t : null;
      },
      30_000,
    );
    assert.match(text, /Layer 0 vanishing/);
    assert.match(text, /\(1\/4\)\^8/);
    assert.match(text, /relu with he_normal/i);
    console.log(`    screenshot: ${path.relative(ROOT, await wb.screenshot('story-flagged-line'))}`);
  });
});
