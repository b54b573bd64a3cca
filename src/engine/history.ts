// A run's per-epoch statistics, stored by column: one growable typed array per (statistic, layer)
// and one for the loss and the accuracy, instead of one EpochRecord object (and twelve boxed
// numbers) per layer and epoch. 100,000 epochs × 30 layers take 144 MB in float32 columns against
// well over a gigabyte of EpochRecord objects (docs/benchmarks.md). Histograms are kept for a
// bounded number of epochs, evenly spaced (thinned by halves as the run grows), plus the latest.

import { STAT_NAMES } from '../shared/vocabulary';
import { ThinnedHistograms } from './thinning';
import type { EpochRecord, LayerStatName, LayerStats } from './types';

const STAT_INDEX = new Map<LayerStatName, number>(STAT_NAMES.map((n, i) => [n, i]));

export interface HistoryOptions {
  /** Epochs to make room for at first (e.g. the spec's epochs); the columns grow by half beyond. */
  readonly capacity?: number;
  /**
   * Storage of the layer statistics: 'float32' (default) halves the memory and keeps ~7 significant
   * digits and float32's range (values beyond ±3.4e38 become ±Infinity, below 1.4e-45 zero);
   * 'float64' keeps the engine's numbers exactly. Loss and accuracy are always float64.
   */
  readonly precision?: 'float32' | 'float64';
  /** Most epochs whose histograms are kept (besides the latest); default 256. */
  readonly maxHistograms?: number;
}

/** Layer-epochs allocated up front (192 MB of float32 columns); a bigger run starts smaller and grows by half. */
export const UPFRONT_CELLS = 4_000_000;

/**
 * Epochs to allocate when a run starts: all of them when they fit in UPFRONT_CELLS (no growth,
 * so no old and new columns side by side), else a share, so a huge spec that is stopped early
 * never allocated its whole run.
 */
export function initialCapacity(epochs: number, layers: number): number {
  return epochs * Math.max(1, layers) <= UPFRONT_CELLS ? epochs : Math.max(256, Math.floor(UPFRONT_CELLS / Math.max(1, layers) / 4));
}

type Column = Float32Array | Float64Array;

export class EpochHistory {
  readonly layers: number;
  private readonly precision: 'float32' | 'float64';
  private readonly maxHistograms: number;
  private size = 0;
  private capacity: number;
  private epochs: Float64Array;
  private losses: Float64Array;
  /** NaN where the record's accuracy was null. */
  private accuracies: Float64Array;
  /** columns[stat * layers + layer][epoch index]. */
  private columns: Column[];
  /** Kept histograms by epoch index; every `stride`-th index from 0, and the latest. */
  private readonly histograms = new ThinnedHistograms<(readonly number[])[]>(0);

  constructor(layers: number, options: HistoryOptions = {}) {
    this.layers = layers;
    this.precision = options.precision ?? 'float32';
    this.maxHistograms = Math.max(2, options.maxHistograms ?? 256);
    this.capacity = Math.max(16, options.capacity ?? 256);
    this.epochs = new Float64Array(this.capacity);
    this.losses = new Float64Array(this.capacity);
    this.accuracies = new Float64Array(this.capacity);
    this.columns = [];
    for (let c = 0; c < STAT_NAMES.length * layers; c++) this.columns.push(this.column(this.capacity));
  }

  /** Number of epochs stored. */
  get length(): number {
    return this.size;
  }

  push(record: EpochRecord): void {
    if (record.layers.length !== this.layers) throw new Error(`EpochHistory: ${record.layers.length} layers, expected ${this.layers}`);
    if (this.size === this.capacity) this.grow();
    const i = this.size++;
    this.epochs[i] = record.epoch;
    this.losses[i] = record.loss;
    this.accuracies[i] = record.accuracy ?? NaN;
    for (let s = 0; s < STAT_NAMES.length; s++) {
      const name = STAT_NAMES[s];
      for (let l = 0; l < this.layers; l++) this.columns[s * this.layers + l][i] = record.layers[l][name];
    }
    if (record.histograms.length > 0)
      this.histograms.keep(
        i,
        record.histograms.map((h) => Array.from(h)),
        this.maxHistograms,
      );
  }

  /** The statistic of one layer over the stored epochs: a view (no copy), valid until the next push. */
  stat(layer: number, name: LayerStatName): Column {
    const s = STAT_INDEX.get(name);
    if (s === undefined || layer < 0 || layer >= this.layers) throw new RangeError(`EpochHistory.stat(${layer}, ${name})`);
    return this.columns[s * this.layers + layer].subarray(0, this.size);
  }

  /** Per-epoch loss (a view, valid until the next push). */
  loss(): Float64Array {
    return this.losses.subarray(0, this.size);
  }

  /** Per-epoch accuracy, NaN where there is none (a view, valid until the next push). */
  accuracy(): Float64Array {
    return this.accuracies.subarray(0, this.size);
  }

  /** The 1-based epoch number of the i-th stored record. */
  epochAt(i: number): number {
    return this.epochs[i];
  }

  /** Bytes of the typed arrays the epochs are stored in (allocated capacity; histograms not counted). */
  byteSize(): number {
    let bytes = this.epochs.byteLength + this.losses.byteLength + this.accuracies.byteLength;
    for (const c of this.columns) bytes += c.byteLength;
    return bytes;
  }

  /** Indices of the stored epochs that kept their histograms, ascending. */
  histogramIndices(): number[] {
    return this.histograms.indices();
  }

  /** The i-th epoch as the engine yielded it (statistics rounded to float32 unless stored in float64); histograms only if kept, else []. */
  record(i: number): EpochRecord {
    if (!(i >= 0 && i < this.size)) throw new RangeError(`EpochHistory.record(${i}) of ${this.size}`);
    const layers: LayerStats[] = [];
    for (let l = 0; l < this.layers; l++) {
      const stats = {} as Record<LayerStatName, number>;
      for (let s = 0; s < STAT_NAMES.length; s++) stats[STAT_NAMES[s]] = this.columns[s * this.layers + l][i];
      layers.push(stats);
    }
    const accuracy = this.accuracies[i];
    return {
      epoch: this.epochs[i],
      loss: this.losses[i],
      accuracy: Number.isNaN(accuracy) ? null : accuracy,
      layers,
      histograms: this.histograms.get(i) ?? [],
    };
  }

  /** All stored epochs as records (allocates them all: for reports of modest size). */
  records(): EpochRecord[] {
    const out: EpochRecord[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.record(i));
    return out;
  }

  private column(n: number): Column {
    return this.precision === 'float64' ? new Float64Array(n) : new Float32Array(n);
  }

  private grow(): void {
    const capacity = Math.ceil(this.capacity * 1.5);
    const copy = <T extends Column>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.epochs = copy(this.epochs, (n) => new Float64Array(n));
    this.losses = copy(this.losses, (n) => new Float64Array(n));
    this.accuracies = copy(this.accuracies, (n) => new Float64Array(n));
    this.columns = this.columns.map((c) => copy(c, (n) => this.column(n)));
    this.capacity = capacity;
  }
}
