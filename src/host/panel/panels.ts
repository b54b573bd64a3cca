// The registry of the one Gradient Flow panel, handed to whoever shows something in it (the
// policies of src/host/runs/, the API) instead of a static singleton: it opens the panel beside the
// editor, revives it after a window reload, and forgets it when it closes.

import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import { InspectorPanel, webviewOptions, type PanelContext } from './panel';
import type { PanelContent } from './panelContent';

export const PANEL_VIEW_TYPE = 'nnspec.inspector';

export class InspectorPanels extends Disposable implements vscode.WebviewPanelSerializer {
  private open: InspectorPanel | undefined;

  constructor(readonly ctx: PanelContext) {
    super();
    this._register(vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, this));
    this._register({ dispose: () => this.open?.dispose() });
  }

  /** The open panel, if any. */
  get current(): InspectorPanel | undefined {
    return this.open;
  }

  /** The open panel when it shows `content`. */
  showing(content: PanelContent): InspectorPanel | undefined {
    return this.open?.shown === content ? this.open : undefined;
  }

  /**
   * Shows `content`, opening the panel if needed without taking focus: a new one goes beside the
   * editor of `doc` when it is visible (so a walkthrough or another page with the focus stays in
   * view), else beside the active editor.
   */
  show(content: PanelContent, doc?: vscode.TextDocument): InspectorPanel {
    const panel = this.open ?? this.create(doc);
    if (this.open === panel) panel.panel.reveal(panel.panel.viewColumn, true);
    this.open = panel;
    panel.show(content);
    return panel;
  }

  /** Closes the panel, as its close button does. */
  close(): void {
    this.open?.panel.dispose();
  }

  /** A panel VS Code restored after a reload: the page redraws from its own saved state. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    this.open?.dispose();
    this.open = new InspectorPanel(panel, this.ctx, (p) => this.forget(p));
  }

  private create(doc: vscode.TextDocument | undefined): InspectorPanel {
    const docColumn = doc && vscode.window.visibleTextEditors.find((e) => e.document === doc)?.viewColumn;
    const column = docColumn !== undefined ? docColumn + 1 : vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      'Gradient Flow',
      { viewColumn: column, preserveFocus: true },
      webviewOptions(this.ctx.extensionUri),
    );
    return new InspectorPanel(panel, this.ctx, (p) => this.forget(p));
  }

  private forget(panel: InspectorPanel): void {
    if (this.open === panel) this.open = undefined;
  }
}
