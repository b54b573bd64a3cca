// Every activation with its derivative side by side, as scalar functions (for analysis and tests)
// and as batched passes over typed arrays (for training). The batched passes switch on the kind
// once, outside the loop, so each loop stays monomorphic and fast.

import type { Activation } from './types';
import { ACTIVATIONS } from './vocabulary';
import { density, erf, phi } from './special';

export type Vec = Float32Array | Float64Array;

export const SELU_ALPHA = 1.6732632423543772;
export const SELU_LAMBDA = 1.0507009873554805;

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/** f(z) for one value (softmax excluded: it needs the whole row). */
export function activation(act: Activation, z: number): number {
  switch (act.kind) {
    case 'linear':
      return z;
    case 'sigmoid':
      return sigmoid(z);
    case 'tanh':
      return Math.tanh(z);
    case 'relu':
      return z > 0 ? z : 0;
    case 'leaky_relu':
      return z > 0 ? z : act.slope * z;
    case 'elu':
      return z > 0 ? z : act.alpha * Math.expm1(z);
    case 'selu':
      return z > 0 ? SELU_LAMBDA * z : SELU_LAMBDA * SELU_ALPHA * Math.expm1(z);
    case 'gelu':
      return z * phi(z);
    case 'silu':
      return z * sigmoid(z);
    case 'softplus':
      return softplus(z);
    case 'softsign':
      return z / (1 + Math.abs(z));
    case 'softmax':
      return sigmoid(z);
  }
}

/** f′(z) for one value. */
export function derivative(act: Activation, z: number): number {
  switch (act.kind) {
    case 'linear':
      return 1;
    case 'sigmoid': {
      const s = sigmoid(z);
      return s * (1 - s);
    }
    case 'tanh': {
      const t = Math.tanh(z);
      return 1 - t * t;
    }
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'leaky_relu':
      return z > 0 ? 1 : act.slope;
    case 'elu':
      return z > 0 ? 1 : act.alpha * Math.exp(z);
    case 'selu':
      return z > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(z);
    case 'gelu':
      return phi(z) + z * density(z);
    case 'silu': {
      const s = sigmoid(z);
      return s * (1 + z * (1 - s));
    }
    case 'softplus':
      return sigmoid(z);
    case 'softsign': {
      const d = 1 + Math.abs(z);
      return 1 / (d * d);
    }
    case 'softmax': {
      const s = sigmoid(z);
      return s * (1 - s);
    }
  }
}

/** Activations whose derivative has flat tails, the ones the `saturated` statistic counts. */
export function saturates(act: Activation): boolean {
  return act.kind === 'sigmoid' || act.kind === 'tanh' || act.kind === 'softsign';
}

/**
 * A two-entry table for choosing without a branch: `pick[+(cond)]` is pick[1] when cond holds,
 * else pick[0]. With random signs (relu's z > 0, sigmoid's z ≥ 0) a branch is mispredicted half
 * the time and costs more than the element's own work; the comparison as a 0/1 index does not.
 */
const pick = new Float64Array(2);

/** Running sums a forward pass adds to, for actMean and actStd. */
export interface ForwardSums {
  sum: number;
  sumSq: number;
}

/**
 * A = f(Z) over `n` entries (`rows` × `cols`); softmax works row by row. Adds Σa and Σa² to `sums`
 * when given (statistics on): in the same loop for linear and the relus (the stored, rounded output
 * is read back, so the sums are those of a second pass, bit for bit), in a second pass for the
 * others (where a Math call in the loop would make the running sums spill to memory).
 */
