// The three matrix products of a dense layer, register-blocked: the inner loop keeps a 3×4 tile of
// outputs in locals (12 accumulators, with the 3 + 4 operands loaded per step that is as many
// values as x64 has float registers, so nothing spills), and every value loaded from memory is used
// three or four times. All matrices are row-major; W is [fanIn × units], so a row of W holds one
// input's weights to every unit.
//
// Every output is one sum accumulated in a float64 local, in increasing order of the summed index
// (the bias first in the forward product), and written once: the tiles and the edges (the rows
// and columns the tiles leave over) compute exactly the same sums, in the same order, as the naive
// triple loop — in float64 bit for bit. With Float32Array buffers only the final value is rounded.

import type { Vec } from './activations';
import { simd } from './simd';

/**
 * Products of at least this many multiply-adds go to the WebAssembly SIMD kernel (simd.ts), which
 * gives the same numbers bit for bit; smaller ones stay here, where copying in and out would cost
 * more than it saves.
 */
let simdMinWork = 8192;

/** For tests and benchmarks: the size from which products use SIMD (Infinity: never, 0: always). Returns whether SIMD is available. */
export function setSimdThreshold(work: number): boolean {
  simdMinWork = work;
  return simd !== null;
}

/** Z[nb×m] = X[nb×k] · W[k×m] + b (bias broadcast over rows). */
export function forwardProduct(X: Vec, W: Vec, b: Vec, Z: Vec, nb: number, k: number, m: number): void {
  if (simd && nb * k * m >= simdMinWork) return simd.product(X, false, W, false, b, Z, nb, k, m, 1);
  const m4 = m - (m % 4);
  let i = 0;
  for (; i + 3 <= nb; i += 3) {
    const x0 = i * k,
      x1 = x0 + k,
      x2 = x1 + k;
    const z0 = i * m,
      z1 = z0 + m,
      z2 = z1 + m;
    for (let j = 0; j < m4; j += 4) {
      const b0 = b[j],
        b1 = b[j + 1],
        b2 = b[j + 2],
        b3 = b[j + 3];
      let c00 = b0,
        c01 = b1,
        c02 = b2,
        c03 = b3;
      let c10 = b0,
        c11 = b1,
        c12 = b2,
        c13 = b3;
      let c20 = b0,
        c21 = b1,
        c22 = b2,
        c23 = b3;
      for (let p = 0, w = j; p < k; p++, w += m) {
        const w0 = W[w],
          w1 = W[w + 1],
          w2 = W[w + 2],
          w3 = W[w + 3];
        const a0 = X[x0 + p];
        c00 += a0 * w0;
        c01 += a0 * w1;
        c02 += a0 * w2;
        c03 += a0 * w3;
        const a1 = X[x1 + p];
        c10 += a1 * w0;
        c11 += a1 * w1;
        c12 += a1 * w2;
        c13 += a1 * w3;
        const a2 = X[x2 + p];
        c20 += a2 * w0;
        c21 += a2 * w1;
        c22 += a2 * w2;
        c23 += a2 * w3;
      }
      Z[z0 + j] = c00;
      Z[z0 + j + 1] = c01;
      Z[z0 + j + 2] = c02;
      Z[z0 + j + 3] = c03;
      Z[z1 + j] = c10;
      Z[z1 + j + 1] = c11;
      Z[z1 + j + 2] = c12;
      Z[z1 + j + 3] = c13;
      Z[z2 + j] = c20;
      Z[z2 + j + 1] = c21;
      Z[z2 + j + 2] = c22;
      Z[z2 + j + 3] = c23;
    }
    // Edge columns m4..m of these three rows.
    for (let j = m4; j < m; j++) {
      let c0 = b[j],
        c1 = c0,
        c2 = c0;
      for (let p = 0, w = j; p < k; p++, w += m) {
        const v = W[w];
        c0 += X[x0 + p] * v;
        c1 += X[x1 + p] * v;
        c2 += X[x2 + p] * v;
      }
      Z[z0 + j] = c0;
      Z[z1 + j] = c1;
      Z[z2 + j] = c2;
    }
  }
  // Edge rows, one at a time, four columns at a time.
  for (; i < nb; i++) {
    const x0 = i * k;
    const z0 = i * m;
    let j = 0;
    for (; j < m4; j += 4) {
      let c0 = b[j],
        c1 = b[j + 1],
        c2 = b[j + 2],
        c3 = b[j + 3];
      for (let p = 0, w = j; p < k; p++, w += m) {
        const a = X[x0 + p];
        c0 += a * W[w];
        c1 += a * W[w + 1];
        c2 += a * W[w + 2];
        c3 += a * W[w + 3];
      }
      Z[z0 + j] = c0;
      Z[z0 + j + 1] = c1;
      Z[z0 + j + 2] = c2;
      Z[z0 + j + 3] = c3;
    }
    for (; j < m; j++) {
      let c = b[j];
      for (let p = 0, w = j; p < k; p++, w += m) c += X[x0 + p] * W[w];
      Z[z0 + j] = c;
    }
  }
}

