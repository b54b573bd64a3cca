// The fixed bins of EpochRecord.histograms. The engine mirrors this constant when it counts
// log10|∂L/∂W|: bins of width 0.5 from -12 to +4, the first bin also catching everything below
// -11.5 and the last everything from 3.5 up. Exact zeros have no logarithm and are not in any bin.

import { formatTick } from './format';

export const HISTOGRAM = { min: -12, max: 4, width: 0.5, bins: 32 } as const;

/** The bin a finite, non-zero |g| belongs to. */
export function histogramBin(absGrad: number): number {
  const i = Math.floor((Math.log10(absGrad) - HISTOGRAM.min) / HISTOGRAM.width);
  return Math.min(HISTOGRAM.bins - 1, Math.max(0, i));
}

/** Lower log10 edge of each bin, then the upper edge of the last: 33 numbers. */
export function histogramEdges(): number[] {
  return Array.from({ length: HISTOGRAM.bins + 1 }, (_, i) => HISTOGRAM.min + i * HISTOGRAM.width);
}

/** "[1e-3, 3.2e-3)" for a bin, with the open-ended outer bins written as such. */
export function binRangeLabel(i: number): string {
  const e = histogramEdges();
  const lo = 10 ** (e[i] ?? 0);
  const hi = 10 ** (e[i + 1] ?? 0);
  if (i === 0) return `< ${formatTick(hi)}`;
  if (i === HISTOGRAM.bins - 1) return `≥ ${formatTick(lo)}`;
  return `[${formatTick(lo)}, ${formatTick(hi)})`;
}
