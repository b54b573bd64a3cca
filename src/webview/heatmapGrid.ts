// The heatmap's cells as numbers: one value per (row, column), where a row is one layer or, when
// there are more layers than pixel rows, a group of consecutive layers, and a column is one record
// or a bucket of consecutive records. Kept in a Float64Array and grown in place as records arrive:
// only the columns that new records touch are aggregated again. Pure (no DOM).
//
// Aggregation is that of src/webview/downsample.ts, over every value in the cell (its layers ×
// its records): the geometric mean of the positive values for magnitudes (0 if all are 0), the
// mean for fractions, and a NaN or an infinity anywhere wins, so a non-finite gradient is never
// averaged away.

import { recordCount, type HeatmapMetric, type RecordColumns } from '../protocol';
import type { ScaleKind } from './colorScale';
import { aggregateAcross } from './downsample';
import { addToMean, clearMeans, meanResult, runningMeans, type RunningMeans } from '../shared/numbers';

export interface GridShape {
  readonly layers: number;
  /** Layers per row (1 unless there are more layers than pixel rows). */
  readonly perRow: number;
  /** Records per column. */
  readonly perColumn: number;
  readonly metric: HeatmapMetric;
  readonly kind: ScaleKind;
}

export function sameShape(a: GridShape, b: GridShape): boolean {
  return a.layers === b.layers && a.perRow === b.perRow && a.perColumn === b.perColumn && a.metric === b.metric && a.kind === b.kind;
}

/** Aggregates one statistic over layers [l0, l1) of records [r0, r1): the values layer after layer, as `aggregate` would take them laid out. */
export function cellValue(records: RecordColumns, r0: number, r1: number, l0: number, l1: number, metric: HeatmapMetric, kind: ScaleKind): number {
  return aggregateAcross(records.stats[metric], kind, l0, l1, r0, r1);
}

export class CellGrid {
  /** values[row * capacity + column]. */
  values = new Float64Array(0);
  rows = 0;
  columns = 0;
  /** Records aggregated so far (the last column may be partial). */
  records = 0;
  private capacity = 0;

  constructor(readonly shape: GridShape) {
    this.rows = Math.ceil(shape.layers / shape.perRow);
  }

  /** Columns needed for `records` records. */
  columnsFor(records: number): number {
    return Math.ceil(records / this.shape.perColumn);
  }

  /**
   * Brings the grid up to `records` (which must start with the records it has seen) and returns the
   * first column that changed: the last partial column and any new ones.
   */
  update(records: RecordColumns): number {
    const { perColumn, perRow, layers, metric, kind } = this.shape;
    const count = recordCount(records);
    const from = Math.min(this.columns, Math.floor(this.records / perColumn));
    const columns = this.columnsFor(count);
    this.reserve(columns);
    const n = columns - from;
    if (n > 0) {
      const means = meansFor(n);
      const stats = records.stats[metric];
      const log = kind === 'log';
      const r0 = from * perColumn;
      for (let row = 0; row < this.rows; row++) {
        const l0 = row * perRow;
        clearMeans(means, n);
        // A layer without a column (not reported yet) makes its row's cells NaN, as in meanAcross.
        let missing = false;
        for (let l = l0; l < Math.min(layers, l0 + perRow); l++) {
          const values = stats[l];
          if (!values) {
            missing = true;
            break;
          }
          for (let j = 0; j < n; j++) addToMean(means, j, values, r0 + j * perColumn, Math.min(count, r0 + (j + 1) * perColumn), log);
        }
        const at = row * this.capacity + from;
        for (let j = 0; j < n; j++) this.values[at + j] = missing ? NaN : meanResult(means, j, log);
      }
    }
    this.columns = columns;
    this.records = count;
    return from;
  }

  /** A row's values, columns 0.. (a view, no copy). */
  row(row: number): Float64Array {
    return this.values.subarray(row * this.capacity, row * this.capacity + this.columns);
  }

  at(row: number, column: number): number {
    return this.values[row * this.capacity + column] ?? NaN;
  }

  private reserve(columns: number): void {
    if (columns <= this.capacity) return;
    const capacity = Math.max(columns, Math.ceil(this.capacity * 1.5), 16);
    const next = new Float64Array(this.rows * capacity).fill(NaN);
    for (let row = 0; row < this.rows; row++) next.set(this.values.subarray(row * this.capacity, row * this.capacity + this.columns), row * capacity);
    this.values = next;
    this.capacity = capacity;
  }
}

// A row of cells at a time: each layer's column is read once, front to back, into one running mean
// per cell (a long loop the engine optimises at once, where a call chain per cell stayed slow on a
// first draw). The means are meanAcross's own (src/shared/numbers.ts), fed in its order (layer after
// layer, record after record), so every cell is cellValue's number to the bit.

let shared: RunningMeans = runningMeans(0);

function meansFor(n: number): RunningMeans {
  if (shared.sum.length < n) shared = runningMeans(Math.max(n, 2 * shared.sum.length));
  return shared;
}
