// Training: forward pass, loss, backward pass, update, one mini-batch at a time, with the per-layer
// statistics folded into the passes that already touch the data. `run()` is an iterator of
// per-epoch records that checks for cancellation between steps.

import type { Dataset, EpochRecord, InitialRecord, LayerStats, LossName, OptimizerSpec, Spec, StopReason } from './types';
import { backwardPass, foldsForwardSums, forwardPass, markAlive, SIGMOID_SATURATED, type BackwardSums, type ForwardSums, type Vec } from './activations';
import { forwardProduct, gradientSums, inputGradientProduct, weightGradientProduct } from './kernels';
import { buildNetwork, type Layer, type Network } from './network';
import { normBackward, normForward, type NormState } from './norm';
import { histogramOf } from './histogram';
import { optimizerStep } from './optimizerStep';
import { Rng } from './rng';

export interface TrainOptions {
  /** Overrides the spec's epochs. */
  readonly epochs?: number;
  /** Overrides the spec's seed. */
  readonly seed?: number;
  /** Statistics and histograms (on by default); off only for benchmarks. */
  readonly statistics?: boolean;
  /** Asked between steps; true stops the run with `stopped: "cancelled"`. */
  readonly isCancelled?: () => boolean;
}

/** Per layer, the sums a step adds to and the epoch turns into LayerStats. */
class LayerAccumulator {
  steps = 0;
  gradRms = 0;
  gradMeanAbs = 0;
  gradMaxAbs = 0;
  deltaRms = 0;
  updateRatio = 0;
  biasGradNorm = 0;
  zeros = 0;
  entries = 0;
  nonFinite = 0;
  satPairs = 0;
  pairs = 0;
  readonly fwd: ForwardSums = { sum: 0, sumSq: 0 };
  readonly bwd: BackwardSums;
  constructor(units: number) {
    this.bwd = { deltaSq: 0, saturated: 0, alive: new Uint8Array(units) };
  }
  reset(): void {
    this.steps = this.gradRms = this.gradMeanAbs = this.gradMaxAbs = this.deltaRms = this.updateRatio = this.biasGradNorm = 0;
    this.zeros = this.entries = this.nonFinite = this.satPairs = this.pairs = 0;
    this.fwd.sum = this.fwd.sumSq = 0;
    this.bwd.deltaSq = this.bwd.saturated = 0;
    this.bwd.alive.fill(0);
  }
}

export class Trainer {
  readonly net: Network;
  readonly epochs: number;
  private readonly loss: LossName;
  private readonly opt: OptimizerSpec;
  private readonly data: Dataset;
  private readonly order: Int32Array;
  private readonly shuffleRng: Rng;
  private readonly shuffle: boolean;
  private readonly stats: boolean;
  private readonly acc: LayerAccumulator[];
  private readonly isCancelled: () => boolean;
  private readonly classification: boolean;
  private readonly outUnits: number;
  /** Class labels become one-hot targets: softmax with cross_entropy, or K > 1 sigmoids with bce. */
  private readonly oneHot: boolean;
  private step = 0;
  private epoch = 0;
  /** gradientSums' results: Σg², Σ|g|, max|g|, zeros. */
  private readonly sums = new Float64Array(4);
  /** optimizerStep's results: Σg², Σ|g|, max|g|, zeros, ‖ΔW‖², ‖W‖². */
  private readonly stepSums = new Float64Array(6);
  /** blankColumns' list of the input columns still blank. */
  private readonly blankScratch: Int32Array;

