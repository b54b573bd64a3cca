// A sparkline of a series in unicode block characters, for hovers. Gradients span decades, so the
// default scale is log10; fractions (dead, saturated) use a linear scale. Pure: no vscode.

import { geoMean } from '../../shared/numbers';

const BLOCKS = '▁▂▃▄▅▆▇█';

export interface SparklineOptions {
  readonly scale?: 'log' | 'linear';
  /** At most this many characters; longer series are averaged into buckets. */
  readonly width?: number;
  /** The values drawn as the lowest and the highest block (default: the series' own range), so several series share a scale. */
  readonly domain?: readonly [number, number];
}

/** Non-finite values (and non-positive ones on a log scale) show as `·`. */
export function sparkline(values: readonly number[], options: SparklineOptions = {}): string {
  const scale = options.scale ?? 'log';
  const width = Math.max(1, options.width ?? 40);
  const mapped = resample(values, width).map((v) => (scale === 'log' ? (v > 0 && Number.isFinite(v) ? Math.log10(v) : NaN) : Number.isFinite(v) ? v : NaN));
  const finite = mapped.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return '·'.repeat(mapped.length);
  const d = options.domain?.map((v) => (scale === 'log' ? Math.log10(v) : v));
  const lo = d && Number.isFinite(d[0]) ? d[0] : Math.min(...finite);
  const hi = d && Number.isFinite(d[1]) ? d[1] : Math.max(...finite);
  return mapped
    .map((v) => {
      if (!Number.isFinite(v)) return '·';
      if (hi === lo) return BLOCKS[3];
      const k = Math.round(((v - lo) / (hi - lo)) * (BLOCKS.length - 1));
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, k))];
    })
    .join('');
}

/** Averages the series into at most `width` buckets (the geometric mean keeps log shapes). */
export function resample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let b = 0; b < width; b++) out.push(geoMean(values, Math.floor((b * values.length) / width), Math.floor(((b + 1) * values.length) / width)));
  return out;
}

/**
 * One scale for several series: their joint range, widened to at least a decade on a log scale
 * (so noise in a flat series does not fill the whole height), and [0, 1] for fractions.
 */
export function sharedDomain(series: readonly (readonly number[])[], scale: 'log' | 'linear'): [number, number] {
  const all = series.flat().filter((v) => Number.isFinite(v) && (scale === 'linear' || v > 0));
  if (scale === 'linear') return [Math.min(0, ...all), Math.max(1, ...all)];
  if (all.length === 0) return [NaN, NaN];
  let lo = Math.log10(Math.min(...all));
  let hi = Math.log10(Math.max(...all));
  if (hi - lo < 1) {
    const mid = (hi + lo) / 2;
    lo = mid - 0.5;
    hi = mid + 0.5;
  }
  return [Math.pow(10, lo), Math.pow(10, hi)];
}