/** G[nb×k] = D[nb×m] · Wᵀ, the gradient flowing to the layer's input. */
export function inputGradientProduct(D: Vec, W: Vec, G: Vec, nb: number, k: number, m: number): void {
  if (simd && nb * k * m >= simdMinWork) return simd.product(D, false, W, true, null, G, nb, m, k, 1);
  const k4 = k - (k % 4);
  let i = 0;
  for (; i + 3 <= nb; i += 3) {
    const d0 = i * m,
      d1 = d0 + m,
      d2 = d1 + m;
    const g0 = i * k,
      g1 = g0 + k,
      g2 = g1 + k;
    for (let p = 0; p < k4; p += 4) {
      const w0 = p * m,
        w1 = w0 + m,
        w2 = w1 + m,
        w3 = w2 + m;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      for (let j = 0; j < m; j++) {
        const v0 = W[w0 + j],
          v1 = W[w1 + j],
          v2 = W[w2 + j],
          v3 = W[w3 + j];
        const e0 = D[d0 + j];
        c00 += e0 * v0;
        c01 += e0 * v1;
        c02 += e0 * v2;
        c03 += e0 * v3;
        const e1 = D[d1 + j];
        c10 += e1 * v0;
        c11 += e1 * v1;
        c12 += e1 * v2;
        c13 += e1 * v3;
        const e2 = D[d2 + j];
        c20 += e2 * v0;
        c21 += e2 * v1;
        c22 += e2 * v2;
        c23 += e2 * v3;
      }
      G[g0 + p] = c00;
      G[g0 + p + 1] = c01;
      G[g0 + p + 2] = c02;
      G[g0 + p + 3] = c03;
      G[g1 + p] = c10;
      G[g1 + p + 1] = c11;
      G[g1 + p + 2] = c12;
      G[g1 + p + 3] = c13;
      G[g2 + p] = c20;
      G[g2 + p + 1] = c21;
      G[g2 + p + 2] = c22;
      G[g2 + p + 3] = c23;
    }
    for (let p = k4; p < k; p++) {
      const w0 = p * m;
      let c0 = 0,
        c1 = 0,
        c2 = 0;
      for (let j = 0; j < m; j++) {
        const v = W[w0 + j];
        c0 += D[d0 + j] * v;
        c1 += D[d1 + j] * v;
        c2 += D[d2 + j] * v;
      }
      G[g0 + p] = c0;
      G[g1 + p] = c1;
      G[g2 + p] = c2;
    }
  }
  for (; i < nb; i++) {
    const d0 = i * m;
    const g0 = i * k;
    let p = 0;
    for (; p < k4; p += 4) {
      const w0 = p * m,
        w1 = w0 + m,
        w2 = w1 + m,
        w3 = w2 + m;
      let c0 = 0,
        c1 = 0,
        c2 = 0,
        c3 = 0;
      for (let j = 0; j < m; j++) {
        const e = D[d0 + j];
        c0 += e * W[w0 + j];
        c1 += e * W[w1 + j];
        c2 += e * W[w2 + j];
        c3 += e * W[w3 + j];
      }
      G[g0 + p] = c0;
      G[g0 + p + 1] = c1;
      G[g0 + p + 2] = c2;
      G[g0 + p + 3] = c3;
    }
    for (; p < k; p++) {
      const w0 = p * m;
      let c = 0;
      for (let j = 0; j < m; j++) c += D[d0 + j] * W[w0 + j];
      G[g0 + p] = c;
    }
  }
}

