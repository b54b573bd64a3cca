// The `nnspec` command line: check, train, gradcheck. The engine does the work; this file reads
// files, parses arguments and prints.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  applyChanges,
  buildReport,
  checkWithFiles,
  DEFAULT_MEMORY_BUDGET_MB,
  escapeControls,
  gradcheck,
  GRADCHECK_LIMIT,
  paramsOf,
  toJson,
  Trainer,
  trainRun,
  trainRunSteps,
  weightsJson,
  ReportJsonStream,
  type BudgetOptions,
  type CheckResult,
} from '../engine/index';
import { parseNumber } from '../engine/lexer';
import { dataFileReader, readRegularFile } from '../node/dataFiles';
import { timeSlices } from '../node/timeSlices';
import { version } from '../../package.json';
import type { Dataset, EpochRecord, Problem, Severity } from '../engine/types';
import { sci } from '../shared/numbers';
import { findLearningRate } from '../engine/lrfind';
import { checkLearningRates, lrCheckSummary, roundLr, trialResult } from '../engine/lrCheck';
import { heatmap, layerTable, lrPlot, progressBar, speedOfLearningText } from './terminal';
import { importToFiles } from './import';

const USAGE = `Usage:
  nnspec check FILE... [--json] [--memory-budget MB]
  nnspec train FILE [--epochs N] [--seed S] [--json] [--fail-on warning|error] [--no-color] [--width N] [--memory-budget MB]
  nnspec gradcheck FILE [--json] [--memory-budget MB]
  nnspec lr-find FILE [--json] [--memory-budget MB]
  nnspec import MODEL [-o OUT.nnspec] [--data "SOURCE options"]
  nnspec weights FILE [--seed S] [--trained] [--epochs N]
  nnspec fix FILE [--dry-run]
  nnspec help | --help | -h        nnspec --version

check      prints the problems of each file as file:line:col: severity: message; exit 1 on errors
train      trains, then prints a heatmap of gradient magnitude (layers × epochs), a layer table
           and the findings; --json prints the report; --fail-on sets which findings fail (exit 1)
gradcheck  compares analytic gradients with central differences in float64 on a small batch;
           exit 1 when a layer's worst relative error is above 1e-6; an entry under 1e-3 of its
           layer's largest gradient, or under what the differences resolve, is measured against
           that instead (its own size is noise there: docs/limits.md)
lr-find    the learning-rate range test: raises lr from 1e-6 to 10 over 300 steps from the initial
           weights, plots the smoothed loss against lr and suggests the lr where it falls fastest;
           then trains the suggestion, ×3, ÷3 and the file's lr briefly and says which trained best
import     reads a TensorFlow.js model.json (weights beside it), a Keras model.to_json() file or an
           ONNX file, and writes OUT.nnspec (default: beside MODEL) and OUT.weights.json; --data
           sets its data line (default: data normal, stand-in samples); exit 1 when a layer or op
           cannot be represented (nothing is written then)
weights    prints the parameters as JSON (W [input][unit], b, and gamma, beta on norm layers): as
           initialised with the spec's seed (or --seed), or with --trained after training (for
           --epochs N, default the spec's); a \`weights "PATH"\` line starts a spec from such a file
fix        trains, then applies the first fix of every warning and error finding (what Ctrl+. offers
           first in the editor) and writes the file; --dry-run prints the changed lines instead

--memory-budget MB  the memory a run may take (default ${DEFAULT_MEMORY_BUDGET_MB}); a spec whose estimate is
                    above it is an error on the line that drives it (docs/limits.md)
Numbers are written as in a spec: 100, 1e3, 0.5 (not 0x10).
`;

/** The signals that stop a run, and the exit status after one (128 + its number, as a shell reports it). */
export const EXIT_OF_SIGNAL = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof EXIT_OF_SIGNAL;

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  /** Whether stderr is a terminal: the progress bar is drawn only there. */
  readonly progress: boolean;
  /** Whether stdout takes colours (a terminal, and NO_COLOR unset). */
  readonly color: boolean;
  /** The signal received since the command started, if any: `train` then stops and writes what it has. */
  readonly interrupted?: () => StopSignal | null;
}

class UsageError extends Error {}

interface Args {
  readonly command: string;
  readonly files: string[];
  readonly flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['--epochs', '--seed', '--fail-on', '--width', '-o', '--data', '--memory-budget']);
const BOOL_FLAGS = new Set(['--json', '--no-color', '--help', '--trained', '--dry-run', '--version']);
// Short spellings of boolean flags.
const ALIASES: Record<string, string> = { '-h': '--help' };

