// One run's data as the host keeps it: what the worker said so far, folded into the snapshot the
// panel draws from (and re-draws from after being hidden), and the exports. The epochs are kept by
// column in an EpochHistory (float32), not as records: 100,000 epochs × 30 layers take about
// 150 MB. Histograms are kept for the epochs the panel can show (every epoch of a run of up to
// PANEL_EPOCH_CAP epochs; the last epoch of each of its buckets beyond), within a budget of
// HISTOGRAM_BUDGET layer-histograms. The panel gets at most PANEL_EPOCH_CAP records
// (src/host/panel/aggregate.ts). Pure: no vscode.

import type { EpochRecord, Finding, InitialRecord, LayerStats, Problem, Report, ReportLayer, StopReason } from '../../engine/types';
import { EpochHistory, initialCapacity } from '../../engine/history';
import { layerCures } from '../../engine/layerCures';
import { ThinnedHistograms } from '../../engine/thinning';
import { CHUNK_CHARS, reportJsonChunks } from '../../engine/reportJson';
import { statsOfRecords } from '../../engine/findings';
import { PANEL_EPOCH_CAP, type HeatmapMetric, type HostToPanel, type RecordColumns, type RunSnapshot, type RunState, type WorkerToHost } from '../../protocol';
import { panelColumns, panelStride } from './aggregate';
import { uniqueFindings } from '../language/diagnosticData';
import { STAT_NAMES, stateOfStop } from '../../shared/vocabulary';

/** Most layer-histograms (32 counts each) a run keeps: 2,000 epochs of 30 layers, fewer epochs of more layers. */
export const HISTOGRAM_BUDGET = 60_000;

type Histograms = EpochRecord['histograms'];

const EMPTY_STATS = statsOfRecords([]);

/**
 * The heatmap's row labels when some layer is residual or normalized: the page's own label
 * ("L3 · line 8 · relu", src/webview/format.ts) and the cures; nothing otherwise, so the page's stands.
 */
function rowLabels(layers: readonly ReportLayer[]): Pick<RunSnapshot, 'rowLabels'> {
  if (!layers.some((l) => layerCures(l))) return {};
  return { rowLabels: layers.map((l) => [`L${l.index}`, `line ${l.line}`, l.activation, layerCures(l)].filter(Boolean).join(' · ')) };
}

export class RunData {
  name = '';
  layers: readonly ReportLayer[] = [];
  params = 0;
  totalEpochs = 0;
  problems: readonly Problem[] = [];
  /** The gradient at the initial weights (epoch 0), once the worker sent it. */
  initial: InitialRecord | null = null;
  /** The epochs so far, by column (created when the worker starts, sized for its epochs). */
  history: EpochHistory | null = null;
  findings: readonly Finding[] = [];
  state: RunState = 'running';
  stopped: StopReason = null;
  error: string | undefined;
  /** The worker's report, without its epochs (they are in `history`). */
  report: Report | undefined;
  /** Histograms by stored epoch index: those whose index + 1 is a multiple of the thinning stride, and the latest. */
  private readonly histograms = new ThinnedHistograms<Histograms>(1);

  constructor(
    readonly id: string,
    readonly fileName: string,
    readonly label: string,
    /** The text that was trained, to tell later whether its findings still apply. */
    readonly text: string,
    /** Most records of a panel snapshot (tests use small ones). */
    readonly panelCap: number = PANEL_EPOCH_CAP,
  ) {}

  get finished(): boolean {
    return this.state !== 'running';
  }

  /** Epochs received so far. */
  get epochCount(): number {
    return this.history?.length ?? 0;
  }

  /** The i-th epoch, float32-rounded, with its histograms if they were kept. */
  record(i: number): EpochRecord {
    const history = this.history;
    if (!history) throw new RangeError(`RunData.record(${i}) of 0`);
    const r = history.record(i);
    const h = this.histograms.get(i);
    return h ? { ...r, histograms: h } : r;
  }

  /** The last epoch received, if any. */
  lastRecord(): EpochRecord | undefined {
    const n = this.epochCount;
    return n > 0 ? this.record(n - 1) : undefined;
  }

  /** Epochs per panel record now: 1 up to `panelCap` epochs, then doubling. */
  get panelStride(): number {
    return panelStride(this.epochCount, this.panelCap);
  }

