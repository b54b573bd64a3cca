// The learning-rate range test (Smith 2017, "Cyclical Learning Rates"): from the initial weights,
// raise lr exponentially from 1e-6 to 10, one mini-batch a step, record the smoothed loss, stop
// when it explodes, and suggest the lr where the loss falls fastest.

import type { Dataset, OptimizerSpec, Spec } from './types';
import { Trainer } from './train';
import { Rng } from './rng';

export interface LrPoint {
  readonly lr: number;
  readonly loss: number;
  /** Exponential moving average of the loss (β = 0.98), bias-corrected. */
  readonly smoothed: number;
}

export interface LrFindResult {
  readonly points: readonly LrPoint[];
  /** Where the smoothed loss falls fastest against log lr; null when it never falls. */
  readonly suggested: number | null;
}

export interface LrFindOptions {
  readonly minLr?: number;
  readonly maxLr?: number;
  readonly steps?: number;
  readonly isCancelled?: () => boolean;
}

/** The samples in a seeded random order, so consecutive batches mix the classes. */
export function shuffled(data: Dataset, seed: number): Dataset {
  const order = new Int32Array(data.n);
  for (let i = 0; i < data.n; i++) order[i] = i;
  new Rng(seed).shuffle(order);
  const f = data.features;
  const x = new Float64Array(data.x.length);
  const y = new Float64Array(data.n);
  for (let i = 0; i < data.n; i++) {
    const s = order[i];
    for (let j = 0; j < f; j++) x[i * f + j] = data.x[s * f + j];
    y[i] = data.y[s];
  }
  return { ...data, x, y };
}

export function findLearningRate(spec: Spec, data: Dataset, options: LrFindOptions = {}): LrFindResult {
  const minLr = options.minLr ?? 1e-6;
  const maxLr = options.maxLr ?? 10;
  const steps = options.steps ?? 300;
  // The trainer reads the learning rate from its optimizer spec at every step; this run owns a
  // mutable copy of it, so raising lr here changes nothing anywhere else.
  const optimizer: { -readonly [K in keyof OptimizerSpec]: OptimizerSpec[K] } = { ...spec.optimizer, lr: minLr };
  const trainer = new Trainer({ ...spec, optimizer }, shuffled(data, spec.train.seed + 1), { statistics: false });
  const batch = trainer.net.batch;
  const points: LrPoint[] = [];
  let avg = 0;
  let best = Infinity;
  let start = 0;
  for (let i = 0; i < steps; i++) {
    if (options.isCancelled?.()) break;
    optimizer.lr = minLr * Math.pow(maxLr / minLr, i / (steps - 1));
    const nb = Math.min(batch, data.n - start);
    trainer.loadBatch(start, nb);
    trainer.forward(nb);
    const { loss } = trainer.outputGradient(nb);
    if (!Number.isFinite(loss)) break;
    trainer.backward(nb);
    trainer.update(nb);
    start = start + nb >= data.n ? 0 : start + nb;
    avg = 0.98 * avg + 0.02 * loss;
    const smoothed = avg / (1 - Math.pow(0.98, i + 1));
    points.push({ lr: optimizer.lr, loss, smoothed });
    best = Math.min(best, smoothed);
    if (i > 10 && smoothed > 4 * best) break;
  }
  return { points, suggested: steepest(points) };
}

/**
 * The lr where the smoothed loss falls fastest, before its minimum. The slope is taken over a
 * quarter of a decade on each side, so a single noisy batch does not decide.
 */
function steepest(points: readonly LrPoint[]): number | null {
  if (points.length < 5) return null;
  let minAt = 0;
  for (let i = 1; i < points.length; i++) if (points[i].smoothed < points[minAt].smoothed) minAt = i;
  const logLr = points.map((p) => Math.log10(p.lr));
  const span = 0.25;
  let best: number | null = null;
  let bestSlope = 0;
  // The first tenth is skipped: there the moving average is still settling on the loss's level.
  for (let i = Math.ceil(points.length / 10); i <= minAt; i++) {
    let a = i;
    let b = i;
    while (a > 0 && logLr[i] - logLr[a - 1] <= span) a--;
    while (b < minAt && logLr[b + 1] - logLr[i] <= span) b++;
    if (b === a) continue;
    const slope = (points[b].smoothed - points[a].smoothed) / (logLr[b] - logLr[a]);
    if (slope < bestSlope) {
      bestSlope = slope;
      best = points[i].lr;
    }
  }
  return best;
}
