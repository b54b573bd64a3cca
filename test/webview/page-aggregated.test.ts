// The panel page with a run longer than the host's cap (src/host/panel/aggregate.ts): the host's own
// snapshot of a 5,000-epoch run (buckets of 4 epochs) drawn in Chromium. Columns group whole
// buckets, a cell's tooltip names the epochs it covers, its histogram is that of the bucket's last
// epoch, progress of a stale stride is dropped, and the saved state leaves the epochs to the host.
// Needs `node scripts/build.mjs` first.

import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { EpochRecord } from '../../src/engine/types';
import { progressMessage, RunData, showMessage } from '../../src/host/panel/runData';
import * as fx from './fixtures';
import { openRecordingPanel, send } from './pageServer';

const EPOCHS = 5000;

/** Epoch e of a long run: the fixture's epoch ((e - 1) mod 50) + 1, so the values stay in range. */
function longEpochs(from: number, to: number): EpochRecord[] {
  const base = fx.epochs(1, 50);
  const out: EpochRecord[] = [];
  for (let e = from; e <= to; e++) out.push({ ...base[(e - 1) % 50]!, epoch: e });
  return out;
}

describe('webview page: a run sent as bucket aggregates (chromium)', function () {
  this.timeout(120_000);
  let panel: Awaited<ReturnType<typeof openRecordingPanel>> | undefined;
  let page: Page;
  let errors: string[] = [];

  before(async () => {
    panel = await openRecordingPanel('gf-chromium-agg-', { width: 1100, height: 900 });
    ({ page, errors } = panel);
  });

  after(() => panel?.close());

  it("draws buckets as cells covering their epochs, with the last epoch's histogram", async () => {
    const run = new RunData('long', fx.FILE, 'deep-sigmoid.nnspec', '');
    run.apply({ type: 'started', name: 'deep-sigmoid', layers: fx.LAYERS, params: 337, epochs: EPOCHS, problems: [], initial: null });
    for (let e = 1; e <= EPOCHS; e += 500) run.apply({ type: 'epochs', records: longEpochs(e, e + 499), findings: fx.FINDINGS });
    run.apply({
      type: 'done',
      report: {
        version: 1,
        network: { name: 'deep-sigmoid', params: 337, layers: fx.LAYERS },
        initial: null,
        epochs: [],
        findings: fx.FINDINGS,
        problems: [],
        stopped: null,
      },
    });
    const show = showMessage(run, 'gradRms');
    assert.ok(show.type === 'show' && show.view.kind === 'run');
    assert.equal(show.view.run.stride, 4);
    assert.equal(show.view.run.records.epoch.length, 1250);
    await send(page, show);

    const box = page.locator('.heatmap-box');
    await page.waitForFunction(() => Boolean(document.querySelector<HTMLElement>('.heatmap-box')?.dataset.plot));
    const data = await box.evaluate((el: HTMLElement) => ({ bucket: Number(el.dataset.bucket), columns: Number(el.dataset.columns) }));
    assert.equal(data.bucket % 4, 0, `${data.bucket} epochs per column: whole buckets`);
    assert.equal(data.columns, Math.ceil(1250 / (data.bucket / 4)));

    // The first column from the keyboard: its epochs, then its histogram (the last epoch's).
    const canvas = page.locator('.heatmap canvas').first();
    await canvas.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    const live = await page.locator('.heatmap p[aria-live]').first().textContent();
    assert.match(live ?? '', new RegExp(`epochs 1–${data.bucket} \\(mean of ${data.bucket}, in log space for magnitudes\\)`));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /epoch \d+$/.test(document.querySelector('#histogram-heading')?.textContent ?? ''));
    assert.match((await page.locator('#histogram-heading').textContent()) ?? '', new RegExp(`· epoch ${data.bucket}$`));
    // The page asks for the column's last record's histogram; the host answers from what it kept.
    const request = await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.find((m) => m.type === 'histogram'));
    const asked = (await request.jsonValue()) as unknown as { runId: string; stride: number; record: number; layer: number };
    assert.deepEqual(asked, { type: 'histogram', runId: run.id, stride: 4, record: data.bucket / 4 - 1, layer: 1 });
    const kept = run.histogram(asked.stride, asked.record, asked.layer);
    assert.equal(kept?.epoch, data.bucket);
    await send(page, { ...asked, type: 'histogram', epoch: kept?.epoch ?? 0, counts: kept?.counts ?? null });
    await page.waitForFunction(() => /non-zero weight gradients/.test(document.querySelector('.histogram')?.textContent ?? ''));
    assert.match((await page.locator('.view-header .meta').textContent()) ?? '', /epoch 5000 of 5000/);

    // Progress of another stride (in flight before a 'show') is not appended; the state stays bounded.
    const stale = progressMessage(run, 0);
    await send(page, { ...stale, stride: 2, records: fx.columns(longEpochs(5001, 5002)) });
    await page.waitForTimeout(400);
    // The saved state keeps the run's header, not its 3 × 1,250 layer-records (over SAVED_CELLS): the host sends them again.
    const json = await page.evaluate(() => sessionStorage.getItem('gf-state') ?? 'null');
    const saved = JSON.parse(json) as { view: { run: { id: string; records: { epoch: unknown[] }; stride: number } }; trimmed?: string[] };
    assert.equal(saved.view.run.stride, 4);
    assert.equal(saved.view.run.records.epoch.length, 0);
    assert.deepEqual(saved.trimmed, [saved.view.run.id]);
    assert.ok(json.length < 1e6, `${json.length} characters saved`);
    assert.deepEqual(errors, []);
  });
});
