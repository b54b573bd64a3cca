// Long runs have more epochs than the heatmap has pixels. Epochs are grouped into equal buckets
// and each bucket shows one aggregate; nothing is ever dropped, so a single exploding epoch still
// colours its bucket.

import { geoMean } from '../shared/numbers';

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
 * Aggregates one value.
 * - 'log' (magnitudes spanning decades): the geometric mean of src/shared/numbers.ts, over the
 *   positive values (0 when every value is zero).
 * - 'linear' (fractions): the arithmetic mean.
 * Either way a NaN anywhere gives NaN and an infinity gives Infinity: a non-finite gradient must
 * never be averaged away, it is the thing the user is looking for.
 */
export function aggregate(values: readonly number[], mode: Aggregation): number {
  if (mode === 'log') return geoMean(values);
  if (values.length === 0) return NaN;
  let sum = 0;
  let infinite = false;
  for (const v of values) {
    if (Number.isNaN(v)) return NaN;
    if (v === Infinity || v === -Infinity) infinite = true;
    else sum += v;
  }
  return infinite ? Infinity : sum / values.length;
}

export interface Bucket {
  /** First index into the input, inclusive. */
  readonly from: number;
  /** Last index into the input, exclusive. */
  readonly to: number;
  readonly value: number;
}

/** Buckets of `size` consecutive values; the last bucket holds the remainder (never truncated). */
export function downsample(values: readonly number[], size: number, mode: Aggregation): Bucket[] {
  const step = Math.max(1, Math.floor(size));
  const out: Bucket[] = [];
  for (let from = 0; from < values.length; from += step) {
    const to = Math.min(values.length, from + step);
    out.push({ from, to, value: aggregate(values.slice(from, to), mode) });
  }
  return out;
}
