// The commands: Train & Inspect (palette, editor title, CodeLens, status bar), Stop Training, the
// hidden command behind the hovers' fix links, and training on save when the setting asks for it.

import * as vscode from 'vscode';
import type { RunOutcome } from './api';
import { applyFix } from './codeActions';
import { isSpec } from './diagnostics';
import { APPLY_FIX_COMMAND } from './hover';
import type { Runs } from './runs';
import { trainOnSave } from './settings';

export const TRAIN_COMMAND = 'nnspec.trainAndInspect';
export const STOP_COMMAND = 'nnspec.stop';

/** The document a command means: its URI argument (editor title, CodeLens), else the active editor's. */
async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const doc = vscode.window.activeTextEditor?.document;
  return doc && isSpec(doc) ? doc : undefined;
}

export function registerCommands(runs: Runs): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(TRAIN_COMMAND, async (arg?: unknown): Promise<RunOutcome | undefined> => {
      const doc = await targetDocument(arg);
      if (!doc || !isSpec(doc)) {
        void vscode.window.showInformationMessage('Gradient Flow: open a .nnspec file to train it.');
        return undefined;
      }
      return runs.train(doc);
    }),
    vscode.commands.registerCommand(STOP_COMMAND, (arg?: unknown): boolean => runs.stop(arg instanceof vscode.Uri ? arg : undefined)),
    vscode.commands.registerCommand(APPLY_FIX_COMMAND, (args: unknown) => applyFix(args)),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (isSpec(doc) && trainOnSave()) void runs.train(doc);
    }),
  ];
}
