// The gradient check: analytic ∂L/∂W (and ∂L/∂γ, ∂L/∂β of a normalized layer) from backprop against
// central differences of the loss, in float64 on one small batch.

import type { Dataset, Spec } from './types';
import type { Vec } from './activations';
import { Trainer } from './train';

export interface GradcheckLayer {
  readonly layer: number;
  readonly line: number;
  readonly checked: number;
  /**
   * Worst |analytic − numeric| / max(|analytic|, |numeric|, floor) over the checked parameters, the
   * floor being the larger of GRADCHECK_SCALE × the largest |analytic| of the same array (W, γ or β)
   * and the stencil's resolution over GRADCHECK_LIMIT.
   */
  readonly worstRelativeError: number;
}

/** A layer whose worst error is above this fails the check. */
export const GRADCHECK_LIMIT = 1e-6;

/**
 * Below this share of the largest gradient of its array, an entry is judged by its absolute error
 * against that share. The numeric derivative carries an absolute error independent of the entry's
 * size, so an entry 1e-7..1e-13 of the array's largest has a relative error that is pure noise; a
 * wrong derivative is off by the order of the largest entries.
 */
export const GRADCHECK_SCALE = 1e-3;

/**
 * The stencil's resolution is this many ε·|L|/h: the loss is a sum over the batch's samples and
 * outputs, rounded a few dozen ulps, and the stencil divides that by h. Where a whole layer's
 * gradient is that small (a vanishing layer's), its entries are judged by absolute error against it.
 */
const ROUNDING_ULPS = 100;

export interface GradcheckOptions {
  readonly batch?: number;
  /** At most this many weights per layer, evenly spaced, are checked. */
  readonly maxPerLayer?: number;
  readonly step?: number;
}

export function gradcheck(spec: Spec, data: Dataset, options: GradcheckOptions = {}): GradcheckLayer[] {
  const batch = Math.min(options.batch ?? 8, data.n);
  // A five-point stencil with a larger step: its O(h⁴) truncation error is negligible and its
  // rounding error (≈ ε·L/h) is a hundred times smaller than a plain central difference at h = 1e-6.
  const h = options.step ?? 1e-4;
  const f64: Spec = { ...spec, train: { ...spec.train, precision: 'float64', batch, shuffle: false } };
  const t = new Trainer(f64, data, { statistics: false });
  const loss = (): number => {
    t.forward(batch);
    return t.outputGradient(batch).loss;
  };
  t.loadBatch(0, batch);
  const resolution = (ROUNDING_ULPS * Number.EPSILON * Math.abs(loss())) / h;
  t.backward(batch);
  const layers = t.net.layers;
  const max = options.maxPerLayer ?? 64;
  // Each parameter array with a copy of its analytic gradient, taken before any is perturbed.
  const groups = layers.map((l) => {
    const g: { P: Vec; G: Float64Array }[] = [{ P: l.W, G: Float64Array.from(l.dW) }];
    if (l.norm) g.push({ P: l.norm.gamma, G: Float64Array.from(l.norm.dGamma) }, { P: l.norm.beta, G: Float64Array.from(l.norm.dBeta) });
    return g;
  });
  return layers.map((l, k) => {
    let worst = 0;
    let checked = 0;
    for (const { P, G } of groups[k]) {
      const n = P.length;
      let largest = 0;
      for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(G[i]));
      const floor = Math.max(GRADCHECK_SCALE * largest, resolution / GRADCHECK_LIMIT, 1e-10);
      const stride = Math.max(1, Math.floor(n / max));
      for (let i = 0; i < n; i += stride) {
        const w = P[i];
        const at = (v: number): number => {
          P[i] = v;
          return loss();
        };
        const numeric = (8 * (at(w + h) - at(w - h)) - (at(w + 2 * h) - at(w - 2 * h))) / (12 * h);
        P[i] = w;
        const a = G[i];
        const denom = Math.max(Math.abs(a), Math.abs(numeric), floor);
        worst = Math.max(worst, Math.abs(a - numeric) / denom);
        checked++;
      }
    }
    return { layer: k, line: l.spec.line, checked, worstRelativeError: worst };
  });
}
