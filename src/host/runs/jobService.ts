// The job service: the one owner of work on worker threads. A policy (Train & Inspect, Compare,
// Find Learning Rate) asks it to start a job (a TrainingSession, or a place in a WorkerPool's queue
// first), to show a cancellable progress notification over some jobs, and to show what went wrong;
// the service knows every job by its document, so Stop Training, closing the file, the CodeLens
// and the `nnspec.training` context key cover all of them alike.

import * as vscode from 'vscode';
import type { WorkerToHost } from '../../protocol';
import { Disposable } from '../disposable';
import type { JobOutcome } from './outcome';
import { TrainingSession, type SessionRequest, type WorkerSource } from './trainingSession';
import type { WorkerPool } from './workerPool';

export interface JobRequest {
  readonly uri: vscode.Uri;
  readonly session: SessionRequest;
  onMessage(msg: WorkerToHost): void;
  /** The job left the queue: its worker starts now. */
  onStart?(): void;
  /** Queued in this pool until a slot is free; without one it starts at once. */
  readonly pool?: WorkerPool;
}

export interface Job {
  readonly uri: vscode.Uri;
  readonly ended: Promise<JobOutcome>;
  /** Whether its worker has started (a queued job has not). */
  readonly started: boolean;
  /** Stops it between steps (a queued one never starts). */
  stop(): void;
}

export type ProgressStep = { readonly increment?: number; readonly message?: string };

/** What the service needs from the rest of the host (tests hand in their own). */
export interface JobServiceContext {
  readonly worker: WorkerSource;
  /** Shows an error message (and, in the test build, records it). */
  showError(message: string): void;
}

class WorkerJob implements Job {
  readonly ended: Promise<JobOutcome>;
  private session: TrainingSession | undefined;
  private stopped = false;

  constructor(
    readonly uri: vscode.Uri,
    request: JobRequest,
    worker: WorkerSource,
  ) {
    const run = async (): Promise<JobOutcome> => {
      if (this.stopped) return { kind: 'cancelled', reported: false };
      const session = new TrainingSession(worker, request.session, (msg) => request.onMessage(msg));
      this.session = session;
      request.onStart?.();
      return session.ended;
    };
    this.ended = request.pool ? request.pool.run(run) : run();
  }

  get started(): boolean {
    return this.session !== undefined;
  }

  stop(): void {
    this.stopped = true;
    this.session?.stop();
  }

  dispose(): void {
    this.stopped = true;
    this.session?.dispose();
  }
}

export class JobService extends Disposable {
  private readonly jobs = new Set<WorkerJob>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when a job starts or ends. */
  readonly onDidChange = this.changed.event;
  private workerOverride: WorkerSource | undefined;

  constructor(private readonly ctx: JobServiceContext) {
    super();
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => this.stop(doc.uri)));
    this._register(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          if (!(tab.input instanceof vscode.TabInputText)) continue;
          const uri = tab.input.uri;
          const stillOpen = vscode.window.tabGroups.all.some((g) =>
            g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()),
          );
          if (!stillOpen) this.stop(uri);
        }
      }),
    );
  }

  /** Starts a job on a worker (or queues it in its pool); it is tracked until it ends. */
  start(request: JobRequest): Job {
    const job = new WorkerJob(request.uri, request, this.workerOverride ?? this.ctx.worker);
    this.jobs.add(job);
    this.setTraining();
    void job.ended.then(() => {
      this.jobs.delete(job);
      this.setTraining();
    });
    return job;
  }

  /**
   * Runs the jobs started from now until the returned disposable is disposed in another worker
   * bundle (the test build's crashing worker).
   */
  useWorker(source: WorkerSource): vscode.Disposable {
    this.workerOverride = source;
    return { dispose: () => this.workerOverride === source && (this.workerOverride = undefined) };
  }

  /**
   * A cancellable notification over some jobs until `until` settles (by default, until they have
   * all ended); Cancel stops them. Returns how to report progress into it.
   */
  progress(title: string, jobs: () => readonly Job[], until?: Promise<unknown>): (step: ProgressStep) => void {
    let report: ((step: ProgressStep) => void) | undefined;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      report = (step) => progress.report(step);
      token.onCancellationRequested(() => {
        for (const j of jobs()) j.stop();
      });
      await (until ?? Promise.all(jobs().map((j) => j.ended)));
    });
    return (step) => report?.(step);
  }

  showError(message: string): void {
    this.ctx.showError(message);
  }

  isRunning(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return [...this.jobs].some((j) => j.uri.toString() === key);
  }

  /** Stops the document's jobs, or every one; returns whether one was running. */
  stop(uri?: vscode.Uri): boolean {
    const key = uri?.toString();
    const jobs = [...this.jobs].filter((j) => key === undefined || j.uri.toString() === key);
    for (const j of jobs) j.stop();
    return jobs.length > 0;
  }

  private setTraining(): void {
    void vscode.commands.executeCommand('setContext', 'nnspec.training', this.jobs.size > 0);
    this.changed.fire();
  }

  override dispose(): void {
    for (const j of this.jobs) j.dispose();
    this.jobs.clear();
    super.dispose();
  }
}
