// What the panel gets of a run: its records by column, the heatmap's statistics only, and at most
// PANEL_EPOCH_CAP records. A run of more epochs is sent
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
import type { LayerStatName } from '../../engine/types';
import { PANEL_EPOCH_CAP, type RecordColumns } from '../../protocol';
import { geoMean } from '../../shared/numbers';
import { HEATMAP_METRICS, STATISTICS, type HeatmapMetric } from '../../shared/vocabulary';

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
 * The panel's columns for the buckets [first, last) of `stride` stored epochs each (the last bucket
 * may be partial: it ends at the run's length), each bucket labelled by its last epoch, with the
 * aggregates above; at stride 1 the epochs as they are.
 */
export function panelColumns(run: RunStats, layers: number, stride: number, first: number, last: number): RecordColumns {
  const buckets = Math.max(0, Math.min(last, Math.ceil(run.length / stride)) - first);
  // Every column is a view of one buffer: the message then carries one ArrayBuffer, not one per
  // layer and statistic (src/host/panel/wire.ts says why that matters).
  const buffer = new ArrayBuffer(4 * buckets * (3 + HEATMAP_METRICS.length * layers));
  let next = 0;
  const column = (values: ArrayLike<number>, combine: (values: ArrayLike<number>, from: number, to: number) => number): Float32Array => {
    const out = new Float32Array(buffer, 4 * buckets * next++, buckets);
    for (let b = 0; b < buckets; b++) {
      const from = (first + b) * stride;
      const to = Math.min(run.length, from + stride);
      out[b] = to - from === 1 ? values[from] : combine(values, from, to);
    }
    return out;
  };
  const epoch = new Int32Array(buffer, 0, buckets);
  next++;
  for (let b = 0; b < buckets; b++) epoch[b] = run.epochAt(Math.min(run.length, (first + b + 1) * stride) - 1);
  const loss = column(run.loss(), linearMean);
  const accuracy = column(run.accuracy(), meanPresent);
  const stats = {} as Record<HeatmapMetric, Float32Array[]>;
  for (const name of HEATMAP_METRICS) {
    stats[name] = [];
    for (let l = 0; l < layers; l++) stats[name].push(column(run.stat(l, name), (v, from, to) => aggregateStat(name, v, from, to)));
  }
  return { epoch, loss, accuracy, stats };
}