export function forwardPass(act: Activation, Z: Vec, A: Vec, rows: number, cols: number, sums: ForwardSums | null): void {
  const n = rows * cols;
  const stats = sums !== null;
  let s = 0;
  let s2 = 0;
  let folded = true;
  switch (act.kind) {
    case 'linear':
      for (let i = 0; i < n; i++) {
        A[i] = Z[i];
        if (stats) {
          const a = A[i];
          s += a;
          s2 += a * a;
        }
      }
      break;
    case 'sigmoid':
      // 1 / (1 + e^−z) for z ≥ 0 and e^z / (1 + e^z) below, so that e never overflows: both are
      // (z ≥ 0 ? 1 : e) / (1 + e) with e = e^−|z|.
      pick[1] = 1;
      for (let i = 0; i < n; i++) {
        const z = Z[i];
        const e = Math.exp(-Math.abs(z));
        pick[0] = e;
        A[i] = pick[+(z >= 0)] / (1 + e);
      }
      folded = false;
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) {
        A[i] = Math.tanh(Z[i]);
      }
      folded = false;
      break;
    case 'relu':
      // z > 0 ? z : 0 (NaN and −0 give +0).
      pick[0] = 0;
      for (let i = 0; i < n; i++) {
        const z = Z[i];
        pick[1] = z;
        A[i] = pick[+(z > 0)];
        if (stats) {
          const a = A[i];
          s += a;
          s2 += a * a;
        }
      }
      break;
    case 'leaky_relu': {
      const slope = act.slope;
      for (let i = 0; i < n; i++) {
        const z = Z[i];
        pick[0] = slope * z;
        pick[1] = z;
        A[i] = pick[+(z > 0)];
        if (stats) {
          const a = A[i];
          s += a;
          s2 += a * a;
        }
      }
      break;
    }
    default:
      folded = false;
      otherForward(act, Z, A, rows, cols);
  }
  if (!sums) return;
  if (!folded) {
    for (let i = 0; i < n; i++) {
      const a = A[i];
      s += a;
      s2 += a * a;
    }
  }
  sums.sum += s;
  sums.sumSq += s2;
}

/** The less common activations, and softmax. */
function otherForward(act: Activation, Z: Vec, A: Vec, rows: number, cols: number): void {
  const n = rows * cols;
  switch (act.kind) {
    case 'elu': {
      const a = act.alpha;
      for (let i = 0; i < n; i++) {
        const z = Z[i];
        A[i] = z > 0 ? z : a * Math.expm1(z);
      }
      break;
    }
    case 'selu':
      for (let i = 0; i < n; i++) {
        const z = Z[i];
        A[i] = z > 0 ? SELU_LAMBDA * z : SELU_LAMBDA * SELU_ALPHA * Math.expm1(z);
      }
      break;
    case 'gelu':
      for (let i = 0; i < n; i++) {
        const z = Z[i];
        A[i] = 0.5 * z * (1 + erf(z * Math.SQRT1_2));
      }
      break;
    case 'silu':
      for (let i = 0; i < n; i++) {
        const z = Z[i];
        A[i] = z * sigmoid(z);
      }
      break;
    case 'softplus':
      for (let i = 0; i < n; i++) A[i] = softplus(Z[i]);
      break;
    case 'softsign':
      for (let i = 0; i < n; i++) {
        const z = Z[i];
        A[i] = z / (1 + Math.abs(z));
      }
      break;
    case 'softmax':
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        let max = -Infinity;
        for (let j = 0; j < cols; j++) if (Z[o + j] > max) max = Z[o + j];
        let total = 0;
        for (let j = 0; j < cols; j++) total += Math.exp(Z[o + j] - max);
        for (let j = 0; j < cols; j++) A[o + j] = Math.exp(Z[o + j] - max) / total;
      }
      break;
    default:
      throw new Error(`otherForward: ${act.kind}`);
  }
}

/** Running sums of the backward pass: Σδ², saturated pairs, and which units were ever active. */
export interface BackwardSums {
  deltaSq: number;
  saturated: number;
  /** Per unit: 1 once its derivative was non-zero on some sample this epoch. */
  readonly alive: Uint8Array;
}

/**
 * D ← D ⊙ f′(Z) in place over `rows` × `cols` (D holds ∂ℓ/∂A on entry, ∂ℓ/∂Z on exit), with the
 * statistics folded into the same pass when `sums` is given. Not for softmax (its output layer takes
 * the fused loss gradient).
 */
