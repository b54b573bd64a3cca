// One training run in a worker_threads Worker (dist/worker.js): start, stream its messages, stop it
// through the shared cancel flag (terminating it if it does not stop in time), and turn every way it
// can end (a report, a rejection, an exception in the worker, a crash, an exit) into one outcome.
// Training never runs on the extension host's thread. No vscode here, so the unit tests drive it.

import { Worker } from 'node:worker_threads';
import { isWorkerToHost, type RunMode, type StartTraining, type ThresholdOverrides, type WorkerToHost } from '../../protocol';

export interface SessionRequest {
  /** 'train' (the default) or 'lrFind', the learning-rate range test. */
  readonly mode?: RunMode;
  readonly text: string;
  readonly fileName: string;
  readonly epochs?: number;
  readonly seed?: number;
  readonly thresholds?: ThresholdOverrides;
  /** Test hook: the worker crashes at the start of this epoch. */
  readonly crashAtEpoch?: number;
}

export type SessionEnd =
  /** The worker sent its report (its `stopped` says whether it was cancelled), or its lr-find result. */
  | { readonly kind: 'done' }
  /** The spec has errors; nothing was trained. */
  | { readonly kind: 'rejected' }
  /** An exception in the worker (reported by it), a crash, or an unexpected exit. */
  | { readonly kind: 'failed'; readonly message: string }
  /** Stopped and terminated before it could report (or disposed). */
  | { readonly kind: 'cancelled' };

/** How long a stopped worker may take to notice the flag and report before it is terminated. */
export const STOP_GRACE_MS = 2000;

export class TrainingSession {
  readonly ended: Promise<SessionEnd>;
  /** Undefined when the worker could not even start (its bundle missing, say). */
  private readonly worker: Worker | undefined;
  private readonly cancelFlag: Int32Array;
  private end: SessionEnd | undefined;
  private resolveEnd!: (end: SessionEnd) => void;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private stopRequested = false;

  constructor(workerFile: string, request: SessionRequest, private readonly onMessage: (msg: WorkerToHost) => void) {
    this.ended = new Promise((resolve) => (this.resolveEnd = resolve));
    const buffer = new SharedArrayBuffer(4);
    this.cancelFlag = new Int32Array(buffer);
    let worker: Worker | undefined;
    try {
      worker = new Worker(workerFile, { stdout: false, stderr: false });
    } catch (e) {
      this.worker = undefined;
      this.finish({ kind: 'failed', message: `The training worker could not start: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    this.worker = worker;
    worker.on('message', (raw: unknown) => this.receive(raw));
    worker.on('error', (err: Error) => this.finish({ kind: 'failed', message: `The training worker crashed: ${err.message}` }));
    worker.on('exit', (code) => {
      if (this.stopRequested) this.finish({ kind: 'cancelled' });
      else this.finish({ kind: 'failed', message: `The training worker exited unexpectedly (exit code ${code}).` });
    });
    const start: StartTraining = {
      type: 'start',
      mode: request.mode ?? 'train',
      text: request.text,
      fileName: request.fileName,
      cancel: buffer,
      ...(request.epochs !== undefined ? { epochs: request.epochs } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(request.thresholds !== undefined ? { thresholds: request.thresholds } : {}),
      ...(request.crashAtEpoch !== undefined ? { crashAtEpoch: request.crashAtEpoch } : {}),
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
    this.graceTimer ??= setTimeout(() => this.finish({ kind: 'cancelled' }), STOP_GRACE_MS);
  }

  dispose(): void {
    this.stopRequested = true;
    Atomics.store(this.cancelFlag, 0, 1);
    this.finish({ kind: 'cancelled' });
  }

  private receive(raw: unknown): void {
    if (this.end) return;
    if (!isWorkerToHost(raw)) {
      this.finish({ kind: 'failed', message: 'The training worker sent a malformed message.' });
      return;
    }
    try {
      this.onMessage(raw);
    } catch (e) {
      console.error('Gradient Flow: handling a worker message failed', e);
    }
    if (raw.type === 'done' || raw.type === 'lrFound') this.finish({ kind: 'done' });
    else if (raw.type === 'rejected') this.finish({ kind: 'rejected' });
    else if (raw.type === 'failed') this.finish({ kind: 'failed', message: raw.message });
  }

  private finish(end: SessionEnd): void {
    if (this.end) return;
    this.end = end;
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer);
    void this.worker?.terminate().catch(() => undefined);
    this.resolveEnd(end);
  }
}
