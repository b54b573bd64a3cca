import { strict as assert } from 'node:assert';
import { check, Trainer, type DataLoad } from '../../src/engine/index';
import { spec } from './helpers';

/** The one sample x = 1, t = 2 (a real target), as a CSV `x,t\n1,2` would load. */
const ONE_SAMPLE: DataLoad = {
  ok: true,
  dataset: { n: 1, features: 1, classes: 0, x: Float64Array.of(1), y: Float64Array.of(2), classNames: [], featureNames: ['x'] },
  featureStd: Float64Array.of(0),
  warnings: [],
};

/**
 * One sample (x = 1, t = 2) into one linear unit with w = 0.5 and b = 0 under mse: a = 0.5, the
 * error is −1.5, so ∂L/∂w = ∂L/∂b = 2·(−1.5) = −3 on the first step, and −1.8 on the second
 * after plain SGD. Each expected value below is worked by hand in its comment.
 */
function weightsAfter(optimizer: string, steps: number): [number, number] {
  const text = spec([
    'data csv "one.csv"',
    'input 1',
    'dense 1 linear init=constant(0.5)',
    'loss mse',
    optimizer,
    `train epochs=${steps} batch=1 shuffle=false precision=float64`,
  ]);
  const c = check(text, { data: ONE_SAMPLE });
  assert.ok(c.trainable, JSON.stringify(c.problems));
  const t = new Trainer(c.spec, c.dataset!);
  for (const _ of t.run());
  const l = t.net.layers[0];
  return [l.W[0], l.b[0]];
}

const close = (actual: [number, number], expected: [number, number]) => {
  assert.ok(Math.abs(actual[0] - expected[0]) < 1e-12 && Math.abs(actual[1] - expected[1]) < 1e-12, `${actual} vs ${expected}`);
};

describe('optimizers: one and two steps against hand-computed values', () => {
  it('sgd: w ← w − lr·g', () => {
    close(weightsAfter('optimizer sgd lr=0.1', 1), [0.5 + 0.3, 0.3]); // g = −3
    close(weightsAfter('optimizer sgd lr=0.1', 2), [0.8 + 0.18, 0.3 + 0.18]); // a = 1.1, g = −1.8
  });
  it('sgd with momentum: v ← μv + g, w ← w − lr·v', () => {
    // Step 2: v = 0.9·(−3) + (−1.8) = −4.5, so w = 0.8 + 0.45.
    close(weightsAfter('optimizer sgd lr=0.1 momentum=0.9', 2), [1.25, 0.75]);
  });
  it('sgd with nesterov: w ← w − lr·(g + μv)', () => {
    // Step 1: v = −3, g + μv = −5.7.
    close(weightsAfter('optimizer sgd lr=0.1 momentum=0.9 nesterov=true', 1), [0.5 + 0.57, 0.57]);
  });
  it('adam: the bias-corrected first step is lr·g/(|g| + ε)', () => {
    // m̂ = −3, v̂ = 9: w = 0.5 + 0.1·3/(3 + 1e-8).
    const step = (0.1 * 3) / (3 + 1e-8);
    close(weightsAfter('optimizer adam lr=0.1', 1), [0.5 + step, step]);
  });
  it('rmsprop: s ← ρs + (1−ρ)g², w ← w − lr·g/(√s + ε)', () => {
    const step = (0.01 * 3) / (Math.sqrt(0.9) + 1e-7);
    close(weightsAfter('optimizer rmsprop lr=0.01', 1), [0.5 + step, step]);
  });
  it('clip rescales the whole gradient to norm C', () => {
    // ‖(−3, −3)‖ = 3√2 > 1, so each component becomes −1/√2.
    const step = 0.1 / Math.SQRT2;
    close(weightsAfter('optimizer sgd lr=0.1 clip=1', 1), [0.5 + step, step]);
  });
  it('weight_decay adds λ·w to the weight gradient, not the bias', () => {
    // g_w = −3 + 0.1·0.5 = −2.95.
    close(weightsAfter('optimizer sgd lr=0.1 weight_decay=0.1', 1), [0.5 + 0.295, 0.3]);
  });
});
