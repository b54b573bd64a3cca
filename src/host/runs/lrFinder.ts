// Find Learning Rate, a policy on the job service: the learning-rate range test of the engine
// (lrfind.ts) and its check against short trainings (lrCheck.ts) in a job of mode 'lrFind', with a
// cancellable notification; its plot (smoothed loss against lr, log axis) and the trainings' table in
// the panel's 'lrFind' view; and "Use lr = X", from the page or the notification (which offers the
// lr that trained best), written into the optimizer line with the same edit a quick fix makes.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import { editsForChange, parseSpec } from '../../engine/index';
import { lrCheckSummary, roundLr, trialResult, type LrCheck } from '../../engine/lrCheck';
import type { LrFindPoint, LrFindSnapshot, PanelView, WorkerLrFound } from '../../protocol';
import { workspaceEdit } from '../language/codeActions';
import type { InspectorPanels } from '../panel/panels';
import type { PanelContent } from '../panel/panelContent';
import { memoryBudgetMB } from '../settings';
import type { JobService } from './jobService';
import { failureMessage } from './outcome';
import { LR_MAX } from '../../shared/vocabulary';
import { notice } from '../notice';

export const FIND_LR_COMMAND = 'nnspec.findLearningRate';

export interface LrFindOutcome {
  readonly state: 'done' | 'cancelled' | 'failed' | 'rejected';
  readonly suggested: number | null;
  /** The short trainings' verdict (null when they did not run, as after a cancel). */
  readonly check: LrCheck['verdict'] | null;
  readonly points: number;
  readonly currentLr: number;
  readonly error?: string;
}

/** The lr written into the file: three significant digits, as the panel's "Use lr = X" button shows it. */
export function lrText(lr: number): string {
  return String(roundLr(lr));
}

/** The check as the page shows it: a row per short training, and the summary sentence. */
export function checkRows(check: LrCheck | null): LrFindSnapshot['check'] {
  if (!check) return null;
  const best = check.verdict.kind === 'best' ? check.verdict.lr : null;
  return {
    steps: check.steps,
    trials: check.trials.map((t) => ({ lr: t.lr, roles: t.roles.join(', '), result: trialResult(t), best: t.lr === best, isFile: t.roles.includes('file') })),
    summary: lrCheckSummary(check),
  };
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
    private readonly check: LrCheck | null,
  ) {
    this.fileName = fileName;
  }

  title(): string {
    return `Gradient Flow: Learning Rate · ${basename(this.fileName)}`;
  }

  view(): PanelView {
    return {
      kind: 'lrFind',
      lrFind: { fileName: this.fileName, points: this.points, suggested: this.suggested, currentLr: this.currentLr, check: checkRows(this.check) },
    };
  }

  applyLr(lr: number): Promise<boolean> {
    return applyLr(this.uri, lr);
  }

  closed(): void {}
}

/** Writes `lr=X` into the document's optimizer line (adding the option, or the line, if missing). */
export async function applyLr(uri: vscode.Uri, lr: number): Promise<boolean> {
  if (!(Number.isFinite(lr) && lr > 0 && lr <= LR_MAX)) {
    void vscode.window.showErrorMessage(`Gradient Flow: ${lr} is not a learning rate the format allows (above 0, at most ${LR_MAX}).`);
    return false;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const edits = editsForChange(doc.getText(), { kind: 'option', statement: 'optimizer', key: 'lr', value: lrText(lr) });
  if (edits.length === 0) return false;
  return vscode.workspace.applyEdit(workspaceEdit(doc, edits));
}

export class LrFinder {
  constructor(
    private readonly jobs: JobService,
    private readonly panels: InspectorPanels,
  ) {}

  /** Sweeps the document's text (parsed here, once) in a worker and shows the plot. */
  async find(doc: vscode.TextDocument): Promise<LrFindOutcome> {
    const label = basename(doc.fileName);
    let found: WorkerLrFound | undefined;
    const parsed = parseSpec(doc.getText(), { fileName: doc.fileName });
    const job = this.jobs.start({
      uri: doc.uri,
      session: { mode: 'lrFind', parsed, fileName: doc.fileName, memoryBudgetMB: memoryBudgetMB() },
      onMessage: (msg) => {
        if (msg.type === 'lrFound') found = msg;
      },
    });
    this.jobs.progress(`Finding the learning rate of ${label}`, () => [job]);
    const outcome = await job.ended;
    const error = failureMessage(outcome, { label, doing: `finding the learning rate of ${label}`, notDone: 'its learning rate cannot be found' });
    if (error) this.jobs.showError(error);
    const currentLr = parsed.spec.optimizer.lr;
    switch (outcome.kind) {
      case 'crashed':
      case 'outOfMemory':
        return { state: 'failed', suggested: null, check: null, points: 0, currentLr, error: outcome.message };
      case 'rejected':
        return { state: 'rejected', suggested: null, check: null, points: 0, currentLr };
      case 'cancelled':
      case 'done':
      case 'nonfinite':
        break;
    }
    if (!found) return { state: 'cancelled', suggested: null, check: null, points: 0, currentLr };
    const { points, suggested, check } = found;
    this.panels.show(new LrSweep(doc.uri, doc.fileName, points, suggested, currentLr, check), doc);
    const state = outcome.kind === 'cancelled' ? 'cancelled' : 'done';
    if (state === 'done' && check) {
      // The button offers what trained best, and only where that is not the file's lr already.
      const best = check.verdict.kind === 'best' && check.verdict.lr !== currentLr ? check.verdict.lr : null;
      const summary = `Gradient Flow (${label}): ${lrCheckSummary(check)}`;
      if (best === null) void vscode.window.showInformationMessage(notice(summary));
      else {
        const use = `Use lr = ${lrText(best)}`;
        void vscode.window.showInformationMessage(notice(summary), use).then((pick) => pick === use && applyLr(doc.uri, best));
      }
    }
    return { state, suggested, check: check?.verdict ?? null, points: points.length, currentLr };
  }
}
