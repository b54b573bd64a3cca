import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport, check, checkWithFiles, toJson, trainRunSteps, trainToReport, Trainer, diagnoseRun, ReportJsonStream } from '../../src/engine/index';
import type { Finding, Report } from '../../src/engine/types';
import { spec, spiralNet } from './helpers';

function run(text: string, options: Parameters<typeof trainToReport>[1] = {}): Report {
  const r = check(text);
  assert.ok(r.trainable, JSON.stringify(r.problems));
  return trainToReport(r, options);
}
const kinds = (fs: readonly Finding[]) => fs.map((f) => `${f.kind}:${f.layers.join(',')}`);

describe('training: the canonical cases (spiral, 400 samples, batch 32)', () => {
  it('8 sigmoid layers with glorot_uniform: layers 0 and 1 vanish, the last hidden layer does not', () => {
    const r = run(spiralNet('dense 16 sigmoid init=glorot_uniform x8'));
    const vanishing = r.findings.filter((f) => f.kind === 'vanishing');
    const flagged = new Set(vanishing.flatMap((f) => f.layers));
    assert.ok(flagged.has(0) && flagged.has(1), kinds(r.findings).join(' '));
    assert.ok(!flagged.has(7), 'the last hidden layer is not vanishing');
    const f = vanishing[0];
    assert.equal(f.line, 4);
    assert.equal(f.severity, 'warning');
    assert.ok(f.evidence.deltaRatio !== undefined && f.evidence.deltaRatio < 0.01);
    assert.equal(f.evidence.bound?.text, '(1/4)^8');
    assert.ok(f.fixes.some((x) => x.change.kind === 'layer' && x.change.activation === 'relu' && x.change.init === 'he_normal'));
    // The numbers behind the verdict: layer 0's backpropagated error really is orders below layer 7's.
    const last = r.epochs[r.epochs.length - 1];
    assert.ok(last.layers[0].deltaRms < 1e-3 * last.layers[7].deltaRms);
  });

  for (const [name, hidden] of [
    ['relu + he_normal', 'dense 16 relu init=he_normal x8'],
    ['tanh + glorot_uniform', 'dense 16 tanh init=glorot_uniform x8'],
  ]) {
    it(`8 ${name} layers: no vanishing or exploding finding`, () => {
      const r = run(spiralNet(hidden));
      assert.deepEqual(
        r.findings.filter((f) => f.kind === 'vanishing' || f.kind === 'exploding'),
        [],
      );
      assert.equal(r.stopped, null);
      const first = r.epochs[0];
      const last = r.epochs[r.epochs.length - 1];
      assert.ok(last.loss < first.loss, `loss falls: ${first.loss} -> ${last.loss}`);
    });
  }

  it('8 relu layers with normal(0, 1) and lr 0.01: exploding or nonfinite, severity error', () => {
    const r = run(spiralNet('dense 16 relu init=normal(0, 1) x8', { lr: '0.01' }));
    const f = r.findings.find((x) => x.kind === 'exploding' || x.kind === 'nonfinite');
    assert.ok(f, kinds(r.findings).join(' '));
    assert.equal(f.severity, 'error');
    assert.equal(f.line, 4);
    assert.ok(f.fixes.some((x) => x.change.kind === 'option' && x.change.key === 'clip' && x.change.value === '1'));
  });

  it('a relu layer with bias=-3 after a he_normal layer: dead on its line', () => {
    const r = run(spiralNet('dense 16 relu init=he_normal\ndense 16 relu init=he_normal bias=-3'));
    const dead = r.findings.filter((f) => f.kind === 'dead');
    assert.deepEqual(
      dead.map((f) => [f.line, f.layers]),
      [[5, [1]]],
    );
    assert.equal(r.epochs[r.epochs.length - 1].layers[1].dead, 1);
    assert.ok(dead[0].fixes.some((x) => x.change.kind === 'layer' && x.change.bias === '0'));
  });

  it('4 sigmoid layers with normal(0, 10): saturated on their line', () => {
    const r = run(spiralNet('dense 16 sigmoid init=normal(0, 10) x4'));
    const sat = r.findings.filter((f) => f.kind === 'saturated');
    assert.equal(sat.length, 1);
    assert.equal(sat[0].line, 4);
    const last = r.epochs[r.epochs.length - 1];
    assert.ok(last.layers[2].saturated > 0.5, String(last.layers[2].saturated));
  });

  it('4 sigmoid layers with normal(0, 20): float32 underflows to exact zeros, float64 far less', () => {
    const zeros = (r: Report) => r.epochs.reduce((s, e) => s + e.layers.reduce((t, l, k) => t + l.zeroGrad * (k === 0 ? 2 * 16 : 16 * 16), 0), 0);
    const r32 = run(spiralNet('dense 16 sigmoid init=normal(0, 20) x4', { epochs: 30 }));
    const r64 = run(spiralNet('dense 16 sigmoid init=normal(0, 20) x4', { epochs: 30, precision: 'float64' }));
    const z32 = zeros(r32);
    const z64 = zeros(r64);
    // The numbers, for the record: zero weight-gradient entries summed over epochs (entry-epochs).
    console.log(`      zero ∂L/∂W entries: float32 ${z32.toFixed(0)}, float64 ${z64.toFixed(0)}`);
    assert.ok(z32 > 2 * z64, `float32 ${z32} vs float64 ${z64}`);
    const u = r32.findings.find((f) => f.kind === 'underflow');
    assert.ok(u, kinds(r32.findings).join(' '));
    assert.equal(u.line, 4);
    assert.ok(u.fixes.some((x) => x.change.kind === 'option' && x.change.key === 'precision' && x.change.value === 'float64'));
    assert.match(u.message, /exactly 0/);
  });
});

