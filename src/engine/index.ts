// The engine's front door: check a spec, train it, diagnose the run, build the report. Used by the
// CLI, the worker and the tests alike.

import type { Dataset, EpochRecord, Finding, InitialRecord, PredictedLayer, Problem, Report, ReportLayer, Spec, StopReason } from './types';
import { parseSpec, type ParseOptions, type ParseResult } from './parser';
import { loadData, loadDataNow, type FileRead, type LoadData, type ReadDataFile } from './data/load';
import { dataShape, type DataLoad } from './data/sources';
import { dataMismatches } from './dataMatch';
import { escapeControls } from './escape';
import { budgetProblem, DEFAULT_MEMORY_BUDGET_MB, estimateMemory, type DataSize } from './budget';
import { estimateRunCost, longRunProblem } from './runCost';
import { analyze } from './analysis';
import { paramCount } from './network';
import { Trainer, type TrainOptions } from './train';
import { diagnoseRun } from './findings';
import { EpochHistory, type HistoryOptions } from './history';
import { parseWeights } from './weights';
import { isAllocationFailure } from './allocation';

export { parseSpec } from './parser';
export type { ParseOptions, ParseResult } from './parser';
export { loadData } from './data/load';
export type { FileRead, LoadData, ReadDataFile } from './data/load';
export type { Pause } from './data/csv';
export type { DataLoad } from './data/sources';
export { Trainer } from './train';
export type { TrainOptions } from './train';
export { diagnoseRun, certainFindings, statsOfRecords, thin } from './findings';
export type { RunStats } from './findings';
export { EpochHistory } from './history';
export { reportJsonChunks, ReportJsonStream, toJson } from './reportJson';
export { isAllocationFailure } from './allocation';
export { editsForChange, applyEdits, applyChanges } from './edits';
export type { TextEdit } from './edits';
export { gradcheck, GRADCHECK_LIMIT, GRADCHECK_SCALE } from './gradcheck';
export { escapeControls } from './escape';
export { DEFAULT_MEMORY_BUDGET_MB, estimateMemory } from './budget';
export type { MemoryEstimate } from './budget';
export { estimateRunCost, LONG_RUN_MS } from './runCost';
export { HISTOGRAM, binEdges } from './histogram';
export { paramsOf, parseWeights, weightsJson } from './weights';
export { layerCures } from './layerCures';

export interface CheckResult {
  readonly spec: Spec;
  readonly dataset: Dataset | null;
  /** Parse and static-analysis problems, by line. */
  readonly problems: readonly Problem[];
  readonly predicted: readonly PredictedLayer[];
  /** Whether the spec can be trained: no errors and the data loaded. */
  readonly trainable: boolean;
}

export interface BudgetOptions {
  /** The memory a run may take, in MB (default DEFAULT_MEMORY_BUDGET_MB). */
  readonly memoryBudgetMB?: number;
  /** The epochs the run will train, when not the spec's (`--epochs`). */
  readonly epochs?: number;
}

export interface CheckOptions extends ParseOptions, BudgetOptions {
  /** The data, already loaded (see loadData); without it, only a source that reads no file has samples. */
  readonly data?: DataLoad;
  /** The file of a `weights "PATH"` line, already read; without it such a line is an error (no file access). */
  readonly weights?: FileRead;
}

/** Checks a spec now: its data must be given, or come from a source that reads no file. */
export function check(text: string, options: CheckOptions = {}): CheckResult {
  const parsed = parseSpec(text, options);
  const data = options.data ?? (parsed.spec.data ? loadDataNow(parsed.spec.data) : null);
  return checkParsed(parsed, data, options.weights ?? null, options);
}

/**
 * Checks a spec, reading the files its `data` line names with `read`, or loading its data with
 * `load` (a cache, say); the file of a `weights` line is read with `read` (or `readWeights`).
 */
export async function checkWithFiles(text: string, options: ParseOptions & FileOptions): Promise<CheckResult> {
  return checkParsedWithFiles(parseSpec(text, options), options);
}

/** Where checkWithFiles gets the files a spec names. */
export type FileOptions = BudgetOptions & ({ readonly read: ReadDataFile } | { readonly load: LoadData; readonly readWeights?: ReadDataFile });

/**
 * checkWithFiles for a spec parsed already (by the host, for the worker that trains it): a run
 * parses its text once.
 */
