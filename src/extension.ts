// Gradient Flow's entry point: creates the pieces and registers them, every one into
// context.subscriptions. The behaviour lives in src/host/, one small module per feature.

import * as vscode from 'vscode';
import { createApi, type GradientFlowApi } from './host/api';
import { SpecCodeActionProvider } from './host/language/codeActions';
import { SpecCodeLensProvider } from './host/language/codeLens';
import { registerCommands } from './host/commands';
import { Comparer } from './host/runs/compare';
import { SpecCompletionProvider, TRIGGER_CHARACTERS } from './host/language/completion';
import { LANGUAGE_ID, SpecDiagnostics } from './host/language/diagnostics';
import { FindingsStore } from './host/language/findingsStore';
import { SpecHoverProvider } from './host/language/hover';
import { LrFinder } from './host/runs/lrFinder';
import { InspectorPanel, InspectorPanelSerializer, PANEL_VIEW_TYPE } from './host/panel/panel';
import { Runs } from './host/runs/runs';
import { TrainingStatusBar } from './host/runs/statusBar';
import { registerWalkthroughCommands } from './host/walkthrough';
import { registerImportCommand } from './host/importModel';

export function activate(context: vscode.ExtensionContext): GradientFlowApi {
  const selector: vscode.DocumentSelector = { language: LANGUAGE_ID };
  const findings = new FindingsStore();
  const diagnostics = new SpecDiagnostics(findings);
  const statusBar = new TrainingStatusBar();
  const runs = new Runs({ extensionUri: context.extensionUri, globalState: context.globalState, findings, diagnostics, statusBar });

  context.subscriptions.push(
    diagnostics,
    statusBar,
    runs,
    ...registerCommands(runs, new Comparer(runs), new LrFinder(runs)),
    ...registerWalkthroughCommands(context.extensionUri, context.globalStorageUri, findings),
    registerImportCommand(),
    vscode.languages.registerCompletionItemProvider(selector, new SpecCompletionProvider(), ...TRIGGER_CHARACTERS),
    vscode.languages.registerHoverProvider(selector, new SpecHoverProvider(findings)),
    vscode.languages.registerCodeActionsProvider(selector, new SpecCodeActionProvider(findings), SpecCodeActionProvider.metadata),
    vscode.languages.registerCodeLensProvider(selector, new SpecCodeLensProvider(runs)),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, new InspectorPanelSerializer(runs.panelContext)),
    { dispose: () => InspectorPanel.instance?.dispose() },
  );

  return createApi(runs, findings);
}

export function deactivate(): void {}