  constructor(spec: Spec, data: Dataset, options: TrainOptions = {}) {
    if (spec.input === null || spec.layers.length === 0) throw new Error('Trainer needs a valid spec: input and at least one dense layer');
    this.data = data;
    this.loss = spec.loss;
    this.opt = spec.optimizer;
    this.epochs = options.epochs ?? spec.train.epochs;
    const seed = options.seed ?? spec.train.seed;
    const batch = Math.max(1, Math.min(spec.train.batch, data.n));
    this.outUnits = spec.layers[spec.layers.length - 1].units;
    const o = spec.optimizer;
    const stateBuffers = o.kind === 'adam' ? 2 : o.kind === 'rmsprop' ? 1 : o.momentum > 0 ? 1 : 0;
    this.net = buildNetwork(spec.input, spec.layers, this.outUnits, {
      precision: spec.train.precision,
      batch,
      seed,
      stateBuffers,
      params: spec.weights?.params,
    });
    this.blankScratch = new Int32Array(spec.input);
    this.order = new Int32Array(data.n);
    for (let i = 0; i < data.n; i++) this.order[i] = i;
    // The shuffling has its own stream, so the weights do not depend on the batch size.
    this.shuffleRng = new Rng((seed ^ 0x5bd1e995) >>> 0);
    this.shuffle = spec.train.shuffle;
    this.stats = options.statistics ?? true;
    this.acc = this.net.layers.map((l) => new LayerAccumulator(l.units));
    this.isCancelled = options.isCancelled ?? (() => false);
    this.classification = data.classes > 0;
    this.oneHot = this.classification && (this.loss === 'cross_entropy' || (this.loss === 'bce' && this.outUnits > 1));
  }

  /** The epochs, one record each; returns why training ended early, or null. */
  *run(): Generator<EpochRecord, StopReason> {
    while (this.epoch < this.epochs) {
      const result = this.trainEpoch();
      if (result === 'cancelled') return 'cancelled';
      yield result.record;
      if (result.nonfinite) return 'nonfinite';
    }
    return null;
  }

  private trainEpoch(): 'cancelled' | { record: EpochRecord; nonfinite: boolean } {
    const { n } = this.data;
    const batch = this.net.batch;
    if (this.shuffle) this.shuffleRng.shuffle(this.order);
    for (const a of this.acc) a.reset();
    let lossSum = 0;
    let steps = 0;
    let correct = 0;
    let nonfinite = false;
    let histograms: number[][] = [];
    for (let start = 0; start < n; start += batch) {
      if (this.isCancelled()) return 'cancelled';
      const nb = Math.min(batch, n - start);
      this.loadBatch(start, nb);
      this.forward(nb);
      const { loss, correct: c } = this.outputGradient(nb);
      correct += c;
      this.backward(nb);
      const last = start + batch >= n;
      if (this.stats && last) histograms = this.net.layers.map((l) => histogramOf(l.dW));
      this.update(nb);
      lossSum += loss;
      steps++;
      // NaN or Infinity in a gradient poisons the weights even where relu keeps the loss finite.
      if (!Number.isFinite(loss) || (this.stats && this.acc.some((a) => a.nonFinite > 0))) {
        nonfinite = true;
        break;
      }
    }
    this.epoch++;
    const record: EpochRecord = {
      epoch: this.epoch,
      loss: lossSum / steps,
      accuracy: this.classification ? correct / Math.min(n, steps * batch) : null,
      layers: this.net.layers.map((l, k) => this.layerStats(l, this.acc[k])),
      histograms,
    };
    return { record, nonfinite };
  }

  /** Copies samples order[start .. start+nb) into the batch buffers. */
  loadBatch(start: number, nb: number): void {
    const { X, T, inputs } = this.net;
    const { x, y } = this.data;
    const out = this.outUnits;
    for (let r = 0; r < nb; r++) {
      const s = this.order[start + r];
      const xo = s * inputs;
      const ro = r * inputs;
      for (let j = 0; j < inputs; j++) X[ro + j] = x[xo + j];
      const to = r * out;
      if (this.oneHot) {
        for (let j = 0; j < out; j++) T[to + j] = 0;
        T[to + y[s]] = 1;
      } else {
        for (let j = 0; j < out; j++) T[to + j] = y[s];
      }
    }
  }

