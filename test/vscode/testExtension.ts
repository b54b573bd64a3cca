// The test build's entry point (the `main` of the staged extension the in-extension-host suite
// loads, see scripts/vscode/index.mjs stageTestExtension): the production wiring of src/extension.ts
// with the test hooks of testingApi.ts attached. dist/extension.js carries none of this.
import type * as vscode from 'vscode';
import { wire } from '../../src/extension';
import { TestHooks, type TestingApi } from './testingApi';

export function activate(context: vscode.ExtensionContext): TestingApi {
  const hooks = new TestHooks();
  return hooks.api(wire(context, hooks.seams));
}

export function deactivate(): void {}
