// What a run will cost in time and report size, estimated from the spec before it starts, so that
// `check` can say so (an info problem) for a run of more than a minute instead of starting it
// silently. The time model is per step and layer: the three products (forward, ∂L/∂W, ∂L/∂X) at
// PRODUCT_FLOPS_PER_MS, the element-wise passes, a fixed cost per layer and step, and the
// statistics and histograms per layer and epoch; its constants were measured on one core of the
// development machine (docs/limits.md), so it is an estimate within a factor of a few.

import type { Problem, Spec } from './types';
import type { DataSize } from './budget';
import { reportStride } from './reportJson';

const PRODUCT_FLOPS_PER_MS = 4e6;
const ELEMENTWISE_PER_MS = 5e5;
const MS_PER_LAYER_STEP = 0.01;
const MS_PER_LAYER_EPOCH = 0.01;
/** Characters of one layer's statistics in a report's epoch, and of one histogram. */
const LAYER_JSON_BYTES = 320;
const HISTOGRAM_JSON_BYTES = 80;
/** A run estimated to take longer than this gets an info problem. */
export const LONG_RUN_MS = 60_000;

export interface RunCost {
  readonly ms: number;
  /** The JSON report as written (thinned), and as it would be unthinned. */
  readonly reportBytes: number;
  readonly fullReportBytes: number;
  /** Every how many epochs the report keeps one. */
  readonly stride: number;
}

export function estimateRunCost(spec: Spec, data: DataSize, epochs = spec.train.epochs): RunCost {
  const batch = Math.max(1, Math.min(spec.train.batch, data.n));
  const steps = Math.ceil(data.n / batch);
  let stepMs = 0;
  let epochMs = 0;
  let fanIn = spec.input ?? data.features;
  for (const l of spec.layers) {
    stepMs += (6 * batch * fanIn * l.units) / PRODUCT_FLOPS_PER_MS + (20 * batch * l.units + 4 * fanIn * l.units) / ELEMENTWISE_PER_MS + MS_PER_LAYER_STEP;
    epochMs += MS_PER_LAYER_EPOCH + (fanIn * l.units) / ELEMENTWISE_PER_MS;
    fanIn = l.units;
  }
  const layers = spec.layers.length;
  const stride = reportStride(epochs, layers);
  const epochBytes = (kept: number) => kept * (layers * LAYER_JSON_BYTES + 100) + Math.min(kept, 1025) * layers * HISTOGRAM_JSON_BYTES;
  return { ms: epochs * (steps * stepMs + epochMs), reportBytes: epochBytes(Math.ceil(epochs / stride)), fullReportBytes: epochBytes(epochs), stride };
}

const duration = (ms: number): string =>
  ms < 90 * 60_000 ? `${Math.round(ms / 60_000)} minutes` : ms < 48 * 3_600_000 ? `${Math.round(ms / 3_600_000)} hours` : `${Math.round(ms / 86_400_000)} days`;
const size = (bytes: number): string => (bytes < 1e9 ? `${Math.max(1, Math.round(bytes / 1e6))} MB` : `${(bytes / 1e9).toFixed(1)} GB`);

/** An info problem on the train line for a run estimated to take longer than LONG_RUN_MS; null otherwise. */
export function longRunProblem(spec: Spec, cost: RunCost, epochs = spec.train.epochs): Problem | null {
  if (cost.ms <= LONG_RUN_MS) return null;
  const report =
    cost.stride > 1
      ? `its JSON report keeps every ${cost.stride.toLocaleString('en-US')}th epoch (about ${size(cost.reportBytes)} instead of ${size(cost.fullReportBytes)})`
      : `its JSON report takes about ${size(cost.reportBytes)}`;
  return {
    severity: 'info',
    code: 'long-run',
    message: `A long run: ${epochs.toLocaleString('en-US')} epochs through ${spec.layers.length.toLocaleString('en-US')} layers will take about ${duration(cost.ms)} on one core, and ${report}. Fewer epochs, samples or layers shorten it; a stopped run keeps the epochs so far.`,
    line: spec.lines.train ?? spec.layers[0]?.line ?? 1,
    startColumn: 0,
    endColumn: Number.MAX_SAFE_INTEGER,
  };
}
