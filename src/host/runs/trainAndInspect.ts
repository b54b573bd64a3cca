// Train & Inspect, a policy on the job service: one run per document at most (a new one stops the
// last), shown in the panel's run view, the status bar and a notification with the epochs; certain
// findings go to the editor as they come, and the run's findings when it ends. A stopped run keeps
// what it trained: its epochs stay in the panel and the findings of the partial run, marked as
// stopped, go to the editor. Closing the panel stops the run it shows.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import { parseSpec } from '../../engine/index';
import type { Finding } from '../../engine/types';
import type { WorkerToHost } from '../../protocol';
import type { RunOptions, RunOutcome } from '../api';
import type { SpecDiagnostics } from '../language/diagnostics';
import type { FindingsStore } from '../language/findingsStore';
import type { InspectorPanels } from '../panel/panels';
import { runContent, type PanelContent } from '../panel/panelContent';
import { RunData } from '../panel/runData';
import { memoryBudgetMB, thresholdOverrides } from '../settings';
import type { Job, JobService, ProgressStep } from './jobService';
import { failureMessage, hasFindings, markStopped, settle, type JobOutcome } from './outcome';
import type { TrainingStatusBar } from './statusBar';

interface ActiveRun {
  readonly uri: vscode.Uri;
  readonly data: RunData;
  readonly content: PanelContent;
  job?: Job;
  report?: (step: ProgressStep) => void;
}

let runCounter = 0;

export class TrainAndInspect {
  private readonly active = new Map<string, ActiveRun>();

  constructor(
    private readonly jobs: JobService,
    private readonly panels: InspectorPanels,
    private readonly findings: FindingsStore,
    private readonly diagnostics: SpecDiagnostics,
    private readonly statusBar: TrainingStatusBar,
  ) {}

  /** Trains the document's current text; resolves when the run ends, however it ends. */
  async train(doc: vscode.TextDocument, options: RunOptions = {}): Promise<RunOutcome> {
    const key = doc.uri.toString();
    const previous = this.active.get(key);
    if (previous) {
      this.active.delete(key);
      previous.job?.stop();
    }
    // A run keeps its file's editor: a preview tab would otherwise close (and stop the run) as soon
    // as another file is previewed in its place.
    if (vscode.window.activeTextEditor?.document === doc) void vscode.commands.executeCommand('workbench.action.keepEditor');
    const text = doc.getText();
    const label = basename(doc.fileName);
    const data = new RunData(`run-${Date.now()}-${++runCounter}`, doc.fileName, label, text);
    data.name = label.replace(/\.nnspec$/i, '');
    const run: ActiveRun = {
      uri: doc.uri,
      data,
      content: runContent(
        data,
        () => run.job?.stop(),
        () => void this.train(doc),
      ),
    };
    this.panels.show(run.content, doc);

    const thresholds = thresholdOverrides();
    const job = this.jobs.start({
      uri: doc.uri,
      session: {
        parsed: parseSpec(text, { fileName: doc.fileName }),
        fileName: doc.fileName,
        ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(thresholds ? { thresholds } : {}),
        memoryBudgetMB: memoryBudgetMB(),
      },
      onMessage: (msg) => this.receive(run, msg),
    });
    run.job = job;
    this.active.set(key, run);
    this.statusBar.set({ kind: 'running', name: data.name, epoch: 0, total: 0 });
    run.report = this.jobs.progress(`Training ${label}`, () => [job]);
    return this.finish(run, await job.ended);
  }

  private superseded(run: ActiveRun): boolean {
    return this.active.get(run.uri.toString()) !== run;
  }

  private receive(run: ActiveRun, msg: WorkerToHost): void {
    const { data } = run;
    const added = data.apply(msg);
    if (msg.type === 'started') {
      this.panels.showing(run.content)?.show(run.content);
      if (!this.superseded(run)) this.statusBar.set({ kind: 'running', name: data.name, epoch: 0, total: data.totalEpochs });
      return;
    }
    if (msg.type !== 'epochs') return;
    this.panels.current?.progress(data, added.length);
    if (this.superseded(run)) return;
    const epoch = data.epochCount;
    this.statusBar.set({ kind: 'running', name: data.name, epoch, total: data.totalEpochs });
    if (data.totalEpochs > 0) run.report?.({ increment: (100 * added.length) / data.totalEpochs, message: `epoch ${epoch} of ${data.totalEpochs}` });
    if (msg.findings.length > 0) this.publishFindings(run, msg.findings);
  }

  private publishFindings(run: ActiveRun, findings: readonly Finding[]): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === run.uri.toString());
    if (!doc) return;
    this.findings.set(run.uri.toString(), run.data.text, findings, doc.getText());
    void this.diagnostics.refresh(doc);
  }

  private finish(run: ActiveRun, outcome: JobOutcome): RunOutcome {
    const { data } = run;
    const superseded = this.superseded(run);
    if (!superseded) this.active.delete(run.uri.toString());
    settle(data, outcome);
    const error = failureMessage(outcome, { label: data.label, doing: `training ${data.label}`, notDone: 'it was not trained' });
    if (error) this.jobs.showError(error);
    // The run's findings replace the last ones; a run stopped before it could report keeps those already certain.
    if (!superseded && hasFindings(outcome)) {
      this.publishFindings(run, outcome.kind === 'cancelled' ? markStopped(data.findings, data.epochCount, data.totalEpochs) : data.findings);
    }
    this.panels.current?.runEnded(data);
    if (!superseded) {
      const n = data.findings.length;
      const count = n === 0 ? 'no findings' : `${n} finding${n === 1 ? '' : 's'}`;
      const text =
        outcome.kind === 'done' || outcome.kind === 'nonfinite'
          ? count
          : outcome.kind === 'cancelled'
            ? `stopped at epoch ${data.epochCount}, ${count}`
            : data.state;
      this.statusBar.set({ kind: 'ended', name: data.name, text, problem: data.state === 'failed' || n > 0 });
    }
    return {
      state: data.state,
      outcome: outcome.kind,
      stopped: data.stopped,
      ...(data.error !== undefined ? { error: data.error } : {}),
      epochs: data.epochCount,
      findings: data.findings,
      problems: data.problems,
    };
  }
}
