// Static analysis before any training: mean-field propagation of the forward activation variance
// and the backward error scale (Glorot & Bengio 2010; He et al. 2015), by Gauss–Hermite quadrature
// over each layer's Gaussian pre-activation, plus the lints a practitioner would give.

import type { Activation, Dataset, LayerSpec, PredictedLayer, Problem, Spec } from './types';
import { activation, derivative } from './activations';
import { initMoments } from './network';
import { NORM_EPSILON } from './norm';
import { bypassNote, sigmoidBound } from './sigmoidBound';
import { sci } from '../shared/numbers';

// 40-point Gauss–Hermite rule for ∫ f(z) N(z; 0, 1) dz (probabilists' form), computed once.
const QUAD = gaussHermite(40);

function gaussHermite(n: number): { x: Float64Array; w: Float64Array } {
  // Golub–Welsch would need an eigen-solver; Newton on the Hermite recurrence is enough for n = 40.
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  let z = 0;
  for (let i = 0; i < m; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -1 / 6);
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - (0.86 * x[0]) / Math.SQRT2;
    else if (i === 3) z = 1.91 * z - (0.91 * x[1]) / Math.SQRT2;
    else z = 2 * z - x[i - 2] / Math.SQRT2;
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = 0.7511255444649425; // π^(−1/4)
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-14) break;
    }
    // Physicists' nodes z with weights for e^(−z²); convert to the standard normal.
    x[i] = z * Math.SQRT2;
    x[n - 1 - i] = -z * Math.SQRT2;
    const wi = 2 / (pp * pp) / Math.sqrt(Math.PI);
    w[i] = wi;
    w[n - 1 - i] = wi;
  }
  return { x, w };
}

/** E[g(Z)] for Z ~ N(mean, variance). */
function expect(g: (z: number) => number, mean: number, variance: number): number {
  const s = Math.sqrt(Math.max(0, variance));
  let total = 0;
  for (let i = 0; i < QUAD.x.length; i++) total += QUAD.w[i] * g(mean + s * QUAD.x[i]);
  return total;
}

const loadedWeights = (spec: Spec) => (spec.weights?.params ?? null) !== null;

/** Mean and variance of a weights file's numbers. */
function sampleMoments(v: ArrayLike<number>): { mean: number; variance: number } {
  if (v.length === 0) return { mean: 0, variance: 0 };
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  const mean = s / v.length;
  let s2 = 0;
  for (let i = 0; i < v.length; i++) s2 += (v[i] - mean) ** 2;
  return { mean, variance: s2 / v.length };
}

/**
 * Layer k's weight and bias moments: the weights file's own when a `weights` line loaded one (so the
 * prediction speaks about that model, trained elsewhere), else its inits'.
 */
function paramMoments(spec: Spec, k: number, fanIn: number, units: number) {
  const p = spec.weights?.params?.[k];
  const l = spec.layers[k];
  return p ? { w: sampleMoments(p.W), b: sampleMoments(p.b) } : { w: initMoments(l.init, fanIn, units), b: initMoments(l.bias, fanIn, units) };
}

export interface StaticAnalysis {
  readonly predicted: PredictedLayer[];
  /** Predicted ∂L/∂W RMS of each layer relative to the output layer's. */
  readonly gradRatio: number[];
  readonly problems: Problem[];
}

function inputMoments(data: Dataset | null): { mean: number; second: number } {
  if (!data || data.n === 0) return { mean: 0, second: 1 };
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < data.x.length; i++) {
    s += data.x[i];
    s2 += data.x[i] * data.x[i];
  }
  return { mean: s / data.x.length, second: s2 / data.x.length };
}

