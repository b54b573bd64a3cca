// Layer normalization (Ba et al. 2016) and batch normalization (Ioffe & Szegedy 2015) of a dense
// layer's z, forward and backward, as the Version 1.1 contract defines them:
// n = (z − μ)/√(σ² + 1e-5), ẑ = γ⊙n + β, with μ and σ² (biased) over a sample's units (layer) or
// over the batch's samples of a unit (batch). Row-major [rows × units] buffers throughout; sums are
// taken in float64 locals and only stored values are rounded to the network's precision.

import type { NormKind, Precision } from './types';
import type { Vec } from './activations';

export const NORM_EPSILON = 1e-5;
/** Weight of the new batch in batch norm's running statistics (PyTorch's convention). */
export const RUNNING_MOMENTUM = 0.1;

export interface NormState {
  readonly kind: NormKind;
  readonly gamma: Vec;
  readonly beta: Vec;
  readonly dGamma: Vec;
  readonly dBeta: Vec;
  /** Optimizer state of γ and β, as the weights have (empty when unused). */
  readonly mGamma: Vec;
  readonly vGamma: Vec;
  readonly mBeta: Vec;
  readonly vBeta: Vec;
  /** [batch × units]: the normalized n and the activation's input ẑ = γ⊙n + β. */
  readonly N: Vec;
  readonly Zh: Vec;
  /** 1/√(σ² + ε): per row (layer) or per unit (batch). */
  readonly inv: Float64Array;
  /** Per-unit sums of the backward pass (Σg and Σg·n). */
  readonly sumG: Float64Array;
  readonly sumGN: Float64Array;
  /** Batch norm's running μ and σ² (unbiased), for evaluation; empty for layer norm. */
  readonly runningMean: Float64Array;
  readonly runningVar: Float64Array;
}

export function makeNormState(kind: NormKind, precision: Precision, batch: number, units: number, stateBuffers: 0 | 1 | 2): NormState {
  const vec = (n: number): Vec => (precision === 'float64' ? new Float64Array(n) : new Float32Array(n));
  const state = (used: boolean): Vec => vec(used ? units : 0);
  const running = kind === 'batch' ? units : 0;
  return {
    kind,
    gamma: vec(units).fill(1),
    beta: vec(units),
    dGamma: vec(units),
    dBeta: vec(units),
    mGamma: state(stateBuffers >= 1),
    vGamma: state(stateBuffers >= 2),
    mBeta: state(stateBuffers >= 1),
    vBeta: state(stateBuffers >= 2),
    N: vec(batch * units),
    Zh: vec(batch * units),
    inv: new Float64Array(kind === 'layer' ? batch : units),
    sumG: new Float64Array(units),
    sumGN: new Float64Array(units),
    runningMean: new Float64Array(running),
    runningVar: new Float64Array(running).fill(1),
  };
}

/**
 * Z [rows × units] → s.Zh, keeping n in s.N and 1/σ in s.inv. With `training` false, batch norm
 * uses its running statistics (evaluation); with it true, it updates them.
 */
export function normForward(s: NormState, Z: Vec, rows: number, units: number, training: boolean): Vec {
  if (s.kind === 'layer') layerForward(s, Z, rows, units);
  else if (training) batchForward(s, Z, rows, units);
  else batchEvaluate(s, Z, rows, units);
  return s.Zh;
}

function layerForward(s: NormState, Z: Vec, rows: number, units: number): void {
  const { gamma, beta, N, Zh, inv } = s;
  for (let r = 0; r < rows; r++) {
    const o = r * units;
    let sum = 0;
    for (let j = 0; j < units; j++) sum += Z[o + j];
    const mu = sum / units;
    let sq = 0;
    for (let j = 0; j < units; j++) {
      const d = Z[o + j] - mu;
      sq += d * d;
    }
    const is = 1 / Math.sqrt(sq / units + NORM_EPSILON);
    inv[r] = is;
    for (let j = 0; j < units; j++) {
      N[o + j] = (Z[o + j] - mu) * is;
      Zh[o + j] = gamma[j] * N[o + j] + beta[j];
    }
  }
}

