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

type Column = Int32Array | Float32Array;

/**
 * Elements written into each column buffer so far. A column is a view of the first elements of a
 * buffer with room to grow; appending to the view that ends where the writing ended writes past it
 * in place (the old view, shorter, still reads what it read) instead of copying the whole run on
 * every progress message. Appending to an older, shorter view copies, so no view ever changes.
 */
const written = new WeakMap<ArrayBufferLike, number>();

interface Kind<T extends Column> {
  readonly make: (n: number) => T;
  readonly view: (buffer: ArrayBufferLike, byteOffset: number, length: number) => T;
}
const F32: Kind<Float32Array> = { make: (n) => new Float32Array(n), view: (buffer, offset, n) => new Float32Array(buffer, offset, n) };
const I32: Kind<Int32Array> = { make: (n) => new Int32Array(n), view: (buffer, offset, n) => new Int32Array(buffer, offset, n) };

function grow<T extends Column>(a: T, b: T, from: number, kind: Kind<T>): T {
  const add = b.length - from;
  if (add <= 0) return a;
  const n = a.length + add;
  const end = a.byteOffset / a.BYTES_PER_ELEMENT + a.length;
  const room = a.buffer.byteLength / a.BYTES_PER_ELEMENT;
  const tail = from === 0 ? b : b.subarray(from);
  if (written.get(a.buffer) === end && end + add <= room) {
    const whole = kind.view(a.buffer, a.byteOffset, n);
    whole.set(tail, a.length);
    written.set(a.buffer, end + add);
    return whole;
  }
  const buffer = kind.make(Math.max(n, 2 * a.length, 16));
  buffer.set(a);
  buffer.set(tail, a.length);
  written.set(buffer.buffer, n);
  return buffer.subarray(0, n) as T;
}

/** `a` followed by the records of `b` from index `from` on (a new object: the page's state is immutable). */
export function appendColumns(a: RecordColumns, b: RecordColumns, from = 0): RecordColumns {
  const stats = {} as Record<HeatmapMetric, Float32Array[]>;
  for (const m of HEATMAP_METRICS) stats[m] = a.stats[m].map((col, l) => grow(col, b.stats[m][l] ?? new Float32Array(0), from, F32));
  return {
    epoch: grow(a.epoch, b.epoch, from, I32),
    loss: grow(a.loss, b.loss, from, F32),
    accuracy: grow(a.accuracy, b.accuracy, from, F32),
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
