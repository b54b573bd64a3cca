// The status bar item: the epoch while a run trains (click to stop), the verdict after it (click to
// train again). Shown while a run is active or a .nnspec editor is.

import * as vscode from 'vscode';

export type StatusState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly name: string; readonly epoch: number; readonly total: number }
  | { readonly kind: 'ended'; readonly name: string; readonly text: string; readonly problem: boolean };

export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nnspec.training', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;
  private state: StatusState = { kind: 'idle' };

  constructor() {
    this.item.name = 'Gradient Flow training';
    this.subscription = vscode.window.onDidChangeActiveTextEditor(() => this.render());
    this.render();
  }

  set(state: StatusState): void {
    this.state = state;
    this.render();
  }

  private render(): void {
    const s = this.state;
    const specOpen = vscode.window.activeTextEditor?.document.languageId === 'nnspec';
    switch (s.kind) {
      case 'running':
        this.item.text = `$(sync~spin) ${s.name}: epoch ${s.epoch}/${s.total}`;
        this.item.tooltip = 'Gradient Flow is training. Click to stop.';
        this.item.command = 'nnspec.stop';
        this.item.backgroundColor = undefined;
        this.item.show();
        return;
      case 'ended':
        this.item.text = `$(${s.problem ? 'warning' : 'pulse'}) ${s.name}: ${s.text}`;
        this.item.tooltip = 'Gradient Flow: the last run. Click to train again.';
        this.item.command = 'nnspec.trainAndInspect';
        this.item.backgroundColor = undefined;
        break;
      case 'idle':
        this.item.text = '$(pulse) Train & Inspect';
        this.item.tooltip = 'Gradient Flow: train this network and inspect its gradients.';
        this.item.command = 'nnspec.trainAndInspect';
        break;
    }
    if (specOpen) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
