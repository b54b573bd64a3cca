// One job in a worker_threads Worker (dist/worker.js): start it, stream its messages, stop it
// through the shared cancel flag (terminating it if it does not stop in time), and resolve with the
// JobOutcome of however it ends (outcome.ts maps each way). Training never runs on the extension
// host's thread. No vscode here, so the unit tests drive it.

import { Worker } from 'node:worker_threads';
import type { ParseResult } from '../../engine/index';
import { isWorkerToHost, type RunMode, type StartTraining, type ThresholdOverrides, type WorkerToHost } from '../../protocol';
import { outcomeOfError, outcomeOfExit, outcomeOfMessage, type JobOutcome } from './outcome';

export interface SessionRequest {
  /** 'train' (the default) or 'lrFind', the learning-rate range test. */
  readonly mode?: RunMode;
  /** The spec as the policy parsed it (parseSpec): the worker does not parse it again. */
  readonly parsed: ParseResult;
  readonly fileName: string;
  readonly epochs?: number;
  readonly seed?: number;
  readonly thresholds?: ThresholdOverrides;
  /** The memory the run may take, in MB. */
  readonly memoryBudgetMB?: number;
}

/** The worker bundle to run, and the `workerData` it gets (a test bundle reads its own there). */
export interface WorkerSource {
  readonly file: string;
  readonly data?: unknown;
}

/** How long a stopped worker may take to notice the flag and report before it is terminated. */
export const STOP_GRACE_MS = 2000;

export class TrainingSession {
  readonly ended: Promise<JobOutcome>;
  /** Undefined when the worker could not even start (its bundle missing, say). */
  private readonly worker: Worker | undefined;
  private readonly cancelFlag: Int32Array;
  private end: JobOutcome | undefined;
  private resolveEnd!: (end: JobOutcome) => void;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private stopRequested = false;

  constructor(
    source: WorkerSource | string,
    request: SessionRequest,
    private readonly onMessage: (msg: WorkerToHost) => void,
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnd = resolve));
    const buffer = new SharedArrayBuffer(4);
    this.cancelFlag = new Int32Array(buffer);
    const { file, data } = typeof source === 'string' ? { file: source, data: undefined } : source;
    let worker: Worker | undefined;
    try {
      worker = new Worker(file, { stdout: false, stderr: false, ...(data !== undefined ? { workerData: data } : {}) });
    } catch (e) {
      this.worker = undefined;
      this.finish({ kind: 'crashed', message: `The training worker could not start: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    this.worker = worker;
    worker.on('message', (raw: unknown) => this.receive(raw));
    worker.on('error', (err: Error & { code?: unknown }) => this.finish(outcomeOfError(err)));
    worker.on('exit', (code) => this.finish(outcomeOfExit(code, this.stopRequested)));
    const start: StartTraining = {
      type: 'start',
      mode: request.mode ?? 'train',
      parsed: request.parsed,
      fileName: request.fileName,
      cancel: buffer,
      ...(request.epochs !== undefined ? { epochs: request.epochs } : {}),
      ...(request.memoryBudgetMB !== undefined ? { memoryBudgetMB: request.memoryBudgetMB } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(request.thresholds !== undefined ? { thresholds: request.thresholds } : {}),
    };
    worker.postMessage(start);
  }

  get running(): boolean {
    return this.end === undefined;
  }

  /** Asks the worker to stop between steps; terminates it if it has not reported within the grace period. */
  stop(): void {
    if (this.end) return;
    this.stopRequested = true;
    Atomics.store(this.cancelFlag, 0, 1);
    this.graceTimer ??= setTimeout(() => this.finish({ kind: 'cancelled', reported: false }), STOP_GRACE_MS);
  }

  dispose(): void {
    this.stopRequested = true;
    Atomics.store(this.cancelFlag, 0, 1);
    this.finish({ kind: 'cancelled', reported: false });
  }

  private receive(raw: unknown): void {
    if (this.end) return;
    if (!isWorkerToHost(raw)) {
      this.finish({ kind: 'crashed', message: 'The training worker sent a malformed message.' });
      return;
    }
    try {
      this.onMessage(raw);
    } catch (e) {
      console.error('Gradient Flow: handling a worker message failed', e);
    }
    const end = outcomeOfMessage(raw, this.stopRequested);
    if (end) this.finish(end);
  }

  private finish(end: JobOutcome): void {
    if (this.end) return;
    this.end = end;
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer);
    void this.worker?.terminate().catch(() => undefined);
    this.resolveEnd(end);
  }
}