export function backwardPass(
  act: Activation,
  Z: Vec,
  A: Vec,
  D: Vec,
  rows: number,
  cols: number,
  sums: BackwardSums | null,
  fwd: ForwardSums | null = null,
): void {
  const n = rows * cols;
  if (!sums) {
    switch (act.kind) {
      case 'linear':
        return;
      case 'sigmoid':
        for (let i = 0; i < n; i++) {
          const a = A[i];
          D[i] *= a * (1 - a);
        }
        return;
      case 'tanh':
        for (let i = 0; i < n; i++) {
          const a = A[i];
          D[i] *= 1 - a * a;
        }
        return;
      case 'relu': // D stays where z > 0, else +0.
        pick[0] = 0;
        for (let i = 0; i < n; i++) {
          pick[1] = D[i];
          D[i] = pick[+(Z[i] > 0)];
        }
        return;
      case 'leaky_relu': {
        // D stays where z > 0, else D·slope.
        const s = act.slope;
        for (let i = 0; i < n; i++) {
          const d = D[i];
          pick[0] = d * s;
          pick[1] = d;
          D[i] = pick[+(Z[i] > 0)];
        }
        return;
      }
      default:
        for (let i = 0; i < n; i++) D[i] *= derivativeAt(act, Z[i], A[i]);
        return;
    }
  }
  // With statistics: one loop per common activation, so f′ is computed inline rather than through
  // derivativeAt's switch on every entry; all keep the generic loop's order of Σδ², so the sums are
  // bit for bit the same.
  const alive = sums.alive;
  let dsq = 0;
  let sat = 0;
  switch (act.kind) {
    case 'sigmoid':
      sigmoidBackward(A, D, n, cols, sums, fwd);
      return;
    case 'tanh':
      tanhBackward(A, D, n, cols, sums, fwd);
      return;
    case 'relu':
      // f′ = z > 0 ? 1 : 0, the comparison itself as a number.
      for (let r = 0; r < rows; r++) {
        for (let j = 0, i = r * cols; j < cols; j++, i++) {
          const on = +(Z[i] > 0);
          const v = D[i] * on;
          D[i] = v;
          dsq += v * v;
          alive[j] |= on;
        }
      }
      break;
    case 'leaky_relu': {
      // f′ = z > 0 ? 1 : slope; a unit is alive once f′ ≠ 0 (always, unless the slope is 0).
      pick[0] = act.slope;
      pick[1] = 1;
      const leak = +(pick[0] !== 0);
      for (let r = 0; r < rows; r++) {
        for (let j = 0, i = r * cols; j < cols; j++, i++) {
          const on = +(Z[i] > 0);
          const d = pick[on];
          const v = D[i] * d;
          D[i] = v;
          dsq += v * v;
          alive[j] |= on | leak;
        }
      }
      break;
    }
    default: {
      const limit = 0.05 * ACTIVATIONS[act.kind].maxDerivative;
      const countSat = saturates(act);
      for (let r = 0; r < rows; r++) {
        for (let j = 0, i = r * cols; j < cols; j++, i++) {
          const d = derivativeAt(act, Z[i], A[i]);
          const v = D[i] * d;
          D[i] = v;
          dsq += v * v;
          if (d !== 0) alive[j] = 1;
          if (countSat && d < limit) sat++;
        }
      }
    }
  }
  sums.deltaSq += dsq;
  sums.saturated += sat;
}

/**
 * Sigmoid's backward pass with statistics, in one flat loop: D ← D·a(1−a), Σδ² and the saturated
 * count added to `sums`, Σa and Σa² to `fwd` when given. A unit is
 * alive once its f′ is non-zero on some row, which is every unit unless some f′ was exactly 0
 * (a = 0 or 1 in floating point); only when some entry is saturated (f′ below the limit, which
 * 0 is) are the columns looked at one by one.
 */
