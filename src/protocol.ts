// Every message that crosses a thread or a webview boundary, as discriminated unions. The host,
// the training worker and the panel's page all import this module, so a `switch (msg.type)` on any
// side is checked by the compiler against what the other side may send.

import type { ParseResult } from './engine/parser';
import type { EpochRecord, Finding, InitialRecord, Problem, ReportLayer, StopReason, Report, Thresholds } from './engine/types';
import type { LrCheck } from './engine/lrCheck';
import { HEATMAP_METRICS, isOneOf, LR_MAX, type HeatmapMetric, type RunState } from './shared/vocabulary';

export { HEATMAP_METRICS, type HeatmapMetric, type RunState };

// ---------------------------------------------------------------- host <-> training worker

export const RUN_MODES = ['train', 'lrFind'] as const;
export type RunMode = (typeof RUN_MODES)[number];

export interface StartTraining {
  readonly type: 'start';
  readonly mode: RunMode;
  /**
   * The spec, parsed once by the host (which needs it anyway: Compare's variants, the checks before
   * a run); the worker loads its data and trains it without parsing the text again.
   */
  readonly parsed: ParseResult;
  /** Absolute path of the .nnspec file; CSV paths resolve against its folder. */
  readonly fileName: string;
  /** Int32Array view over this buffer; the host stores 1 at index 0 to cancel. */
  readonly cancel: SharedArrayBuffer;
  /** Overrides of the spec's `train` options (Compare variants use neither). */
  readonly epochs?: number;
  readonly seed?: number;
  /** Thresholds from the user's settings, used when the spec has no `diagnose` line of its own. */
  readonly thresholds?: ThresholdOverrides;
  /** The memory this run may take, in MB (its share, when Compare runs several at once). */
  readonly memoryBudgetMB?: number;
}

export interface WorkerStarted {
  readonly type: 'started';
  readonly name: string;
  readonly layers: readonly ReportLayer[];
  readonly params: number;
  readonly epochs: number;
  readonly problems: readonly Problem[];
  /** The gradient at the initial weights, before any step (the heatmap's epoch 0); null if cancelled first. */
  readonly initial: InitialRecord | null;
}
export interface WorkerEpochs {
  readonly type: 'epochs';
  readonly records: readonly EpochRecord[];
  /** Findings already certain (they cannot be undone by later epochs). */
  readonly findings: readonly Finding[];
}
export interface WorkerDone {
  readonly type: 'done';
  /**
   * The report; the training worker sends it with `epochs: []`, every epoch having gone out in
   * `epochs` messages before it (a long run is never one message). A receiver keeps epochs it
   * finds here beyond those streamed.
   */
  readonly report: Report;
}
export interface WorkerRejected {
  /** The spec has errors; nothing was trained. */
  readonly type: 'rejected';
  readonly problems: readonly Problem[];
}
export interface LrFindPoint {
  readonly lr: number;
  readonly loss: number;
  readonly smoothed: number;
}
export interface WorkerLrFound {
  readonly type: 'lrFound';
  readonly points: readonly LrFindPoint[];
  readonly suggested: number | null;
  /** The spec's own lr (of the parse the host sent). */
  readonly currentLr: number;
  /** The suggestion checked against short trainings; null when cancelled before the check. */
  readonly check: LrCheck | null;
}
export interface WorkerFailed {
  readonly type: 'failed';
  readonly message: string;
  readonly stack?: string;
}
export type WorkerToHost = WorkerStarted | WorkerEpochs | WorkerDone | WorkerRejected | WorkerLrFound | WorkerFailed;

// ---------------------------------------------------------------- host <-> panel

/**
 * A run's records by column, holding what the panel draws and nothing else (issue 15): the epoch,
 * the loss, the accuracy, and per heatmap metric one column per layer. Record i is `epoch[i]` (a
 * bucket's last epoch when the run's stride is over 1) and `stats[metric][layer][i]` its value. The
 * arrays are typed, so webview.postMessage carries them as binary rather than as JSON; NaN stands
 * for a missing value (a regression's accuracy), and non-finite statistics stay what they are.
 * Histograms are not here: the page asks for one when a cell is clicked.
 */
export interface RecordColumns {
  readonly epoch: Int32Array;
  readonly loss: Float32Array;
  readonly accuracy: Float32Array;
  readonly stats: { readonly [M in HeatmapMetric]: readonly Float32Array[] };
}

