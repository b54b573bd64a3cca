// A run's peak memory, estimated from the spec before anything is allocated, and the budget it must
// fit (docs/limits.md). The parts are those the engine allocates: the samples, the parameters with
// their gradients and optimizer state at the run's precision, the batch's activations through
// every layer, the WebAssembly products' scratch, and the statistics kept per epoch. A run over the
// budget is an error on the line that drives the largest part, with what to lower there.

import type { Problem, Spec } from './types';
import { STAT_NAMES } from '../shared/vocabulary';
import { HISTOGRAM } from './histogram';

/** The budget when none is set: what one run may take (Compare divides it among its workers). */
export const DEFAULT_MEMORY_BUDGET_MB = 1024;
export const MB = 1024 * 1024;

export type MemoryPart = 'data' | 'parameters' | 'activations' | 'statistics';

export interface MemoryEstimate {
  readonly bytes: Readonly<Record<MemoryPart, number>>;
  readonly total: number;
}

/** Samples and features of the data, when known (always for the generated sets; after loading for files). */
export interface DataSize {
  readonly n: number;
  readonly features: number;
}

/** Histograms the statistics keep per layer (EpochHistory's default bound, plus the latest). */
const HISTOGRAMS_KEPT = 1024 + 1;

export function estimateMemory(spec: Spec, data: DataSize | null, epochs = spec.train.epochs): MemoryEstimate {
  const p = spec.train.precision === 'float64' ? 8 : 4;
  const inputs = spec.input ?? data?.features ?? 0;
  const n = data?.n ?? 0;
  const batch = Math.max(1, Math.min(spec.train.batch, n || spec.train.batch));
  const o = spec.optimizer;
  const stateBuffers = o.kind === 'adam' ? 2 : o.kind === 'rmsprop' ? 1 : o.momentum > 0 ? 1 : 0;
  let params = 0;
  let activations = 0;
  let scratch = 0;
  let fanIn = inputs;
  for (const l of spec.layers) {
    // W and b, and a normalized layer's γ and β (each with its gradient and optimizer state below).
    params += fanIn * l.units + l.units + (l.norm ? 2 * l.units : 0);
    // Z, A and ∂ℓ/∂z for each sample of the batch; a residual layer's output and saved ∂ℓ/∂Y; a
    // normalized layer's n and ẑ, and its float64 per-sample (layer) or per-unit (batch) scale,
    // sums and running statistics (norm.ts makeNormState).
    const perSample = 3 + (l.residual ? 2 : 0) + (l.norm ? 2 : 0);
    activations += perSample * batch * l.units * p + (l.norm ? 8 * ((l.norm === 'layer' ? batch : l.units) + 4 * l.units) : 0);
    // The largest product's operands, result and transposed copy, in float64 (simd.ts product():
    // ∂L/∂W = Xᵀ·D copies X twice, ∂L/∂X = D·Wᵀ copies W twice).
    const [b, f, u] = [batch, fanIn, l.units];
    scratch = Math.max(scratch, 8 * Math.max(2 * b * f + b * u + f * u, b * u + 2 * u * f + b * f));
    fanIn = l.units;
  }
  const outUnits = spec.layers.length > 0 ? spec.layers[spec.layers.length - 1].units : 0;
  const layers = spec.layers.length;
  return total({
    // x and y as float64, and the shuffle order.
    data: n * (inputs + 1) * 8 + n * 4,
    // The parameters, their gradients, and the optimizer's state.
    parameters: params * p * (2 + stateBuffers),
    activations: activations + batch * (inputs + outUnits) * p + scratch,
    // Every statistic of every layer and epoch in float64, and the histograms kept.
    statistics: epochs * (layers * STAT_NAMES.length + 3) * 8 + Math.min(epochs, HISTOGRAMS_KEPT) * layers * HISTOGRAM.bins * 8,
  });
}

function total(bytes: Record<MemoryPart, number>): MemoryEstimate {
  return { bytes, total: bytes.data + bytes.parameters + bytes.activations + bytes.statistics };
}

export const megabytes = (bytes: number): string => `${Math.ceil(bytes / MB).toLocaleString('en-US')} MB`;

/**
 * An error when the estimate is over the budget: on the line that drives its largest part, with the
 * estimate, its parts and what to lower; null when it fits.
 */
export function budgetProblem(spec: Spec, estimate: MemoryEstimate, budgetMB: number): Problem | null {
  if (estimate.total <= budgetMB * MB) return null;
  const parts = (Object.keys(estimate.bytes) as MemoryPart[]).sort((a, b) => estimate.bytes[b] - estimate.bytes[a]);
  const largest = parts[0];
  const widest = spec.layers.reduce((a, l) => (l.units > a.units ? l : a), spec.layers[0]);
  const { line, advice } = ((): { line: number | undefined; advice: string } => {
    switch (largest) {
      case 'data':
        return { line: spec.lines.data, advice: 'use fewer samples' };
      case 'parameters':
        return { line: widest?.line, advice: 'use fewer or narrower layers, or precision=float32' };
      case 'activations':
        return { line: spec.lines.train ?? widest?.line, advice: `lower batch=${spec.train.batch}, or use narrower layers or precision=float32` };
      case 'statistics':
        return { line: spec.lines.train ?? widest?.line, advice: 'train fewer epochs or fewer layers' };
    }
  })();
  const shares = parts
    .filter((k) => estimate.bytes[k] >= MB)
    .map((k) => `${k} ${megabytes(estimate.bytes[k])}`)
    .join(', ');
  return {
    severity: 'error',
    code: 'memory',
    message: `This run needs about ${megabytes(estimate.total)} (${shares}); the memory budget is ${megabytes(budgetMB * MB)}. The ${largest} take the most: ${advice}, or raise the budget (setting nnspec.memoryBudgetMB, or --memory-budget MB).`,
    line: line ?? 1,
    startColumn: 0,
    endColumn: Number.MAX_SAFE_INTEGER,
  };
}
