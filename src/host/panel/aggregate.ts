// What the panel gets of a long run: at most PANEL_EPOCH_CAP records. A run of more epochs is sent
// as buckets of `stride` consecutive epochs (a power of two, doubled as the run grows), each bucket
// one record labelled by its last epoch, with per-layer aggregates chosen (per statistic, in
// src/shared/vocabulary.ts) so that nothing a user looks for is averaged away:
// - 'log', magnitudes spanning decades (gradRms, gradMeanAbs, deltaRms, updateRatio, weightRms):
//   the geometric mean of src/shared/numbers.ts, over the positive values, 0 if all are 0;
// - 'max', extremes (gradMaxAbs, nonFinite): the maximum;
// - 'mean', fractions and the rest (dead, saturated, zeroGrad, actMean, actStd), the loss and the
//   accuracy: the arithmetic mean (accuracy NaN, i.e. none, if no epoch had one).
// As on the page (src/webview/downsample.ts), a NaN in a bucket makes its aggregate NaN and an
// infinity makes it Infinity. Pure: no vscode.

import type { RunStats } from '../../engine/findings';
import type { EpochRecord, LayerStatName, LayerStats } from '../../engine/types';
import { PANEL_EPOCH_CAP } from '../../protocol';
import { geoMean } from '../../shared/numbers';
import { STAT_NAMES, STATISTICS } from '../../shared/vocabulary';

/**
 * Epochs per panel record for a run of `epochs` epochs: 1 up to `cap`, else the smallest power of
 * two that brings the number of records, ceil(epochs / stride), to `cap` or fewer.
 */
export function panelStride(epochs: number, cap = PANEL_EPOCH_CAP): number {
  const limit = Math.max(1, Math.floor(cap));
  let stride = 1;
  while (Math.ceil(epochs / stride) > limit) stride *= 2;
  return stride;
}

/** Arithmetic mean of values[from..to) (an infinity or a NaN comes through, as in any sum). */
export function linearMean(values: ArrayLike<number>, from = 0, to = values.length): number {
  if (to <= from) return NaN;
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i];
  return sum / (to - from);
}

/** Largest of values[from..to); NaN if any is NaN. */
export function maxOf(values: ArrayLike<number>, from = 0, to = values.length): number {
  if (to <= from) return NaN;
  let m = -Infinity;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (Number.isNaN(v)) return NaN;
    if (v > m) m = v;
  }
  return m;
}

/** Mean of the values that are not NaN (NaN when all are: a regression has no accuracy). */
function meanPresent(values: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (!Number.isNaN(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}

export function aggregateStat(name: LayerStatName, values: ArrayLike<number>, from = 0, to = values.length): number {
  switch (STATISTICS[name].aggregation) {
    case 'log':
      return geoMean(values, from, to);
    case 'max':
      return maxOf(values, from, to);
    case 'mean':
      return linearMean(values, from, to);
  }
}

/**
 * One record for the stored epochs [from, to) of a run: labelled by the last one's epoch, with
 * the aggregates above and the given histograms (those of the last epoch, or none).
 */
export function aggregateRecord(run: RunStats, layers: number, from: number, to: number, histograms: EpochRecord['histograms'] = []): EpochRecord {
  if (!(from >= 0 && to > from && to <= run.length)) throw new RangeError(`aggregateRecord(${from}, ${to}) of ${run.length}`);
  const stats: LayerStats[] = [];
  for (let l = 0; l < layers; l++) {
    const s = {} as Record<LayerStatName, number>;
    for (const name of STAT_NAMES) s[name] = aggregateStat(name, run.stat(l, name), from, to);
    stats.push(s);
  }
  const accuracy = meanPresent(run.accuracy(), from, to);
  return {
    epoch: run.epochAt(to - 1),
    loss: linearMean(run.loss(), from, to),
    accuracy: Number.isNaN(accuracy) ? null : accuracy,
    layers: stats,
    histograms,
  };
}

/**
 * Records of the buckets [first, last) of `stride` stored epochs each (the last bucket may be
 * partial: it ends at the run's length). `histogramsAt(i)` gives the histograms kept for the stored
 * epoch i, if any.
 */
export function aggregateBuckets(
  run: RunStats,
  layers: number,
  stride: number,
  first: number,
  last: number,
  histogramsAt: (index: number) => EpochRecord['histograms'] | undefined = () => undefined,
): EpochRecord[] {
  const out: EpochRecord[] = [];
  for (let b = first; b < last; b++) {
    const from = b * stride;
    const to = Math.min(run.length, from + stride);
    if (to <= from) break;
    out.push(aggregateRecord(run, layers, from, to, histogramsAt(to - 1) ?? []));
  }
  return out;
}