/** dW[k×m] = scale · Xᵀ[k×nb] · D[nb×m] and db[m] = scale · Σ_rows D: the weight and bias gradients. */
export function weightGradientProduct(X: Vec, D: Vec, dW: Vec, db: Vec, nb: number, k: number, m: number, scale: number): number {
  if (simd && nb * k * m >= simdMinWork) {
    simd.product(X, true, D, false, null, dW, k, nb, m, scale);
    return biasGradient(D, db, nb, m, scale);
  }
  const m4 = m - (m % 4);
  let p = 0;
  for (; p + 3 <= k; p += 3) {
    const o0 = p * m,
      o1 = o0 + m,
      o2 = o1 + m;
    for (let j = 0; j < m4; j += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      for (let i = 0, x = p, d = j; i < nb; i++, x += k, d += m) {
        const e0 = D[d],
          e1 = D[d + 1],
          e2 = D[d + 2],
          e3 = D[d + 3];
        const a0 = X[x];
        c00 += a0 * e0;
        c01 += a0 * e1;
        c02 += a0 * e2;
        c03 += a0 * e3;
        const a1 = X[x + 1];
        c10 += a1 * e0;
        c11 += a1 * e1;
        c12 += a1 * e2;
        c13 += a1 * e3;
        const a2 = X[x + 2];
        c20 += a2 * e0;
        c21 += a2 * e1;
        c22 += a2 * e2;
        c23 += a2 * e3;
      }
      dW[o0 + j] = c00 * scale;
      dW[o0 + j + 1] = c01 * scale;
      dW[o0 + j + 2] = c02 * scale;
      dW[o0 + j + 3] = c03 * scale;
      dW[o1 + j] = c10 * scale;
      dW[o1 + j + 1] = c11 * scale;
      dW[o1 + j + 2] = c12 * scale;
      dW[o1 + j + 3] = c13 * scale;
      dW[o2 + j] = c20 * scale;
      dW[o2 + j + 1] = c21 * scale;
      dW[o2 + j + 2] = c22 * scale;
      dW[o2 + j + 3] = c23 * scale;
    }
    for (let j = m4; j < m; j++) {
      let c0 = 0,
        c1 = 0,
        c2 = 0;
      for (let i = 0, x = p, d = j; i < nb; i++, x += k, d += m) {
        const e = D[d];
        c0 += X[x] * e;
        c1 += X[x + 1] * e;
        c2 += X[x + 2] * e;
      }
      dW[o0 + j] = c0 * scale;
      dW[o1 + j] = c1 * scale;
      dW[o2 + j] = c2 * scale;
    }
  }
  for (; p < k; p++) {
    const o = p * m;
    let j = 0;
    for (; j < m4; j += 4) {
      let c0 = 0,
        c1 = 0,
        c2 = 0,
        c3 = 0;
      for (let i = 0, x = p, d = j; i < nb; i++, x += k, d += m) {
        const a = X[x];
        c0 += a * D[d];
        c1 += a * D[d + 1];
        c2 += a * D[d + 2];
        c3 += a * D[d + 3];
      }
      dW[o + j] = c0 * scale;
      dW[o + j + 1] = c1 * scale;
      dW[o + j + 2] = c2 * scale;
      dW[o + j + 3] = c3 * scale;
    }
    for (; j < m; j++) {
      let c = 0;
      for (let i = 0, x = p, d = j; i < nb; i++, x += k, d += m) c += X[x] * D[d];
      dW[o + j] = c * scale;
    }
  }
  return biasGradient(D, db, nb, m, scale);
}

/** db[m] = scale · Σ_rows D; returns Σdb² (of db as stored, in index order). */
function biasGradient(D: Vec, db: Vec, nb: number, m: number, scale: number): number {
  let sq = 0;
  for (let j = 0; j < m; j++) {
    let c = 0;
    for (let i = 0, d = j; i < nb; i++, d += m) c += D[d];
    db[j] = c * scale;
    const b = db[j];
    sq += b * b;
  }
  return sq;
}

/**
 * Σg², Σ|g|, max|g| and the count of exact zeros of `g`, summed in index order, into out[0..3]:
 * the weight gradient's statistics. Every entry is taken as finite; a NaN or ±Infinity shows as a
 * non-finite Σ|g|, and the caller then makes its careful pass. Long arrays go to WebAssembly
 * (the same sums, bit for bit, at a fraction of the cost).
 */
export function gradientSums(g: Vec, out: Float64Array): void {
  const n = g.length;
  if (simd && n >= simdMinSums) return simd.gradientSums(g, out);
  let s2 = 0;
  let s1 = 0;
  let max = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    const v = g[i];
    // Math.abs, not a test of the sign: half the gradients are negative, so that branch would be
    // mispredicted half the time.
    const av = Math.abs(v);
    s2 += v * v;
    s1 += av;
    if (av > max) max = av;
    zeros += av === 0 ? 1 : 0;
  }
  out[0] = s2;
  out[1] = s1;
  out[2] = max;
  out[3] = zeros;
}

/** Gradients of at least this many entries have their statistics summed in WebAssembly. */
const simdMinSums = 256;
