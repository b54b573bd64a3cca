// Fixed bins of log10|∂L/∂W|, the same for every layer and epoch so that epochs compare.

export const HISTOGRAM = {
  /** Lower edge of the first bin; values below fall into it. */
  min: -12,
  /** Upper edge of the last bin; values above fall into it. */
  max: 4,
  bins: 32,
} as const;

const WIDTH = (HISTOGRAM.max - HISTOGRAM.min) / HISTOGRAM.bins;

/** Bin of a non-zero, finite magnitude. */
export function binOf(absValue: number): number {
  const k = Math.floor((Math.log10(absValue) - HISTOGRAM.min) / WIDTH);
  return k < 0 ? 0 : k >= HISTOGRAM.bins ? HISTOGRAM.bins - 1 : k;
}

/** Counts of the non-zero, finite entries of `g` in the fixed bins. */
export function histogramOf(g: ArrayLike<number>): number[] {
  const counts = new Array<number>(HISTOGRAM.bins).fill(0);
  for (let i = 0; i < g.length; i++) {
    const a = Math.abs(g[i]);
    if (a > 0 && a < Infinity) counts[binOf(a)]++;
  }
  return counts;
}

export function binEdges(k: number): [number, number] {
  return [HISTOGRAM.min + k * WIDTH, HISTOGRAM.min + (k + 1) * WIDTH];
}
