// The runs of Train & Inspect, one per document at most: starts a TrainingSession in the worker,
// feeds its messages to the panel, the status bar and a cancellable progress notification, turns
// certain and final findings into diagnostics, and reports failures as error messages. Starting a
// run of a file stops its previous one; closing the file or the panel stops it too. Other work on
// workers (a comparison, a learning-rate sweep) is tracked here as a Job, so Stop Training, closing
// the file and the `nnspec.training` context key cover it as well.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { EpochRecord } from '../../engine/types';
import type { HeatmapMetric, WorkerToHost } from '../../protocol';
import type { RunOptions, RunOutcome } from '../api';
import type { SpecDiagnostics } from '../language/diagnostics';
import type { FindingsStore } from '../language/findingsStore';
import { InspectorPanel, type PanelContext } from '../panel/panel';
import { runContent } from '../panel/panelContent';
import { RunData } from '../panel/runData';
import { defaultMetric, thresholdOverrides } from '../settings';
import type { TrainingStatusBar } from './statusBar';
import { TrainingSession, type SessionEnd } from './trainingSession';

const METRIC_KEY = 'nnspec.metric';

interface ActiveRun {
  readonly uri: vscode.Uri;
  readonly data: RunData;
  readonly session: TrainingSession;
  readonly content: ReturnType<typeof runContent>;
  report?: (step: { increment?: number; message?: string }) => void;
}

/** Work on workers other than Train & Inspect, stopped with the runs. */
export interface Job {
  readonly uri: vscode.Uri;
  stop(): void;
}

export interface RunsContext {
  readonly extensionUri: vscode.Uri;
  readonly globalState: vscode.Memento;
  readonly findings: FindingsStore;
  readonly diagnostics: SpecDiagnostics;
  readonly statusBar: TrainingStatusBar;
}

let runCounter = 0;