  /**
   * The forward pass over the batch's first nb rows. `training` false evaluates: batch norm then uses
   * its running statistics and leaves them as they are.
   */
  forward(nb: number, training = true): void {
    let input: Vec = this.net.X;
    const stats = this.stats;
    for (let k = 0; k < this.net.layers.length; k++) {
      const l = this.net.layers[k];
      forwardProduct(input, l.W, l.b, l.Z, nb, l.fanIn, l.units);
      const z = l.norm ? normForward(l.norm, l.Z, nb, l.units, training) : l.Z;
      // Sigmoid and tanh layers have their Σa and Σa² summed in the backward pass (which reads A);
      // a residual layer's outputs are x + A, summed where they are made.
      const sums = stats ? this.acc[k].fwd : null;
      forwardPass(l.act, z, l.A, nb, l.units, !l.residual && !foldsForwardSums(l.act) ? sums : null);
      if (l.residual) residualAdd(input, l.A, l.Y, nb * l.units, sums);
      input = l.Y;
    }
  }

  /**
   * Writes ∂ℓ/∂z of the output layer into its D (per sample, ℓ the sample's loss) and returns the
   * batch's mean loss and how many samples it classified right.
   */
  outputGradient(nb: number): { loss: number; correct: number } {
    const layers = this.net.layers;
    const out = layers[layers.length - 1];
    const { A, D } = out;
    // The activation's input: ẑ on a normalized layer (the output layer is never residual).
    const Z = out.norm ? out.norm.Zh : out.Z;
    const T = this.net.T;
    const K = out.units;
    let loss = 0;
    let correct = 0;
    if (this.loss === 'cross_entropy') {
      for (let r = 0; r < nb; r++) {
        const o = r * K;
        let max = -Infinity;
        let arg = 0;
        for (let j = 0; j < K; j++)
          if (Z[o + j] > max) {
            max = Z[o + j];
            arg = j;
          }
        let total = 0;
        for (let j = 0; j < K; j++) total += Math.exp(Z[o + j] - max);
        const lse = max + Math.log(total);
        for (let j = 0; j < K; j++) {
          const t = T[o + j];
          if (t !== 0) loss += t * (lse - Z[o + j]);
          D[o + j] = A[o + j] - t;
          if (t === 1 && j === arg) correct++;
        }
      }
    } else if (this.loss === 'bce' && out.act.kind === 'sigmoid') {
      for (let i = 0; i < nb * K; i++) {
        const z = Z[i];
        const t = T[i];
        // log(1 + e^z) − t·z, written so that neither exp overflows.
        loss += (z > 0 ? z : 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
        D[i] = (A[i] - t) / K;
        if ((A[i] > 0.5 ? 1 : 0) === t) correct++;
      }
      correct = this.oneHot ? argmaxCorrect(A, T, nb, K) : Math.round(correct / K);
    } else {
      const eps = 1e-7;
      for (let i = 0; i < nb * K; i++) {
        const a = A[i];
        const t = T[i];
        if (this.loss === 'bce') {
          const c = a < eps ? eps : a > 1 - eps ? 1 - eps : a;
          loss -= t * Math.log(c) + (1 - t) * Math.log(1 - c);
          // Where the probability was clamped the loss is flat, so its gradient is 0.
          D[i] = c === a ? (a - t) / (a * (1 - a)) / K : 0;
          if ((a > 0.5 ? 1 : 0) === t) correct++;
        } else {
          const e = a - t;
          loss += e * e;
          D[i] = (2 * e) / K;
          if (this.classification && Math.abs(e) < 0.5) correct++;
        }
      }
      correct = this.oneHot ? argmaxCorrect(A, T, nb, K) : Math.round(correct / K);
    }
    if (this.loss !== 'cross_entropy') loss /= K;
    return { loss: loss / nb, correct };
  }

  backward(nb: number): void {
    const layers = this.net.layers;
    const stats = this.stats;
    const scale = 1 / nb;
    for (let k = layers.length - 1; k >= 0; k--) {
      const l = layers[k];
      const fused = k === layers.length - 1 && (l.act.kind === 'softmax' || (this.loss === 'bce' && l.act.kind === 'sigmoid'));
      // ∂ℓ/∂Y reaches the input unchanged through a residual layer's identity: kept before D becomes ∂ℓ/∂z.
      if (l.residual) copyInto(l.R, l.D, nb * l.units);
      if (fused) {
        if (stats) this.outputStats(l, this.acc[k], nb);
      } else {
        const fwd = stats && !l.residual ? this.acc[k].fwd : null;
        backwardPass(l.act, l.norm ? l.norm.Zh : l.Z, l.A, l.D, nb, l.units, stats ? this.acc[k].bwd : null, fwd);
      }
      if (l.norm) {
        normBackward(l.norm, l.D, nb, l.units, scale);
        // deltaRms is ∂ℓ/∂z of the dense output, before the norm (what reaches W).
        if (stats) this.acc[k].bwd.deltaSq = sumSq(l.D, nb * l.units);
      }
      const input = k === 0 ? this.net.X : layers[k - 1].Y;
      const dbSq = weightGradientProduct(input, l.D, l.dW, l.db, nb, l.fanIn, l.units, scale);
      if (k > 0) {
        const below = layers[k - 1].D;
        inputGradientProduct(l.D, l.W, below, nb, l.fanIn, l.units);
        if (l.residual) addInto(below, l.R, nb * l.units);
      }
      if (stats) {
        const a = this.acc[k];
        a.deltaRms += Math.sqrt(a.bwd.deltaSq / (nb * l.units));
        // ‖∂L/∂b‖ from the sum its product took while writing db (one pass less per layer).
        a.biasGradNorm += Math.sqrt(dbSq);
        a.bwd.deltaSq = 0;
        a.pairs += nb * l.units;
      }
    }
  }

  /** The output layer's backward statistics when its gradient came fused with the loss. */
  private outputStats(l: Layer, a: LayerAccumulator, nb: number): void {
    const { A, D, units } = l;
    const n = nb * units;
    let dsq = 0;
    let sat = 0;
    let s = 0;
    let s2 = 0;
    // One flat pass, as in the sigmoid and tanh backward passes: every unit is alive unless some
    // f′ was exactly 0, which is below the saturation limit, so only when some entry saturated are
    // the columns looked at one by one.
    for (let i = 0; i < n; i++) {
      const e = D[i];
      dsq += e * e;
      const y = A[i];
      s += y;
      s2 += y * y;
      const d = y * (1 - y);
      sat += +(d < SIGMOID_SATURATED);
    }
    markAlive('sigmoid', A, n, units, sat, a.bwd.alive);
    a.bwd.deltaSq += dsq;
    // A sigmoid output layer's forward sums are summed here (foldsForwardSums); softmax's were
    // not, and only sigmoid's outputs count as saturated.
    if (l.act.kind === 'sigmoid') {
      a.bwd.saturated += sat;
      a.fwd.sum += s;
      a.fwd.sumSq += s2;
    }
  }

  /** Clip, weight decay and the optimizer's step, with the gradient statistics in the same passes. */
  update(nb: number): void {
    if (this.stats && !(this.opt.clip > 0)) this.fusedUpdate(nb);
    else this.separateUpdate(nb);
  }

  /**
   * Statistics and no clipping: the step does not wait for the gradient's norm, so the weight
   * gradient's statistics (Σg², Σ|g|, max|g|, zeros) are summed in the update's own loop, in the
   * same index order as a separate pass, with ‖ΔW‖² and ‖W‖². A method of its own, apart from the
   * clip path, so that V8 inlines plain SGD's loop here with its sums known (about 5% of the tiny
   * network's step; docs/benchmarks.md).
   */
  private fusedUpdate(nb: number): void {
    const layers = this.net.layers;
    const o = this.opt;
    const r = this.stepSums;
    this.step++;
    for (let k = 0; k < layers.length; k++) {
      const l = layers[k];
      const a = this.acc[k];
      optimizerStep(o, this.step, l.W, l.dW, l.mW, l.vW, 1, o.weightDecay, 'all', r);
      this.addGradientStats(l.dW, a, r[0], r[1], r[2], r[3], k === 0 ? this.blankEntries(l, nb) : 0);
      a.updateRatio += ratioOf(r[4], r[5]);
      this.applyStep(l.b, l.db, l.mb, l.vb, 1, 0, false);
      a.steps++;
      if (l.norm) this.normStep(l.norm, 1);
    }
  }

  /** Clipping or no statistics: the gradient's norms first (the clip scale needs them), then the step. */
  private separateUpdate(nb: number): void {
    const layers = this.net.layers;
    const o = this.opt;
    const stats = this.stats;
    let total = 0;
    if (stats || o.clip > 0) {
      for (let k = 0; k < layers.length; k++) {
        const l = layers[k];
        const s = stats ? this.gradientStats(l, this.acc[k], k === 0 ? this.blankEntries(l, nb) : 0) : sumSq(l.dW);
        // The global norm only matters for clipping.
        if (o.clip > 0) total += s + sumSq(l.db) + (l.norm ? sumSq(l.norm.dGamma) + sumSq(l.norm.dBeta) : 0);
      }
    }
    const clipScale = o.clip > 0 && Math.sqrt(total) > o.clip ? o.clip / Math.sqrt(total) : 1;
    this.step++;
    for (let k = 0; k < layers.length; k++) {
      const l = layers[k];
      const moved = this.applyStep(l.W, l.dW, l.mW, l.vW, clipScale, o.weightDecay, stats);
      this.applyStep(l.b, l.db, l.mb, l.vb, clipScale, 0, false);
      if (l.norm) this.normStep(l.norm, clipScale);
      if (stats) {
        const a = this.acc[k];
        a.updateRatio += moved;
        a.steps++;
      }
    }
  }

  /** The optimizer's step on γ and β, which take no weight decay. */
  private normStep(s: NormState, clipScale: number): void {
    this.applyStep(s.gamma, s.dGamma, s.mGamma, s.vGamma, clipScale, 0, false);
    this.applyStep(s.beta, s.dBeta, s.mBeta, s.vBeta, clipScale, 0, false);
  }

  /** One pass over ∂L/∂W: Σg², Σ|g|, max|g|, exact zeros, non-finite entries. Returns Σg². */
  private gradientStats(l: Layer, a: LayerAccumulator, blank: number): number {
    const sums = this.sums;
    gradientSums(l.dW, sums);
    return this.addGradientStats(l.dW, a, sums[0], sums[1], sums[2], sums[3], blank);
  }

  /**
   * The first layer's weight-gradient entries that are 0 because their input is 0 on every row of
   * the batch (a pixel blank in every image): exact zeros that say nothing about underflow, so
   * zeroGrad leaves them out. Deeper layers' inputs are activations, whose exact zeros are the
   * layer below's own (dead relu units, a sigmoid rounded to 0) and stay counted.
   */
  private blankEntries(l: Layer, nb: number): number {
    return blankColumns(this.net.X, nb, l.fanIn, this.blankScratch) * l.units;
  }

  /**
   * Adds the step's weight-gradient sums (taken with every entry assumed finite) to the layer's
   * accumulator. A NaN or ±Infinity anywhere makes Σ|g| non-finite (as does overflow), and then a
   * careful pass over g starts over. Returns Σg² (NaN when an entry was not finite).
   */
  private addGradientStats(g: Vec, a: LayerAccumulator, s2: number, s1: number, max: number, zeros: number, blank: number): number {
    if (!(s1 < Infinity)) return this.addNonFiniteGradientStats(g, a);
    const n = g.length;
    a.gradRms += Math.sqrt(s2 / n);
    a.gradMeanAbs += s1 / n;
    if (max > a.gradMaxAbs) a.gradMaxAbs = max;
    a.zeros += zeros - blank;
    a.entries += n - blank;
    return s2;
  }

  /**
   * addGradientStats when some entry of g is NaN or ±Infinity (or Σ|g| overflowed): a careful pass
   * over the finite entries, out of the common path. 0 · NaN is NaN: with a non-finite error the
   * blank inputs' entries need not be zeros, so every entry counts. Returns NaN when an entry was
   * not finite.
   */
  private addNonFiniteGradientStats(g: Vec, a: LayerAccumulator): number {
    const n = g.length;
    let s2 = 0;
    let s1 = 0;
    let max = 0;
    let zeros = 0;
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const v = g[i];
      const av = Math.abs(v);
      if (av < Infinity) {
        s2 += v * v;
        s1 += av;
        if (av > max) max = av;
        zeros += av === 0 ? 1 : 0;
      } else {
        bad++;
      }
    }
    a.gradRms += Math.sqrt(s2 / n);
    a.gradMeanAbs += s1 / n;
    if (max > a.gradMaxAbs) a.gradMaxAbs = max;
    a.zeros += zeros;
    a.entries += n;
    a.nonFinite += bad;
    return bad > 0 ? NaN : s2;
  }

