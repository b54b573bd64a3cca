// The number helpers every layer needs: the geometric mean that summarises a gradient over
// epochs (and its arithmetic sibling for fractions), and the short form of a number in prose. One
// of each, so a hover, a finding's message, the CLI and the panel never disagree about the same value.

/**
 * Geometric mean of values[from..to) (the mean of log10 over the positive values, so a series
 * spanning decades is summarised as a gradient is read: by its order of magnitude).
 *
 * The one treatment of what has no logarithm:
 * - exact zeros (and negatives) are left out of the mean; a range with no positive value gives 0;
 * - a NaN anywhere gives NaN, else an infinity anywhere gives Infinity: a non-finite gradient is
 *   the thing the user is looking for and must never be averaged away;
 * - an empty range gives NaN (there is nothing to summarise).
 */
export function geoMean(values: ArrayLike<number>, from = 0, to = values.length): number {
  return meanOf(values, from, to, true);
}

/** Arithmetic mean of values[from..to), with geoMean's treatment of NaN, infinities and an empty range (fractions on the panel). */
export function arithmeticMean(values: ArrayLike<number>, from = 0, to = values.length): number {
  return meanOf(values, from, to, false);
}

/**
 * geoMean (log) or arithmeticMean over the same range of columns c0..c1, as if those ranges were laid
 * end to end column after column: a heatmap cell of several layers, summarised without copying its
 * values. The same additions in the same order as meanOf over the laid-out values, so the same
 * number to the bit; a missing column counts as NaN.
 */
export function meanAcross(columns: readonly (ArrayLike<number> | undefined)[], c0: number, c1: number, from: number, to: number, log: boolean): number {
  if (to <= from || c1 <= c0) return NaN;
  sum = 0;
  n = 0;
  infinite = false;
  for (let c = c0; c < c1; c++) {
    const values = columns[c];
    if (!values || !add(values, from, to, log)) return NaN;
  }
  return result(log);
}

function meanOf(values: ArrayLike<number>, from: number, to: number, log: boolean): number {
  if (to <= from) return NaN;
  sum = 0;
  n = 0;
  infinite = false;
  return add(values, from, to, log) ? result(log) : NaN;
}

// The running mean of meanOf and meanAcross (module state rather than an object per call: the
// heatmap takes hundreds of thousands of means per draw).
let sum = 0;
let n = 0;
let infinite = false;

/** Adds values[from..to) to the running mean; false at a NaN (the mean is NaN, whatever follows). */
function add(values: ArrayLike<number>, from: number, to: number, log: boolean): boolean {
  // Locals in the loop, written back once: a module variable per value would be a memory write each.
  let s = sum;
  let k = n;
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) return false;
    if (v === Infinity || v === -Infinity) infinite = true;
    else if (!log) {
      s += v;
      k++;
    } else if (v > 0) {
      s += Math.log10(v);
      k++;
    }
  }
  sum = s;
  n = k;
  return true;
}

function result(log: boolean): number {
  if (infinite) return Infinity;
  if (!log) return sum / n;
  return n === 0 ? 0 : 10 ** (sum / n);
}

/**
 * A number for prose (messages, hovers, the CLI): 3 significant digits as a plain decimal from
 * 0.001 up to 10,000, else scientific with 2 (1.5e-5, 1.2e5); non-finite values as JavaScript
 * writes them (NaN, Infinity).
 */
export function sci(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(3)));
  return v.toExponential(1).replace('e+', 'e');
}
