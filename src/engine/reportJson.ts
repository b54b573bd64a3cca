// The report as JSON, written piece by piece so a long run is never held as one string or as
// records: the CLI's `--json` and the panel's export both stream it from here.

import type { EpochRecord, Finding, InitialRecord, Report, StopReason } from './types';

/** JSON with non-finite numbers as null, as the report format requires. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), indent);
}

/** Pieces of the document are about this long (characters). */
export const CHUNK_CHARS = 1 << 20;

// Pretty-printed as toJson(…, 2) would, one level in, except each epoch on a line of its own.
const field = (value: unknown) => toJson(value, 2).replace(/\n/g, '\n  ');

function opening(head: Pick<Report, 'version' | 'network' | 'initial'>): string {
  return `{\n  "version": ${head.version},\n  "network": ${field(head.network)},\n  "initial": ${field(head.initial)},\n  "epochs": [`;
}

function closing(head: Pick<Report, 'findings' | 'problems' | 'stopped'>, count: number): string {
  return `${count > 0 ? '\n  ' : ''}],\n  "findings": ${field(head.findings)},\n  "problems": ${field(head.problems)},\n  "stopped": ${field(head.stopped)}\n}\n`;
}

const epochLine = (i: number, json: string): string => `${i === 0 ? '' : ','}\n    ${json}`;

/**
 * The report `head` (its own `epochs` are not read) with `count` epochs, epoch i written by
 * `epochJson(i)` on a line of its own; otherwise pretty-printed as toJson(report, 2) would be.
 * Pieces are yielded when they reach `chunkChars`.
 */
export function* reportJsonChunks(head: Omit<Report, 'epochs'>, count: number, epochJson: (i: number) => string, chunkChars = CHUNK_CHARS): Generator<string> {
  let chunk = opening(head);
  for (let i = 0; i < count; i++) {
    chunk += epochLine(i, epochJson(i));
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk + closing(head, count);
}

/**
 * Layer-epochs (one layer's statistics in one epoch) a streamed report holds at most; a longer run
 * is thinned to every k-th epoch (docs/limits.md). About 300 bytes each: at most about 60 MB.
 */
export const MAX_REPORT_LAYER_EPOCHS = 200_000;
/** Epochs of a streamed report that keep their histograms at most (the others write []). */
export const MAX_REPORT_HISTOGRAMS = 1024;

/** Every how many epochs a streamed report of `epochs` × `layers` keeps one (1: all of them). */
export function reportStride(epochs: number, layers: number): number {
  return Math.max(1, Math.ceil((epochs * Math.max(1, layers)) / MAX_REPORT_LAYER_EPOCHS));
}

/**
 * The report written while the run goes (the CLI's `train --json`): the head once the initial
 * record is known, each kept epoch as it comes, the findings and the stop reason at the end. So
 * whatever stops the run, the epochs so far are out already. A run of more than
 * MAX_REPORT_LAYER_EPOCHS layer-epochs keeps epochs 1, 1 + k, 1 + 2k, … and always the last one
 * trained; histograms are kept on a coarser grid of at most MAX_REPORT_HISTOGRAMS epochs.
 */
export class ReportJsonStream {
  private written = 0;
  private pending: EpochRecord | null = null;
  private buffer = '';
  private readonly histogramStride: number;

  /**
   * @param epochs The epochs the run is to train (for the thinning). The document is opened by
   * `start` and closed by `end`; `flush` writes what is buffered.
   */
  constructor(
    private readonly write: (chunk: string) => void,
    private readonly head: Pick<Report, 'version' | 'network' | 'problems'>,
    epochs: number,
    private readonly stride = reportStride(epochs, head.network.layers.length),
  ) {
    this.histogramStride = Math.max(stride, Math.ceil(epochs / MAX_REPORT_HISTOGRAMS));
  }

  start(initial: InitialRecord | null): void {
    this.buffer += opening({ ...this.head, initial });
  }

  epoch(record: EpochRecord): void {
    const kept = (record.epoch - 1) % this.stride === 0;
    this.pending = kept ? null : record;
    if (kept) this.put(record);
  }

  /** Closes the document; `start` must have been called (with null when nothing was trained). */
  end(findings: readonly Finding[], stopped: StopReason): void {
    if (this.pending) this.put(this.pending);
    this.buffer += closing({ findings, problems: this.head.problems, stopped }, this.written);
    this.flush();
  }

  flush(): void {
    if (this.buffer === '') return;
    this.write(this.buffer);
    this.buffer = '';
  }

  private put(record: EpochRecord): void {
    const histograms = (record.epoch - 1) % this.histogramStride === 0 || record === this.pending ? record.histograms : [];
    this.buffer += epochLine(this.written++, toJson(histograms === record.histograms ? record : { ...record, histograms }));
    if (this.buffer.length >= CHUNK_CHARS) this.flush();
  }
}