function sigmoidBackward(A: Vec, D: Vec, n: number, cols: number, sums: BackwardSums, fwd: ForwardSums | null): void {
  const limit = SIGMOID_SATURATED;
  let s = 0;
  let s2 = 0;
  let dsq = 0;
  let sat = 0;
  for (let i = 0; i < n; i++) {
    const a = A[i];
    s += a;
    s2 += a * a;
    const d = a * (1 - a);
    const v = D[i] * d;
    D[i] = v;
    dsq += v * v;
    sat += +(d < limit);
  }
  markAlive('sigmoid', A, n, cols, sat, sums.alive);
  sums.deltaSq += dsq;
  sums.saturated += sat;
  if (fwd) {
    fwd.sum += s;
    fwd.sumSq += s2;
  }
}

/** The same for tanh: D ← D·(1 − a²). */
function tanhBackward(A: Vec, D: Vec, n: number, cols: number, sums: BackwardSums, fwd: ForwardSums | null): void {
  const limit = TANH_SATURATED;
  let s = 0;
  let s2 = 0;
  let dsq = 0;
  let sat = 0;
  for (let i = 0; i < n; i++) {
    const a = A[i];
    s += a;
    s2 += a * a;
    const d = 1 - a * a;
    const v = D[i] * d;
    D[i] = v;
    dsq += v * v;
    sat += +(d < limit);
  }
  markAlive('tanh', A, n, cols, sat, sums.alive);
  sums.deltaSq += dsq;
  sums.saturated += sat;
  if (fwd) {
    fwd.sum += s;
    fwd.sumSq += s2;
  }
}

/**
 * Whether backwardPass (with `fwd`) can sum Σa and Σa² of the forward pass for this activation:
 * sigmoid and tanh, whose forward loop cannot hold the sums (see forwardPass) but whose backward
 * loop reads every output anyway. The trainer then gives forwardPass no sums for such layers.
 */
export function foldsForwardSums(act: Activation): boolean {
  return act.kind === 'sigmoid' || act.kind === 'tanh';
}

/** Where sigmoid′ and tanh′ count as saturated: 5% of their largest derivative (looked up once). */
export const SIGMOID_SATURATED = 0.05 * ACTIVATIONS.sigmoid.maxDerivative;
const TANH_SATURATED = 0.05 * ACTIVATIONS.tanh.maxDerivative;

/** f′ from the stored pre-activation and output, so float32 rounding of the output shows in f′. */
export function derivativeAt(act: Activation, z: number, a: number): number {
  switch (act.kind) {
    case 'linear':
      return 1;
    case 'sigmoid':
      return a * (1 - a);
    case 'tanh':
      return 1 - a * a;
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'leaky_relu':
      return z > 0 ? 1 : act.slope;
    case 'elu':
      return z > 0 ? 1 : a + act.alpha;
    case 'selu':
      return z > 0 ? SELU_LAMBDA : a + SELU_LAMBDA * SELU_ALPHA;
    case 'gelu':
      return phi(z) + z * density(z);
    case 'silu': {
      const s = sigmoid(z);
      return s * (1 + z * (1 - s));
    }
    case 'softplus':
      return sigmoid(z);
    case 'softsign': {
      const d = 1 + Math.abs(z);
      return 1 / (d * d);
    }
    case 'softmax':
      return a * (1 - a);
  }
}

/**
 * Marks the units of a sigmoid or tanh layer (`cols` units, `n` entries of outputs A) whose f′ was
 * non-zero on some row. f′ = 0 is below the saturation limit, so with no saturated entry
 * (`saturated` = 0) every unit is alive and the entries need not be looked at one by one.
 */
export function markAlive(kind: 'sigmoid' | 'tanh', A: Vec, n: number, cols: number, saturated: number, alive: Uint8Array): void {
  if (saturated === 0) {
    for (let j = 0; j < cols; j++) alive[j] = 1;
    return;
  }
  for (let i = 0; i < n; i++) {
    const a = A[i];
    if ((kind === 'sigmoid' ? a * (1 - a) : 1 - a * a) !== 0) alive[i % cols] = 1;
  }
}
