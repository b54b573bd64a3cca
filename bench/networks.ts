// The benchmark's networks (issue 3), built the same way for our engine and for TensorFlow.js:
// `hidden` dense layers of `width` units, then one sigmoid output unit trained with binary
// cross-entropy, plain SGD, on a fixed synthetic batch.

import { check } from '../src/engine/index';
import type { Dataset, Spec } from '../src/engine/types';
import type { Trainer } from '../src/engine/train';

export interface BenchNet {
  readonly name: string;
  readonly hidden: number;
  readonly width: number;
  readonly activation: 'tanh' | 'relu' | 'sigmoid';
  readonly input: number;
  readonly batch: number;
}

export const NETWORKS: readonly BenchNet[] = [
  { name: '10×64 tanh, in 32, batch 64', hidden: 10, width: 64, activation: 'tanh', input: 32, batch: 64 },
  { name: '4×256 relu, in 64, batch 128', hidden: 4, width: 256, activation: 'relu', input: 64, batch: 128 },
  { name: 'tiny 3×8 sigmoid, in 2, batch 4', hidden: 3, width: 8, activation: 'sigmoid', input: 2, batch: 4 },
  { name: 'deep 30×32 relu, in 8, batch 32', hidden: 30, width: 32, activation: 'relu', input: 8, batch: 32 },
];

export const LEARNING_RATE = 0.01;

/** Layer sizes [fanIn, units] from input to output. */
export function layerShapes(n: BenchNet): [number, number][] {
  const shapes: [number, number][] = [];
  let fanIn = n.input;
  for (let k = 0; k < n.hidden; k++) {
    shapes.push([fanIn, n.width]);
    fanIn = n.width;
  }
  shapes.push([fanIn, 1]);
  return shapes;
}

/**
 * FLOPs of one step: 2·B·in·out per matrix product, three products per layer (forward, input
 * gradient, weight gradient), less the first layer's input gradient, which nobody computes.
 */
export function flopsPerStep(n: BenchNet): number {
  let total = 0;
  layerShapes(n).forEach(([i, o], k) => {
    total += 2 * n.batch * i * o * (k === 0 ? 2 : 3);
  });
  return total;
}

/** The spec as .nnspec text; the data line is a placeholder (the bench supplies its own batch). */
export function specText(n: BenchNet): string {
  const init = n.activation === 'relu' ? 'he_normal' : 'glorot_uniform';
  return [
    `network bench`,
    `data xor samples=${n.batch * BATCHES}`,
    `input 2`,
    `dense ${n.width} ${n.activation} init=${init} x${n.hidden}`,
    `dense 1 sigmoid`,
    `loss bce`,
    `optimizer sgd lr=${LEARNING_RATE}`,
    `train batch=${n.batch} seed=1 shuffle=false`,
  ].join('\n');
}

/** Batches in the synthetic data set; a step trains on the next one, round robin. */
export const BATCHES = 16;

/**
 * A synthetic data set of BATCHES batches: uniform inputs in [-1, 1) and coin-flip labels that
 * have nothing to do with them (deterministic xorshift, so both engines see the same numbers).
 * With no signal to learn and many samples, the loss stays near log 2 and the gradients keep their
 * size for the whole benchmark; on one fixed batch the networks would drive the loss to zero, the
 * gradients into float32's subnormal range, and the timings with them.
 */
export function syntheticData(n: BenchNet): { x: Float64Array; y: Float64Array } {
  let s = 0x9e3779b9;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 31 - 1;
  };
  const samples = n.batch * BATCHES;
  const x = new Float64Array(samples * n.input);
  for (let i = 0; i < x.length; i++) x[i] = next();
  const y = new Float64Array(samples);
  for (let r = 0; r < samples; r++) y[r] = next() > 0 ? 1 : 0;
  return { x, y };
}

/** Our engine's spec and dataset for a benchmark network. */
export function engineSetup(n: BenchNet, precision: 'float32' | 'float64' = 'float32'): { spec: Spec; dataset: Dataset } {
  const result = check(specText(n));
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(`bench spec: ${errors.map((e) => e.message).join('; ')}`);
  const { x, y } = syntheticData(n);
  const spec: Spec = { ...result.spec, input: n.input, train: { ...result.spec.train, precision } };
  const dataset: Dataset = { n: n.batch * BATCHES, features: n.input, classes: 2, x, y, classNames: [], featureNames: [] };
  return { spec, dataset };
}

/** One step of our engine on the next batch, as `Trainer.run` does it (minus the epoch's bookkeeping). */
export function engineStepper(t: Trainer, n: BenchNet): () => void {
  const B = n.batch;
  let batch = 0;
  return () => {
    t.loadBatch(batch * B, B);
    t.forward(B);
    t.outputGradient(B);
    t.backward(B);
    t.update(B);
    batch = (batch + 1) % BATCHES;
  };
}