  /** Applies the optimizer to one parameter array; returns ‖ΔW‖/‖W‖ when asked for it. */
  private applyStep(W: Vec, G: Vec, M: Vec, V: Vec, clipScale: number, decay: number, ratio: boolean): number {
    const r = this.stepSums;
    optimizerStep(this.opt, this.step, W, G, M, V, clipScale, decay, ratio ? 'ratio' : 'none', r);
    return ratio ? ratioOf(r[4], r[5]) : 0;
  }

  private layerStats(l: Layer, a: LayerAccumulator): LayerStats {
    const steps = Math.max(1, a.steps);
    const count = Math.max(1, a.pairs);
    const mean = a.fwd.sum / count;
    const variance = Math.max(0, a.fwd.sumSq / count - mean * mean);
    let alive = 0;
    for (let j = 0; j < l.units; j++) alive += a.bwd.alive[j];
    if (!this.stats) return emptyStats();
    return {
      gradRms: a.gradRms / steps,
      gradMeanAbs: a.gradMeanAbs / steps,
      gradMaxAbs: a.gradMaxAbs,
      deltaRms: a.deltaRms / steps,
      updateRatio: a.updateRatio / steps,
      weightRms: Math.sqrt(sumSq(l.W) / l.W.length),
      actMean: mean,
      actStd: Math.sqrt(variance),
      dead: 1 - alive / l.units,
      saturated: a.bwd.saturated / count,
      zeroGrad: a.entries > 0 ? a.zeros / a.entries : 0,
      nonFinite: a.nonFinite,
      biasGradNorm: a.biasGradNorm / steps,
    };
  }

