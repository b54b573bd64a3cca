// What activate() returns: a small typed API for the in-extension-host tests (and other extensions),
// so they await a run's end instead of sleeping.

import * as vscode from 'vscode';
import type { Finding, Problem, StopReason } from '../engine/types';
import type { PanelView, RunState } from '../protocol';
import type { CompareOutcome } from './runs/compare';
import type { FindingsStore } from './language/findingsStore';
import type { LrFindOutcome } from './runs/lrFinder';
import { InspectorPanel } from './panel/panel';
import type { Runs } from './runs/runs';

export interface RunOptions {
  /** Overrides the spec's epochs. */
  readonly epochs?: number;
  readonly seed?: number;
  /** Test hook: the worker crashes at the start of this epoch. */
  readonly crashAtEpoch?: number;
}

export interface RunOutcome {
  readonly state: RunState;
  readonly stopped: StopReason;
  readonly error?: string;
  /** Epochs trained. */
  readonly epochs: number;
  readonly findings: readonly Finding[];
  readonly problems: readonly Problem[];
}

export interface GradientFlowApi {
  /** Trains the document (as the command does) and resolves when the run ends. */
  train(uri: vscode.Uri, options?: RunOptions): Promise<RunOutcome>;
  /** Compares variants of the document (ids as the engine's variantsOf names them; default: the four activation ones) and resolves when all have ended. */
  compare(uri: vscode.Uri, variantIds?: readonly string[]): Promise<CompareOutcome | undefined>;
  /** Runs the learning-rate range test on the document and resolves with its suggestion. */
  findLearningRate(uri: vscode.Uri): Promise<LrFindOutcome | undefined>;
  /** Stops the document's run, or every run. */
  stop(uri?: vscode.Uri): void;
  isRunning(uri: vscode.Uri): boolean;
  /** The findings shown for the document (after edits, moved with their lines). */
  findings(uri: vscode.Uri): readonly Finding[];
  /** Error messages shown to the user since activation, oldest first. */
  readonly errors: readonly string[];
  /** The panel, if open: what it shows, the run (of a run view), how often its page said `ready`. */
  panel():
    | {
        readonly kind: PanelView['kind'] | undefined;
        readonly runId: string | undefined;
        readonly readyCount: number;
        readonly ignoredMessages: number;
        /** The run view's snapshot now: its records and their stride (epochs per record). */
        readonly snapshot?: { readonly records: number; readonly stride: number; readonly lastEpoch: number; readonly findings: number };
        /** The most records the page was sent of one run at any time (a 'show' and the progress after it). */
        readonly maxPageRecords: number;
      }
    | undefined;
  /** Closes the panel, as its close button does. */
  closePanel(): void;
  /** Test hooks. */
  readonly testing: {
    /** Hands a message to the panel's host as if its page had posted it (validated the same way). */
    postFromPanel(message: unknown): Promise<void>;
    /** Replaces the save dialog of exports; undefined restores it. */
    setSaveDialog(pick: ((options: vscode.SaveDialogOptions) => Thenable<vscode.Uri | undefined>) | undefined): void;
  };
}

export function createApi(runs: Runs, findings: FindingsStore): GradientFlowApi {
  return {
    train: async (uri, options) => runs.train(await vscode.workspace.openTextDocument(uri), options),
    compare: async (uri, variantIds) =>
      vscode.commands.executeCommand<CompareOutcome | undefined>('nnspec.compare', { uri, variants: variantIds ? [...variantIds] : ['as-written', 'relu+he_normal', 'leaky_relu+he_normal', 'tanh+glorot_uniform'] }),
    findLearningRate: async (uri) => vscode.commands.executeCommand<LrFindOutcome | undefined>('nnspec.findLearningRate', uri),
    stop: (uri) => void runs.stop(uri),
    isRunning: (uri) => runs.isRunning(uri),
    findings: (uri) => findings.get(uri.toString()),
    get errors() {
      return [...runs.errors];
    },
    panel: () => {
      const p = InspectorPanel.instance;
      if (!p) return undefined;
      const run = p.shownRun?.snapshot();
      const snapshot = run && { records: run.epochs.length, stride: run.stride ?? 1, lastEpoch: run.epochs[run.epochs.length - 1]?.epoch ?? 0, findings: run.findings.length };
      return { kind: p.shown?.kind, runId: p.shownRun?.id, readyCount: p.readyCount, ignoredMessages: p.ignoredMessages, ...(snapshot ? { snapshot } : {}), maxPageRecords: p.maxPageRecords };
    },
    closePanel: () => InspectorPanel.instance?.panel.dispose(),
    testing: {
      postFromPanel: async (message) => InspectorPanel.instance?.receive(message),
      setSaveDialog: (pick) => (runs.saveDialog = pick),
    },
  };
}
