// "Gradient Flow: Open Model as .nnspec…": imports a Keras, TensorFlow.js or ONNX model with the
// engine's readers, writes the spec (and its weights file) beside the model and opens it.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as vscode from 'vscode';
import { looksLikeKerasJson, planImport } from '../engine/import/index';
import { exists } from './walkthrough';
import { notice } from './notice';

export const IMPORT_MODEL_COMMAND = 'nnspec.importModel';

async function pickModel(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Open as .nnspec',
    filters: { 'Models (ONNX, Keras or TensorFlow.js JSON)': ['onnx', 'json'] },
  });
  return picked?.[0];
}

/** Imports the model; returns the spec's URI, or undefined after telling the user why not. */
export async function importModelCommand(arg?: unknown): Promise<vscode.Uri | undefined> {
  // From the explorer the model comes as the argument; from the palette it is the open model.json, or one picked.
  const open = vscode.window.activeTextEditor?.document.uri;
  const uri = arg instanceof vscode.Uri ? arg : open && /\.(json|onnx)$/i.test(open.path) ? open : await pickModel();
  if (!uri) return undefined;
  const path = uri.fsPath;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    void vscode.window.showErrorMessage(notice(`Gradient Flow: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`));
    return undefined;
  }
  // The explorer offers the command on every .json file; only a model's is read further.
  if (/\.json$/i.test(path) && !looksLikeKerasJson(new TextDecoder().decode(bytes))) {
    void vscode.window.showErrorMessage(
      notice(`Gradient Flow: ${vscode.workspace.asRelativePath(uri)} is not a Keras model.to_json() file or a TensorFlow.js layers model.json.`),
    );
    return undefined;
  }
  const dir = dirname(path);
  const plan = planImport(path, bytes, (p) => {
    try {
      return new Uint8Array(readFileSync(resolve(dir, p)));
    } catch {
      return null;
    }
  });
  if (!plan.ok) {
    void vscode.window.showErrorMessage(notice(`Gradient Flow: cannot open this model as a .nnspec: ${plan.error} Nothing was written.`));
    return undefined;
  }
  const specUri = vscode.Uri.file(plan.specPath);
  if (await exists(specUri)) {
    const overwrite = 'Overwrite';
    const answer = await vscode.window.showWarningMessage(
      notice(`${vscode.workspace.asRelativePath(specUri)} exists. Overwrite it (and its weights file)?`),
      { modal: true },
      overwrite,
    );
    if (answer !== overwrite) return undefined;
  }
  for (const f of plan.files) await vscode.workspace.fs.writeFile(vscode.Uri.file(f.path), new TextEncoder().encode(f.text));
  const doc = await vscode.workspace.openTextDocument(specUri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return specUri;
}

export function registerImportCommand(): vscode.Disposable {
  return vscode.commands.registerCommand(IMPORT_MODEL_COMMAND, importModelCommand);
}