  /**
   * The statistics of the gradient of the whole training set's mean loss at the current weights,
   * without a step: the batches of the first epoch, in the samples' order, each batch's gradient
   * weighted by its size (for networks without batch statistics, the full-batch gradient). Meant
   * before run(): nothing it touches outlives it but the batch buffers, which every step rewrites,
   * and batch norm's running statistics, which it puts back, so the run that follows is the same
   * bit for bit. Null with statistics off, or when cancelled.
   */
  initialRecord(): InitialRecord | null {
    if (!this.stats || this.epoch > 0) return null;
    const layers = this.net.layers;
    const running = layers.map((l) => (l.norm ? [l.norm.runningMean.slice(), l.norm.runningVar.slice()] : null));
    const record = this.initialPass();
    layers.forEach((l, k) => {
      const saved = running[k];
      if (l.norm && saved) {
        l.norm.runningMean.set(saved[0]);
        l.norm.runningVar.set(saved[1]);
      }
    });
    return record;
  }

  private initialPass(): InitialRecord | null {
    const { n } = this.data;
    const batch = this.net.batch;
    const layers = this.net.layers;
    const gW = layers.map((l) => new Float64Array(l.dW.length));
    const gb = layers.map((l) => new Float64Array(l.db.length));
    for (const a of this.acc) a.reset();
    let lossSum = 0;
    let correct = 0;
    let batches = 0;
    for (let start = 0; start < n; start += batch) {
      if (this.isCancelled()) return null;
      const nb = Math.min(batch, n - start);
      this.loadBatch(start, nb);
      this.forward(nb);
      const out = this.outputGradient(nb);
      this.backward(nb);
      lossSum += out.loss * nb;
      correct += out.correct;
      batches++;
      for (let k = 0; k < layers.length; k++) {
        const { dW, db } = layers[k];
        const w = gW[k];
        const b = gb[k];
        for (let i = 0; i < w.length; i++) w[i] += dW[i] * nb;
        for (let i = 0; i < b.length; i++) b[i] += db[i] * nb;
      }
    }
    const record: InitialRecord = {
      loss: lossSum / n,
      accuracy: this.classification ? correct / n : null,
      layers: layers.map((l, k) => {
        const a = this.acc[k];
        const w = gW[k];
        const b = gb[k];
        for (let i = 0; i < w.length; i++) w[i] /= n;
        let sb = 0;
        for (let i = 0; i < b.length; i++) {
          b[i] /= n;
          sb += b[i] * b[i];
        }
        // One "step" of the whole set's gradient; backward() added a deltaRms per batch.
        a.deltaRms /= batches;
        gradientSums(w, this.sums);
        const blank = k === 0 ? blankColumns(this.data.x, n, l.fanIn, this.blankScratch) * l.units : 0;
        this.addGradientStats(w, a, this.sums[0], this.sums[1], this.sums[2], this.sums[3], blank);
        a.biasGradNorm = Math.sqrt(sb);
        a.steps = 1;
        return this.layerStats(l, a);
      }),
    };
    for (const a of this.acc) a.reset();
    return record;
  }
}