function parseArgs(argv: readonly string[]): Args {
  const [command = '', ...rest] = argv;
  const files: string[] = [];
  const flags = new Map<string, string | true>();
  if (ALIASES[command] ?? BOOL_FLAGS.has(command)) {
    // `nnspec --help`, `nnspec -h`, `nnspec --version`: a flag in the command's place.
    flags.set(ALIASES[command] ?? command, true);
    return { command: '', files: rest, flags };
  }
  for (let i = 0; i < rest.length; i++) {
    const a = ALIASES[rest[i]] ?? rest[i];
    if (VALUE_FLAGS.has(a)) {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      flags.set(a, v);
    } else if (BOOL_FLAGS.has(a)) flags.set(a, true);
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  return { command, files, flags };
}

function intFlag(args: Args, name: string, min: number, max: number): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  // As the spec reads numbers, so `--epochs 0x10` is refused as `epochs=0x10` is.
  const n = typeof v === 'string' ? parseNumber(v) : null;
  if (n === null || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not ${String(v)}`);
  return n;
}

/** The budget of --memory-budget, and the epochs the run will train (for the estimate). */
function budgetOf(args: Args, epochs?: number): BudgetOptions {
  const mb = intFlag(args, '--memory-budget', 1, 10_000_000);
  return { ...(mb !== undefined ? { memoryBudgetMB: mb } : {}), ...(epochs !== undefined ? { epochs } : {}) };
}

async function load(file: string, budget: BudgetOptions): Promise<{ text: string; result: CheckResult } | { error: string }> {
  const read = await readRegularFile(resolve(file));
  if (!read.ok) return { error: `${file}: cannot read: ${read.error}` };
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(read.bytes);
  return { text, result: await checkWithFiles(text, { fileName: file, read: dataFileReader(resolve(file)), ...budget }) };
}

function formatProblem(file: string, p: Problem): string {
  return `${escapeControls(file)}:${p.line}:${p.startColumn + 1}: ${p.severity}: ${p.message} [${p.code}]`;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export async function main(argv: readonly string[], io: Io): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.err(`nnspec: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.flags.has('--version')) {
    io.out(`nnspec ${version}\n`);
    return 0;
  }
  if (args.command === 'help' || args.flags.has('--help')) {
    io.out(USAGE);
    return 0;
  }
  if (args.command === '') {
    io.err(USAGE);
    return 2;
  }
  try {
    switch (args.command) {
      case 'check':
        return await runCheck(args, io);
      case 'train':
        return await runTrain(args, io);
      case 'gradcheck':
        return await runGradcheck(args, io);
      case 'lr-find':
        return await runLrFind(args, io);
      case 'import':
        return await runImport(args, io);
      case 'weights':
        return await runWeights(args, io);
      case 'fix':
        return await runFix(args, io);
      default:
        io.err(`nnspec: unknown command '${args.command}'\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`nnspec: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function runCheck(args: Args, io: Io): Promise<number> {
  if (args.files.length === 0) throw new UsageError('check needs at least one FILE');
  let failed = false;
  const all: { file: string; problems: readonly Problem[] }[] = [];
  const budget = budgetOf(args);
  for (const file of args.files) {
    const loaded = await load(file, budget);
    if ('error' in loaded) {
      io.err(`${loaded.error}\n`);
      failed = true;
      continue;
    }
    all.push({ file, problems: loaded.result.problems });
    if (loaded.result.problems.some((p) => p.severity === 'error')) failed = true;
  }
  if (args.flags.has('--json')) io.out(toJson(all, 2) + '\n');
  else for (const { file, problems } of all) for (const p of problems) io.out(formatProblem(file, p) + '\n');
  return failed ? 1 : 0;
}

function single(args: Args): string {
  if (args.files.length !== 1) throw new UsageError(`${args.command} takes exactly one FILE`);
  return args.files[0];
}

async function runTrain(args: Args, io: Io): Promise<number> {
  const file = single(args);
  const failOn = args.flags.get('--fail-on');
  if (failOn !== undefined && failOn !== 'warning' && failOn !== 'error') throw new UsageError('--fail-on takes warning or error');
  const epochs = intFlag(args, '--epochs', 1, 100000);
  const seed = intFlag(args, '--seed', 0, 2 ** 32 - 1);
  const width = intFlag(args, '--width', 10, 1000) ?? 60;
  const json = args.flags.has('--json');
  const loaded = await load(file, budgetOf(args, epochs));
  if ('error' in loaded) {
    io.err(`${loaded.error}\n`);
    return 1;
  }
  const { result } = loaded;
  for (const p of result.problems) if (!json || p.severity === 'error') io.err(formatProblem(file, p) + '\n');
  if (!result.trainable) {
    if (json) io.out(toJson(buildReport(result, null, [], [], null), 2) + '\n');
    io.err(`${file}: not trained: fix the errors above first\n`);
    return 1;
  }
  const total = epochs ?? result.spec.train.epochs;
  let lastDraw = 0;
  const onEpoch = (r: EpochRecord) => {
    const now = Date.now();
    if (io.progress && (now - lastDraw > 100 || r.epoch === total)) {
      lastDraw = now;
      io.err(`\r${progressBar(r.epoch, total, r.loss)}`);
    }
  };
  const report = json ? new ReportJsonStream(io.out, buildReport(result, null, [], [], null), total) : null;
  const steps = trainRunSteps(result, { epochs, seed, isCancelled: () => io.interrupted?.() != null });
  // Between epochs the event loop runs now and then, so a signal can stop the run (io.interrupted).
  const pause = timeSlices(20);
  let step = steps.next();
  while (!step.done) {
    if (step.value.kind === 'initial') report?.start(step.value.initial);
    else {
      onEpoch(step.value.record);
      report?.epoch(step.value.record);
      const waiting = pause();
      if (waiting) {
        report?.flush();
        await waiting;
      }
    }
    step = steps.next();
  }
  const run = step.value;
  if (io.progress) io.err('\n');
  const findings = run.findings;
  const signal = run.stopped === 'cancelled' ? io.interrupted?.() : null;
  if (signal) io.err(`${escapeControls(file)}: interrupted by ${signal} after ${run.history.length} epochs${json ? '; the report holds them' : ''}\n`);
  if (run.stopped === 'outOfMemory')
    io.err(
      `${escapeControls(file)}: out of memory after ${run.history.length} epochs: an allocation failed (the machine has less memory than the budget admitted); lower the batch, the layers' width or the samples\n`,
    );
  if (report) {
    report.end(findings, run.stopped);
  } else {
    const style = { color: io.color && !args.flags.has('--no-color') };
    const layers = buildReport(result, run.initial, [], findings, run.stopped).network;
    const last = run.history.length > 0 ? run.history.record(run.history.length - 1) : undefined;
    io.out(`${layers.name}: ${layers.layers.length} layers, ${layers.params} parameters, ${run.history.length} epochs`);
    if (last) io.out(`, final loss ${last.loss.toFixed(4)}${last.accuracy !== null ? `, accuracy ${(last.accuracy * 100).toFixed(1)}%` : ''}`);
    io.out(run.stopped ? ` (stopped: ${run.stopped})\n\n` : '\n\n');
    io.out('Gradient magnitude ∂L/∂W RMS per layer and epoch:\n');
    io.out(heatmap(layers.layers, run.history, 'gradRms', width, style) + '\n');
    io.out(layerTable(layers.layers, last, findings) + '\n');
    const speed = speedOfLearningText(run.initial, last);
    if (speed) io.out(speed + '\n');
    if (findings.length === 0) io.out('No findings: the gradient flows through every layer.\n');
    for (const f of findings) {
      io.out(`${escapeControls(file)}:${f.line}: ${f.severity}: ${f.kind}: ${escapeControls(f.message)}\n`);
      for (const fix of f.fixes) io.out(`    fix: ${fix.title}\n`);
    }
  }
  if (signal) return EXIT_OF_SIGNAL[signal];
  if (run.stopped === 'outOfMemory') return 1;
  const threshold = failOn === undefined ? null : RANK[failOn as Severity];
  if (threshold !== null && findings.some((f) => RANK[f.severity] >= threshold)) return 1;
  return 0;
}

/** The one FILE of a command that trains, checked; its errors go to stderr and null means exit 1. */
async function loadTrainable(args: Args, io: Io): Promise<{ file: string; text: string; result: CheckResult; dataset: Dataset } | null> {
  const file = single(args);
  const loaded = await load(file, budgetOf(args));
  if ('error' in loaded) {
    io.err(`${loaded.error}\n`);
    return null;
  }
  const { result } = loaded;
  for (const p of result.problems) if (p.severity === 'error') io.err(formatProblem(file, p) + '\n');
  return result.trainable && result.dataset ? { file, text: loaded.text, result, dataset: result.dataset } : null;
}

async function runGradcheck(args: Args, io: Io): Promise<number> {
  const loaded = await loadTrainable(args, io);
  if (!loaded) return 1;
  const { result, dataset } = loaded;
  const rows = gradcheck(result.spec, dataset);
  const limit = GRADCHECK_LIMIT;
  if (args.flags.has('--json')) io.out(toJson(rows, 2) + '\n');
  else {
    io.out('layer  line  checked  worst relative error\n');
    for (const r of rows)
      io.out(
        `${String(r.layer).padEnd(5)}  ${String(r.line).padEnd(4)}  ${String(r.checked).padEnd(7)}  ${r.worstRelativeError.toExponential(2)}${r.worstRelativeError > limit ? '  FAIL' : ''}\n`,
      );
  }
  return rows.some((r) => !(r.worstRelativeError <= limit)) ? 1 : 0;
}

async function runLrFind(args: Args, io: Io): Promise<number> {
  const loaded = await loadTrainable(args, io);
  if (!loaded) return 1;
  const { result, dataset } = loaded;
  const found = findLearningRate(result.spec, dataset);
  const check = checkLearningRates(result.spec, dataset, found.suggested);
  const lr = result.spec.optimizer.lr;
  if (args.flags.has('--json')) {
    io.out(toJson({ current: lr, ...found, check }, 2) + '\n');
    return 0;
  }
  io.out(lrPlot(found.points, { suggested: found.suggested, current: lr }, 60, 14));
  if (found.suggested === null) io.out(`\nThe loss never fell as lr rose: no suggestion (the file uses lr=${lr}). Look for vanishing or dead layers first.\n`);
  else io.out(`\nSuggested lr: ${roundLr(found.suggested)} (where the loss falls fastest); the file uses lr=${lr}.\n`);
  io.out(`\nShort trainings, ${check.steps} steps each from the same initial weights (loss over the training set):\n`);
  const best = check.verdict.kind === 'best' ? check.verdict.lr : null;
  for (const t of check.trials) io.out(`  ${t.lr === best ? '*' : ' '} lr ${sci(t.lr).padEnd(9)} ${t.roles.join(', ').padEnd(22)} ${trialResult(t)}\n`);
  io.out(`${lrCheckSummary(check)}\n`);
  return 0;
}

async function runImport(args: Args, io: Io): Promise<number> {
  const model = single(args);
  const out = args.flags.get('-o');
  const data = args.flags.get('--data');
  const specPath = importToFiles(model, { out: typeof out === 'string' ? out : undefined, data: typeof data === 'string' ? data : undefined }, io);
  if (specPath === null) return 1;
  const loaded = await load(specPath, budgetOf(args));
  if ('error' in loaded) {
    io.err(`${loaded.error}\n`);
    return 1;
  }
  for (const p of loaded.result.problems) io.err(formatProblem(specPath, p) + '\n');
  return loaded.result.problems.some((p) => p.severity === 'error') ? 1 : 0;
}

async function runWeights(args: Args, io: Io): Promise<number> {
  const seed = intFlag(args, '--seed', 0, 2 ** 32 - 1);
  const epochs = intFlag(args, '--epochs', 1, 100000);
  const trained = args.flags.has('--trained');
  if (epochs !== undefined && !trained) throw new UsageError('--epochs applies with --trained');
  const loaded = await loadTrainable(args, io);
  if (!loaded) return 1;
  const { result, dataset } = loaded;
  const trainer = new Trainer(result.spec, dataset, { seed, epochs, statistics: false });
  if (trained) {
    const run = trainer.run();
    let step = run.next();
    while (!step.done) step = run.next();
    if (step.value) io.err(`${loaded.file}: training stopped early (${step.value}); these are the parameters at that point\n`);
  }
  io.out(weightsJson(paramsOf(trainer.net), result.spec.input ?? 0));
  return 0;
}

async function runFix(args: Args, io: Io): Promise<number> {
  const loaded = await loadTrainable(args, io);
  if (!loaded) return 1;
  const { file, text, result } = loaded;
  const run = trainRun(result, {});
  const applied = run.findings.filter((f) => f.severity !== 'info' && f.fixes.length > 0);
  if (applied.length === 0) {
    io.out(`${file}: nothing to fix (${run.findings.length === 0 ? 'no findings' : 'only info findings'})\n`);
    return 0;
  }
  for (const f of applied) io.out(`${file}:${f.line}: ${f.kind}: ${f.fixes[0].title}\n`);
  const fixed = applyChanges(
    text,
    applied.map((f) => f.fixes[0].change),
  );
  const before = text.split(/\r?\n/);
  const after = fixed.split(/\r?\n/);
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    if (before[i] === after[i]) continue;
    if (before[i] !== undefined) io.out(`  ${i + 1} - ${before[i]}\n`);
    if (after[i] !== undefined) io.out(`  ${i + 1} + ${after[i]}\n`);
  }
  if (args.flags.has('--dry-run')) io.out('(dry run: the file is unchanged)\n');
  else {
    writeFileSync(file, fixed);
    io.out(`wrote ${file}; train it again to see the findings go\n`);
  }
  return 0;
}

if (require.main === module) {
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  // The first SIGINT or SIGTERM stops training after the current epoch, and the report so far is
  // written; a second one ends the process at once.
  let interrupted: StopSignal | null = null;
  for (const signal of Object.keys(EXIT_OF_SIGNAL) as StopSignal[])
    process.on(signal, () => {
      if (interrupted !== null) process.exit(EXIT_OF_SIGNAL[signal]);
      interrupted = signal;
    });
  void main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    progress: Boolean(process.stderr.isTTY),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    interrupted: () => interrupted,
  }).then((code) => (process.exitCode = code));
}
