// The engine's matrix products and batched activation passes against naive loops. The kernels sum
// each output in a float64 local, in increasing order of the summed index (the bias first), exactly
// as the naive loops below do, so the results must agree to the last bit — in Float64Array and, as
// both round only the final sum, in Float32Array too.

import { strict as assert } from 'node:assert';
import { forwardProduct, gradientSums, inputGradientProduct, setSimdThreshold, weightGradientProduct } from '../../src/engine/kernels';
import { activation, backwardPass, derivativeAt, forwardPass, type Vec } from '../../src/engine/activations';
import type { Activation } from '../../src/engine/types';

const SIZES = [1, 3, 5, 7, 17];
const TYPES = [Float64Array, Float32Array] as const;

function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 31 - 1;
  };
}

function filled(T: (typeof TYPES)[number], n: number, next: () => number): Vec {
  const v = new T(n);
  for (let i = 0; i < n; i++) v[i] = next();
  return v;
}

/** Every output written: start the outputs as NaN. */
function nans(T: (typeof TYPES)[number], n: number): Vec {
  return new T(n).fill(NaN);
}

function assertSameBits(actual: Vec, expected: Vec, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) assert.fail(`${what}: entry ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

function eachShape(fn: (T: (typeof TYPES)[number], nb: number, k: number, m: number, next: () => number) => void): void {
  let seed = 1;
  for (const T of TYPES) for (const nb of SIZES) for (const k of SIZES) for (const m of SIZES) fn(T, nb, k, m, random(seed++));
}

const DEFAULT_SIMD_THRESHOLD = 8192;

for (const mode of ['scalar', 'simd'] as const)
  describe(`kernels (${mode}): the three products against naive triple loops, bit for bit`, () => {
    before(function () {
      const available = setSimdThreshold(mode === 'simd' ? 0 : Infinity);
      if (mode === 'simd' && !available) this.skip();
    });
    after(() => void setSimdThreshold(DEFAULT_SIMD_THRESHOLD));

    it('forwardProduct: Z = X·W + b', () => {
      eachShape((T, nb, k, m, next) => {
        const X = filled(T, nb * k, next),
          W = filled(T, k * m, next),
          b = filled(T, m, next);
        const Z = nans(T, nb * m);
        forwardProduct(X, W, b, Z, nb, k, m);
        const E = new T(nb * m);
        for (let i = 0; i < nb; i++) {
          for (let j = 0; j < m; j++) {
            let c = b[j];
            for (let p = 0; p < k; p++) c += X[i * k + p] * W[p * m + j];
            E[i * m + j] = c;
          }
        }
        assertSameBits(Z, E, `${T.name} forward nb=${nb} k=${k} m=${m}`);
      });
    });

    it('inputGradientProduct: G = D·Wᵀ', () => {
      eachShape((T, nb, k, m, next) => {
        const D = filled(T, nb * m, next),
          W = filled(T, k * m, next);
        const G = nans(T, nb * k);
        inputGradientProduct(D, W, G, nb, k, m);
        const E = new T(nb * k);
        for (let i = 0; i < nb; i++) {
          for (let p = 0; p < k; p++) {
            let c = 0;
            for (let j = 0; j < m; j++) c += D[i * m + j] * W[p * m + j];
            E[i * k + p] = c;
          }
        }
        assertSameBits(G, E, `${T.name} input gradient nb=${nb} k=${k} m=${m}`);
      });
    });

    it('weightGradientProduct: dW = scale·Xᵀ·D, db = scale·Σ_rows D, and returns Σdb² of db as stored', () => {
      eachShape((T, nb, k, m, next) => {
        const X = filled(T, nb * k, next),
          D = filled(T, nb * m, next);
        const dW = nans(T, k * m),
          db = nans(T, m);
        const scale = 1 / nb;
        const dbSq = weightGradientProduct(X, D, dW, db, nb, k, m, scale);
        const EW = new T(k * m),
          Eb = new T(m);
        for (let p = 0; p < k; p++) {
          for (let j = 0; j < m; j++) {
            let c = 0;
            for (let i = 0; i < nb; i++) c += X[i * k + p] * D[i * m + j];
            EW[p * m + j] = c * scale;
          }
        }
        for (let j = 0; j < m; j++) {
          let c = 0;
          for (let i = 0; i < nb; i++) c += D[i * m + j];
          Eb[j] = c * scale;
        }
        assertSameBits(dW, EW, `${T.name} weight gradient nb=${nb} k=${k} m=${m}`);
        assertSameBits(db, Eb, `${T.name} bias gradient nb=${nb} k=${k} m=${m}`);
        // The trainer's ‖∂L/∂b‖: the rounded entries' squares, summed in index order.
        let sq = 0;
        for (let j = 0; j < m; j++) sq += Eb[j] * Eb[j];
        assert.ok(Object.is(dbSq, sq), `${T.name} Σdb² nb=${nb} k=${k} m=${m}: ${dbSq} ≠ ${sq}`);
      });
    });

    it('handles arrays longer than the product (a last, short batch)', () => {
      const next = random(7);
      const nb = 5,
        k = 6,
        m = 9,
        capacity = 11;
      const X = filled(Float32Array, capacity * k, next),
        W = filled(Float32Array, k * m, next),
        b = filled(Float32Array, m, next);
      const D = filled(Float32Array, capacity * m, next);
      const Z = nans(Float32Array, capacity * m),
        G = nans(Float32Array, capacity * k),
        dW = nans(Float32Array, k * m),
        db = nans(Float32Array, m);
      forwardProduct(X, W, b, Z, nb, k, m);
      inputGradientProduct(D, W, G, nb, k, m);
      weightGradientProduct(X, D, dW, db, nb, k, m, 0.25);
      for (let i = nb * m; i < capacity * m; i++) assert.ok(Number.isNaN(Z[i]), 'rows past nb untouched');
      for (let i = 0; i < nb; i++) {
        for (let j = 0; j < m; j++) {
          let c = b[j];
          for (let p = 0; p < k; p++) c += X[i * k + p] * W[p * m + j];
          assert.ok(Object.is(Z[i * m + j], Math.fround(c)));
        }
        for (let p = 0; p < k; p++) {
          let c = 0;
          for (let j = 0; j < m; j++) c += D[i * m + j] * W[p * m + j];
          assert.ok(Object.is(G[i * k + p], Math.fround(c)));
        }
      }
      for (let p = 0; p < k; p++) {
        for (let j = 0; j < m; j++) {
          let c = 0;
          for (let i = 0; i < nb; i++) c += X[i * k + p] * D[i * m + j];
          assert.ok(Object.is(dW[p * m + j], Math.fround(c * 0.25)));
        }
      }
    });

    it('gradientSums: Σg², Σ|g|, max|g| and zeros in index order', () => {
      for (const T of TYPES) {
        for (const n of [1, 3, 17, 255, 256, 1000, 4099]) {
          const next = random(n);
          const g = filled(T, n, () => next() * 1e-3);
          for (let i = 0; i < n; i += 7) g[i] = i % 14 ? -0 : 0;
          const out = new Float64Array(4);
          gradientSums(g, out);
          let s2 = 0,
            s1 = 0,
            max = 0,
            zeros = 0;
          for (let i = 0; i < n; i++) {
            const v = g[i];
            s2 += v * v;
            s1 += Math.abs(v);
            if (Math.abs(v) > max) max = Math.abs(v);
            if (v === 0) zeros++;
          }
          assert.deepEqual([...out], [s2, s1, max, zeros], `${T.name} n=${n}`);
          g[n >> 1] = NaN;
          gradientSums(g, out);
          assert.ok(!(out[1] < Infinity), 'a NaN shows in Σ|g|');
        }
      }
    });

    it('keeps non-finite values where the naive loop has them', () => {
      const nb = 5,
        k = 7,
        m = 3;
      const next = random(99);
      const X = filled(Float64Array, nb * k, next),
        W = filled(Float64Array, k * m, next),
        b = filled(Float64Array, m, next);
      X[2 * k + 4] = NaN;
      W[1 * m + 2] = Infinity;
      const Z = nans(Float64Array, nb * m);
      forwardProduct(X, W, b, Z, nb, k, m);
      for (let i = 0; i < nb; i++) {
        for (let j = 0; j < m; j++) {
          let c = b[j];
          for (let p = 0; p < k; p++) c += X[i * k + p] * W[p * m + j];
          assert.ok(Object.is(Z[i * m + j], c), `entry ${i},${j}`);
        }
      }
    });
  });

describe('activation passes: the per-activation loops against the generic definition', () => {
  const acts: Activation[] = [
    { kind: 'linear' },
    { kind: 'sigmoid' },
    { kind: 'tanh' },
    { kind: 'relu' },
    { kind: 'leaky_relu', slope: 0.2 },
    { kind: 'elu', alpha: 1 },
    { kind: 'selu' },
    { kind: 'gelu' },
    { kind: 'silu' },
    { kind: 'softplus' },
    { kind: 'softsign' },
  ] as Activation[];
  const saturating = new Set(['sigmoid', 'tanh', 'softsign']);
  const maxDerivative: Record<string, number> = { sigmoid: 0.25, tanh: 1, softsign: 1 };

  for (const act of acts) {
    it(`${act.kind}: backwardPass with statistics = D·f′(z) with Σδ², saturation and alive units`, () => {
      for (const T of TYPES) {
        for (const [rows, cols] of [
          [1, 1],
          [3, 5],
          [7, 17],
        ]) {
          const next = random(rows * 31 + cols);
          const n = rows * cols;
          const Z = filled(T, n, () => next() * 6);
          Z[0] = 0;
          if (n > 2) Z[2] = -0;
          const A = new T(n);
          forwardPass(act, Z, A, rows, cols, null);
          const D0 = filled(T, n, next);
          const D = new T(n);
          D.set(D0);
          const sums = { deltaSq: 0, saturated: 0, alive: new Uint8Array(cols) };
          backwardPass(act, Z, A, D, rows, cols, sums);
          // The generic definition, in the same order.
          const E = new T(n);
          let dsq = 0;
          let sat = 0;
          const alive = new Uint8Array(cols);
          const limit = 0.05 * (maxDerivative[act.kind] ?? 1);
          for (let r = 0; r < rows; r++) {
            for (let j = 0; j < cols; j++) {
              const i = r * cols + j;
              const d = derivativeAt(act, Z[i], A[i]);
              const v = D0[i] * d;
              E[i] = v;
              dsq += v * v;
              if (d !== 0) alive[j] = 1;
              if (saturating.has(act.kind) && d < limit) sat++;
            }
          }
          assertSameBits(D, E, `${T.name} ${act.kind} ${rows}×${cols}`);
          assert.ok(Object.is(sums.deltaSq, dsq), `${act.kind} Σδ² ${sums.deltaSq} vs ${dsq}`);
          assert.equal(sums.saturated, sat, `${act.kind} saturated`);
          assert.deepEqual([...sums.alive], [...alive], `${act.kind} alive`);
        }
      }
    });
  }

  for (const kind of ['sigmoid', 'tanh'] as const) {
    it(`${kind}: backwardPass also sums the forward pass's Σa and Σa² when given them, and finds dead columns where f′ is exactly 0`, () => {
      const act = { kind } as Activation;
      for (const T of TYPES) {
        for (const flatAt of [[], [0, 3, 6, 9], [1, 4, 7, 10, 2]]) {
          const rows = 4,
            cols = 3,
            n = rows * cols;
          const next = random(7 + flatAt.length);
          const Z = filled(T, n, () => next() * 4);
          // Column 0 (i = 0, 3, 6, 9) saturates on every row, so its unit is dead; 1 on some rows.
          for (const i of flatAt) Z[i] = i % 2 ? -800 : 800;
          const A = new T(n);
          forwardPass(act, Z, A, rows, cols, null);
          const D0 = filled(T, n, next);
          const D = new T(n);
          D.set(D0);
          const sums = { deltaSq: 0, saturated: 0, alive: new Uint8Array(cols) };
          const fwd = { sum: 0.5, sumSq: 0.25 };
          backwardPass(act, Z, A, D, rows, cols, sums, fwd);
          const alive = new Uint8Array(cols);
          let s = 0,
            s2 = 0,
            dsq = 0;
          for (let i = 0; i < n; i++) {
            s += A[i];
            s2 += A[i] * A[i];
            const d = derivativeAt(act, Z[i], A[i]);
            const v = D0[i] * d;
            dsq += v * v;
            if (d !== 0) alive[i % cols] = 1;
          }
          assert.ok(Object.is(fwd.sum, 0.5 + s) && Object.is(fwd.sumSq, 0.25 + s2), `${T.name} ${kind} forward sums`);
          assert.ok(Object.is(sums.deltaSq, dsq), `${T.name} ${kind} Σδ²`);
          assert.deepEqual([...sums.alive], [...alive], `${T.name} ${kind} alive`);
          if (flatAt.length === 4) assert.equal(alive[0], 0, 'column 0 is dead');
        }
      }
    });
  }

  const specialZ = [0, -0, 1e-30, -1e-30, 50, -50, 800, -800, Infinity, -Infinity, NaN];
  for (const act of acts.filter((a) => ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu'].includes(a.kind))) {
    it(`${act.kind}: forwardPass = f(z) entry by entry, with Σa and Σa², also at ±0, extremes and non-finite z`, () => {
      for (const T of TYPES) {
        const next = random(5);
        const Z = filled(T, 7 * 9, () => next() * 8);
        specialZ.forEach((z, i) => (Z[i * 3] = z));
        const A = nans(T, Z.length);
        const sums = { sum: 0, sumSq: 0 };
        forwardPass(act, Z, A, 7, 9, sums);
        const E = new T(Z.length);
        let s = 0,
          s2 = 0;
        for (let i = 0; i < Z.length; i++) {
          E[i] = activation(act, Z[i]);
          s += E[i];
          s2 += E[i] * E[i];
        }
        assertSameBits(A, E, `${T.name} ${act.kind} forward`);
        assert.ok(Object.is(sums.sum, s) && Object.is(sums.sumSq, s2), `${act.kind} sums`);
      }
    });

    it(`${act.kind}: backwardPass without statistics = D·f′(z), zeroing where relu is off`, () => {
      for (const T of TYPES) {
        const next = random(6);
        const Z = filled(T, 5 * 6, () => next() * 4);
        specialZ.forEach((z, i) => (Z[i * 2] = z));
        const A = new T(Z.length);
        forwardPass(act, Z, A, 5, 6, null);
        const D = filled(T, Z.length, next);
        const E = new T(Z.length);
        for (let i = 0; i < Z.length; i++) {
          const z = Z[i];
          const a = A[i];
          // The definition the engine had before its branch-free loops.
          E[i] =
            act.kind === 'relu'
              ? z > 0
                ? D[i]
                : 0
              : act.kind === 'leaky_relu'
                ? z > 0
                  ? D[i]
                  : D[i] * act.slope
                : act.kind === 'linear'
                  ? D[i]
                  : D[i] * derivativeAt(act, z, a);
        }
        backwardPass(act, Z, A, D, 5, 6, null);
        assertSameBits(D, E, `${T.name} ${act.kind} backward`);
      }
    });
  }
});