/** Rows of one-hot targets T whose largest output in A is at the target's 1 (the first largest on ties). */
function argmaxCorrect(A: Vec, T: Vec, rows: number, K: number): number {
  let correct = 0;
  for (let r = 0, o = 0; r < rows; r++, o += K) {
    let arg = 0;
    for (let j = 1; j < K; j++) if (A[o + j] > A[o + arg]) arg = j;
    correct += T[o + arg] === 1 ? 1 : 0;
  }
  return correct;
}

/**
 * How many of the `cols` columns of the row-major X are 0 on each of its first `rows` rows. Row by
 * row over a shrinking list of the columns still blank, so X is read in its own order (a column at
 * a time strode a row's length between reads: a cache line per read on 784-pixel rows).
 */
function blankColumns(X: Vec, rows: number, cols: number, candidates: Int32Array): number {
  let left = 0;
  for (let j = 0; j < cols; j++) if (X[j] === 0) candidates[left++] = j;
  for (let r = 1, o = cols; r < rows && left > 0; r++, o += cols) {
    let kept = 0;
    for (let c = 0; c < left; c++) {
      const j = candidates[c];
      candidates[kept] = j;
      kept += +(X[o + j] === 0);
    }
    left = kept;
  }
  return left;
}

/** Y = X + A over n entries (a residual layer's output), with Σy and Σy² when asked. */
function residualAdd(X: Vec, A: Vec, Y: Vec, n: number, sums: ForwardSums | null): void {
  for (let i = 0; i < n; i++) Y[i] = X[i] + A[i];
  if (!sums) return;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const y = Y[i];
    s += y;
    s2 += y * y;
  }
  sums.sum += s;
  sums.sumSq += s2;
}

function addInto(G: Vec, R: Vec, n: number): void {
  for (let i = 0; i < n; i++) G[i] += R[i];
}

function copyInto(to: Vec, from: Vec, n: number): void {
  for (let i = 0; i < n; i++) to[i] = from[i];
}

/** ‖ΔW‖/‖W‖ from the squared norms. */
function ratioOf(dsq: number, wsq: number): number {
  if (wsq === 0) return dsq === 0 ? 0 : Infinity;
  return Math.sqrt(dsq / wsq);
}

/** Σv² over the first n entries (all by default). */
function sumSq(v: Vec, n = v.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i] * v[i];
  return s;
}

function emptyStats(): LayerStats {
  return {
    gradRms: 0,
    gradMeanAbs: 0,
    gradMaxAbs: 0,
    deltaRms: 0,
    updateRatio: 0,
    weightRms: 0,
    actMean: 0,
    actStd: 0,
    dead: 0,
    saturated: 0,
    zeroGrad: 0,
    nonFinite: 0,
    biasGradNorm: 0,
  };
}
