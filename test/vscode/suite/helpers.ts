// What the in-extension-host tests share: the extension's id, the fixtures, polling instead of
// sleeping, opening a copy of a file, and reading diagnostics and hovers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'gradient-flow.gradient-flow';
export const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'vscode', 'fixtures');

/** Polls `probe` until it returns something other than undefined or false; throws after the timeout. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** waitFor for an asynchronous probe (a hover, a command's answer): one probe at a time, until it answers or the timeout. */
export async function pollFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A fresh copy of `source` as `dir/as`, opened and shown in the first column. */
export async function openCopy(source: string, dir: string, as: string): Promise<vscode.TextEditor> {
  const file = path.join(dir, as);
  fs.copyFileSync(source, file);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
}

export function diagnostics(uri: vscode.Uri, code?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'nnspec' && (code === undefined || d.code === code));
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

/**
 * Saves `doc` and asserts it ends saved on disk. `TextDocument.save()` resolves false both when the save
 * failed and when there was nothing to save, and under load code-server's save can come back false once
 * while the document is still dirty: so it is tried again, and what counts is that nothing is left unsaved.
 */
export async function saveDocument(doc: vscode.TextDocument): Promise<void> {
  for (let attempt = 0; attempt < 3 && doc.isDirty; attempt++) await doc.save();
  if (doc.isDirty) throw new Error(`${path.basename(doc.uri.fsPath)} is still unsaved after three saves`);
  if (fs.readFileSync(doc.uri.fsPath, 'utf8') !== doc.getText()) throw new Error(`${path.basename(doc.uri.fsPath)} on disk differs from the editor`);
}