export async function checkParsedWithFiles(parsed: ParseResult, options: FileOptions): Promise<CheckResult> {
  const spec = parsed.spec.data;
  const data = spec === null ? null : 'load' in options ? await options.load(spec) : await loadData(spec, options.read);
  const readWeights = 'load' in options ? options.readWeights : options.read;
  const ref = parsed.spec.weights;
  const weights = ref ? (readWeights ? await readWeights(ref.path) : { ok: false as const, error: 'no file access' }) : null;
  return checkParsed(parsed, data, weights, options);
}

function checkParsed(first: ParseResult, data: DataLoad | null, weightsFile: FileRead | null, options: BudgetOptions): CheckResult {
  const parsed = { ...first, ...loadWeights(first, weightsFile) };
  const lateProblems: Problem[] = [];
  const at = parsed.dataAt;
  if (data && at) {
    const put = (severity: Problem['severity']) => (message: string) => lateProblems.push({ severity, code: 'csv', message, ...at });
    if (data.ok) data.warnings.forEach(put('warning'));
    else data.errors.forEach(put('error'));
    // A source whose shape needed the files is matched now; the others were matched while parsing.
    if (data.ok && parsed.spec.data && dataShape(parsed.spec.data) === null) lateProblems.push(...dataMismatches(data.dataset, parsed.sites));
  }
  const dataset = data?.ok ? data.dataset : null;
  const featureStd = data?.ok ? data.featureStd : null;
  if (parsed.spec.layers.length > 0 && !lateProblems.some((p) => p.severity === 'error')) {
    const size = dataset ?? generatedSize(parsed.spec);
    const estimate = estimateMemory(parsed.spec, size, options.epochs);
    const over = budgetProblem(parsed.spec, estimate, options.memoryBudgetMB ?? DEFAULT_MEMORY_BUDGET_MB);
    const long = size && !over ? longRunProblem(parsed.spec, estimateRunCost(parsed.spec, size, options.epochs), options.epochs) : null;
    for (const p of [over, long]) if (p) lateProblems.push({ ...p, endColumn: Math.max(1, parsed.lineLengths[p.line - 1] ?? 0) });
  }
  const errors = parsed.problems.some((p) => p.severity === 'error') || lateProblems.some((p) => p.severity === 'error');
  const analysis = errors && parsed.spec.layers.length === 0 ? { predicted: [], problems: [] } : analyze(parsed.spec, dataset, featureStd);
  const problems = [...parsed.problems, ...lateProblems, ...analysis.problems].sort((a, b) => a.line - b.line || a.startColumn - b.startColumn);
  return {
    spec: parsed.spec,
    dataset,
    problems: capped(problems).map((p) => ({ ...p, message: escapeControls(p.message) })),
    predicted: analysis.predicted,
    trainable: !errors && dataset !== null && parsed.spec.input !== null && parsed.spec.layers.length > 0,
  };
}

/**
 * Checks the file of a `weights` statement (read by the caller, as data files are) against the
 * layers; its problems go on the statement's line. Skipped while the spec itself has errors, since
 * the shapes to check against are not known then.
 */
function loadWeights(parsed: ParseResult, file: FileRead | null): { spec: Spec; problems: Problem[] } {
  const { spec, problems } = parsed;
  const ref = spec.weights;
  if (!ref || spec.input === null || problems.some((p) => p.severity === 'error')) return { spec, problems };
  const problem = (message: string): Problem => ({ severity: 'error', code: 'weights', message, ...ref.at });
  if (!file) return { spec, problems: [...problems, problem(`Cannot read "${ref.path}" here: no file access.`)] };
  if (!file.ok) return { spec, problems: [...problems, problem(`Cannot read "${ref.path}": ${file.error}.`)] };
  const loaded = parseWeights(new TextDecoder().decode(file.bytes), spec.input, spec.layers);
  if (!loaded.ok) return { spec, problems: [...problems, ...loaded.errors.map((e) => problem(`"${ref.path}": ${e}.`))] };
  return { spec: { ...spec, weights: { ...ref, params: loaded.params } }, problems };
}

/** Problems shown for one file; a file with more gets one more problem that counts the rest (docs/limits.md). */
export const MAX_PROBLEMS = 300;

function capped(problems: Problem[]): Problem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const rest = problems.slice(MAX_PROBLEMS);
  const first = rest[0];
  const more: Problem = {
    severity: rest.some((p) => p.severity === 'error') ? 'error' : rest.some((p) => p.severity === 'warning') ? 'warning' : 'info',
    code: 'limit',
    message: `… and ${rest.length.toLocaleString('en-US')} more problems from this line on (only the first ${MAX_PROBLEMS} are listed).`,
    line: first.line,
    startColumn: first.startColumn,
    endColumn: first.endColumn,
  };
  return [...problems.slice(0, MAX_PROBLEMS), more];
}

