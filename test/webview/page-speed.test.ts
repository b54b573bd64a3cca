// The speed-of-learning readout on the panel page (src/webview/speedReadout.ts), fed the host's own
// messages (RunData) from a real engine run of examples/mnist-speed-of-learning.nnspec cut to 20
// epochs: hidden while the heatmap shows another metric, there with ‖∂L/∂b‖ picked, its numbers
// those of the run. Needs `node scripts/build.mjs` first.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { checkWithFiles, trainToReport } from '../../src/engine/index';
import type { Report } from '../../src/engine/types';
import { RunData, showMessage } from '../../src/host/panel/runData';
import { dataFileReader } from '../../src/node/dataFiles';
import { slowerPhrase, speedOfLearning } from '../../src/shared/speedOfLearning';
import { formatValue } from '../../src/webview/format';
import { openRecordingPanel, send } from './pageServer';

const ROOT = resolve(__dirname, '../../..');
const EPOCHS = 20;

/** What the readout should show for one record's ‖∂L/∂b‖ (float32 on the wire, as the page has them). */
function expected(label: string, biasGradNorms: readonly number[]): { cells: string[]; phrase: string } {
  const speed = speedOfLearning(biasGradNorms.map((v) => Math.fround(v)));
  assert.ok(speed);
  return { cells: [label, ...speed.hidden.map((v) => formatValue(v))], phrase: `${label}: ${slowerPhrase(speed)}` };
}

async function shown(page: Page): Promise<{ cells: string[]; phrase: string }[]> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('.speed-of-learning:not([hidden]) .speed-table tbody tr')];
    const phrases = [...document.querySelectorAll('.speed-of-learning:not([hidden]) .speed-phrases li')];
    return rows.map((tr, i) => ({ cells: [...tr.children].map((c) => c.textContent ?? ''), phrase: phrases[i]?.textContent ?? '' }));
  });
}

describe('webview page: the speed-of-learning readout of a real run (chromium)', function () {
  this.timeout(120_000);
  let panel: Awaited<ReturnType<typeof openRecordingPanel>> | undefined;
  let page: Page;
  let errors: string[] = [];
  let report: Report;

  before(async () => {
    const text = readFileSync(join(ROOT, 'examples/mnist-speed-of-learning.nnspec'), 'utf8');
    const result = await checkWithFiles(text, { read: dataFileReader(undefined) });
    assert.ok(result.trainable, JSON.stringify(result.problems));
    report = trainToReport(result, { epochs: EPOCHS });
    panel = await openRecordingPanel('gf-chromium-speed-', { width: 900, height: 900 });
    ({ page, errors } = panel);
  });

  after(() => panel?.close());

  it('shows the hidden layers at epoch 0 and the last epoch, and the first against the last, only for ‖∂L/∂b‖', async () => {
    const run = new RunData('speed', '/ws/mnist-speed-of-learning.nnspec', 'mnist-speed-of-learning.nnspec', '');
    const { layers, params } = report.network;
    run.apply({ type: 'started', name: report.network.name, layers, params, epochs: EPOCHS, problems: [], initial: report.initial });
    run.apply({ type: 'epochs', records: report.epochs, findings: report.findings });
    run.apply({ type: 'done', report });
    await send(page, showMessage(run, 'gradRms'));
    await page.waitForFunction(() => document.querySelector('.view-header .state-badge.done'));
    assert.deepEqual(await shown(page), [], 'no readout for ∂L/∂W RMS');
    assert.equal(await page.locator('.speed-of-learning').getAttribute('hidden'), '');

    await page.locator('vscode-single-select#metric').click();
    await page.getByRole('option', { name: '‖∂L/∂b‖ (bias gradient norm)' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.speed-of-learning:not([hidden]) .speed-table tbody tr').length === 2);
    const posted = await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
    assert.deepEqual(posted.at(-1), { type: 'metricChanged', metric: 'biasGradNorm' });
    const last = report.epochs.at(-1)!;
    assert.equal(last.epoch, EPOCHS);
    const want = [
      expected(
        'epoch 0 (initial weights)',
        report.initial!.layers.map((l) => l.biasGradNorm),
      ),
      expected(
        `epoch ${EPOCHS}`,
        last.layers.map((l) => l.biasGradNorm),
      ),
    ];
    assert.deepEqual(await shown(page), want);
    assert.match(want[0]!.phrase, /the first \d+× slower than the last$/);
    assert.deepEqual(
      await page.locator('.speed-table thead th').allTextContents(),
      ['Record', 'L0', 'L1', 'L2', 'L3'],
      'the four hidden layers, not the output layer',
    );

    await page.locator('vscode-single-select#metric').click();
    await page.getByRole('option', { name: /backpropagated error/ }).click();
    await page.waitForFunction(() => document.querySelector('.speed-of-learning')?.hasAttribute('hidden'));
    assert.deepEqual(errors, []);
  });
});
