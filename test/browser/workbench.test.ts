// The workbench loads with the extension installed, and a .nnspec file opened from the explorer gets an
// editor tab with the nnspec language. (Run by scripts/test.mjs with mocha in Node, not in VS Code.)
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ROOT, activeEditorLanguage, editorTab, explorerRow, openFile, openWorkbench, poll, statusBarLanguage, type Workbench } from './harness';

describe('workbench (code-server in Chromium)', function () {
  this.timeout(180_000);
  let wb: Workbench;

  before(async () => {
    wb = await openWorkbench('browser-workbench');
  });
  afterEach(function () {
    return wb?.screenshotOnFailure(this);
  });
  after(() => wb?.close());

  it('loads the workbench with the examples folder in the explorer', async () => {
    await explorerRow(wb.page, 'deep-sigmoid.nnspec').waitFor({ state: 'visible', timeout: 30_000 });
  });

  it('opens deep-sigmoid.nnspec from the explorer in an nnspec editor', async () => {
    await openFile(wb.page, 'deep-sigmoid.nnspec');
    assert.equal(await editorTab(wb.page, 'deep-sigmoid.nnspec').count(), 1, 'one editor tab');
    assert.equal(await poll('the nnspec language mode', async () => (await activeEditorLanguage(wb.page)) === 'nnspec' && 'nnspec'), 'nnspec');
    assert.equal(await poll('the status bar language', () => statusBarLanguage(wb.page)), 'nnspec');
    const shot = await wb.screenshot('workbench-deep-sigmoid');
    console.log(`    screenshot: ${path.relative(ROOT, shot)}`);
  });
});
