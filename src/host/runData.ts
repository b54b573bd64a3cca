// One run's data as the host keeps it: what the worker said so far, folded into the snapshot the
// panel draws from (and re-draws from after being hidden), and the exports. Pure: no vscode.

import type { EpochRecord, Finding, LayerStatName, Problem, Report, ReportLayer, StopReason } from '../engine/types';
import { toJson } from '../engine/index';
import type { HeatmapMetric, HostToPanel, RunSnapshot, RunState, WorkerToHost } from '../protocol';
import { uniqueFindings } from './diagnosticData';

export class RunData {
  name = '';
  layers: readonly ReportLayer[] = [];
  params = 0;
  totalEpochs = 0;
  problems: readonly Problem[] = [];
  readonly epochs: EpochRecord[] = [];
  findings: readonly Finding[] = [];
  state: RunState = 'running';
  stopped: StopReason = null;
  error: string | undefined;
  report: Report | undefined;

  constructor(
    readonly id: string,
    readonly fileName: string,
    readonly label: string,
    /** The text that was trained, to tell later whether its findings still apply. */
    readonly text: string,
  ) {}

  get finished(): boolean {
    return this.state !== 'running';
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
        return [];
      case 'epochs':
        this.epochs.push(...msg.records);
        this.findings = uniqueFindings([...this.findings, ...msg.findings]);
        return [...msg.records];
      case 'done': {
        const r = msg.report;
        this.report = r;
        const added = r.epochs.slice(this.epochs.length);
        this.epochs.push(...added);
        this.findings = uniqueFindings(r.findings);
        this.stopped = r.stopped;
        this.state = r.stopped === 'cancelled' ? 'cancelled' : r.stopped === 'nonfinite' ? 'nonfinite' : 'done';
        if (this.layers.length === 0) this.layers = r.network.layers;
        return added;
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

  snapshot(): RunSnapshot {
    return {
      id: this.id,
      label: this.label,
      fileName: this.fileName,
      name: this.name,
      layers: this.layers,
      totalEpochs: this.totalEpochs,
      epochs: this.epochs,
      findings: this.findings,
      state: this.state,
      stopped: this.stopped,
      ...(this.error !== undefined ? { error: this.error } : {}),
    };
  }

  /** The run as the CLI's JSON report (the statistics so far, if it is still running). */
  toJson(): string {
    const report: Report = this.report ?? {
      version: 1,
      network: { name: this.name, params: this.params, layers: this.layers },
      epochs: this.epochs,
      findings: this.findings,
      problems: this.problems,
      stopped: this.stopped,
    };
    return toJson(report, 2);
  }

  /** One row per epoch and layer, with every statistic. */
  toCsv(): string {
    return statisticsCsv(this.layers, this.epochs);
  }
}

/** The panel's `show` for a run: everything it needs to draw it from scratch. */
export function showMessage(run: RunData, metric: HeatmapMetric): HostToPanel {
  return { type: 'show', view: { kind: 'run', run: run.snapshot() }, metric };
}

/** The panel's `progress` for a run: new epochs, the findings so far and the state. */
export function progressMessage(run: RunData, records: readonly EpochRecord[]): HostToPanel {
  return { type: 'progress', runId: run.id, records, findings: run.findings, state: run.state };
}

export const STAT_COLUMNS: readonly LayerStatName[] = [
  'gradRms', 'gradMeanAbs', 'gradMaxAbs', 'deltaRms', 'updateRatio', 'weightRms', 'actMean', 'actStd', 'dead', 'saturated', 'zeroGrad', 'nonFinite',
];

export function statisticsCsv(layers: readonly ReportLayer[], epochs: readonly EpochRecord[]): string {
  const rows = [['epoch', 'loss', 'accuracy', 'layer', 'line', 'activation', ...STAT_COLUMNS].join(',')];
  const num = (v: number | null) => (v === null ? '' : Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
  for (const e of epochs) {
    e.layers.forEach((s, k) => {
      const l = layers[k];
      rows.push([e.epoch, num(e.loss), num(e.accuracy), k, l?.line ?? '', csvField(l?.activation ?? ''), ...STAT_COLUMNS.map((c) => num(s[c]))].join(','));
    });
  }
  return rows.join('\n') + '\n';
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
