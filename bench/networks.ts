// The benchmark's networks (issues 3 and 13), built the same way for our engine and for
// TensorFlow.js: `hidden` dense layers of `width` units, then `outputs` sigmoid units trained with
// binary cross-entropy (one-hot class labels when there are several), plain SGD, on synthetic
// batches or on the shipped digits.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { check } from '../src/engine/index';
import { IDX_IMAGES, IDX_LABELS, readIdx } from '../src/engine/data/idx';
import { MNIST_FILES } from '../src/engine/data/sources';
import { resolveDataPath } from '../src/node/dataFiles';
import type { Dataset, Spec } from '../src/engine/types';
import type { Trainer } from '../src/engine/train';

export interface BenchNet {
  readonly name: string;
  readonly hidden: number;
  readonly width: number;
  readonly activation: 'tanh' | 'relu' | 'sigmoid';
  readonly input: number;
  readonly batch: number;
  /** Sigmoid output units: 1 (a coin-flip label), or one per class of the digits. */
  readonly outputs: number;
  /** Uniform inputs with coin-flip labels, or the first BATCHES · batch shipped digits. */
  readonly data: 'uniform' | 'digits';
  /**
   * Options on the hidden layers (Version 1.1's cures, e.g. `residual=true norm=layer`): the first
   * hidden layer takes only the norm, as its width differs from the input's.
   */
  readonly cures?: string;
}

const uniform = { outputs: 1, data: 'uniform' } as const;
export const NETWORKS: readonly BenchNet[] = [
  { name: '10×64 tanh, in 32, batch 64', hidden: 10, width: 64, activation: 'tanh', input: 32, batch: 64, ...uniform },
  { name: '4×256 relu, in 64, batch 128', hidden: 4, width: 256, activation: 'relu', input: 64, batch: 128, ...uniform },
  { name: 'tiny 3×8 sigmoid, in 2, batch 4', hidden: 3, width: 8, activation: 'sigmoid', input: 2, batch: 4, ...uniform },
  { name: 'deep 30×32 relu, in 8, batch 32', hidden: 30, width: 32, activation: 'relu', input: 8, batch: 32, ...uniform },
  { name: 'digits 784-100-100-10 sigmoid, batch 32', hidden: 2, width: 100, activation: 'sigmoid', input: 784, batch: 32, outputs: 10, data: 'digits' },
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
  shapes.push([fanIn, n.outputs]);
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

/** The spec as .nnspec text; the data line is a placeholder (the bench supplies its own batches). */
export function specText(n: BenchNet): string {
  const init = n.activation === 'relu' ? 'he_normal' : 'glorot_uniform';
  return [
    `network bench`,
    n.data === 'digits' ? `data mnist samples=${n.batch * BATCHES}\ninput 784` : `data xor samples=${n.batch * BATCHES}\ninput 2`,
    ...(n.cures
      ? [
          `dense ${n.width} ${n.activation} init=${init} ${n.cures.match(/norm=\w+/)?.[0] ?? ''}`,
          `dense ${n.width} ${n.activation} init=${init} ${n.cures} x${n.hidden - 1}`,
        ]
      : [`dense ${n.width} ${n.activation} init=${init} x${n.hidden}`]),
    `dense ${n.outputs} sigmoid`,
    `loss bce`,
    `optimizer sgd lr=${LEARNING_RATE}`,
    `train batch=${n.batch} seed=1 shuffle=false`,
  ].join('\n');
}

/** Batches in the synthetic data set; a step trains on the next one, round robin. */
export const BATCHES = 16;

/** A benchmark's data: BATCHES batches of inputs, their class labels, and the targets (one-hot for several outputs). */
export interface BenchData {
  readonly x: Float64Array;
  readonly labels: Float64Array;
  readonly targets: Float64Array;
  readonly classes: number;
}

export function benchData(n: BenchNet): BenchData {
  const samples = n.batch * BATCHES;
  const { x, labels } = n.data === 'digits' ? digits(samples) : syntheticData(samples, n.input);
  if (n.outputs === 1) return { x, labels, targets: labels, classes: 2 };
  const targets = new Float64Array(samples * n.outputs);
  for (let r = 0; r < samples; r++) targets[r * n.outputs + labels[r]] = 1;
  return { x, labels, targets, classes: n.outputs };
}

/**
 * A synthetic data set: uniform inputs in [-1, 1) and coin-flip labels that have nothing to do
 * with them (deterministic xorshift, so both engines see the same numbers). With no signal to
 * learn and many samples, the loss stays near log 2 and the gradients keep their size for the
 * whole benchmark; on one fixed batch the networks would drive the loss to zero, the gradients
 * into float32's subnormal range, and the timings with them.
 */
function syntheticData(samples: number, input: number): { x: Float64Array; labels: Float64Array } {
  let s = 0x9e3779b9;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 31 - 1;
  };
  const x = new Float64Array(samples * input);
  for (let i = 0; i < x.length; i++) x[i] = next();
  const labels = new Float64Array(samples);
  for (let r = 0; r < samples; r++) labels[r] = next() > 0 ? 1 : 0;
  return { x, labels };
}

/** The first `samples` shipped digits (classes interleaved), pixels / 255 as `data mnist` reads them. */
function digits(samples: number): { x: Float64Array; labels: Float64Array } {
  const read = (file: string, magic: number): Uint8Array => {
    const where = resolveDataPath(undefined, file);
    if (!where.ok) throw new Error(where.error);
    const r = readIdx(gunzipSync(readFileSync(where.full)), file, magic);
    if (!r.ok) throw new Error(r.error);
    return r.value.data;
  };
  const pixels = read(MNIST_FILES.images, IDX_IMAGES);
  const x = Float64Array.from(pixels.subarray(0, samples * 784), (v) => v / 255);
  const labels = Float64Array.from(read(MNIST_FILES.labels, IDX_LABELS).subarray(0, samples));
  return { x, labels };
}

/** Our engine's spec and dataset for a benchmark network. */
export function engineSetup(n: BenchNet, precision: 'float32' | 'float64' = 'float32'): { spec: Spec; dataset: Dataset } {
  const { x, labels, classes } = benchData(n);
  const dataset: Dataset = { n: n.batch * BATCHES, features: n.input, classes, x, y: labels, classNames: [], featureNames: [] };
  // The shipped digits are read here, not by check (which reads no file).
  const result = check(specText(n), n.data === 'digits' ? { data: { ok: true, dataset, featureStd: null, warnings: [] } } : {});
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(`bench spec: ${errors.map((e) => e.message).join('; ')}`);
  const spec: Spec = { ...result.spec, input: n.input, train: { ...result.spec.train, precision } };
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
