// A digit's blank pixels make exact zeros in the first layer's weight gradient (Σ 0·δ = 0): they are
// no underflow, and on MNIST they were 22% of layer 0's entries, a false `underflow` warning on
// examples/mnist-speed-of-learning.nnspec. zeroGrad leaves out the first layer's entries whose
// input is 0 on every row of the batch; a real underflow (sigmoid′ rounded to 0) still counts.
import { strict as assert } from 'node:assert';
import { checkWithFiles, trainToReport, Trainer, type CheckResult } from '../../src/engine/index';
import { dataFileReader } from '../../src/node/dataFiles';
import { spec } from './helpers';

async function mnistNet(dense: string, train: string): Promise<CheckResult> {
  const text = spec(['network blank', 'data mnist samples=1000', 'input 784', dense, 'dense 10 sigmoid', 'loss bce', 'optimizer sgd lr=1', train]);
  const r = await checkWithFiles(text, { read: dataFileReader(undefined) });
  assert.ok(r.trainable && r.dataset, JSON.stringify(r.problems));
  return r;
}

/** Exact zeros among the entries of a weight gradient. */
const zerosOf = (g: ArrayLike<number>): number => Array.from(g).filter((v) => v === 0).length;

describe('zeroGrad and underflow: blank inputs are not underflow', () => {
  it('MNIST in mini-batches of 32, float64: layer 0 has blank-pixel zeros in ∂L/∂W, yet zeroGrad 0 and no underflow finding', async () => {
    const r = await mnistNet('dense 30 sigmoid init=lecun_normal', 'train epochs=2 batch=32 seed=3 precision=float64');
    const t = new Trainer(r.spec, r.dataset!);
    const records = [...t.run()];
    // The raw gradient of the last step does hold exact zeros: the rows of the blank pixels.
    const dW = t.net.layers[0].dW;
    assert.ok(zerosOf(dW) > 0.05 * dW.length, `${zerosOf(dW)} of ${dW.length}`);
    for (const e of records) assert.equal(e.layers[0].zeroGrad, 0, `epoch ${e.epoch}`);
    const findings = trainToReport(r).findings;
    assert.deepEqual(
      findings.filter((f) => f.kind === 'underflow'),
      [],
    );
  });

  it('the initial record (the whole set): pixels blank in all 1,000 digits are left out too', async () => {
    const r = await mnistNet('dense 30 sigmoid init=lecun_normal bias=normal(0, 1) x4', 'train epochs=1 batch=1000 seed=1 precision=float64');
    const init = new Trainer(r.spec, r.dataset!).initialRecord()!;
    assert.equal(init.layers[0].zeroGrad, 0);
  });

  it('a real underflow on the same digits still counts: normal(0, 20) weights in float32 round sigmoid′ to 0', async () => {
    const r = await mnistNet('dense 30 sigmoid init=normal(0, 20)', 'train epochs=2 batch=32 seed=3 precision=float32');
    const report = trainToReport(r);
    const z = report.epochs[report.epochs.length - 1].layers[0].zeroGrad;
    assert.ok(z > 0.05, `layer 0 zeroGrad ${z}`);
    const u = report.findings.find((f) => f.kind === 'underflow');
    assert.ok(u && u.layers.includes(0), report.findings.map((f) => `${f.kind}:${f.layers.join(',')}`).join(' '));
  });
});