  /** Folds a worker message in; returns the epochs it added (for progress messages). */
  apply(msg: WorkerToHost): EpochRecord[] {
    switch (msg.type) {
      case 'started':
        this.name = msg.name;
        this.layers = msg.layers;
        this.params = msg.params;
        this.totalEpochs = msg.epochs;
        this.problems = msg.problems;
        this.initial = msg.initial;
        this.history ??= new EpochHistory(msg.layers.length, {
          capacity: initialCapacity(msg.epochs, msg.layers.length),
          precision: 'float32',
          maxHistograms: 2,
        });
        return [];
      case 'epochs':
        this.add(msg.records);
        this.findings = uniqueFindings([...this.findings, ...msg.findings]);
        return [...msg.records];
      case 'done': {
        const r = msg.report;
        // The worker streams every epoch and sends the report without them; a report that has
        // epochs beyond those streamed (a test's, or an older worker's) adds them.
        const added = r.epochs.slice(this.epochCount);
        this.add(added);
        this.report = { ...r, epochs: [] };
        this.initial ??= r.initial;
        this.findings = uniqueFindings(r.findings);
        this.stopped = r.stopped;
        this.state = stateOfStop(r.stopped);
        if (this.layers.length === 0) this.layers = r.network.layers;
        return [...added];
      }
      case 'rejected':
        this.problems = msg.problems;
        this.fail('The spec has errors; fix them before training.');
        return [];
      case 'failed':
        this.fail(msg.message);
        return [];
      case 'lrFound':
        return [];
    }
  }

  private add(records: readonly EpochRecord[]): void {
    if (records.length === 0) return;
    const history = (this.history ??= new EpochHistory(records[0].layers.length, {
      capacity: initialCapacity(Math.max(this.totalEpochs, records.length), records[0].layers.length),
      precision: 'float32',
      maxHistograms: 2,
    }));
    for (const r of records) {
      if (r.layers.length !== history.layers) continue;
      const i = history.length;
      history.push(r.histograms.length > 0 ? { ...r, histograms: [] } : r);
      if (r.histograms.length > 0) this.keepHistograms(i, r.histograms);
    }
  }

  /**
   * Keeps the histograms of the epochs that end a panel bucket (index + 1 a multiple of the
   * stride) and of the latest; when more than the budget are kept, the stride doubles. Both
   * strides being powers of two, and this one never above the panel's while within the cap, every
   * panel bucket's last epoch has its histograms (fewer of them for networks of many layers).
   */
  private keepHistograms(i: number, histograms: Histograms): void {
    const budget = Math.max(2, Math.min(this.panelCap, Math.floor(HISTOGRAM_BUDGET / Math.max(1, histograms.length))));
    this.histograms.keep(i, histograms, budget);
  }

  /** Indices of the stored epochs whose histograms are kept, ascending. */
  histogramIndices(): number[] {
    return this.histograms.indices();
  }

  /** Bytes of the stored statistics: the history's typed arrays plus 8 per histogram count (a lower bound of their arrays). */
  storeBytes(): number {
    const h = this.history;
    let bytes = 0;
    if (h) bytes += h.byteSize();
    for (const hs of this.histograms.values()) for (const c of hs) bytes += 8 * c.length;
    return bytes;
  }

  fail(message: string): void {
    if (this.finished) return;
    this.state = 'failed';
    this.error = message;
  }

  cancel(): void {
    if (this.finished) return;
    this.state = 'cancelled';
    this.stopped = 'cancelled';
  }

  /**
   * The records the panel gets, from the bucket `fromBucket` on, by column: every epoch (stride 1),
   * or bucket aggregates. While the run is going only complete buckets are sent (a partial one would
   * be sent again, grown); once it ended, the last partial bucket too.
   */
  panelRecords(fromBucket = 0, stride = this.panelStride): RecordColumns {
    const history = this.history;
    const n = this.epochCount;
    if (!history || n === 0) return panelColumns(EMPTY_STATS, this.layers.length, 1, 0, 0);
    const buckets = stride === 1 || this.finished ? Math.ceil(n / stride) : Math.floor(n / stride);
    return panelColumns(history, history.layers, stride, fromBucket, buckets);
  }

  /**
   * The histogram of a layer at one of the panel's records (numbered at `stride`): that of the
   * record's epoch, or of its bucket's last epoch; null when it was not kept.
   */
  histogram(stride: number, record: number, layer: number): { epoch: number; counts: readonly number[] | null } | null {
    const n = this.epochCount;
    const history = this.history;
    if (!history || record * stride >= n) return null;
    const i = Math.min(n, (record + 1) * stride) - 1;
    return { epoch: history.epochAt(i), counts: this.histograms.get(i)?.[layer] ?? null };
  }

  snapshot(): RunSnapshot {
    const stride = this.panelStride;
    const initial = this.initial;
    return {
      id: this.id,
      label: this.label,
      fileName: this.fileName,
      name: this.name,
      layers: this.layers,
      totalEpochs: this.totalEpochs,
      ...(initial ? { initial: panelColumns(statsOfRecords([{ ...initial, epoch: 0, histograms: [] }]), initial.layers.length, 1, 0, 1) } : {}),
      records: this.panelRecords(0, stride),
      ...(stride > 1 ? { stride } : {}),
      findings: this.findings,
      state: this.state,
      stopped: this.stopped,
      ...(this.error !== undefined ? { error: this.error } : {}),
      ...rowLabels(this.layers),
    };
  }

