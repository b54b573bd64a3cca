// The words every part of Gradient Flow shares: the per-layer statistics (their names, labels and
// how a bucket of epochs aggregates them), the finding kinds, the severities, the run states and
// stop reasons, the optimizer names. Each is defined once here, `as const`, and every other list
// is derived from it or typed `Record<Name, …>` over it, so adding a word here and forgetting it
// elsewhere fails to compile. The words of the .nnspec language itself, with their options, live
// in src/engine/vocabulary.ts.
//
// This folder sits below the engine: pure data and pure functions, no imports from the rest of
// src, so the engine, the worker, the CLI, the host and the panel's page all import it.

/** How the epochs of a panel bucket are combined into one value (src/host/aggregate.ts). */
export type StatAggregation = 'log' | 'max' | 'mean';

interface StatisticInfo {
  /** A short name for a chart axis or a tooltip line. */
  readonly label: string;
  /** The name in a sentence or a title. */
  readonly long: string;
  /**
   * 'log' for magnitudes spanning decades (geometric mean), 'max' for extremes, 'mean' for
   * fractions and the rest: chosen so that nothing a user looks for is averaged away.
   */
  readonly aggregation: StatAggregation;
  /** 'fraction' values are shown as percentages. */
  readonly format: 'magnitude' | 'fraction' | 'signed' | 'count';
}

/**
 * The statistics of one layer over one epoch, in the order of the CSV export's columns and of the
 * stored history's columns; definitions in docs/nnspec.md ("The statistics").
 */
export const STATISTICS = {
  gradRms: { label: '∂L/∂W RMS', long: '∂L/∂W RMS (weight gradient)', aggregation: 'log', format: 'magnitude' },
  gradMeanAbs: { label: 'mean |∂L/∂W|', long: 'mean |∂L/∂W| (weight gradient)', aggregation: 'log', format: 'magnitude' },
  gradMaxAbs: { label: 'max |∂L/∂W|', long: 'max |∂L/∂W| (weight gradient)', aggregation: 'max', format: 'magnitude' },
  deltaRms: { label: '∂L/∂z RMS', long: '∂L/∂z RMS (backpropagated error)', aggregation: 'log', format: 'magnitude' },
  updateRatio: { label: '‖ΔW‖/‖W‖', long: '‖ΔW‖/‖W‖ (update ratio)', aggregation: 'log', format: 'magnitude' },
  weightRms: { label: 'W RMS', long: 'W RMS (weights)', aggregation: 'log', format: 'magnitude' },
  actMean: { label: 'activation mean', long: 'Mean of the activations', aggregation: 'mean', format: 'signed' },
  actStd: { label: 'activation std', long: 'Standard deviation of the activations', aggregation: 'mean', format: 'magnitude' },
  dead: { label: 'dead', long: 'Dead fraction', aggregation: 'mean', format: 'fraction' },
  saturated: { label: 'saturated', long: 'Saturated fraction', aggregation: 'mean', format: 'fraction' },
  zeroGrad: { label: 'zero ∂L/∂W', long: 'Fraction of exactly-zero weight gradients', aggregation: 'mean', format: 'fraction' },
  nonFinite: { label: 'non-finite', long: 'Non-finite weight-gradient entries', aggregation: 'max', format: 'count' },
  biasGradNorm: { label: '‖∂L/∂b‖', long: '‖∂L/∂b‖ (bias gradient norm)', aggregation: 'log', format: 'magnitude' },
} as const satisfies Readonly<Record<string, StatisticInfo>>;

export type LayerStatName = keyof typeof STATISTICS;
/** Statistics of one layer over one epoch (mutable: the trainer and the aggregators fill them in). */
export type LayerStats = { [K in LayerStatName]: number };
export const STAT_NAMES = Object.keys(STATISTICS) as readonly LayerStatName[];

/** The statistics the heatmap can show, in the order of the panel's metric picker. */
export const HEATMAP_METRICS = ['gradRms', 'deltaRms', 'biasGradNorm', 'updateRatio', 'dead', 'saturated'] as const satisfies readonly LayerStatName[];
export type HeatmapMetric = (typeof HEATMAP_METRICS)[number];

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Every finding kind with its title (hovers, the Problems view, the panel); rules in docs/nnspec.md. */
export const FINDINGS = {
  vanishing: { title: 'Vanishing gradient' },
  exploding: { title: 'Exploding gradient' },
  nonfinite: { title: 'Non-finite values' },
  dead: { title: 'Dead units' },
  saturated: { title: 'Saturated units' },
  underflow: { title: 'Gradient underflow' },
  lr_too_high: { title: 'Learning rate too high' },
  lr_too_low: { title: 'Learning rate too low' },
  plateau: { title: 'Loss plateau' },
  budget: { title: 'Iteration budget' },
} as const satisfies Readonly<Record<string, { readonly title: string }>>;
export type FindingKind = keyof typeof FINDINGS;
export const FINDING_KINDS = Object.keys(FINDINGS) as readonly FindingKind[];

/** Why a training run ended early; a run that used all its epochs has no stop reason (null). */
export const STOP_REASONS = ['nonfinite', 'cancelled', 'outOfMemory'] as const;
export type StopReason = (typeof STOP_REASONS)[number] | null;

/** A run as the panel shows it: going, or ended by one of these. */
export const RUN_STATES = ['running', 'done', 'cancelled', 'failed', 'nonfinite'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** The state a run that ended by itself is in, from the engine's stop reason. */
export const STATE_OF_STOP = {
  nonfinite: 'nonfinite',
  cancelled: 'cancelled',
  outOfMemory: 'failed',
} as const satisfies Readonly<Record<NonNullable<StopReason>, RunState>>;

export function stateOfStop(stopped: StopReason): RunState {
  return stopped === null ? 'done' : STATE_OF_STOP[stopped];
}

/** The largest learning rate a spec may give (`lr` is in (0, 100]); fixes and the panel write none larger. */
export const LR_MAX = 100;

export const OPTIMIZER_NAMES = ['sgd', 'adam', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** True when `value` is one of `words` (a narrowing `includes` for strings from outside). */
export function isOneOf<T extends string>(words: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (words as readonly string[]).includes(value);
}
