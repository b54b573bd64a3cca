// What activate() returns: a small typed API for other extensions and the in-extension-host tests,
// so they await a run's end instead of sleeping. Its types are the host's own; the test build adds
// its hooks in test/vscode/testingApi.ts, which production builds do not carry.

import * as vscode from 'vscode';
import type { Finding, Problem, StopReason } from '../engine/types';
import type { PanelView, RunState } from '../protocol';
import type { FindingsStore } from './language/findingsStore';
import type { InspectorPanels } from './panel/panels';
import type { CompareOutcome } from './runs/compare';
import type { JobService } from './runs/jobService';
import type { LrFindOutcome } from './runs/lrFinder';
import type { JobOutcomeKind } from './runs/outcome';
import type { TrainAndInspect } from './runs/trainAndInspect';

export interface RunOptions {
  /** Overrides the spec's epochs. */
  readonly epochs?: number;
  readonly seed?: number;
}

export interface RunOutcome {
  readonly state: RunState;
  /** How the job ended (done, nonfinite, cancelled, rejected, crashed, outOfMemory). */
  readonly outcome: JobOutcomeKind;
  readonly stopped: StopReason;
  readonly error?: string;
  /** Epochs trained. */
  readonly epochs: number;
  readonly findings: readonly Finding[];
  readonly problems: readonly Problem[];
}

export interface PanelInfo {
  readonly kind: PanelView['kind'] | undefined;
  readonly runId: string | undefined;
  /** The run view's snapshot now: its records and their stride (epochs per record). */
  readonly snapshot?: { readonly records: number; readonly stride: number; readonly lastEpoch: number; readonly findings: number };
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
  /** The panel, if open: what it shows, and the run of a run view. */
  panel(): PanelInfo | undefined;
  /** Closes the panel, as its close button does. */
  closePanel(): void;
}

/** The parts of the host the API reads (src/extension.ts wires them). */
export interface ApiParts {
  readonly jobs: JobService;
  readonly runs: TrainAndInspect;
  readonly panels: InspectorPanels;
  readonly findings: FindingsStore;
}

export function createApi({ jobs, runs, panels, findings }: ApiParts): GradientFlowApi {
  return {
    train: async (uri, options) => runs.train(await vscode.workspace.openTextDocument(uri), options),
    compare: async (uri, variantIds) =>
      vscode.commands.executeCommand<CompareOutcome | undefined>('nnspec.compare', {
        uri,
        variants: variantIds ? [...variantIds] : ['as-written', 'relu+he_normal', 'leaky_relu+he_normal', 'tanh+glorot_uniform'],
      }),
    findLearningRate: async (uri) => vscode.commands.executeCommand<LrFindOutcome | undefined>('nnspec.findLearningRate', uri),
    stop: (uri) => void jobs.stop(uri),
    isRunning: (uri) => jobs.isRunning(uri),
    findings: (uri) => findings.get(uri.toString()),
    panel: () => {
      const p = panels.current;
      if (!p) return undefined;
      const run = p.shownRun?.snapshot();
      const snapshot = run && {
        records: run.records.epoch.length,
        stride: run.stride ?? 1,
        lastEpoch: run.records.epoch[run.records.epoch.length - 1] ?? 0,
        findings: run.findings.length,
      };
      return { kind: p.shown?.kind, runId: p.shownRun?.id, ...(snapshot ? { snapshot } : {}) };
    },
    closePanel: () => panels.close(),
  };
}
