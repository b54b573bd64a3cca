// The optimizer's step on one parameter array, written once for every path of the trainer: with
// no sums (biases, runs without statistics), with ‖ΔW‖ and ‖W‖ (the update ratio), or with those
// and the raw weight gradient's statistics in the same loop (a run with statistics and no
// clipping, where the step need not wait for the gradient's norm). What is summed is a
// loop-invariant flag; the arithmetic of the step is the same expression on every path, so the
// weights are the same bit for bit whichever sums are asked for.
//
// The statistics' lines stand in each rule's loop, not once: one loop for every rule, the rule
// picked per entry by a switch on a loop-invariant value (same numbers, bit for bit), measured
// 2026-12-01 against these loops, both builds in one process, interleaved, load about 1.1: plain
// SGD with statistics 6.5% fewer steps a second on the tiny net and 19% fewer on the digits net,
// Adam 3.5% and 11% fewer. A separate statistics pass before a shared step loop measured 1.3–1.4× the
// fused loop's time per weight (89,610 float32 weights, the digits net's). docs/benchmarks.md.

import type { Vec } from './activations';
import type { OptimizerSpec } from './types';

/** What a step sums besides updating: nothing, ‖ΔW‖² and ‖W‖², or those and the gradient's sums. */
export type StepSums = 'none' | 'ratio' | 'all';

/**
 * Applies the optimizer `o` (at its `step`-th step, from 1) to W with gradient G scaled by
 * `clipScale`, plus `decay`·W; M and V are its state (unused ones may be empty). Writes to `out`:
 * with 'all', out[0..3] = Σg², Σ|g|, max|g|, count of zero g over the raw gradient (every entry
 * taken as finite, as gradientSums does: |g| is then ≥ 0, so it is 0 where it is not > 0, a
 * cheaper test than === 0); with 'ratio' or 'all', out[4] = ‖ΔW‖², out[5] = ‖W‖² (W before the
 * step); each summed in index order.
 */
export function optimizerStep(
  o: OptimizerSpec,
  step: number,
  W: Vec,
  G: Vec,
  M: Vec,
  V: Vec,
  clipScale: number,
  decay: number,
  sums: StepSums,
  out: Float64Array,
): void {
  const all = sums === 'all';
  const ratio = sums !== 'none';
  // One small function per rule, and the rules read their own parameters from `o`: this dispatch
  // stays small enough that V8 inlines it, and plain SGD's loop with it, into the trainer's update
  // with the sums known, which drops the flags' tests from the loop.
  switch (o.kind) {
    case 'sgd':
      if (o.momentum > 0) momentumStep(o, W, G, M, clipScale, decay, all, ratio, out);
      else sgdStep(W, G, o.lr, clipScale, decay, all, ratio, out);
      return;
    case 'adam':
      adamStep(o, step, W, G, M, V, clipScale, decay, all, ratio, out);
      return;
    case 'rmsprop':
      rmspropStep(o, W, G, M, clipScale, decay, all, ratio, out);
      return;
  }
}

function sgdStep(W: Vec, G: Vec, lr: number, clipScale: number, decay: number, all: boolean, ratio: boolean, out: Float64Array): void {
  const n = W.length;
  let s2 = 0,
    s1 = 0,
    max = 0,
    zeros = 0,
    dsq = 0,
    wsq = 0;
  for (let i = 0; i < n; i++) {
    const w = W[i];
    const gr = G[i];
    if (all) {
      const ag = Math.abs(gr);
      s2 += gr * gr;
      s1 += ag;
      if (ag > max) max = ag;
      zeros += +!(ag > 0);
    }
    W[i] = w - lr * (gr * clipScale + decay * w);
    if (ratio) {
      const d = W[i] - w;
      dsq += d * d;
      wsq += w * w;
    }
  }
  out[0] = s2;
  out[1] = s1;
  out[2] = max;
  out[3] = zeros;
  out[4] = dsq;
  out[5] = wsq;
}

function momentumStep(o: OptimizerSpec, W: Vec, G: Vec, M: Vec, clipScale: number, decay: number, all: boolean, ratio: boolean, out: Float64Array): void {
  const n = W.length;
  const { lr, momentum: mu, nesterov } = o;
  let s2 = 0,
    s1 = 0,
    max = 0,
    zeros = 0,
    dsq = 0,
    wsq = 0;
  for (let i = 0; i < n; i++) {
    const w = W[i];
    const gr = G[i];
    if (all) {
      const ag = Math.abs(gr);
      s2 += gr * gr;
      s1 += ag;
      if (ag > max) max = ag;
      zeros += +!(ag > 0);
    }
    const g = gr * clipScale + decay * w;
    const v = mu * M[i] + g;
    M[i] = v;
    W[i] = w - lr * (nesterov ? g + mu * v : v);
    if (ratio) {
      const d = W[i] - w;
      dsq += d * d;
      wsq += w * w;
    }
  }
  out[0] = s2;
  out[1] = s1;
  out[2] = max;
  out[3] = zeros;
  out[4] = dsq;
  out[5] = wsq;
}

function adamStep(
  o: OptimizerSpec,
  step: number,
  W: Vec,
  G: Vec,
  M: Vec,
  V: Vec,
  clipScale: number,
  decay: number,
  all: boolean,
  ratio: boolean,
  out: Float64Array,
): void {
  const n = W.length;
  const { lr, beta1: b1, beta2: b2, eps } = o;
  const c1 = 1 - Math.pow(b1, step);
  const c2 = 1 - Math.pow(b2, step);
  let s2 = 0,
    s1 = 0,
    max = 0,
    zeros = 0,
    dsq = 0,
    wsq = 0;
  for (let i = 0; i < n; i++) {
    const w = W[i];
    const gr = G[i];
    if (all) {
      const ag = Math.abs(gr);
      s2 += gr * gr;
      s1 += ag;
      if (ag > max) max = ag;
      zeros += +!(ag > 0);
    }
    const g = gr * clipScale + decay * w;
    const m = b1 * M[i] + (1 - b1) * g;
    const v = b2 * V[i] + (1 - b2) * g * g;
    M[i] = m;
    V[i] = v;
    W[i] = w - (lr * (m / c1)) / (Math.sqrt(v / c2) + eps);
    if (ratio) {
      const d = W[i] - w;
      dsq += d * d;
      wsq += w * w;
    }
  }
  out[0] = s2;
  out[1] = s1;
  out[2] = max;
  out[3] = zeros;
  out[4] = dsq;
  out[5] = wsq;
}

function rmspropStep(o: OptimizerSpec, W: Vec, G: Vec, M: Vec, clipScale: number, decay: number, all: boolean, ratio: boolean, out: Float64Array): void {
  const n = W.length;
  const { lr, rho, eps } = o;
  let s2 = 0,
    s1 = 0,
    max = 0,
    zeros = 0,
    dsq = 0,
    wsq = 0;
  for (let i = 0; i < n; i++) {
    const w = W[i];
    const gr = G[i];
    if (all) {
      const ag = Math.abs(gr);
      s2 += gr * gr;
      s1 += ag;
      if (ag > max) max = ag;
      zeros += +!(ag > 0);
    }
    const g = gr * clipScale + decay * w;
    const s = rho * M[i] + (1 - rho) * g * g;
    M[i] = s;
    W[i] = w - (lr * g) / (Math.sqrt(s) + eps);
    if (ratio) {
      const d = W[i] - w;
      dsq += d * d;
      wsq += w * w;
    }
  }
  out[0] = s2;
  out[1] = s1;
  out[2] = max;
  out[3] = zeros;
  out[4] = dsq;
  out[5] = wsq;
}
