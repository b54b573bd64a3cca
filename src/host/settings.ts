// The extension's settings (contributes.configuration in package.json), read where they are used.

import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import { DEFAULT_MEMORY_BUDGET_MB } from '../engine/index';
import type { Thresholds } from '../engine/types';
import type { ThresholdOverrides } from '../protocol';
import { HEATMAP_METRICS, isOneOf, type HeatmapMetric } from '../shared/vocabulary';
import { workerLimit } from './runs/workerPool';

const SECTION = 'nnspec';
const THRESHOLD_KEYS = ['vanishing', 'exploding', 'dead', 'saturated'] as const satisfies readonly (keyof Thresholds)[];

export function trainOnSave(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('trainOnSave', false);
}

export function defaultMetric(): HeatmapMetric {
  const m = vscode.workspace.getConfiguration(SECTION).get<string>('defaultMetric', 'gradRms');
  return isOneOf(HEATMAP_METRICS, m) ? m : 'gradRms';
}

/** The thresholds the user set (only those: the engine's defaults stay the engine's). */
export function thresholdOverrides(): ThresholdOverrides | undefined {
  const config = vscode.workspace.getConfiguration(`${SECTION}.thresholds`);
  const out: { -readonly [K in keyof Thresholds]?: number } = {};
  for (const key of THRESHOLD_KEYS) {
    const i = config.inspect<number>(key);
    const v = i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[key] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `nnspec.memoryBudgetMB`: the memory one run may take (docs/limits.md). */
export function memoryBudgetMB(): number {
  const v = vscode.workspace.getConfiguration(SECTION).get<number>('memoryBudgetMB', DEFAULT_MEMORY_BUDGET_MB);
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? v : DEFAULT_MEMORY_BUDGET_MB;
}

/** `nnspec.maxWorkers`: 0 (the default) means one per core; never below 1. */
export function maxWorkers(): number {
  return workerLimit(vscode.workspace.getConfiguration(SECTION).get<number>('maxWorkers', 0), availableParallelism());
}
