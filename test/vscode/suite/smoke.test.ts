// Smoke test, run inside the extension host: the extension is there, and opening a .nnspec file gives
// it the `nnspec` language and activates the extension (activationEvents: onLanguage:nnspec).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor } from './helpers';

describe('smoke', () => {
  it('has the examples folder open as the workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'one workspace folder');
  });

  it('knows the extension', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is installed`);
  });

  it('activates on opening a .nnspec file, whose language is nnspec', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const uri = vscode.Uri.joinPath(folder, 'deep-sigmoid.nnspec');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'nnspec');
    assert.equal(path.basename(doc.uri.path), 'deep-sigmoid.nnspec');
    try {
      await waitFor('the extension to activate', () => ext.isActive);
    } catch (e) {
      await ext.activate(); // surfaces an activation error, if that's what happened
      throw e;
    }
    assert.ok(ext.isActive);
  });
});
