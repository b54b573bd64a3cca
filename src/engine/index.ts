// The engine's front door: check a spec, train it, diagnose the run, build the report. Used by the
// CLI, the worker and the tests alike.

import type { Dataset, EpochRecord, Finding, PredictedLayer, Problem, Report, ReportLayer, Spec, StopReason } from './types';
import { parseSpec, type ParseOptions } from './parser';
import { analyze } from './analysis';
import { paramCount } from './network';
import { Trainer, type TrainOptions } from './train';
import { diagnoseRun } from './findings';
import { EpochHistory, type HistoryOptions } from './history';

export type { ParseOptions, ReadResult } from './parser';
export { Trainer } from './train';
export type { TrainOptions } from './train';
export { diagnoseRun, certainFindings, statsOfRecords, thin } from './findings';
export type { RunStats } from './findings';
export { EpochHistory } from './history';
export { editsForChange, applyEdits } from './edits';
export type { TextEdit } from './edits';
export { gradcheck } from './gradcheck';
export { HISTOGRAM, binEdges } from './histogram';

export interface CheckResult {
  readonly spec: Spec;
  readonly dataset: Dataset | null;
  /** Parse and static-analysis problems, by line. */
  readonly problems: readonly Problem[];
  readonly predicted: readonly PredictedLayer[];
  /** Whether the spec can be trained: no errors and the data loaded. */
  readonly trainable: boolean;
}

export function check(text: string, options: ParseOptions = {}): CheckResult {
  const parsed = parseSpec(text, options);
  const errors = parsed.problems.some((p) => p.severity === 'error');
  const analysis = errors && parsed.spec.layers.length === 0 ? { predicted: [], problems: [] } : analyze(parsed.spec, parsed.dataset, parsed.featureStd);
  const problems = [...parsed.problems, ...analysis.problems].sort((a, b) => a.line - b.line || a.startColumn - b.startColumn);
  return {
    spec: parsed.spec,
    dataset: parsed.dataset,
    problems,
    predicted: analysis.predicted,
    trainable: !errors && parsed.dataset !== null && parsed.spec.input !== null && parsed.spec.layers.length > 0,
  };
}

export function reportLayers(result: CheckResult): ReportLayer[] {
  const { spec } = result;
  let fanIn = spec.input ?? 0;
  return spec.layers.map((l, k) => {
    const params = fanIn * l.units + l.units;
    fanIn = l.units;
    const act = l.activation;
    const activation = act.kind === 'leaky_relu' && act.slope !== 0.01 ? `leaky_relu(${act.slope})` : act.kind === 'elu' && act.alpha !== 1 ? `elu(${act.alpha})` : act.kind;
    return { index: k, line: l.line, units: l.units, activation, init: l.initText, params, predicted: result.predicted[k] ?? { actStd: NaN, deltaRatio: NaN } };
  });
}

export function buildReport(result: CheckResult, epochs: readonly EpochRecord[], findings: readonly Finding[], stopped: StopReason): Report {
  return {
    version: 1,
    network: { name: result.spec.name, params: paramCount(result.spec.input ?? 0, result.spec.layers), layers: reportLayers(result) },
    epochs,
    findings,
    problems: result.problems,
    stopped,
  };
}

export interface RunResult {
  /** The epochs, by column. */
  readonly history: EpochHistory;
  readonly findings: Finding[];
  readonly stopped: StopReason;
}

/**
 * Trains a checked spec to the end (or a cancellation), keeping the epochs in an EpochHistory (in
 * float64 unless told otherwise, so a report's numbers are the engine's to the last digit).
 */
export function trainRun(result: CheckResult, options: TrainOptions & { onEpoch?: (r: EpochRecord) => void; history?: HistoryOptions } = {}): RunResult {
  const layers = result.spec.layers.length;
  const history = new EpochHistory(layers, { precision: 'float64', capacity: options.epochs ?? result.spec.train.epochs, maxHistograms: 1024, ...options.history });
  if (!result.trainable || !result.dataset) return { history, findings: [], stopped: null };
  const it = new Trainer(result.spec, result.dataset, options).run();
  let step = it.next();
  while (!step.done) {
    history.push(step.value);
    options.onEpoch?.(step.value);
    step = it.next();
  }
  const stopped = step.value;
  return { history, findings: diagnoseRun({ spec: result.spec, records: history, stopped }), stopped };
}

/** Trains a checked spec and returns the whole report (for runs of modest length). */
export function trainToReport(result: CheckResult, options: TrainOptions & { onEpoch?: (r: EpochRecord) => void } = {}): Report {
  const run = trainRun(result, options);
  return buildReport(result, run.history.records(), run.findings, run.stopped);
}

/**
 * Writes the report as JSON piece by piece, one epoch a line, so a long run is never held as
 * records or as one string. The same document as toJson(buildReport(…)), laid out differently.
 */
export function writeReportJson(write: (chunk: string) => void, result: CheckResult, run: RunResult): void {
  const head = buildReport(result, [], run.findings, run.stopped);
  // Pretty-printed as toJson(…, 2) would, one level in, except each epoch on a line of its own.
  const field = (value: unknown) => toJson(value, 2).replace(/\n/g, '\n  ');
  write(`{\n  "version": ${head.version},\n  "network": ${field(head.network)},\n  "epochs": [`);
  for (let i = 0; i < run.history.length; i++) write(`${i === 0 ? '' : ','}\n    ${toJson(run.history.record(i))}`);
  write(`${run.history.length > 0 ? '\n  ' : ''}],\n  "findings": ${field(head.findings)},\n  "problems": ${field(head.problems)},\n  "stopped": ${field(head.stopped)}\n}\n`);
}

/** JSON with non-finite numbers as null, as the report format requires. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), indent);
}
