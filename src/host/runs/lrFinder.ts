// Find Learning Rate: the learning-rate range test of the engine (lrfind.ts) in a TrainingSession of
// mode 'lrFind', with a cancellable notification; its plot (smoothed loss against lr, log axis) in
// the panel's 'lrFind' view; and "Use lr = X", from the page or the notification, written into the
// optimizer line with the same edit a quick fix makes.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import { checkWithFiles, editsForChange } from '../../engine/index';
import type { LrFindPoint, PanelView } from '../../protocol';
import { workspaceEdit } from '../language/codeActions';
import { dataFileReader } from '../../node/dataFiles';
import { InspectorPanel } from '../panel/panel';
import type { PanelContent } from '../panel/panelContent';
import type { Job, Runs } from './runs';
import { TrainingSession } from './trainingSession';

export const FIND_LR_COMMAND = 'nnspec.findLearningRate';

export interface LrFindOutcome {
  readonly state: 'done' | 'cancelled' | 'failed' | 'rejected';
  readonly suggested: number | null;
  readonly points: number;
  readonly currentLr: number;
  readonly error?: string;
}

/** The lr written into the file: three significant digits, as the panel's "Use lr = X" button shows it. */
export function lrText(lr: number): string {
  return String(Number(lr.toPrecision(3)));
}

/** One sweep's result, as the panel shows it. */
class LrSweep implements PanelContent {
  readonly kind = 'lrFind';
  readonly runs = [];
  readonly fileName: string;

  constructor(
    private readonly uri: vscode.Uri,
    fileName: string,
    private readonly points: readonly LrFindPoint[],
    private readonly suggested: number | null,
    private readonly currentLr: number,
  ) {
    this.fileName = fileName;
  }

  title(): string {
    return `Gradient Flow: Learning Rate · ${basename(this.fileName)}`;
  }

  view(): PanelView {
    return { kind: 'lrFind', lrFind: { fileName: this.fileName, points: this.points, suggested: this.suggested, currentLr: this.currentLr } };
  }

  progress(): never {
    throw new Error('a learning-rate sweep has no runs');
  }

  applyLr(lr: number): Promise<boolean> {
    return applyLr(this.uri, lr);
  }

  closed(): void {}
}

/** Writes `lr=X` into the document's optimizer line (adding the option, or the line, if missing). */
export async function applyLr(uri: vscode.Uri, lr: number): Promise<boolean> {
  if (!(Number.isFinite(lr) && lr > 0 && lr <= 1e3)) {
    void vscode.window.showErrorMessage(`Gradient Flow: ${lr} is not a learning rate to write.`);
    return false;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const edits = editsForChange(doc.getText(), { kind: 'option', statement: 'optimizer', key: 'lr', value: lrText(lr) });
  if (edits.length === 0) return false;
  return vscode.workspace.applyEdit(workspaceEdit(doc, edits));
}

export class LrFinder {
  constructor(private readonly runs: Runs) {}

  async find(doc: vscode.TextDocument): Promise<LrFindOutcome> {
    const text = doc.getText();
    const label = basename(doc.fileName);
    const specPath = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
    const checked = await checkWithFiles(text, { fileName: doc.fileName, read: dataFileReader(specPath) });
    const currentLr = checked.spec.optimizer.lr;
    let points: readonly LrFindPoint[] = [];
    let suggested: number | null = null;
    let found = false;
    const session = new TrainingSession(this.runs.workerFile, { mode: 'lrFind', text, fileName: doc.fileName }, (msg) => {
      if (msg.type !== 'lrFound') return;
      points = msg.points;
      suggested = msg.suggested;
      found = true;
    });
    let stopRequested = false;
    const job: Job = { uri: doc.uri, stop: () => ((stopRequested = true), session.stop()) };
    const tracked = this.runs.track(job);
    const end = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Finding the learning rate of ${label}`, cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => job.stop());
        return session.ended;
      },
    );
    tracked.dispose();
    switch (end.kind) {
      case 'failed':
        this.runs.showError(`Gradient Flow: finding the learning rate of ${label} failed. ${end.message}`);
        return { state: 'failed', suggested: null, points: 0, currentLr, error: end.message };
      case 'rejected': {
        const first = checked.problems.find((p) => p.severity === 'error');
        this.runs.showError(`Gradient Flow: ${label} has errors, so its learning rate cannot be found.${first ? ` Line ${first.line}: ${first.message}` : ''}`);
        return { state: 'rejected', suggested: null, points: 0, currentLr };
      }
      case 'cancelled':
      case 'done':
        break;
    }
    if (!found) return { state: 'cancelled', suggested: null, points: 0, currentLr };
    InspectorPanel.createOrShow(this.runs.panelContext, doc).show(new LrSweep(doc.uri, doc.fileName, points, suggested, currentLr));
    const state = stopRequested ? 'cancelled' : 'done';
    const best: number | null = suggested;
    if (best !== null && state === 'done') {
      const use = `Use lr = ${lrText(best)}`;
      void vscode.window
        .showInformationMessage(`Gradient Flow: the loss of ${label} falls fastest at lr = ${lrText(best)} (the file uses ${currentLr}).`, use)
        .then((pick) => pick === use && applyLr(doc.uri, best));
    }
    return { state, suggested, points: points.length, currentLr };
  }
}
