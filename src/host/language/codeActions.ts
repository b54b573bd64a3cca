// Quick fixes: each fix of a run's finding as a WorkspaceEdit built by the engine's editsForChange,
// a "fix all lines of this kind" variant, a "did you mean" fix for parse problems, and the command
// the hovers' fix links run.

import * as vscode from 'vscode';
import { editsForChange, type TextEdit } from '../../engine/index';
import { FINDING_KINDS, isOneOf, type FindingKind } from '../../shared/vocabulary';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import type { FindingsStore } from './findingsStore';
import { changeForAll, isFixArgs, isSpecFileUri } from './fixes';
import { FIX_APPLIED_COMMAND } from '../walkthrough';

export function workspaceEdit(doc: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) {
    const line = e.line - 1;
    if (line >= doc.lineCount) {
      // An edit after the last line (a new statement): append at the end of the document.
      const end = doc.lineAt(doc.lineCount - 1).range.end;
      we.insert(doc.uri, end, e.newText);
    } else {
      we.replace(doc.uri, new vscode.Range(line, e.startColumn, line, e.endColumn), e.newText);
    }
  }
  return we;
}

export class SpecCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly findings: FindingsStore) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const text = doc.getText();
    const all = this.findings.get(doc.uri.toString());
    for (const diag of context.diagnostics) {
      if (diag.source !== DIAGNOSTIC_SOURCE) continue;
      const code = typeof diag.code === 'object' ? diag.code.value : diag.code;
      if (isOneOf(FINDING_KINDS, code)) {
        const kind: FindingKind = code;
        const finding = all.find((f) => f.kind === kind && f.line === diag.range.start.line + 1);
        if (!finding) continue;
        const sameKind = new Set(all.filter((f) => f.kind === kind).map((f) => f.line));
        finding.fixes.forEach((fix, i) => {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.edit = workspaceEdit(doc, editsForChange(text, fix.change));
          action.diagnostics = [diag];
          action.isPreferred = i === 0;
          action.command = { command: FIX_APPLIED_COMMAND, title: fix.title };
          actions.push(action);
          const forAll = changeForAll(fix.change, all, kind);
          // Offered only when it reaches lines the fix itself does not (a vanishing fix already covers the layers above).
          if (fix.change.kind === 'layer' && forAll.kind === 'layer' && sameKind.size > 1 && forAll.lines.length > fix.change.lines.length) {
            const every = new vscode.CodeAction(`Fix all ${kind} layers: ${fix.title} (${forAll.lines.length} lines)`, vscode.CodeActionKind.QuickFix);
            every.edit = workspaceEdit(doc, editsForChange(text, forAll));
            every.diagnostics = [diag];
            actions.push(every);
          }
        });
      } else if (code === 'residual-width' && !diag.range.isEmpty) {
        // The problem's range is the `residual=true` option itself: removing it (and the space before) fixes the line.
        const action = new vscode.CodeAction('Remove `residual=true`', vscode.CodeActionKind.QuickFix);
        const start = diag.range.start.character > 0 ? diag.range.start.translate(0, -1) : diag.range.start;
        action.edit = new vscode.WorkspaceEdit();
        action.edit.delete(doc.uri, new vscode.Range(start, diag.range.end));
        action.diagnostics = [diag];
        actions.push(action);
      } else {
        const suggestion = /Did you mean `([^`]+)`\?/.exec(diag.message);
        if (suggestion && !diag.range.isEmpty) {
          const action = new vscode.CodeAction(`Change to \`${suggestion[1]}\``, vscode.CodeActionKind.QuickFix);
          const edit = new vscode.WorkspaceEdit();
          edit.replace(doc.uri, diag.range, suggestion[1]);
          action.edit = edit;
          action.diagnostics = [diag];
          action.isPreferred = true;
          actions.push(action);
        }
      }
    }
    return actions;
  }
}

/** The command behind the hovers' fix links: applies one change to the document. */
export async function applyFix(args: unknown): Promise<boolean> {
  if (!isFixArgs(args)) {
    void vscode.window.showErrorMessage('Gradient Flow: this fix link is malformed.');
    return false;
  }
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === args.uri);
  const doc = open ?? (isSpecFileUri(args.uri) ? await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri)) : undefined);
  if (doc?.languageId !== 'nnspec') {
    void vscode.window.showErrorMessage('Gradient Flow: a fix applies to .nnspec documents only.');
    return false;
  }
  const edits = editsForChange(doc.getText(), args.change);
  if (edits.length === 0) return false;
  return vscode.workspace.applyEdit(workspaceEdit(doc, edits));
}