/** The size of generated data, known from the spec alone. */
function generatedSize(spec: Spec): DataSize | null {
  const d = spec.data;
  if (d === null || !('samples' in d) || d.source === 'idx') return null;
  return { n: d.samples, features: spec.input ?? 0 };
}

export function reportLayers(result: CheckResult): ReportLayer[] {
  const { spec } = result;
  let fanIn = spec.input ?? 0;
  return spec.layers.map((l, k) => {
    const params = fanIn * l.units + l.units + (l.norm ? 2 * l.units : 0);
    fanIn = l.units;
    const act = l.activation;
    const activation =
      act.kind === 'leaky_relu' && act.slope !== 0.01 ? `leaky_relu(${act.slope})` : act.kind === 'elu' && act.alpha !== 1 ? `elu(${act.alpha})` : act.kind;
    return {
      index: k,
      line: l.line,
      units: l.units,
      activation,
      init: l.initText,
      params,
      predicted: result.predicted[k] ?? { actStd: NaN, deltaRatio: NaN },
      ...(l.norm ? { norm: l.norm } : {}),
      ...(l.residual ? { residual: true as const } : {}),
    };
  });
}

export function buildReport(
  result: CheckResult,
  initial: InitialRecord | null,
  epochs: readonly EpochRecord[],
  findings: readonly Finding[],
  stopped: StopReason,
): Report {
  return {
    version: 1,
    network: { name: result.spec.name, params: paramCount(result.spec.input ?? 0, result.spec.layers), layers: reportLayers(result) },
    initial,
    epochs,
    findings,
    problems: result.problems,
    stopped,
  };
}

export interface RunResult {
  /** The gradient at the initial weights, before any step (null when nothing was trained). */
  readonly initial: InitialRecord | null;
  /** The epochs, by column. */
  readonly history: EpochHistory;
  readonly findings: Finding[];
  readonly stopped: StopReason;
}

/** What a run gives as it goes: its initial record (null when the network could not be allocated), then each epoch. */
export type RunEvent = { readonly kind: 'initial'; readonly initial: InitialRecord | null } | { readonly kind: 'epoch'; readonly record: EpochRecord };

/**
 * Trains a checked spec to the end (or a cancellation), keeping the epochs in an EpochHistory (in
 * float64 unless told otherwise, so a report's numbers are the engine's to the last digit).
 */
export function trainRun(result: CheckResult, options: TrainOptions & { onEpoch?: (r: EpochRecord) => void; history?: HistoryOptions } = {}): RunResult {
  const steps = trainRunSteps(result, options);
  let step = steps.next();
  while (!step.done) {
    if (step.value.kind === 'epoch') options.onEpoch?.(step.value.record);
    step = steps.next();
  }
  return step.value;
}

/**
 * trainRun one event at a time, for a caller that lets other work in between (the CLI's signals).
 * An allocation that fails ends the run with `stopped: "outOfMemory"` and the epochs so far.
 */
export function* trainRunSteps(result: CheckResult, options: TrainOptions & { history?: HistoryOptions } = {}): Generator<RunEvent, RunResult> {
  const layers = result.spec.layers.length;
  const history = new EpochHistory(layers, {
    precision: 'float64',
    capacity: options.epochs ?? result.spec.train.epochs,
    maxHistograms: 1024,
    ...options.history,
  });
  if (!result.trainable || !result.dataset) return { initial: null, history, findings: [], stopped: null };
  let initial: InitialRecord | null = null;
  let stopped: StopReason;
  try {
    const trainer = new Trainer(result.spec, result.dataset, options);
    initial = trainer.initialRecord();
    yield { kind: 'initial', initial };
    const it = trainer.run();
    let step = it.next();
    while (!step.done) {
      history.push(step.value);
      yield { kind: 'epoch', record: step.value };
      step = it.next();
    }
    stopped = step.value;
  } catch (e) {
    if (!isAllocationFailure(e)) throw e;
    if (initial === null) yield { kind: 'initial', initial };
    stopped = 'outOfMemory';
  }
  return { initial, history, findings: diagnoseRun({ spec: result.spec, records: history, stopped }), stopped };
}

/** Trains a checked spec and returns the whole report (for runs of modest length). */
export function trainToReport(result: CheckResult, options: TrainOptions & { onEpoch?: (r: EpochRecord) => void } = {}): Report {
  const run = trainRun(result, options);
  return buildReport(result, run.initial, run.history.records(), run.findings, run.stopped);
}
