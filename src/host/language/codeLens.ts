// A CodeLens on the first statement of a .nnspec file: "Train & Inspect", or "Stop Training" while
// that file trains.

import * as vscode from 'vscode';
import { statementLines } from './staleness';

export interface RunningQuery {
  isRunning(uri: vscode.Uri): boolean;
  readonly onDidChange: vscode.Event<void>;
}

export class SpecCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly runs: RunningQuery) {
    this.onDidChangeCodeLenses = runs.onDidChange;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const first = statementLines(doc.getText())[0];
    if (!first) return [];
    const range = new vscode.Range(first.line - 1, 0, first.line - 1, 0);
    const command: vscode.Command = this.runs.isRunning(doc.uri)
      ? { title: '$(debug-stop) Stop Training', command: 'nnspec.stop', arguments: [doc.uri] }
      : { title: '$(play) Train & Inspect', command: 'nnspec.trainAndInspect', arguments: [doc.uri] };
    return [new vscode.CodeLens(range, command)];
  }
}
