// The commands behind the "Get started with Gradient Flow" walkthrough (contributes.walkthroughs):
// open the deep-sigmoid example, show the hover or the quick fixes of the first flagged line (the
// walkthrough has the focus when its links run, so these put it back on the line first), and the
// silent command a quick fix of a finding runs after its edit, so the walkthrough can tick "apply
// the quick fix".

import * as vscode from 'vscode';
import { isSpec } from './language/diagnostics';
import type { FindingsStore } from './language/findingsStore';

export const OPEN_EXAMPLE_COMMAND = 'nnspec.openExample';
export const SHOW_FINDING_COMMAND = 'nnspec.showFindingHover';
export const SHOW_FIXES_COMMAND = 'nnspec.showFindingFixes';
export const FIX_APPLIED_COMMAND = 'nnspec.fixApplied';
const EXAMPLE = 'deep-sigmoid.nnspec';
const FOCUS_SETTLE_MS = 150;

export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * The example to open: the workspace's own copy (examples/deep-sigmoid.nnspec, or deep-sigmoid.nnspec
 * at a folder's root, as in `npm start`), else a copy of the extension's in its global storage, made
 * fresh unless that copy is open, so the walkthrough never edits the installed extension's files.
 */
export async function exampleUri(extensionUri: vscode.Uri, storageUri: vscode.Uri): Promise<vscode.Uri> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const rel of [['examples', EXAMPLE], [EXAMPLE]]) {
      const uri = vscode.Uri.joinPath(folder.uri, ...rel);
      if (await exists(uri)) return uri;
    }
  }
  const copy = vscode.Uri.joinPath(storageUri, EXAMPLE);
  const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === copy.toString());
  if (!open) {
    await vscode.workspace.fs.createDirectory(storageUri);
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(extensionUri, 'examples', EXAMPLE), copy, { overwrite: true });
  }
  return copy;
}

export function registerWalkthroughCommands(extensionUri: vscode.Uri, storageUri: vscode.Uri, findings: FindingsStore): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(OPEN_EXAMPLE_COMMAND, async (): Promise<vscode.Uri> => {
      const uri = await exampleUri(extensionUri, storageUri);
      const doc = await vscode.workspace.openTextDocument(uri);
      // Beside the walkthrough when it has the focus, so its next steps stay in view.
      await vscode.window.showTextDocument(doc, {
        viewColumn: vscode.window.activeTextEditor ? vscode.ViewColumn.Active : vscode.ViewColumn.Beside,
        preview: false,
      });
      return uri;
    }),
    vscode.commands.registerCommand(SHOW_FINDING_COMMAND, () => onFirstFinding(findings, 'editor.action.showHover')),
    vscode.commands.registerCommand(SHOW_FIXES_COMMAND, () => onFirstFinding(findings, 'editor.action.quickFix')),
    // Run by a finding's quick fix after its edit; it does nothing but mark the walkthrough step.
    vscode.commands.registerCommand(FIX_APPLIED_COMMAND, () => undefined),
  ];
}

/** Focuses the first flagged line of the active (or a visible) .nnspec editor and runs `command` there. */
async function onFirstFinding(findings: FindingsStore, command: string): Promise<boolean> {
  const active = vscode.window.activeTextEditor;
  const editor = active && isSpec(active.document) ? active : vscode.window.visibleTextEditors.find((e) => isSpec(e.document));
  const first = editor ? [...findings.get(editor.document.uri.toString())].sort((a, b) => a.line - b.line)[0] : undefined;
  if (!editor || !first) {
    void vscode.window.showInformationMessage('Gradient Flow: no flagged line yet. Run Train & Inspect on a .nnspec file first.');
    return false;
  }
  const shown = await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
  const line = shown.document.lineAt(first.line - 1);
  const at = new vscode.Position(line.lineNumber, line.firstNonWhitespaceCharacterIndex);
  shown.selection = new vscode.Selection(at, at);
  shown.revealRange(line.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  // A walkthrough button takes the focus back once its command has started; a quick-fix menu would
  // close with it. So the widget opens a moment later, in an editor focused again.
  await new Promise((resolve) => setTimeout(resolve, FOCUS_SETTLE_MS));
  await vscode.window.showTextDocument(shown.document, { viewColumn: shown.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
  await vscode.commands.executeCommand(command);
  return true;
}