/** Everything the panel needs to draw one run from scratch (after a reload or when first shown). */
export interface RunSnapshot {
  readonly id: string;
  /** Label shown above the run (the file name, or the Compare variant). */
  readonly label: string;
  readonly fileName: string;
  readonly name: string;
  readonly layers: readonly ReportLayer[];
  readonly totalEpochs: number;
  /**
   * One record per epoch, or, when `stride` is over 1, one per bucket of `stride` consecutive
   * epochs (src/host/panel/aggregate.ts): a record then covers the epochs after the previous record's up
   * to its own `epoch` (the bucket's last), and its statistics are the bucket's aggregates.
   */
  readonly records: RecordColumns;
  /** Epochs per record, a power of two; absent for 1. A long run's snapshot stays at most PANEL_EPOCH_CAP records. */
  readonly stride?: number;
  readonly findings: readonly Finding[];
  readonly state: RunState;
  readonly stopped: StopReason;
  readonly error?: string;
  /** The gradient at the initial weights, before any step (the contract's initial record): one record, epoch 0. */
  readonly initial?: RecordColumns;
  /**
   * The heatmap's label of each layer's row, when the host has more to say than "L3 · line 8 ·
   * relu" (for example that a layer is residual or normalized); the page's own label otherwise.
   */
  readonly rowLabels?: readonly string[];
}

/** The records a RecordColumns holds. */
export function recordCount(columns: RecordColumns): number {
  return columns.epoch.length;
}

/** Most records a run's snapshot holds; a longer run is sent as bucket aggregates (`stride`). */
export const PANEL_EPOCH_CAP = 2000;

/** One short training of the check, as the page's table shows it (the host words it). */
export interface LrTrialRow {
  readonly lr: number;
  /** Why it was tried: "suggested ×3", "file"… */
  readonly roles: string;
  /** Its loss over the training set, or "diverged at step N". */
  readonly result: string;
  readonly best: boolean;
  readonly isFile: boolean;
}

export interface LrFindSnapshot {
  readonly fileName: string;
  readonly points: readonly LrFindPoint[];
  readonly suggested: number | null;
  readonly currentLr: number;
  /** The short trainings and what they found (lrCheckSummary); null when the sweep was cancelled before them. */
  readonly check: { readonly steps: number; readonly trials: readonly LrTrialRow[]; readonly summary: string } | null;
}

export interface CompareVariantSnapshot {
  readonly variantId: string;
  /** One line for the verdict under the heatmap. */
  readonly verdict: string;
  readonly run: RunSnapshot;
}

export type PanelView =
  | { readonly kind: 'run'; readonly run: RunSnapshot }
  | { readonly kind: 'compare'; readonly fileName: string; readonly variants: readonly CompareVariantSnapshot[] }
  | { readonly kind: 'lrFind'; readonly lrFind: LrFindSnapshot };

export type HostToPanel =
  | { readonly type: 'show'; readonly view: PanelView; readonly metric: HeatmapMetric }
  /** Appends epochs and replaces findings of the run with this id (in a run or compare view). */
  | {
      readonly type: 'progress';
      readonly runId: string;
      /** Records of the same kind as the run's snapshot: bucket aggregates when `stride` is over 1. */
      readonly records: RecordColumns;
      /** Epochs per record (absent: 1); records of a stride other than the page's run are not appended (a new 'show' follows). */
      readonly stride?: number;
      readonly findings: readonly Finding[];
      readonly state: RunState;
      readonly verdict?: string;
    }
  /** Whether the file's statements changed since the shown content was trained (its findings no longer describe the text). */
  | { readonly type: 'outOfDate'; readonly outOfDate: boolean }
  /** The answer to the page's 'histogram': the counts of that record's layer, or null when none was kept. */
  | (HistogramRequest & { readonly type: 'histogram'; readonly epoch: number; readonly counts: readonly number[] | null });

/** One layer's gradient histogram at one record of a run, as the page numbers them (record index at `stride`). */
export interface HistogramRequest {
  readonly runId: string;
  readonly stride: number;
  readonly record: number;
  readonly layer: number;
}

export type PanelToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'revealLayer'; readonly fileName: string; readonly line: number }
  | { readonly type: 'export'; readonly format: 'csv' | 'json' }
  | { readonly type: 'exportPng'; readonly dataUrl: string }
  | { readonly type: 'metricChanged'; readonly metric: HeatmapMetric }
  | { readonly type: 'applyVariant'; readonly variantId: string }
  | { readonly type: 'applyLr'; readonly lr: number }
  /** Applies fix `fixIndex` of finding `findingIndex` of the shown run (as the editor's quick fix does). */
  | { readonly type: 'applyFix'; readonly findingIndex: number; readonly fixIndex: number }
  /** Trains the shown run's file again (its current text). */
  | { readonly type: 'rerun' }
  /** Asks for a histogram (a heatmap cell was clicked); the host answers with a 'histogram'. */
  | (HistogramRequest & { readonly type: 'histogram' });

