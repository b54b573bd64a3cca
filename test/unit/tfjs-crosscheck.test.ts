// Our gradients against TensorFlow.js's, computed independently by its autodiff on the same
// weights and the same batch: the cross-check peer the issues name. TensorFlow.js works in float32,
// so agreement is to float32's precision, not to the last bit.
import { strict as assert } from 'node:assert';
import type * as TF from '@tensorflow/tfjs';
import { check, Trainer } from '../../src/engine/index';
import { spec } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf: typeof TF = require('@tensorflow/tfjs');

type Loss = 'mse' | 'bce' | 'cross_entropy';
const ACTIVATIONS: Record<string, (x: TF.Tensor) => TF.Tensor> = {
  linear: (x) => x,
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  relu: (x) => tf.relu(x),
  'leaky_relu(0.2)': (x) => tf.leakyRelu(x, 0.2),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.div(x, tf.add(1, tf.abs(x))),
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
};

function compare(act: string, loss: Loss): void {
  const [data, input, out, outAct] =
    loss === 'mse'
      ? ['data sine samples=16 noise=0.1', 1, 'dense 1 linear', 'linear']
      : loss === 'bce'
        ? ['data moons samples=16', 2, 'dense 1 sigmoid', 'sigmoid']
        : ['data spiral samples=16 classes=3', 2, 'dense 3 softmax', 'softmax'];
  const c = check(
    spec([
      data,
      `input ${input}`,
      `dense 5 ${act} init=normal(0, 0.8) bias=0.1`,
      `dense 4 ${act} init=normal(0, 0.8) bias=-0.1`,
      out,
      `loss ${loss}`,
      'train precision=float64 seed=5 shuffle=false batch=8',
    ]),
  );
  assert.ok(c.trainable, JSON.stringify(c.problems));
  const t = new Trainer(c.spec, c.dataset!, { statistics: false });
  const nb = 8;
  t.loadBatch(0, nb);
  t.forward(nb);
  const ours = t.outputGradient(nb).loss;
  t.backward(nb);
  const layers = t.net.layers;
  const K = layers[layers.length - 1].units;

  const tensors = tf.tidy(() => {
    const x = tf.tensor2d(Array.from(t.net.X), [nb, input]);
    const target = tf.tensor2d(Array.from(t.net.T), [nb, K]);
    const ws = layers.map((l) => tf.variable(tf.tensor2d(Array.from(l.W), [l.fanIn, l.units])));
    const bs = layers.map((l) => tf.variable(tf.tensor1d(Array.from(l.b))));
    const f = (): TF.Scalar => {
      let a: TF.Tensor = x;
      layers.forEach((_, k) => {
        const z = tf.add(tf.matMul(a as TF.Tensor2D, ws[k]), bs[k]);
        // The softmax output stays as logits: softmaxCrossEntropy applies it.
        a = k < layers.length - 1 ? ACTIVATIONS[act](z) : outAct === 'sigmoid' ? tf.sigmoid(z) : z;
      });
      if (loss === 'cross_entropy') return tf.losses.softmaxCrossEntropy(target, a) as TF.Scalar;
      if (loss === 'bce') return tf.mean(tf.neg(tf.add(tf.mul(target, tf.log(a)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, a)))))) as TF.Scalar;
      return tf.mean(tf.square(tf.sub(a, target))) as TF.Scalar;
    };
    const { value, grads } = tf.variableGrads(f, ws);
    return [value, ...ws.map((w) => grads[w.name])];
  });
  const theirs = { loss: tensors[0].dataSync()[0], grads: tensors.slice(1).map((g) => Float64Array.from(g.dataSync())) };
  tf.dispose(tensors);
  tf.disposeVariables();

  assert.ok(Math.abs(ours - theirs.loss) <= 1e-5 * Math.max(1, Math.abs(ours)), `loss ${ours} vs ${theirs.loss}`);
  layers.forEach((l, k) => {
    let num = 0;
    let den = 0;
    for (let i = 0; i < l.dW.length; i++) {
      num += (l.dW[i] - theirs.grads[k][i]) ** 2;
      den += l.dW[i] ** 2;
    }
    assert.ok(Math.sqrt(num) <= 1e-4 * Math.sqrt(den) + 1e-9, `layer ${k}: relative difference ${Math.sqrt(num / Math.max(den, 1e-300))}`);
  });
}

describe('cross-check against TensorFlow.js autodiff (cpu backend)', function () {
  this.timeout(60_000);
  before(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });
  for (const loss of ['mse', 'bce', 'cross_entropy'] as const) {
    for (const act of Object.keys(ACTIVATIONS)) {
      it(`${act}, ${loss}: the same loss and ∂L/∂W`, () => compare(act, loss));
    }
  }
});
