// A network's buffers, made once: weights, biases, their gradients and optimizer state, and the
// per-batch activations. Nothing in a training step allocates.

import type { Activation, Init, LayerParams, LayerSpec, Precision } from './types';
import type { Vec } from './activations';
import { makeNormState, type NormState } from './norm';
import { Rng } from './rng';

export interface Layer {
  readonly spec: LayerSpec;
  readonly fanIn: number;
  readonly units: number;
  readonly act: Activation;
  /** [fanIn × units], row-major. */
  readonly W: Vec;
  readonly b: Vec;
  readonly dW: Vec;
  readonly db: Vec;
  /** Optimizer state (momentum / first moment, and second moment); empty when unused. */
  readonly mW: Vec;
  readonly vW: Vec;
  readonly mb: Vec;
  readonly vb: Vec;
  /** [batch × units]: pre-activations, outputs, and ∂ℓ/∂z per sample. */
  readonly Z: Vec;
  readonly A: Vec;
  readonly D: Vec;
  /** `norm=`: γ, β and the normalization's buffers; the activation then reads norm.Zh, not Z. */
  readonly norm: NormState | null;
  /** `residual=true`: the layer's output Y = x + A, and R keeps ∂ℓ/∂Y for the identity path. */
  readonly residual: boolean;
  /** [batch × units]: the layer's output, what the next layer reads: A itself unless residual. */
  readonly Y: Vec;
  readonly R: Vec;
}

export interface Network {
  readonly precision: Precision;
  readonly inputs: number;
  readonly batch: number;
  readonly layers: readonly Layer[];
  /** The batch's inputs [batch × inputs] and targets [batch × output units]. */
  readonly X: Vec;
  readonly T: Vec;
}

export function makeVec(precision: Precision, n: number): Vec {
  return precision === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

/** Mean and variance of a weight under an init, for the static analysis. */
export function initMoments(init: Init, fanIn: number, fanOut: number): { mean: number; variance: number } {
  switch (init.kind) {
    case 'glorot_uniform':
    case 'glorot_normal':
      return { mean: 0, variance: 2 / (fanIn + fanOut) };
    case 'he_normal':
    case 'he_uniform':
      return { mean: 0, variance: 2 / fanIn };
    case 'lecun_normal':
    case 'lecun_uniform':
      return { mean: 0, variance: 1 / fanIn };
    case 'normal':
      return { mean: init.mean, variance: init.std * init.std };
    case 'uniform':
      return { mean: (init.low + init.high) / 2, variance: (init.high - init.low) ** 2 / 12 };
    case 'constant':
      return { mean: init.value, variance: 0 };
    case 'zeros':
      return { mean: 0, variance: 0 };
  }
}

function drawWeight(init: Init, fanIn: number, fanOut: number, rng: Rng): number {
  switch (init.kind) {
    case 'glorot_uniform': {
      const r = Math.sqrt(6 / (fanIn + fanOut));
      return rng.uniform(-r, r);
    }
    case 'glorot_normal':
      return rng.normal() * Math.sqrt(2 / (fanIn + fanOut));
    case 'he_normal':
      return rng.normal() * Math.sqrt(2 / fanIn);
    case 'he_uniform': {
      const r = Math.sqrt(6 / fanIn);
      return rng.uniform(-r, r);
    }
    case 'lecun_normal':
      return rng.normal() * Math.sqrt(1 / fanIn);
    case 'lecun_uniform': {
      const r = Math.sqrt(3 / fanIn);
      return rng.uniform(-r, r);
    }
    case 'normal':
      return init.mean + init.std * rng.normal();
    case 'uniform':
      return rng.uniform(init.low, init.high);
    case 'constant':
      return init.value;
    case 'zeros':
      return 0;
  }
}

export interface BuildOptions {
  readonly precision: Precision;
  readonly batch: number;
  readonly seed: number;
  /** Whether the optimizer keeps one state buffer (momentum), two (adam), or none. */
  readonly stateBuffers: 0 | 1 | 2;
  /** Parameters to start from (a `weights` file, already shape-checked) instead of the inits. */
  readonly params?: readonly LayerParams[] | null;
}

export function buildNetwork(inputs: number, specs: readonly LayerSpec[], outputUnits: number, o: BuildOptions): Network {
  const rng = new Rng(o.seed);
  const layers: Layer[] = [];
  let fanIn = inputs;
  for (const spec of specs) {
    const units = spec.units;
    const n = fanIn * units;
    const W = makeVec(o.precision, n);
    const b = makeVec(o.precision, units);
    const given = o.params?.[layers.length];
    if (given) {
      W.set(given.W);
      b.set(given.b);
    } else {
      for (let i = 0; i < n; i++) W[i] = drawWeight(spec.init, fanIn, units, rng);
      // Drawn after the layer's weights from the same stream; a constant bias draws nothing, so
      // specs without a random bias keep their weights.
      for (let j = 0; j < units; j++) b[j] = drawWeight(spec.bias, fanIn, units, rng);
    }
    const state = (size: number, used: boolean): Vec => makeVec(o.precision, used ? size : 0);
    const norm = spec.norm ? makeNormState(spec.norm, o.precision, o.batch, units, o.stateBuffers) : null;
    if (norm && given) {
      if (given.gamma) norm.gamma.set(given.gamma);
      if (given.beta) norm.beta.set(given.beta);
      if (given.runningMean && norm.runningMean.length) norm.runningMean.set(given.runningMean);
      if (given.runningVar && norm.runningVar.length) norm.runningVar.set(given.runningVar);
    }
    const A = makeVec(o.precision, o.batch * units);
    const residual = spec.residual === true;
    layers.push({
      spec,
      fanIn,
      units,
      act: spec.activation,
      W,
      b,
      dW: makeVec(o.precision, n),
      db: makeVec(o.precision, units),
      mW: state(n, o.stateBuffers >= 1),
      vW: state(n, o.stateBuffers >= 2),
      mb: state(units, o.stateBuffers >= 1),
      vb: state(units, o.stateBuffers >= 2),
      Z: makeVec(o.precision, o.batch * units),
      A,
      D: makeVec(o.precision, o.batch * units),
      norm,
      residual,
      Y: residual ? makeVec(o.precision, o.batch * units) : A,
      R: makeVec(o.precision, residual ? o.batch * units : 0),
    });
    fanIn = units;
  }
  return {
    precision: o.precision,
    inputs,
    batch: o.batch,
    layers,
    X: makeVec(o.precision, o.batch * inputs),
    T: makeVec(o.precision, o.batch * outputUnits),
  };
}

export function paramCount(inputs: number, specs: readonly LayerSpec[]): number {
  let total = 0;
  let fanIn = inputs;
  for (const s of specs) {
    total += fanIn * s.units + s.units + (s.norm ? 2 * s.units : 0);
    fanIn = s.units;
  }
  return total;
}
