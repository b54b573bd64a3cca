import { strict as assert } from 'node:assert';
import { check, Trainer, trainToReport } from '../../src/engine/index';
import type { EpochRecord } from '../../src/engine/types';
import { spec } from './helpers';

const net = (batch: number, extra: string[] = []) =>
  spec([
    'data spiral samples=90 noise=0.1 seed=3 classes=3',
    'input 2',
    'dense 7 tanh bias=normal(0, 0.5)',
    'dense 5 sigmoid bias=uniform(-1, 1)',
    'dense 3 sigmoid',
    'loss bce',
    'optimizer sgd lr=0.3',
    `train epochs=3 batch=${batch} seed=5 precision=float64`,
    ...extra,
  ]);

function trainer(text: string): Trainer {
  const r = check(text);
  assert.ok(r.trainable, JSON.stringify(r.problems));
  return new Trainer(r.spec, r.dataset!);
}

/** The whole set's mean loss at the trainer's current weights (batch = all samples). */
function fullLoss(t: Trainer, n: number): number {
  t.loadBatch(0, n);
  t.forward(n);
  return t.outputGradient(n).loss;
}

describe('the initial record and biasGradNorm', () => {
  it("is the whole set's gradient: the same from batches of 16 as from one full batch", () => {
    const a = trainer(net(16)).initialRecord()!;
    const b = trainer(net(1000)).initialRecord()!;
    assert.ok(Math.abs(a.loss - b.loss) < 1e-12 * b.loss);
    assert.equal(a.accuracy, b.accuracy);
    a.layers.forEach((l, k) => {
      const m = b.layers[k];
      for (const key of ['gradRms', 'gradMeanAbs', 'gradMaxAbs', 'biasGradNorm', 'weightRms', 'actMean', 'actStd', 'saturated'] as const) {
        assert.ok(Math.abs(l[key] - m[key]) <= 1e-10 * Math.abs(m[key]), `layer ${k} ${key}: ${l[key]} vs ${m[key]}`);
      }
      assert.equal(l.updateRatio, 0);
      assert.ok(l.biasGradNorm > 0);
    });
  });

  it('biasGradNorm is ‖∂L/∂b‖ of the mean loss, by central differences', () => {
    const t = trainer(net(1000));
    const init = t.initialRecord()!;
    const n = 90;
    const h = 1e-6;
    t.net.layers.forEach((l, k) => {
      let sq = 0;
      for (let j = 0; j < l.units; j++) {
        const b0 = l.b[j];
        l.b[j] = b0 + h;
        const up = fullLoss(t, n);
        l.b[j] = b0 - h;
        const down = fullLoss(t, n);
        l.b[j] = b0;
        sq += ((up - down) / (2 * h)) ** 2;
      }
      const numeric = Math.sqrt(sq);
      assert.ok(Math.abs(numeric - init.layers[k].biasGradNorm) < 1e-6 * numeric, `layer ${k}: ${numeric} vs ${init.layers[k].biasGradNorm}`);
    });
  });

  it("leaves the run that follows as it would have been, bit for bit (batch norm's running statistics too)", () => {
    for (const text of [net(16), net(1000), net(16).replace('dense 5 sigmoid', 'dense 5 sigmoid norm=batch')]) {
      const plain = trainer(text);
      const after = trainer(text);
      after.initialRecord();
      assert.deepEqual([...after.run()], [...plain.run()]);
      assert.deepEqual(
        after.net.layers.map((l) => Array.from(l.W)),
        plain.net.layers.map((l) => Array.from(l.W)),
      );
      assert.deepEqual(
        after.net.layers.map((l) => l.norm && Array.from(l.norm.runningVar)),
        plain.net.layers.map((l) => l.norm && Array.from(l.norm.runningVar)),
      );
    }
  });

  it("with one full batch, equals the first epoch's biasGradNorm and gradRms (one step at the initial weights)", () => {
    const t = trainer(net(1000, ['']).replace('precision=float64', 'precision=float64 shuffle=false'));
    const init = t.initialRecord()!;
    const first = t.run().next().value as EpochRecord;
    init.layers.forEach((l, k) => {
      assert.ok(Math.abs(l.biasGradNorm - first.layers[k].biasGradNorm) <= 1e-12 * l.biasGradNorm);
      assert.ok(Math.abs(l.gradRms - first.layers[k].gradRms) <= 1e-12 * l.gradRms);
    });
  });

  it('is in the report, before the epochs', () => {
    const report = trainToReport(check(net(32)));
    assert.ok(report.initial);
    assert.equal(report.initial.layers.length, 3);
    assert.deepEqual(Object.keys(report).slice(0, 4), ['version', 'network', 'initial', 'epochs']);
    assert.ok(report.epochs.every((e) => e.layers.every((l) => l.biasGradNorm > 0)));
  });
});

describe('bce on K sigmoid outputs', () => {
  it('takes one-hot targets: the loss of a known output and accuracy by the largest output', () => {
    const t = trainer(net(1000));
    const out = t.net.layers[2];
    t.loadBatch(0, 90);
    // Targets: one 1 per row, at the sample's class.
    for (let r = 0; r < 90; r++) {
      const row = Array.from(t.net.T.subarray(r * 3, r * 3 + 3));
      assert.equal(row.filter((v) => v === 1).length, 1);
      assert.equal(row.filter((v) => v === 0).length, 2);
    }
    t.forward(90);
    const { loss, correct } = t.outputGradient(90);
    let expected = 0;
    let right = 0;
    for (let r = 0; r < 90; r++) {
      let arg = 0;
      for (let j = 0; j < 3; j++) {
        const a = out.A[r * 3 + j];
        const y = t.net.T[r * 3 + j];
        expected -= y * Math.log(a) + (1 - y) * Math.log(1 - a);
        if (a > out.A[r * 3 + arg]) arg = j;
      }
      if (t.net.T[r * 3 + arg] === 1) right++;
    }
    assert.ok(Math.abs(loss - expected / 270) < 1e-12);
    assert.equal(correct, right);
  });

  it("is checked against the data's classes", () => {
    const bad = check(net(32).replace('dense 3 sigmoid', 'dense 4 sigmoid'));
    assert.ok(bad.problems.some((p) => p.code === 'output-mismatch' && /3 classes/.test(p.message)));
    const one = check(net(32).replace('dense 3 sigmoid', 'dense 1 sigmoid'));
    assert.ok(one.problems.some((p) => p.code === 'loss-mismatch' && /dense 3 sigmoid/.test(p.message)));
  });
});