export class Runs implements vscode.Disposable {
  private readonly active = new Map<string, ActiveRun>();
  private readonly jobs = new Set<Job>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeRuns = this.changed.event;
  readonly errors: string[] = [];
  readonly panelContext: PanelContext;
  /** Replaces the save dialog of exports (a test hook); undefined: the real dialog. */
  saveDialog: ((options: vscode.SaveDialogOptions) => Thenable<vscode.Uri | undefined>) | undefined;
  readonly workerFile: string;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly ctx: RunsContext) {
    this.workerFile = vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'worker.js').fsPath;
    this.panelContext = {
      extensionUri: ctx.extensionUri,
      metric: () => ctx.globalState.get<HeatmapMetric>(METRIC_KEY) ?? defaultMetric(),
      setMetric: (m) => void ctx.globalState.update(METRIC_KEY, m),
      pickSaveTarget: (options) => (this.saveDialog ? this.saveDialog(options) : vscode.window.showSaveDialog(options)),
    };
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidCloseTextDocument((doc) => this.stop(doc.uri)),
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          if (!(tab.input instanceof vscode.TabInputText)) continue;
          const uri = tab.input.uri;
          const stillOpen = vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()));
          if (!stillOpen) this.stop(uri);
        }
      }),
    );
  }

  isRunning(uri: vscode.Uri): boolean {
    return this.active.has(uri.toString()) || [...this.jobs].some((j) => j.uri.toString() === uri.toString());
  }

  /** Stops the document's run and jobs, or every one; returns whether one was running. */
  stop(uri?: vscode.Uri): boolean {
    const runs = uri ? [this.active.get(uri.toString())].filter((a): a is ActiveRun => a !== undefined) : [...this.active.values()];
    const jobs = [...this.jobs].filter((j) => !uri || j.uri.toString() === uri.toString());
    for (const a of runs) a.session.stop();
    for (const j of jobs) j.stop();
    return runs.length + jobs.length > 0;
  }

  /** Tracks a job until the returned disposable is disposed (when it has ended). */
  track(job: Job): vscode.Disposable {
    this.jobs.add(job);
    this.setTraining();
    return { dispose: () => this.jobs.delete(job) && this.setTraining() };
  }

  showError(message: string): void {
    this.errors.push(message);
    void vscode.window.showErrorMessage(message);
  }

  /** Trains the document's current text; resolves when the run ends, however it ends. */
  async train(doc: vscode.TextDocument, options: RunOptions = {}): Promise<RunOutcome> {
    const key = doc.uri.toString();
    const previous = this.active.get(key);
    if (previous) {
      this.active.delete(key);
      previous.session.stop();
    }
    // A run keeps its file's editor: a preview tab would otherwise close (and stop the run) as soon
    // as another file is previewed in its place.
    if (vscode.window.activeTextEditor?.document === doc) void vscode.commands.executeCommand('workbench.action.keepEditor');
    const text = doc.getText();
    const label = basename(doc.fileName);
    const data = new RunData(`run-${Date.now()}-${++runCounter}`, doc.fileName, label, text);
    data.name = label.replace(/\.nnspec$/i, '');
    let run: ActiveRun | undefined;
    const content = runContent(data, () => run?.session.stop());
    const panel = InspectorPanel.createOrShow(this.panelContext, doc);
    panel.show(content);

    const thresholds = thresholdOverrides();
    const session = new TrainingSession(
      this.workerFile,
      {
        text,
        fileName: doc.fileName,
        ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.crashAtEpoch !== undefined ? { crashAtEpoch: options.crashAtEpoch } : {}),
        ...(thresholds ? { thresholds } : {}),
      },
      (msg) => run && this.receive(run, msg),
    );
    run = { uri: doc.uri, data, session, content };
    this.active.set(key, run);
    this.setTraining();
    this.ctx.statusBar.set({ kind: 'running', name: data.name, epoch: 0, total: 0 });

    const current = run;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Training ${label}`, cancellable: true },
      (progress, token) => {
        current.report = (step) => progress.report(step);
        token.onCancellationRequested(() => session.stop());
        return session.ended;
      },
    );

    const end = await session.ended;
    return this.finish(current, end);
  }

  private receive(run: ActiveRun, msg: WorkerToHost): void {
    const { data } = run;
    const added: EpochRecord[] = data.apply(msg);
    const superseded = this.active.get(run.uri.toString()) !== run;
    if (msg.type === 'started') {
      const panel = InspectorPanel.instance;
      if (panel?.shown === run.content) panel.show(run.content);
      if (!superseded) this.ctx.statusBar.set({ kind: 'running', name: data.name, epoch: 0, total: data.totalEpochs });
      return;
    }
    if (msg.type !== 'epochs') return;
    InspectorPanel.instance?.progress(data, added);
    if (superseded) return;
    const epoch = data.epochCount;
    this.ctx.statusBar.set({ kind: 'running', name: data.name, epoch, total: data.totalEpochs });
    if (data.totalEpochs > 0) run.report?.({ increment: (100 * added.length) / data.totalEpochs, message: `epoch ${epoch} of ${data.totalEpochs}` });
    if (msg.findings.length > 0) this.publishFindings(run, msg.findings);
  }

  private publishFindings(run: ActiveRun, findings: RunData['findings']): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === run.uri.toString());
    if (!doc) return;
    this.ctx.findings.set(run.uri.toString(), run.data.text, findings, doc.getText());
    void this.ctx.diagnostics.refresh(doc);
  }

  private finish(run: ActiveRun, end: SessionEnd): RunOutcome {
    const { data } = run;
    const key = run.uri.toString();
    const superseded = this.active.get(key) !== run;
    if (!superseded) this.active.delete(key);
    switch (end.kind) {
      case 'failed':
        data.fail(end.message);
        this.showError(`Gradient Flow: training ${data.label} failed. ${end.message}`);
        break;
      case 'rejected': {
        const first = data.problems.find((p) => p.severity === 'error');
        this.showError(`Gradient Flow: ${data.label} has errors, so it was not trained.${first ? ` Line ${first.line}: ${first.message}` : ''}`);
        break;
      }
      case 'cancelled':
        data.cancel();
        break;
      case 'done':
        break;
    }
    // A finished run's findings replace the last ones; a stopped run keeps only those already certain.
    if (!superseded && (data.state === 'done' || data.state === 'nonfinite')) this.publishFindings(run, data.findings);
    InspectorPanel.instance?.runEnded(data);
    if (!superseded) {
      const n = data.findings.length;
      const text =
        data.state === 'done' || data.state === 'nonfinite'
          ? n === 0 ? 'no findings' : `${n} finding${n === 1 ? '' : 's'}`
          : data.state;
      this.ctx.statusBar.set({ kind: 'ended', name: data.name, text, problem: data.state === 'failed' || n > 0 });
    }
    this.setTraining();
    this.changed.fire();
    return {
      state: data.state,
      stopped: data.stopped,
      ...(data.error !== undefined ? { error: data.error } : {}),
      epochs: data.epochCount,
      findings: data.findings,
      problems: data.problems,
    };
  }

  private setTraining(): void {
    void vscode.commands.executeCommand('setContext', 'nnspec.training', this.active.size + this.jobs.size > 0);
    this.changed.fire();
  }

  dispose(): void {
    for (const a of this.active.values()) a.session.dispose();
    this.active.clear();
    for (const j of [...this.jobs]) j.stop();
    this.jobs.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}