function batchForward(s: NormState, Z: Vec, rows: number, units: number): void {
  const { gamma, beta, N, Zh, inv, runningMean, runningVar } = s;
  // sumG and sumGN are free until the backward pass: they hold Σz and Σ(z − μ)² here.
  const mean = s.sumG.fill(0);
  const sq = s.sumGN.fill(0);
  for (let r = 0; r < rows; r++) for (let j = 0, i = r * units; j < units; j++, i++) mean[j] += Z[i];
  for (let j = 0; j < units; j++) mean[j] /= rows;
  for (let r = 0; r < rows; r++)
    for (let j = 0, i = r * units; j < units; j++, i++) {
      const d = Z[i] - mean[j];
      sq[j] += d * d;
    }
  const m = RUNNING_MOMENTUM;
  for (let j = 0; j < units; j++) {
    const variance = sq[j] / rows;
    inv[j] = 1 / Math.sqrt(variance + NORM_EPSILON);
    runningMean[j] = (1 - m) * runningMean[j] + m * mean[j];
    runningVar[j] = (1 - m) * runningVar[j] + m * (rows > 1 ? sq[j] / (rows - 1) : variance);
  }
  for (let r = 0; r < rows; r++) {
    for (let j = 0, i = r * units; j < units; j++, i++) {
      N[i] = (Z[i] - mean[j]) * inv[j];
      Zh[i] = gamma[j] * N[i] + beta[j];
    }
  }
}

function batchEvaluate(s: NormState, Z: Vec, rows: number, units: number): void {
  const { gamma, beta, N, Zh, runningMean, runningVar } = s;
  for (let r = 0; r < rows; r++) {
    for (let j = 0, i = r * units; j < units; j++, i++) {
      N[i] = (Z[i] - runningMean[j]) / Math.sqrt(runningVar[j] + NORM_EPSILON);
      Zh[i] = gamma[j] * N[i] + beta[j];
    }
  }
}

/**
 * D [rows × units] holds ∂ℓ/∂ẑ per sample on entry and ∂ℓ/∂z on exit (for batch norm, the batch's
 * ∂L/∂z times the rows, as the other layers' D are); ∂L/∂γ and ∂L/∂β (the batch mean, `scale` = 1/rows)
 * go to s.dGamma and s.dBeta.
 */
export function normBackward(s: NormState, D: Vec, rows: number, units: number, scale: number): void {
  const { gamma, N, inv, sumG, sumGN } = s;
  sumG.fill(0);
  sumGN.fill(0);
  for (let r = 0; r < rows; r++) {
    for (let j = 0, i = r * units; j < units; j++, i++) {
      const g = D[i];
      sumG[j] += g;
      sumGN[j] += g * N[i];
    }
  }
  for (let j = 0; j < units; j++) {
    s.dGamma[j] = sumGN[j] * scale;
    s.dBeta[j] = sumG[j] * scale;
  }
  if (s.kind === 'layer') {
    for (let r = 0; r < rows; r++) {
      const o = r * units;
      let m1 = 0;
      let m2 = 0;
      for (let j = 0; j < units; j++) {
        const gn = D[o + j] * gamma[j];
        m1 += gn;
        m2 += gn * N[o + j];
      }
      m1 /= units;
      m2 /= units;
      const is = inv[r];
      for (let j = 0; j < units; j++) D[o + j] = is * (D[o + j] * gamma[j] - m1 - N[o + j] * m2);
    }
    return;
  }
  for (let j = 0; j < units; j++) {
    sumG[j] /= rows;
    sumGN[j] /= rows;
  }
  for (let r = 0; r < rows; r++) {
    for (let j = 0, i = r * units; j < units; j++, i++) D[i] = gamma[j] * inv[j] * (D[i] - sumG[j] - N[i] * sumGN[j]);
  }
}
