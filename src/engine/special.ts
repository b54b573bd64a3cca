// Special functions to full double precision, so gelu's value and derivative agree to the last digit
// a gradient check can see.

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;

/** erf by its Maclaurin series near 0 and the continued fraction of erfc in the tails. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Σ (−1)^n x^(2n+1) / (n! (2n+1)); terms fall below 1e-17 well before n = 60 for |x| < 2.5.
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return sum * 1.1283791670955126;
  }
  const c = erfcTail(ax);
  return x > 0 ? 1 - c : c - 1;
}

/** erfc(x) for x ≥ 2.5 by Lentz's evaluation of its continued fraction. */
function erfcTail(x: number): number {
  if (x > 27) return 0;
  // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  const tiny = 1e-300;
  let f = x;
  let C = x;
  let D = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    D = x + a * D;
    D = D === 0 ? tiny : 1 / D;
    C = x + a / C;
    if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * 1.772453850905516);
}

/** Standard normal CDF. */
export function phi(x: number): number {
  return 0.5 * (1 + erf(x * SQRT1_2));
}

/** Standard normal density. */
export function density(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}
