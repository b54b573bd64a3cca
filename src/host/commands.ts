// The commands: Train & Inspect (palette, editor title, CodeLens, status bar), Compare Activations…,
// Find Learning Rate, Stop Training (runs, comparisons and sweeps alike), the hidden command behind
// the hovers' fix links, and training on save when the setting asks for it.

import * as vscode from 'vscode';
import type { RunOutcome } from './api';
import { applyFix } from './language/codeActions';
import { COMPARE_COMMAND, type CompareOutcome, type Comparer } from './runs/compare';
import { isSpec } from './language/diagnostics';
import { APPLY_FIX_COMMAND } from './language/hover';
import { FIND_LR_COMMAND, type LrFindOutcome, type LrFinder } from './runs/lrFinder';
import type { JobService } from './runs/jobService';
import type { TrainAndInspect } from './runs/trainAndInspect';
import { trainOnSave } from './settings';

export const TRAIN_COMMAND = 'nnspec.trainAndInspect';
export const STOP_COMMAND = 'nnspec.stop';

/**
 * The document a command means: its URI argument (editor title, CodeLens), else the active editor's,
 * else a visible .nnspec editor's (a command link of the walkthrough, which has the focus).
 */
async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc) return isSpec(doc) ? doc : undefined;
  return vscode.window.visibleTextEditors.find((e) => isSpec(e.document))?.document;
}

/** Compare's argument: a URI (editor title), or { uri, variants } from the API and tests. */
function compareArgs(arg: unknown): { uri?: vscode.Uri; variants?: string[] } {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (typeof arg !== 'object' || arg === null) return {};
  const a = arg as Record<string, unknown>;
  const uri = a.uri instanceof vscode.Uri ? a.uri : typeof a.uri === 'string' ? vscode.Uri.parse(a.uri) : undefined;
  const variants = Array.isArray(a.variants) && a.variants.every((v) => typeof v === 'string') ? (a.variants as string[]) : undefined;
  return { ...(uri ? { uri } : {}), ...(variants ? { variants } : {}) };
}

function noSpec(what: string): undefined {
  void vscode.window.showInformationMessage(`Gradient Flow: open a .nnspec file to ${what}.`);
  return undefined;
}

export function registerCommands(jobs: JobService, runs: TrainAndInspect, comparer: Comparer, lrFinder: LrFinder): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(TRAIN_COMMAND, async (arg?: unknown): Promise<RunOutcome | undefined> => {
      const doc = await targetDocument(arg);
      if (!doc || !isSpec(doc)) {
        void vscode.window.showInformationMessage('Gradient Flow: open a .nnspec file to train it.');
        return undefined;
      }
      return runs.train(doc);
    }),
    vscode.commands.registerCommand(COMPARE_COMMAND, async (arg?: unknown): Promise<CompareOutcome | undefined> => {
      const { uri, variants } = compareArgs(arg);
      const doc = await targetDocument(uri);
      if (!doc || !isSpec(doc)) return noSpec('compare its variants');
      return comparer.compare(doc, variants);
    }),
    vscode.commands.registerCommand(FIND_LR_COMMAND, async (arg?: unknown): Promise<LrFindOutcome | undefined> => {
      const doc = await targetDocument(arg);
      if (!doc || !isSpec(doc)) return noSpec('find its learning rate');
      return lrFinder.find(doc);
    }),
    vscode.commands.registerCommand(STOP_COMMAND, (arg?: unknown): boolean => jobs.stop(arg instanceof vscode.Uri ? arg : undefined)),
    vscode.commands.registerCommand(APPLY_FIX_COMMAND, (args: unknown) => applyFix(args)),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (isSpec(doc) && trainOnSave()) void runs.train(doc);
    }),
  ];
}