export function analyze(spec: Spec, data: Dataset | null, featureStd: Float64Array | null): StaticAnalysis {
  const problems: Problem[] = [];
  const layers = spec.layers;
  const predicted: PredictedLayer[] = [];
  const gradRatio: number[] = [];
  if (spec.input === null || layers.length === 0) return { predicted, gradRatio, problems };
  const cause = (l: LayerSpec) => (loadedWeights(spec) ? 'its weights in the weights file' : `its init ${l.initText}`);

  // Forward: the pre-activation of a unit is a sum of fanIn products, so by the central limit
  // theorem it is close to Gaussian with mean b + fanIn·E[w]·E[a] and variance fanIn·Var[w]·E[a²].
  let { mean: aMean, second: aSecond } = inputMoments(data);
  const inSecond: number[] = [];
  const zMoments: { mean: number; variance: number }[] = [];
  /** Var(z) before any norm, whose 1/σ scales the error flowing back through it. */
  const zVars: number[] = [];
  let fanIn = spec.input;
  for (const l of layers) {
    const { w, b } = paramMoments(spec, l.index, fanIn, l.units);
    const zMean = b.mean + fanIn * w.mean * aMean;
    const zVar = b.variance + fanIn * (w.variance * aSecond + w.mean * w.mean * Math.max(0, aSecond - aMean * aMean));
    inSecond.push(aSecond);
    zVars.push(zVar);
    // A norm gives the activation ẑ with mean β = 0 and variance γ²·σ²/(σ² + ε) ≈ 1 at init.
    const zh = l.norm ? { mean: 0, variance: zVar / (zVar + NORM_EPSILON) } : { mean: zMean, variance: zVar };
    zMoments.push(zh);
    const act = l.activation.kind === 'softmax' ? ({ kind: 'linear' } as Activation) : l.activation;
    const fMean = expect((z) => activation(act, z), zh.mean, zh.variance);
    const fSecond = expect((z) => activation(act, z) ** 2, zh.mean, zh.variance);
    // A residual layer outputs x + f(ẑ): with x and f(ẑ) independent, their variances add.
    if (l.residual) {
      aSecond = aSecond + fSecond + 2 * aMean * fMean;
      aMean = aMean + fMean;
    } else {
      aMean = fMean;
      aSecond = fSecond;
    }
    predicted.push({ actStd: Math.sqrt(Math.max(0, aSecond - aMean * aMean)), deltaRatio: 1 });
    fanIn = l.units;
  }

  // Backward, relative to the output: the error at layer k's output is E[g_k²] = units_{k+1}·E[w_{k+1}²]·E[δ_{k+1}²],
  // plus E[g_{k+1}²] when layer k+1 is residual (the identity carries it past, He et al. 2016);
  // then E[δ_k²] = E[f′(ẑ_k)²]·E[g_k²], divided by Var(z_k) when a norm divides z_k by its σ.
  const L = layers.length - 1;
  const deltaSq = new Array<number>(layers.length).fill(1);
  const outSq = new Array<number>(layers.length).fill(0);
  for (let k = L - 1; k >= 0; k--) {
    const next = layers[k + 1];
    const { w } = paramMoments(spec, k + 1, layers[k].units, next.units);
    const act = layers[k].activation;
    const fp2 = expect((z) => derivative(act, z) ** 2, zMoments[k].mean, zMoments[k].variance);
    outSq[k] = next.units * (w.variance + w.mean * w.mean) * deltaSq[k + 1] + (next.residual ? outSq[k + 1] : 0);
    deltaSq[k] = (fp2 * outSq[k]) / (layers[k].norm ? zVars[k] + NORM_EPSILON : 1);
  }
  for (let k = 0; k <= L; k++) {
    const ratio = Math.sqrt(deltaSq[k]);
    predicted[k] = { actStd: predicted[k].actStd, deltaRatio: ratio };
    gradRatio.push(Math.sqrt((deltaSq[k] * inSecond[k]) / inSecond[L]));
  }

  // Problems on each dense line (once per line), where the prediction says its gradient will vanish or explode.
  const seenLines = new Set<number>();
  for (let k = 0; k < L; k++) {
    const l = layers[k];
    // The mean field treats a batch norm as a layer norm; the coupling of samples through the batch
    // statistics, which makes deep batch-normalized nets explode at init (Yang et al. 2019), is not in it.
    if (seenLines.has(l.line) || l.norm === 'batch') continue;
    const r = predicted[k].deltaRatio;
    const lineText = (msg: string) =>
      problems.push({
        severity: 'warning',
        code: msg.startsWith('vanish') ? 'static-vanishing' : 'static-exploding',
        message: msg.slice(msg.indexOf(':') + 1).trim(),
        line: l.line,
        startColumn: 0,
        endColumn: 5,
      });
    if (r < 1e-3) {
      seenLines.add(l.line);
      lineText(
        `vanish: Predicted before training: the backpropagated error reaching layer ${k} will be ${sci(r)} of the output layer's (under 1e-3), from ${cause(l)} and the activations above it. Expect this layer to barely learn.`,
      );
    } else if (r > 1e3) {
      seenLines.add(l.line);
      lineText(
        `explode: Predicted before training: the backpropagated error reaching layer ${k} will be ${sci(r)} times the output layer's (over 1e3), from ${cause(l)} and the activations above it. Expect unstable training.`,
      );
    }
  }

  // Lints.
  const hidden = layers.slice(0, L);
  const sigmoidHidden = hidden.filter((l) => l.activation.kind === 'sigmoid');
  const bound = L > 0 ? sigmoidBound(layers, 0) : { count: 0, bypassed: 0 };
  if (bound.count >= 2) {
    const k = bound.count;
    const first = sigmoidHidden[0];
    problems.push({
      severity: 'info',
      code: 'saturating-activation',
      line: first.line,
      startColumn: 0,
      endColumn: 5,
      message: `${k} sigmoid hidden layers${bypassNote(bound)}: sigmoid′(z) ≤ 1/4, so the error backpropagated through them shrinks by up to (1/4)^${k} = ${sci(Math.pow(0.25, k))}. relu or leaky_relu with he_normal, or tanh with glorot_uniform, keep it.`,
    });
  }
  // With a weights file the inits are not used: the lints about them do not apply.
  const fromFile = loadedWeights(spec);
  const tanhLines = new Set<number>();
  for (const l of hidden.filter((h) => h.activation.kind === 'tanh')) {
    const k = l.index;
    if (predicted[k].actStd > 0.85 && !tanhLines.has(l.line) && !fromFile) {
      tanhLines.add(l.line);
      problems.push({
        severity: 'info',
        code: 'saturating-activation',
        line: l.line,
        startColumn: 0,
        endColumn: 5,
        message: `tanh with init ${l.initText}: its inputs are predicted to be large enough (predicted output std ${predicted[k].actStd.toFixed(2)}) that tanh saturates near ±1, where tanh′ ≈ 0. glorot_uniform is the match for tanh.`,
      });
    }
  }
  const reluLike = new Set(['relu', 'leaky_relu', 'elu']);
  const lintedInit = new Set<number>();
  for (const l of hidden) {
    if (lintedInit.has(l.line) || fromFile) continue;
    if (reluLike.has(l.activation.kind) && (l.init.kind === 'glorot_uniform' || l.init.kind === 'glorot_normal')) {
      lintedInit.add(l.line);
      problems.push({
        severity: 'info',
        code: 'init-mismatch',
        line: l.line,
        startColumn: 0,
        endColumn: 5,
        message: `${l.activation.kind} with ${l.initText}: relu zeroes about half of its inputs, so glorot's variance halves at every layer; he_normal (variance 2/fan_in) is the match.`,
      });
    }
    if (l.activation.kind === 'selu' && l.init.kind !== 'lecun_normal') {
      lintedInit.add(l.line);
      problems.push({
        severity: 'info',
        code: 'init-mismatch',
        line: l.line,
        startColumn: 0,
        endColumn: 5,
        message: `selu self-normalises only with lecun_normal init; this layer uses ${l.initText}.`,
      });
    }
  }
  if (featureStd && spec.data?.source === 'csv' && !spec.data.normalize && featureStd.length > 1) {
    let lo = Infinity;
    let hi = 0;
    for (const s of featureStd) {
      if (s > 0) lo = Math.min(lo, s);
      hi = Math.max(hi, s);
    }
    if (lo < Infinity && hi / lo >= 100) {
      problems.push({
        severity: 'warning',
        code: 'feature-scale',
        line: spec.lines.data ?? 1,
        startColumn: 0,
        endColumn: 4,
        message: `The CSV's features are on very different scales (standard deviations from ${sci(lo)} to ${sci(hi)}, a ratio of ${sci(hi / lo)}); the large ones dominate the first layer's gradient. Add normalize=true.`,
      });
    }
  }
  return { predicted, gradRatio, problems };
}
