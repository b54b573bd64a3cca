// Gradient Flow's entry point: wiring only. It creates the pieces (src/host/: language/ for the
// editor's features, runs/ for the job service and its policies, panel/ for the webview) and hands
// each the others it needs; everything is registered into context.subscriptions.

import * as vscode from 'vscode';
import { createApi, type ApiParts, type GradientFlowApi } from './host/api';
import { registerCommands } from './host/commands';
import { SpecCodeActionProvider } from './host/language/codeActions';
import { SpecCodeLensProvider } from './host/language/codeLens';
import { SpecCompletionProvider, TRIGGER_CHARACTERS } from './host/language/completion';
import { LANGUAGE_ID, SpecDiagnostics } from './host/language/diagnostics';
import { FindingsStore } from './host/language/findingsStore';
import { SpecHoverProvider } from './host/language/hover';
import type { PanelObserver } from './host/panel/panel';
import { InspectorPanels } from './host/panel/panels';
import { Comparer } from './host/runs/compare';
import { JobService } from './host/runs/jobService';
import { LrFinder } from './host/runs/lrFinder';
import { TrainingStatusBar } from './host/runs/statusBar';
import { TrainAndInspect } from './host/runs/trainAndInspect';
import { defaultMetric } from './host/settings';
import type { HeatmapMetric } from './protocol';
import { registerWalkthroughCommands } from './host/walkthrough';
import { registerImportCommand } from './host/importModel';

const METRIC_KEY = 'nnspec.metric';

/** What the test build replaces or watches (test/vscode/testExtension.ts); production passes nothing. */
export interface Seams {
  pickSaveTarget?(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined>;
  readonly panelObserver?: PanelObserver;
  onError?(message: string): void;
}

export function wire(context: vscode.ExtensionContext, seams: Seams = {}): ApiParts {
  const selector: vscode.DocumentSelector = { language: LANGUAGE_ID };
  const findings = new FindingsStore();
  const diagnostics = new SpecDiagnostics(findings);
  const statusBar = new TrainingStatusBar();
  const panels = new InspectorPanels({
    extensionUri: context.extensionUri,
    metric: () => context.globalState.get<HeatmapMetric>(METRIC_KEY) ?? defaultMetric(),
    setMetric: (m) => void context.globalState.update(METRIC_KEY, m),
    pickSaveTarget: (options) => (seams.pickSaveTarget ? seams.pickSaveTarget(options) : vscode.window.showSaveDialog(options)),
    ...(seams.panelObserver ? { observer: seams.panelObserver } : {}),
  });
  const jobs = new JobService({
    worker: { file: vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath },
    showError: (message) => {
      seams.onError?.(message);
      void vscode.window.showErrorMessage(message);
    },
  });
  const runs = new TrainAndInspect(jobs, panels, findings, diagnostics, statusBar);

  context.subscriptions.push(
    diagnostics,
    statusBar,
    jobs,
    panels,
    ...registerCommands(jobs, runs, new Comparer(jobs, panels), new LrFinder(jobs, panels)),
    ...registerWalkthroughCommands(context.extensionUri, context.globalStorageUri, findings),
    registerImportCommand(),
    vscode.languages.registerCompletionItemProvider(selector, new SpecCompletionProvider(), ...TRIGGER_CHARACTERS),
    vscode.languages.registerHoverProvider(selector, new SpecHoverProvider(findings, diagnostics)),
    vscode.languages.registerCodeActionsProvider(selector, new SpecCodeActionProvider(findings), SpecCodeActionProvider.metadata),
    vscode.languages.registerCodeLensProvider(selector, new SpecCodeLensProvider(jobs)),
  );
  return { jobs, runs, panels, findings };
}

export function activate(context: vscode.ExtensionContext): GradientFlowApi {
  return createApi(wire(context));
}

export function deactivate(): void {}
