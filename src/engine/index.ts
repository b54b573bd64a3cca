// The engine's front door: check a spec, train it, diagnose the run, build the report. Used by the
// CLI, the worker and the tests alike.

import type { Dataset, EpochRecord, Finding, PredictedLayer, Problem, Report, ReportLayer, Spec, StopReason } from './types';
import { parseSpec, type ParseOptions } from './parser';
import { analyze } from './analysis';
import { paramCount } from './network';
import { Trainer, type TrainOptions } from './train';
import { diagnoseRun } from './findings';

export type { ParseOptions, ReadResult } from './parser';
export { Trainer } from './train';
export type { TrainOptions } from './train';
export { diagnoseRun, certainFindings } from './findings';
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

/** Trains a checked spec to the end (or a cancellation) and returns the report. */
export function trainToReport(result: CheckResult, options: TrainOptions & { onEpoch?: (r: EpochRecord) => void } = {}): Report {
  if (!result.trainable || !result.dataset) return buildReport(result, [], [], null);
  const trainer = new Trainer(result.spec, result.dataset, options);
  const records: EpochRecord[] = [];
  const it = trainer.run();
  let step = it.next();
  while (!step.done) {
    records.push(step.value);
    options.onEpoch?.(step.value);
    step = it.next();
  }
  const stopped = step.value;
  return buildReport(result, records, diagnoseRun({ spec: result.spec, records, stopped }), stopped);
}

/** JSON with non-finite numbers as null, as the report format requires. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), indent);
}