/** State the page keeps with setState, so a hidden or reloaded panel redraws at once. */
export interface PanelState {
  readonly view: PanelView | null;
  readonly metric: HeatmapMetric;
}

// ---------------------------------------------------------------- validation of what arrives

/** Thresholds from settings; a spec's own `diagnose` line wins over them. */
export type ThresholdOverrides = Partial<Thresholds>;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isIndex = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;

/**
 * Checks a message from the panel's page field by field (the page is untrusted input): the tag,
 * and every field the host reads, with the type and range the host relies on. Extra fields are
 * ignored.
 */
export function isPanelToHost(x: unknown): x is PanelToHost {
  if (!isRecord(x) || typeof x.type !== 'string') return false;
  switch (x.type) {
    case 'ready':
      return true;
    case 'revealLayer':
      return typeof x.fileName === 'string' && x.fileName.length > 0 && x.fileName.length < 4096 && Number.isInteger(x.line) && (x.line as number) >= 1;
    case 'export':
      return x.format === 'csv' || x.format === 'json';
    case 'exportPng':
      return typeof x.dataUrl === 'string' && x.dataUrl.startsWith('data:image/png;base64,');
    case 'metricChanged':
      return isOneOf(HEATMAP_METRICS, x.metric);
    case 'applyVariant':
      return typeof x.variantId === 'string' && x.variantId.length > 0;
    case 'applyLr':
      return isFiniteNumber(x.lr) && x.lr > 0 && x.lr <= LR_MAX;
    case 'applyFix':
      return Number.isInteger(x.findingIndex) && (x.findingIndex as number) >= 0 && Number.isInteger(x.fixIndex) && (x.fixIndex as number) >= 0;
    case 'rerun':
      return true;
    case 'histogram':
      return (
        typeof x.runId === 'string' && x.runId.length > 0 && isIndex(x.record) && isIndex(x.layer) && Number.isInteger(x.stride) && (x.stride as number) >= 1
      );
    default:
      return false;
  }
}

const isOptional = (x: unknown, ok: (v: unknown) => boolean) => x === undefined || ok(x);
const isPositiveInteger = (x: unknown) => Number.isInteger(x) && (x as number) > 0;

/**
 * What is wrong with a start message the worker received, or null when it has every field the
 * worker reads, of the right type: the tag, the mode, the file name, the cancel buffer, the parse
 * result's parts (their contents are the host's own parser's) and the optional overrides.
 */
export function startTrainingProblem(x: unknown): string | null {
  if (!isRecord(x) || x.type !== 'start') return 'not a start message';
  if (!isOneOf(RUN_MODES, x.mode)) return `mode ${JSON.stringify(x.mode)} is not one of ${RUN_MODES.join(', ')}`;
  if (typeof x.fileName !== 'string' || x.fileName.length === 0) return 'fileName is not a file name';
  if (!(x.cancel instanceof SharedArrayBuffer) || x.cancel.byteLength < 4) return 'cancel is not a SharedArrayBuffer of at least 4 bytes';
  const p = x.parsed;
  if (!isRecord(p)) return 'parsed is not a parse result';
  if (!isRecord(p.spec) || !Array.isArray(p.spec.layers)) return 'parsed.spec is not a spec';
  if (!Array.isArray(p.problems)) return 'parsed.problems is not a list';
  if (!isRecord(p.sites)) return 'parsed.sites is missing';
  if (!(p.dataAt === null || isRecord(p.dataAt))) return 'parsed.dataAt is neither null nor a range';
  if (!Array.isArray(p.lineLengths)) return 'parsed.lineLengths is not a list';
  if (!isOptional(x.epochs, isPositiveInteger)) return 'epochs is not a positive integer';
  if (!isOptional(x.seed, isFiniteNumber)) return 'seed is not a number';
  if (!isOptional(x.memoryBudgetMB, (v) => isFiniteNumber(v) && v > 0)) return 'memoryBudgetMB is not a positive number';
  if (!isOptional(x.thresholds, isRecord)) return 'thresholds is not an object';
  return null;
}

const WORKER_TYPES: ReadonlySet<string> = new Set<WorkerToHost['type']>(['started', 'epochs', 'done', 'rejected', 'lrFound', 'failed']);

/** A shallow check of a message from the training worker (our own bundle): an object with a known tag. */
export function isWorkerToHost(x: unknown): x is WorkerToHost {
  return isRecord(x) && typeof x.type === 'string' && WORKER_TYPES.has(x.type);
}
