import { strict as assert } from 'node:assert';
import { EpochHistory } from '../../src/engine/history';
import { STAT_NAMES } from '../../src/shared/vocabulary';
import type { EpochRecord, LayerStats } from '../../src/engine/types';

function record(epoch: number, layers: number, histograms: boolean): EpochRecord {
  const stats = (l: number): LayerStats => {
    const s = {} as Record<string, number>;
    STAT_NAMES.forEach((name, k) => (s[name] = Math.PI * (epoch + 1) * (l + 1) * (k + 1) * 1e-3));
    return s as unknown as LayerStats;
  };
  return {
    epoch,
    loss: 1 / epoch,
    accuracy: epoch % 2 ? null : 0.5,
    layers: Array.from({ length: layers }, (_, l) => stats(l)),
    histograms: histograms ? Array.from({ length: layers }, (_, l) => Array.from({ length: 32 }, (_, b) => epoch + l + b)) : [],
  };
}

describe('EpochHistory: per-epoch statistics by column', () => {
  it('gives back the records exactly in float64, growing past its capacity', () => {
    const h = new EpochHistory(3, { precision: 'float64', capacity: 16 });
    const records = Array.from({ length: 100 }, (_, i) => record(i + 1, 3, true));
    for (const r of records) h.push(r);
    assert.equal(h.length, 100);
    for (const i of [0, 15, 16, 50, 99]) {
      const got = h.record(i);
      assert.deepEqual({ ...got, histograms: [] }, { ...records[i], histograms: [] });
    }
    assert.deepEqual(h.record(99).histograms, records[99].histograms, 'the latest histograms are kept');
    const series = h.stat(2, 'deltaRms');
    assert.equal(series.length, 100);
    for (let i = 0; i < 100; i++) assert.equal(series[i], records[i].layers[2].deltaRms);
    assert.deepEqual(
      [...h.loss()],
      records.map((r) => r.loss),
    );
  });

  it('rounds the statistics to float32 by default, loss and accuracy stay float64', () => {
    const h = new EpochHistory(2);
    const r = record(7, 2, false);
    h.push(r);
    assert.equal(h.stat(1, 'gradRms')[0], Math.fround(r.layers[1].gradRms));
    assert.equal(h.record(0).loss, r.loss);
    assert.equal(h.record(0).accuracy, null);
  });

  it('keeps histograms for a bounded, evenly spaced set of epochs and the latest', () => {
    const h = new EpochHistory(1, { maxHistograms: 10 });
    for (let e = 1; e <= 1000; e++) h.push(record(e, 1, true));
    const kept = h.histogramIndices();
    assert.ok(kept.length <= 11, `kept ${kept.length}`);
    assert.ok(kept.length >= 5, `kept ${kept.length}`);
    assert.equal(kept[kept.length - 1], 999, 'the latest');
    const strided = kept.slice(0, -1);
    const gaps = new Set(strided.slice(1).map((k, i) => k - strided[i]));
    assert.equal(gaps.size, 1, `evenly spaced: ${strided.join(',')}`);
    assert.deepEqual(h.record(strided[1]).histograms, record(strided[1] + 1, 1, true).histograms);
    const dropped = [...Array(1000).keys()].find((i) => !kept.includes(i))!;
    assert.deepEqual(h.record(dropped).histograms, [], 'a thinned-out epoch has none');
  });

  it('refuses a record with another number of layers', () => {
    const h = new EpochHistory(2);
    assert.throws(() => h.push(record(1, 3, false)));
  });
});