  /** The run as the CLI's JSON report (the statistics so far, if it is still running), in pieces. */
  *jsonChunks(): Generator<string> {
    const head: Report = {
      version: 1,
      network: this.report?.network ?? { name: this.name, params: this.params, layers: this.layers },
      initial: this.initial,
      epochs: [],
      findings: this.report?.findings ?? this.findings,
      problems: this.report?.problems ?? this.problems,
      stopped: this.report?.stopped ?? this.stopped,
    };
    yield* reportJsonChunks(head, this.epochCount, (i) => recordJson(this.record(i)));
  }

  /** One row per epoch and layer, with every statistic, in pieces. */
  *csvChunks(): Generator<string> {
    yield* statisticsCsvChunks(this.layers, this.epochCount, (i) => this.record(i), f32String, this.initial);
  }

  toJson(): string {
    return [...this.jsonChunks()].join('');
  }

  toCsv(): string {
    return [...this.csvChunks()].join('');
  }
}

/** The shortest decimal that reads back as the same float32 (0.1f is "0.1", not 0.10000000149011612). */
export function f32String(v: number): string {
  if (!Number.isFinite(v) || v === 0 || Math.fround(v) !== v) return String(v);
  for (let p = 6; p < 9; p++) {
    const s = String(Number(v.toPrecision(p)));
    if (Math.fround(Number(s)) === v) return s;
  }
  return String(Number(v.toPrecision(9)));
}

/** An epoch on one line, as toJson would write it (non-finite numbers as null), float32 statistics at their shortest. */
function recordJson(r: EpochRecord): string {
  return JSON.stringify(r, (_k, v: unknown) => {
    if (typeof v !== 'number') return v;
    if (!Number.isFinite(v)) return null;
    return Math.fround(v) === v && !Number.isInteger(v) ? Number(f32String(v)) : v;
  });
}

export type ProgressMessage = Extract<HostToPanel, { type: 'progress' }>;

/** The panel's `show` for a run: everything it needs to draw it from scratch. */
export function showMessage(run: RunData, metric: HeatmapMetric): HostToPanel {
  return { type: 'show', view: { kind: 'run', run: run.snapshot() }, metric };
}

/**
 * The panel's `progress` for a run: new records, the findings so far and the state. `added` is the
 * number of epochs received since the last progress; at stride 1 they go as they are, else as the
 * buckets that ended among them (the page skips any it already has), and the last partial one once
 * the run has ended.
 */
export function progressMessage(run: RunData, added: number): ProgressMessage {
  const stride = run.panelStride;
  const firstNew = run.epochCount - added;
  const fromBucket = stride === 1 ? firstNew : Math.max(0, Math.ceil((firstNew + 1) / stride) - 1);
  const records = run.panelRecords(fromBucket, stride);
  return { type: 'progress', runId: run.id, records, ...(stride > 1 ? { stride } : {}), findings: run.findings, state: run.state };
}

/** The CSV of `count` epochs got by index, in pieces of about a megabyte; the initial record, if any, as epoch 0. */
export function* statisticsCsvChunks(
  layers: readonly ReportLayer[],
  count: number,
  epochAt: (i: number) => EpochRecord,
  format: (v: number) => string,
  initial: InitialRecord | null = null,
): Generator<string> {
  let chunk = ['epoch', 'loss', 'accuracy', 'layer', 'line', 'activation', ...STAT_NAMES].join(',') + '\n';
  const num = (v: number | null) => (v === null ? '' : Number.isFinite(v) ? format(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
  const loss = (v: number | null) => (v === null ? '' : Number.isFinite(v) ? String(v) : num(v));
  const rows = (e: { readonly epoch: number; readonly loss: number; readonly accuracy: number | null; readonly layers: readonly LayerStats[] }) => {
    e.layers.forEach((s, k) => {
      const l = layers[k];
      chunk += [e.epoch, loss(e.loss), loss(e.accuracy), k, l?.line ?? '', csvField(l?.activation ?? ''), ...STAT_NAMES.map((c) => num(s[c]))].join(',') + '\n';
    });
  };
  if (initial) rows({ ...initial, epoch: 0 });
  for (let i = 0; i < count; i++) {
    rows(epochAt(i));
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The bytes of a `data:image/png;base64,` URL, or null when it is not a PNG. */
export function decodePngDataUrl(url: string): Uint8Array | null {
  const prefix = 'data:image/png;base64,';
  if (!url.startsWith(prefix)) return null;
  const body = url.slice(prefix.length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return null;
  const bytes = Buffer.from(body, 'base64');
  const magic = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < magic.length || magic.some((b, i) => bytes[i] !== b)) return null;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}
