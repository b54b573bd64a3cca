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
  clearMeans(one, 1);
  for (let c = c0; c < c1; c++) {
    const values = columns[c];
    if (!values) return NaN;
    addToMean(one, 0, values, from, to, log);
  }
  return meanResult(one, 0, log);
}

function meanOf(values: ArrayLike<number>, from: number, to: number, log: boolean): number {
  if (to <= from) return NaN;
  clearMeans(one, 1);
  addToMean(one, 0, values, from, to, log);
  return meanResult(one, 0, log);
}

/**
 * Running means, one per slot: the sum and count of the values taken so far, and whether an
 * infinity or a NaN was seen. meanOf and meanAcross keep one; the panel's heatmap grid keeps one per
 * cell of a row, and feeds each layer's column into them (typed arrays rather than an object per
 * mean: the heatmap takes hundreds of thousands of means per draw).
 */
export interface RunningMeans {
  readonly sum: Float64Array;
  readonly count: Float64Array;
  /** SEEN_INFINITY, SEEN_NAN (the mean is NaN, whatever else), or 0. */
  readonly seen: Uint8Array;
}

const SEEN_INFINITY = 1;
const SEEN_NAN = 2;

export function runningMeans(slots: number): RunningMeans {
  return { sum: new Float64Array(slots), count: new Float64Array(slots), seen: new Uint8Array(slots) };
}

/** Empties slots 0..n. */
export function clearMeans(m: RunningMeans, n: number): void {
  m.sum.fill(0, 0, n);
  m.count.fill(0, 0, n);
  m.seen.fill(0, 0, n);
}

/** Adds values[from..to) to slot j's mean: the positive values' log10 (log) or every value; at a NaN it stops, the mean being NaN. */
export function addToMean(m: RunningMeans, j: number, values: ArrayLike<number>, from: number, to: number, log: boolean): void {
  if (m.seen[j] === SEEN_NAN) return;
  // Locals in the loop, written back once: a typed array element per value would be a memory write each.
  let s = m.sum[j] as number;
  let k = m.count[j] as number;
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    if (v !== v) {
      m.seen[j] = SEEN_NAN;
      return;
    }
    if (v === Infinity || v === -Infinity) m.seen[j] = SEEN_INFINITY;
    else if (!log) {
      s += v;
      k++;
    } else if (v > 0) {
      s += Math.log10(v);
      k++;
    }
  }
  m.sum[j] = s;
  m.count[j] = k;
}

/** Slot j's mean: NaN after a NaN, else Infinity after an infinity, else the (geometric) mean; 0 for a log mean of no positive value. */
export function meanResult(m: RunningMeans, j: number, log: boolean): number {
  const seen = m.seen[j];
  if (seen === SEEN_NAN) return NaN;
  if (seen === SEEN_INFINITY) return Infinity;
  const s = m.sum[j] as number;
  const k = m.count[j] as number;
  if (!log) return s / k;
  return k === 0 ? 0 : 10 ** (s / k);
}

const one = runningMeans(1);

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
