// A run's records by column on the page (RecordColumns, src/protocol.ts): what the reducer appends
// as progress arrives, what the views read, and the JSON-safe form the saved state keeps (setState
// writes JSON, where a typed array would not read back). Pure (no DOM).

import { recordCount, type HeatmapMetric, type RecordColumns } from '../protocol';
import { HEATMAP_METRICS } from '../shared/vocabulary';

/** No records, for a run of `layers` layers. */
export function emptyColumns(layers: number): RecordColumns {
  const stats = {} as Record<HeatmapMetric, Float32Array[]>;
  for (const m of HEATMAP_METRICS) stats[m] = Array.from({ length: layers }, () => new Float32Array(0));
  return { epoch: new Int32Array(0), loss: new Float32Array(0), accuracy: new Float32Array(0), stats };
}

function concat<T extends Int32Array | Float32Array>(a: T, b: T, from: number, make: (n: number) => T): T {
  const out = make(a.length + b.length - from);
  out.set(a);
  out.set(b.subarray(from), a.length);
  return out;
}

/** `a` followed by the records of `b` from index `from` on (a new object: the page's state is immutable). */
export function appendColumns(a: RecordColumns, b: RecordColumns, from = 0): RecordColumns {
  const f32 = (n: number): Float32Array => new Float32Array(n);
  const stats = {} as Record<HeatmapMetric, Float32Array[]>;
  for (const m of HEATMAP_METRICS) stats[m] = a.stats[m].map((col, l) => concat(col, b.stats[m][l] ?? new Float32Array(0), from, f32));
  return {
    epoch: concat(a.epoch, b.epoch, from, (n) => new Int32Array(n)),
    loss: concat(a.loss, b.loss, from, f32),
    accuracy: concat(a.accuracy, b.accuracy, from, f32),
    stats,
  };
}

/** The epoch of the last record, or undefined when there is none. */
export function lastEpoch(records: RecordColumns): number | undefined {
  const n = recordCount(records);
  return n > 0 ? records.epoch[n - 1] : undefined;
}

/** A statistic of one layer at the last record (NaN when there is none). */
export function lastValue(records: RecordColumns, metric: HeatmapMetric, layer: number): number {
  const n = recordCount(records);
  return n > 0 ? (records.stats[metric][layer]?.[n - 1] ?? NaN) : NaN;
}

/** Whether the run has an accuracy at any record (a classifier). */
export function hasAccuracy(records: RecordColumns): boolean {
  return records.accuracy.some((v) => !Number.isNaN(v));
}

/** The columns as plain arrays of numbers, for JSON (non-finite values become null, which validate.ts reads back as NaN). */
export function plainColumns(records: RecordColumns): unknown {
  const stats: Record<string, number[][]> = {};
  for (const m of HEATMAP_METRICS) stats[m] = records.stats[m].map((c) => Array.from(c));
  return { epoch: Array.from(records.epoch), loss: Array.from(records.loss), accuracy: Array.from(records.accuracy), stats };
}

/** A column against the epochs, as a line chart's points. */
export function points(epochs: Int32Array, values: Float32Array): { x: number; y: number }[] {
  return Array.from(epochs, (x, i) => ({ x, y: values[i] ?? NaN }));
}
