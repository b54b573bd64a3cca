// Our gradients against TensorFlow.js's, computed independently by its autodiff on the same
// weights and the same batch: the cross-check peer the issues name. TensorFlow.js works in float32,
// so agreement is to float32's precision, not to the last bit. Version 1.1's cures (norm=layer|batch,
// residual=true, alone and combined) are written here a second time from the contract's formulas in
// TensorFlow.js ops, loaded from the parameters as `nnspec weights` prints them, and compared on the loss, ∂L/∂W, ∂L/∂γ, ∂L/∂β and ∂L/∂z of every layer.
import { strict as assert } from 'node:assert';
import type * as TF from '@tensorflow/tfjs';
import { check, paramsOf, Trainer, weightsJson } from '../../src/engine/index';
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

/** TensorFlow.js's ops for the contract's n = (z − μ)/√(σ² + 1e-5), μ and σ² (biased) over the units (layer) or the batch (batch). */
function normalize(z: TF.Tensor2D, kind: string): TF.Tensor {
  const { mean, variance } = tf.moments(z, kind === 'layer' ? 1 : 0, true);
  return tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, 1e-5)));
}

/** The relative L2 difference of two gradients, within `tol` (float32's precision) or both near 0. */
function assertClose(ours: ArrayLike<number>, theirs: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(ours.length, theirs.length, what);
  let num = 0;
  let den = 0;
  for (let i = 0; i < ours.length; i++) {
    num += (ours[i] - theirs[i]) ** 2;
    den += ours[i] ** 2;
  }
  assert.ok(Math.sqrt(num) <= tol * Math.sqrt(den) + 1e-9, `${what}: relative difference ${Math.sqrt(num / Math.max(den, 1e-300))}`);
}

/**
 * `cure` goes on the second hidden layer and its norm on the first too (as in cures.test.ts: not on
 * a linear layer, whose β is then invisible to a normalized layer above and has a gradient of 0).
 */
function compare(act: string, loss: Loss, cure = ''): void {
  const [data, input, out, outAct] =
    loss === 'mse'
      ? // One feature through a batch-normalized layer is normalized to its sign, whatever its weight: a ∂L/∂W of 0, compared as noise.
        [cure ? 'data moons samples=16 noise=0.1' : 'data sine samples=16 noise=0.1', cure ? 2 : 1, 'dense 1 linear', 'linear']
      : loss === 'bce'
        ? ['data moons samples=16', 2, 'dense 1 sigmoid', 'sigmoid']
        : ['data spiral samples=16 classes=3', 2, 'dense 3 softmax', 'softmax'];
  const norm = act === 'linear' ? '' : (cure.match(/norm=\w+/)?.[0] ?? '');
  const c = check(
    spec([
      data,
      `input ${input}`,
      `dense 5 ${act} init=normal(0, 0.8) bias=0.1 ${norm}`,
      // A residual layer needs its input's width.
      `dense ${cure.includes('residual') ? 5 : 4} ${act} init=normal(0, 0.8) bias=-0.1 ${cure}`,
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
    // The parameters as `nnspec weights` prints them (W indexed [input][unit]), as a user would load them.
    const file = JSON.parse(weightsJson(paramsOf(t.net), input)) as { layers: { W: number[][]; b: number[]; gamma?: number[]; beta?: number[] }[] };
    const ws = file.layers.map((p) => tf.variable(tf.tensor2d(p.W)));
    const bs = file.layers.map((p) => tf.variable(tf.tensor1d(p.b)));
    // Zeros added to each z: their gradient is ∂L/∂z (of the dense output, before any norm).
    const zs = layers.map((l) => tf.variable(tf.zeros([nb, l.units])));
    const gammas = file.layers.flatMap((p) => (p.gamma ? [tf.variable(tf.tensor1d(p.gamma))] : []));
    const betas = file.layers.flatMap((p) => (p.beta ? [tf.variable(tf.tensor1d(p.beta))] : []));
    const f = (): TF.Scalar => {
      let a: TF.Tensor = x;
      let g = 0;
      layers.forEach((l, k) => {
        let z: TF.Tensor = tf.add(tf.add(tf.matMul(a as TF.Tensor2D, ws[k]), bs[k]), zs[k]);
        if (l.norm) {
          z = tf.add(tf.mul(normalize(z as TF.Tensor2D, l.norm.kind), gammas[g]), betas[g]);
          g++;
        }
        // The softmax output stays as logits: softmaxCrossEntropy applies it.
        const y = k < layers.length - 1 ? ACTIVATIONS[act](z) : outAct === 'sigmoid' ? tf.sigmoid(z) : z;
        a = l.residual ? tf.add(a, y) : y;
      });
      if (loss === 'cross_entropy') return tf.losses.softmaxCrossEntropy(target, a) as TF.Scalar;
      if (loss === 'bce') return tf.mean(tf.neg(tf.add(tf.mul(target, tf.log(a)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, a)))))) as TF.Scalar;
      return tf.mean(tf.square(tf.sub(a, target))) as TF.Scalar;
    };
    const variables = [...ws, ...zs, ...gammas, ...betas];
    const { value, grads } = tf.variableGrads(f, variables);
    return [value, ...variables.map((v) => grads[v.name])];
  });
  const [value, ...grads] = tensors.map((g) => Float64Array.from(g.dataSync()));
  tf.dispose(tensors);
  tf.disposeVariables();
  const n = layers.length;
  const normed = layers.filter((l) => l.norm);
  const theirs = {
    loss: value[0],
    dW: grads.slice(0, n),
    dZ: grads.slice(n, 2 * n),
    dGamma: grads.slice(2 * n, 2 * n + normed.length),
    dBeta: grads.slice(2 * n + normed.length),
  };

  assert.ok(Math.abs(ours - theirs.loss) <= 1e-5 * Math.max(1, Math.abs(ours)), `loss ${ours} vs ${theirs.loss}`);
  layers.forEach((l, k) => {
    assertClose(l.dW, theirs.dW[k], 1e-4, `layer ${k} ∂L/∂W`);
    // D holds each sample's ∂ℓ/∂z (batch norm's: the batch's ∂L/∂z times the rows); L is their mean.
    assertClose(
      Array.from(l.D.subarray(0, nb * l.units), (d) => d / nb),
      theirs.dZ[k],
      1e-4,
      `layer ${k} ∂L/∂z`,
    );
  });
  normed.forEach((l, j) => {
    assertClose(l.norm!.dGamma, theirs.dGamma[j], 1e-4, `layer ${l.spec.index} ∂L/∂γ`);
    assertClose(l.norm!.dBeta, theirs.dBeta[j], 1e-4, `layer ${l.spec.index} ∂L/∂β`);
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
      it(`${act}, ${loss}: the same loss, ∂L/∂W and ∂L/∂z`, () => compare(act, loss));
    }
  }
  for (const cure of ['norm=layer', 'norm=batch', 'residual=true', 'residual=true norm=layer', 'residual=true norm=batch']) {
    for (const loss of ['mse', 'bce', 'cross_entropy'] as const) {
      for (const act of Object.keys(ACTIVATIONS)) {
        it(`${cure}, ${act}, ${loss}: the same loss, ∂L/∂W, ∂L/∂z, ∂L/∂γ and ∂L/∂β`, () => compare(act, loss, cure));
      }
    }
  }
});
