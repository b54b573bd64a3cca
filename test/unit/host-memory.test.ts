// Issue 3's memory target, for what the extension host keeps of a run: 100,000 epochs × 30 layers
// fed to a RunData as the worker sends them (with a 32-bin histogram per layer per epoch) stay
// under 200 MB. Measured twice: the bytes of the store's own typed arrays and histogram counts, and
// the growth of the V8 heap plus array buffers across the run after full collections.
import * as assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { EpochRecord, LayerStats, ReportLayer } from '../../src/engine/types';
import { RunData } from '../../src/host/panel/runData';

const EPOCHS = 100_000;
const LAYERS = 30;
const MB = 1024 * 1024;

function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('host: memory of a 100,000-epoch × 30-layer run', function () {
  this.timeout(120_000);

  it("the run's store stays under 200 MB", () => {
    const gc = collector();
    const layers: ReportLayer[] = Array.from({ length: LAYERS }, (_, k) => ({
      index: k,
      line: 3 + k,
      units: 16,
      activation: 'relu',
      init: 'he_normal',
      params: 272,
      predicted: { actStd: 1, deltaRatio: 1 },
    }));
    gc();
    const before = used();
    const run = new RunData('mem', '/x/mem.nnspec', 'mem.nnspec', '');
    run.apply({ type: 'started', name: 'mem', layers, params: LAYERS * 272, epochs: EPOCHS, problems: [], initial: null });
    const BATCH = 500;
    for (let e = 1; e <= EPOCHS; e += BATCH) {
      const records: EpochRecord[] = [];
      for (let i = e; i < e + BATCH; i++) {
        const ls: LayerStats[] = [];
        for (let k = 0; k < LAYERS; k++) {
          const v = 1e-3 / (1 + k) + 1e-9 * i;
          ls.push({
            gradRms: v,
            gradMeanAbs: v,
            gradMaxAbs: 3 * v,
            deltaRms: v,
            updateRatio: v,
            weightRms: 0.1,
            actMean: 0,
            actStd: 1,
            dead: 0.01,
            saturated: 0,
            zeroGrad: 0,
            nonFinite: 0,
            biasGradNorm: v,
          });
        }
        const histograms = Array.from({ length: LAYERS }, () => Array.from({ length: 32 }, (_, b) => (b * 7 + i) % 13));
        records.push({ epoch: i, loss: 1 / i, accuracy: 0.5, layers: ls, histograms });
      }
      run.apply({ type: 'epochs', records, findings: [] });
    }
    gc();
    const grown = used() - before;
    const store = run.storeBytes();
    const snapshot = run.snapshot();
    console.log(
      `      ${EPOCHS} epochs × ${LAYERS} layers: store ${(store / MB).toFixed(1)} MB (typed arrays + histogram counts), ` +
        `heap + array buffers grew ${(grown / MB).toFixed(1)} MB; histograms kept for ${run.histogramIndices().length} epochs; ` +
        `panel snapshot: ${snapshot.records.epoch.length} records of stride ${snapshot.stride}`,
    );
    assert.equal(run.epochCount, EPOCHS);
    assert.ok(store < 200 * MB, `store ${store / MB} MB`);
    assert.ok(grown < 200 * MB, `heap grew ${grown / MB} MB`);
    assert.ok(snapshot.records.epoch.length <= 2000);
    assert.equal(snapshot.stride, 64);
  });
});
