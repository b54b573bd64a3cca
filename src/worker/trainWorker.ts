// The training worker (its own bundle, dist/worker.js): receives one StartTraining with the spec the
// host parsed, checks it with its data files read from disk (src/node/dataFiles; no second parse), trains it with the engine, and posts the epochs in batches (about every
// 50 ms), the findings that are already certain, and the report (without its epochs: they were all
// streamed). The run is kept in an EpochHistory (columns, no histograms), not as records, and the
// findings are diagnosed from it; in mode 'lrFind' it runs the
// learning-rate range test instead and posts its points and suggestion. Cancellation is a SharedArrayBuffer
// flag the engine asks between steps. Any exception becomes a `failed` message.

import { parentPort } from 'node:worker_threads';
import { buildReport, certainFindings, checkParsedWithFiles, diagnoseRun, EpochHistory, reportLayers, Trainer } from '../engine/index';
import { dataFileReader } from '../node/dataFiles';
import { initialCapacity } from '../engine/history';
import { findLearningRate } from '../engine/lrfind';
import { checkLearningRates } from '../engine/lrCheck';
import type { EpochRecord, Spec } from '../engine/types';
import { startTrainingProblem, type StartTraining, type WorkerToHost } from '../protocol';

const FLUSH_MS = 50;

/**
 * Epochs × layers up to which the worker keeps its statistics in float64 (the CLI's numbers to the
 * last digit, 96 bytes per layer and epoch); beyond, float32 (48), so 100,000 epochs × 30 layers
 * take 144 MB rather than 288.
 */
export const FLOAT64_CELLS = 1_000_000;

export function workerPrecision(epochs: number, layers: number): 'float32' | 'float64' {
  return epochs * layers <= FLOAT64_CELLS ? 'float64' : 'float32';
}

function post(port: NonNullable<typeof parentPort>, msg: WorkerToHost): void {
  port.postMessage(msg);
}

async function train(port: NonNullable<typeof parentPort>, msg: StartTraining): Promise<void> {
  const cancelled = new Int32Array(msg.cancel);
  const result = await checkParsedWithFiles(msg.parsed, {
    read: dataFileReader(msg.fileName),
    ...(msg.memoryBudgetMB !== undefined ? { memoryBudgetMB: msg.memoryBudgetMB } : {}),
    ...(msg.epochs !== undefined ? { epochs: msg.epochs } : {}),
  });
  if (!result.trainable || !result.dataset) {
    post(port, { type: 'rejected', problems: result.problems });
    return;
  }
  if (msg.mode === 'lrFind') {
    // The range test from the initial weights; a cancel ends the sweep early with the points so far.
    const isCancelled = () => Atomics.load(cancelled, 0) !== 0;
    const found = findLearningRate(result.spec, result.dataset, { isCancelled });
    const check = checkLearningRates(result.spec, result.dataset, found.suggested, { isCancelled });
    post(port, { type: 'lrFound', points: found.points, suggested: found.suggested, currentLr: result.spec.optimizer.lr, check });
    return;
  }
  // Thresholds from the settings apply when the spec does not set its own.
  const spec: Spec =
    msg.thresholds && result.spec.lines.diagnose === undefined ? { ...result.spec, diagnose: { ...result.spec.diagnose, ...msg.thresholds } } : result.spec;
  const layers = reportLayers(result);
  const trainer = new Trainer(spec, result.dataset, {
    ...(msg.epochs !== undefined ? { epochs: msg.epochs } : {}),
    ...(msg.seed !== undefined ? { seed: msg.seed } : {}),
    isCancelled: () => Atomics.load(cancelled, 0) !== 0,
  });
  const { params } = buildReport(result, null, [], [], null).network;
  // The initial record first (one pass over the data, no step), so the panel's epoch 0 is there from the start.
  const initial = trainer.initialRecord();
  post(port, { type: 'started', name: spec.name, layers, params, epochs: trainer.epochs, problems: result.problems, initial });

  // The findings read columns only: no histograms here (the host keeps those it shows).
  const history = new EpochHistory(layers.length, {
    capacity: initialCapacity(trainer.epochs, layers.length),
    precision: workerPrecision(trainer.epochs, layers.length),
    maxHistograms: 2,
  });
  let pending: EpochRecord[] = [];
  let lastFlush = Date.now();
  let sentCertain = 0;
  // The only finding certain during a run is the non-finite one, and it exists exactly when some
  // layer has counted a non-finite gradient entry: watched per epoch (O(layers)), so a batch does
  // not re-read every epoch of every layer; diagnosed once it can say something.
  let sawNonFinite = false;
  const flush = () => {
    if (pending.length === 0) return;
    const certain = sawNonFinite && sentCertain === 0 ? certainFindings({ spec, records: history, stopped: null }) : [];
    post(port, { type: 'epochs', records: pending, findings: certain.length > sentCertain ? certain : [] });
    sentCertain = Math.max(sentCertain, certain.length);
    pending = [];
    lastFlush = Date.now();
  };

  const it = trainer.run();
  for (;;) {
    const step = it.next();
    if (step.done) {
      flush();
      const stopped = step.value;
      const findings = diagnoseRun({ spec, records: history, stopped });
      post(port, { type: 'done', report: buildReport(result, initial, [], findings, stopped) });
      return;
    }
    const record = step.value;
    history.push(record.histograms.length > 0 ? { ...record, histograms: [] } : record);
    if (!sawNonFinite) for (const l of record.layers) if (l.nonFinite > 0) sawNonFinite = true;
    pending.push(record);
    if (Date.now() - lastFlush >= FLUSH_MS) flush();
  }
}

const port = parentPort;
if (port) {
  port.once('message', async (raw: unknown) => {
    const problem = startTrainingProblem(raw);
    if (problem !== null) post(port, { type: 'failed', message: `The training worker expected a start message: ${problem}.` });
    else {
      try {
        await train(port, raw as StartTraining);
      } catch (e) {
        post(port, { type: 'failed', message: e instanceof Error ? e.message : String(e), ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) });
      }
    }
    port.close();
  });
}
