// Labels for the fixed bins of EpochRecord.histograms. The bins themselves are the engine's
// (src/engine/histogram.ts): the first also catches everything below its upper edge and the last
// everything from its lower edge up; exact zeros have no logarithm and are not in any bin.

import { HISTOGRAM, binEdges } from '../engine/histogram';
import { formatTick } from './format';

export { HISTOGRAM };

/** Lower log10 edge of each bin, then the upper edge of the last: 33 numbers. */
export function histogramEdges(): number[] {
  return [...Array.from({ length: HISTOGRAM.bins }, (_, i) => binEdges(i)[0]), HISTOGRAM.max];
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
