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
    for (let c = from; c < columns; c++) {
      const r0 = c * perColumn;
      const r1 = Math.min(count, r0 + perColumn);
      for (let row = 0; row < this.rows; row++) {
        const l0 = row * perRow;
        this.values[row * this.capacity + c] = cellValue(records, r0, r1, l0, Math.min(layers, l0 + perRow), metric, kind);
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