describe('training: mechanics', () => {
  const small = spec([
    'data moons samples=64 seed=2',
    'input 2',
    'dense 8 tanh',
    'dense 1 sigmoid',
    'optimizer adam lr=0.01',
    'train epochs=15 batch=16 seed=9',
  ]);

  it('is deterministic: the same spec and seed give a bit-identical report', () => {
    const a = toJson(run(small));
    const b = toJson(run(small));
    assert.equal(a, b);
    const c = toJson(run(small, { seed: 10 }));
    assert.notEqual(a, c);
  });

  it('stops at the first non-finite loss and says so', () => {
    const r = run(spec(['data sine samples=64', 'input 1', 'dense 16 linear x2', 'dense 1 linear', 'optimizer sgd lr=1', 'train epochs=100']));
    assert.equal(r.stopped, 'nonfinite');
    assert.ok(!Number.isFinite(r.epochs[r.epochs.length - 1].loss));
    assert.ok(r.epochs.length < 100);
    assert.match(toJson(r), /"loss":null/);
  });

  it('stops at the first non-finite gradient, where relu keeps the loss finite', () => {
    const r = run(spiralNet('dense 16 relu init=normal(0, 1) x8', { lr: '10' }));
    assert.equal(r.stopped, 'nonfinite');
    const last = r.epochs[r.epochs.length - 1];
    assert.ok(last.layers.some((l) => l.nonFinite > 0));
    const f = r.findings.filter((x) => x.kind === 'nonfinite');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    assert.ok(last.layers[f[0].layers[0]].nonFinite > 0);
  });

  it('checks for cancellation between steps', () => {
    const c = check(small);
    let asked = 0;
    const t = new Trainer(c.spec, c.dataset!, { isCancelled: () => ++asked > 10 });
    const it = t.run();
    const records = [];
    let step = it.next();
    while (!step.done) {
      records.push(step.value);
      step = it.next();
    }
    assert.equal(step.value, 'cancelled');
    // 4 steps an epoch: the 11th question comes in the third epoch, so two epochs were recorded.
    assert.equal(records.length, 2);
  });

  it('records the statistics by their definitions', () => {
    const r = run(
      spec(['data moons samples=64 seed=2', 'input 2', 'dense 8 relu init=he_normal', 'dense 1 sigmoid', 'train epochs=3 batch=64 seed=9 shuffle=false']),
    );
    assert.equal(r.epochs.length, 3);
    for (const e of r.epochs) {
      assert.equal(e.layers.length, 2);
      assert.ok(e.accuracy !== null && e.accuracy >= 0 && e.accuracy <= 1);
      for (const l of e.layers) {
        assert.ok(l.gradMeanAbs <= l.gradRms + 1e-15, 'mean |g| ≤ rms g');
        assert.ok(l.gradRms <= l.gradMaxAbs + 1e-15, 'rms g ≤ max |g|');
        assert.ok(l.updateRatio > 0 && l.weightRms > 0);
        assert.ok(l.dead >= 0 && l.dead <= 1 && l.zeroGrad >= 0 && l.zeroGrad <= 1);
        assert.equal(l.nonFinite, 0);
      }
      // The output sigmoid: its outputs are probabilities.
      assert.ok(e.layers[1].actMean > 0 && e.layers[1].actMean < 1);
      // Fixed-bin histograms count every non-zero entry of the layer's gradient.
      const zeros = Math.round(e.layers[0].zeroGrad * 16);
      assert.equal(
        e.histograms[0].reduce((a, b) => a + b, 0),
        16 - zeros,
      );
      assert.equal(e.histograms[0].length, 32);
    }
  });

  it('streams the same JSON report as it builds, one epoch a line', () => {
    const c = check(small);
    let text = '';
    const stream = new ReportJsonStream((chunk) => (text += chunk), buildReport(c, null, [], [], null), c.spec.train.epochs);
    const steps = trainRunSteps(c);
    let step = steps.next();
    for (; !step.done; step = steps.next()) {
      if (step.value.kind === 'initial') stream.start(step.value.initial);
      else stream.epoch(step.value.record);
    }
    stream.end(step.value.findings, step.value.stopped);
    assert.deepEqual(JSON.parse(text), JSON.parse(toJson(trainToReport(c))));
    assert.equal(text.split('\n').filter((l) => l.startsWith('    {"epoch":')).length, 15);
  });

  it('rebuilds the findings from the records alone', () => {
    const c = check(spiralNet('dense 16 sigmoid init=glorot_uniform x8', { epochs: 40 }));
    const r = trainToReport(c);
    assert.deepEqual(diagnoseRun({ spec: c.spec, records: r.epochs, stopped: r.stopped }), r.findings);
  });

  it('trains Iris from its CSV to high accuracy', async () => {
    const dir = join(__dirname, '../../../examples');
    const c = await checkWithFiles(readFileSync(join(dir, 'iris.nnspec'), 'utf8'), { read: async (p) => ({ ok: true, bytes: readFileSync(join(dir, p)) }) });
    assert.ok(c.trainable, JSON.stringify(c.problems));
    assert.equal(c.dataset?.n, 150);
    assert.equal(c.dataset?.classes, 3);
    const r = trainToReport(c);
    assert.ok((r.epochs[r.epochs.length - 1].accuracy ?? 0) > 0.95);
    assert.deepEqual(r.findings, []);
  });
});
