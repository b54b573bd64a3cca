import { strict as assert } from 'node:assert';
import { check, gradcheck, Trainer } from '../../src/engine/index';
import { activation, derivative } from '../../src/engine/activations';
import { ACTIVATIONS } from '../../src/engine/vocabulary';
import type { Activation, Spec } from '../../src/engine/types';
import { assertCloseL2, spec } from './helpers';

const HIDDEN: string[] = [
  'linear',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'leaky_relu(0.2)',
  'elu',
  'elu(0.5)',
  'selu',
  'gelu',
  'silu',
  'softplus',
  'softsign',
];

/** A small network ending in the loss's natural output layer, with the activation under test inside. */
function net(act: string, loss: 'mse' | 'bce' | 'cross_entropy', precision: 'float32' | 'float64'): string {
  const [data, input, out] =
    loss === 'mse'
      ? ['data sine samples=16 noise=0.1', 1, `dense 1 ${act === 'softmax' ? 'linear' : act}`]
      : loss === 'bce'
        ? ['data moons samples=16', 2, 'dense 1 sigmoid']
        : ['data spiral samples=16 classes=3', 2, 'dense 3 softmax'];
  return spec([
    data,
    `input ${input}`,
    `dense 5 ${act} init=normal(0, 0.8) bias=0.1`,
    `dense 4 ${act} init=normal(0, 0.8) bias=-0.1`,
    out,
    `loss ${loss}`,
    `train precision=${precision} seed=5`,
  ]);
}

function checked(text: string): { spec: Spec; data: NonNullable<ReturnType<typeof check>['dataset']> } {
  const r = check(text);
  assert.ok(r.trainable, JSON.stringify(r.problems));
  return { spec: r.spec, data: r.dataset! };
}

/** ∂L/∂W of every layer on the first batch, from the engine at the spec's precision. */
function analytic(text: string): Float64Array[] {
  const { spec: s, data } = checked(text);
  const t = new Trainer({ ...s, train: { ...s.train, batch: 8, shuffle: false } }, data, { statistics: false });
  t.loadBatch(0, 8);
  t.forward(8);
  t.outputGradient(8);
  t.backward(8);
  return t.net.layers.map((l) => Float64Array.from(l.dW));
}

describe('gradients', () => {
  for (const loss of ['mse', 'bce', 'cross_entropy'] as const) {
    for (const act of HIDDEN) {
      it(`float64: backprop matches central differences (${act}, ${loss}) to 1e-6`, () => {
        const { spec: s, data } = checked(net(act, loss, 'float64'));
        const rows = gradcheck(s, data, { maxPerLayer: 40 });
        assert.equal(rows.length, 3);
        for (const r of rows) {
          assert.ok(r.checked > 0);
          assert.ok(r.worstRelativeError < 1e-6, `layer ${r.layer}: ${r.worstRelativeError}`);
        }
      });
      it(`float32: backprop agrees with float64 backprop (${act}, ${loss}) to 1e-3`, () => {
        assertCloseL2(analytic(net(act, loss, 'float32')), analytic(net(act, loss, 'float64')), 1e-3, 1e-12);
      });
    }
  }

  it('scalar derivatives match central differences of the activations', () => {
    for (const kind of Object.keys(ACTIVATIONS)) {
      if (kind === 'softmax') continue;
      const act = (kind === 'leaky_relu' ? { kind, slope: 0.2 } : kind === 'elu' ? { kind, alpha: 0.7 } : { kind }) as Activation;
      for (const z of [-4.3, -1.1, -0.2, 0.3, 1.7, 5.2]) {
        const h = 1e-6;
        const numeric = (activation(act, z + h) - activation(act, z - h)) / (2 * h);
        assert.ok(Math.abs(numeric - derivative(act, z)) < 1e-8, `${kind} at ${z}: ${numeric} vs ${derivative(act, z)}`);
      }
    }
  });

  it('knows the sigmoid bound and exact values', () => {
    const s = { kind: 'sigmoid' } as const;
    assert.equal(derivative(s, 0), 0.25);
    assert.equal(activation(s, 0), 0.5);
    assert.ok(activation(s, -40) > 0 && activation(s, -40) < 1e-17, 'sigmoid keeps relative precision for large negative z');
    assert.ok(Math.abs(activation({ kind: 'gelu' }, 1) - 0.8413447460685429) < 2e-16);
    assert.equal(activation({ kind: 'selu' }, 1), 1.0507009873554805);
  });
});
