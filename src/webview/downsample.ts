// Long runs have more epochs than the heatmap has pixels, and deep ones more layers than it has
// pixel rows. Epochs (and layers) are grouped into equal buckets and each bucket shows one
// aggregate; nothing is ever dropped, so a single exploding epoch still colours its bucket.

import { arithmeticMean, geoMean, meanAcross } from '../shared/numbers';

export type Aggregation = 'log' | 'linear';

/** Smallest bucket size that fits `total` epochs into `maxColumns` columns. */
export function bucketSize(total: number, maxColumns: number): number {
  if (!(total > 0) || !(maxColumns >= 1)) return 1;
  return Math.max(1, Math.ceil(total / Math.floor(maxColumns)));
}

/** How many columns a plot of this width can show with cells at least `minCellPx` wide. */
export function maxColumnsFor(plotWidthPx: number, minCellPx = 3): number {
  return Math.max(1, Math.floor(plotWidthPx / minCellPx));
}

/**
 * Aggregates values[from..to) (the heatmap's cells, src/webview/heatmapGrid.ts).
 * - 'log' (magnitudes spanning decades): the geometric mean of src/shared/numbers.ts, over the
 *   positive values (0 when every value is zero).
 * - 'linear' (fractions): the arithmetic mean, from the same module.
 * Either way a NaN anywhere gives NaN and an infinity gives Infinity: a non-finite gradient must
 * never be averaged away, it is the thing the user is looking for. An empty range gives NaN.
 */
export function aggregate(values: ArrayLike<number>, mode: Aggregation, from = 0, to = values.length): number {
  return mode === 'log' ? geoMean(values, from, to) : arithmeticMean(values, from, to);
}

/** `aggregate` over the range [from, to) of columns c0..c1 laid end to end (a heatmap cell of several layers), without copying them: the same number to the bit. */
export function aggregateAcross(
  columns: readonly (ArrayLike<number> | undefined)[],
  mode: Aggregation,
  c0: number,
  c1: number,
  from: number,
  to: number,
): number {
  return meanAcross(columns, c0, c1, from, to, mode === 'log');
}
