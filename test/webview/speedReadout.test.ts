// The panel's speed-of-learning rows (src/webview/speedReadout.ts): which records they read and how
// they are labelled. The browser test (test/browser/speed-of-learning.test.ts) reads them on screen.
import * as assert from 'node:assert/strict';
import { statsOfRecords } from '../../src/engine/findings';
import { panelColumns } from '../../src/host/panel/aggregate';
import type { RunSnapshot } from '../../src/protocol';
import { speedRows } from '../../src/webview/speedReadout';
import * as fx from './fixtures';

const initialRecord = fx.epochs(0, 0)[0]!;

describe('speed-of-learning readout rows', () => {
  it('the initial record as epoch 0 and the last record, the hidden layers only, the last over the first', () => {
    const run: RunSnapshot = { ...fx.run('r', 40, 'done'), initial: fx.columns([initialRecord]) };
    const rows = speedRows(run);
    assert.deepEqual(
      rows.map((r) => [r.epoch, r.label]),
      [
        [0, 'epoch 0 (initial weights)'],
        [40, 'epoch 40'],
      ],
    );
    const last = fx.epochs(40, 40)[0]!;
    assert.deepEqual(
      rows[0]?.speed.hidden,
      [0, 1].map((l) => Math.fround(initialRecord.layers[l]!.biasGradNorm)),
    );
    assert.deepEqual(
      rows[1]?.speed.hidden,
      [0, 1].map((l) => Math.fround(last.layers[l]!.biasGradNorm)),
    );
    assert.equal(rows[1]?.speed.slower, Math.fround(last.layers[1]!.biasGradNorm) / Math.fround(last.layers[0]!.biasGradNorm));
  });

  it('a run without an initial record has the last record alone; one with no records yet, the initial alone', () => {
    assert.deepEqual(
      speedRows(fx.run('r', 5, 'running')).map((r) => r.label),
      ['epoch 5'],
    );
    assert.deepEqual(
      speedRows({ ...fx.run('r', 0, 'running'), initial: fx.columns([initialRecord]) }).map((r) => r.label),
      ['epoch 0 (initial weights)'],
    );
  });

  it('a bucketed long run says its last record is the geometric mean of the bucket', () => {
    const records = panelColumns(statsOfRecords(fx.epochs(1, 48)), fx.LAYERS.length, 4, 0, 12);
    const run: RunSnapshot = { ...fx.run('r', 1, 'done'), records, stride: 4 };
    assert.deepEqual(
      speedRows(run).map((r) => r.label),
      ['epochs 45–48 (geometric mean)'],
    );
  });

  it('nothing for a network with one hidden layer', () => {
    const layers = fx.LAYERS.slice(1);
    const records = panelColumns(statsOfRecords(fx.epochs(1, 10)), layers.length, 1, 0, 10);
    assert.deepEqual(speedRows({ ...fx.run('r', 1, 'done'), layers, records }), []);
  });
});
