// The shapes every part of Gradient Flow agrees on: the parsed spec, its problems, the per-epoch
// statistics, the findings and their fixes. Pure data, no behaviour, so the worker, the CLI, the
// extension host and the webview can all import it.

import type { FindingKind, LayerStats, OptimizerName, Severity, StopReason } from '../shared/vocabulary';

// The shared words, re-exported so the shapes below read as one set.
export type { FindingKind, LayerStatName, LayerStats, OptimizerName, Severity, StopReason } from '../shared/vocabulary';

export type Precision = 'float32' | 'float64';

export type Activation =
  | { readonly kind: 'linear' }
  | { readonly kind: 'sigmoid' }
  | { readonly kind: 'tanh' }
  | { readonly kind: 'relu' }
  | { readonly kind: 'leaky_relu'; readonly slope: number }
  | { readonly kind: 'elu'; readonly alpha: number }
  | { readonly kind: 'selu' }
  | { readonly kind: 'gelu' }
  | { readonly kind: 'silu' }
  | { readonly kind: 'softplus' }
  | { readonly kind: 'softsign' }
  | { readonly kind: 'softmax' };
export type ActivationName = Activation['kind'];

export type Init =
  | { readonly kind: 'glorot_uniform' }
  | { readonly kind: 'glorot_normal' }
  | { readonly kind: 'he_normal' }
  | { readonly kind: 'he_uniform' }
  | { readonly kind: 'lecun_normal' }
  | { readonly kind: 'lecun_uniform' }
  | { readonly kind: 'normal'; readonly mean: number; readonly std: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'zeros' };
export type InitName = Init['kind'];
/** How a layer's biases start: one value for all, or drawn per unit (`bias=normal(M, S)` / `uniform(L, H)`). */
export type BiasInit = Extract<Init, { readonly kind: 'constant' | 'normal' | 'uniform' }>;

export type LossName = 'mse' | 'bce' | 'cross_entropy';

/** A 0-based column range on a 1-based line. */
export interface SourceRange {
  readonly line: number;
  readonly startColumn: number;
  readonly endColumn: number;
}

export interface LayerSpec {
  /** Index after `xN` expansion, 0 nearest the input. */
  readonly index: number;
  /** 1-based line of the `dense` statement this layer came from. */
  readonly line: number;
  readonly units: number;
  readonly activation: Activation;
  readonly init: Init;
  /** The init as written (or the default's name), for reports. */
  readonly initText: string;
  readonly bias: BiasInit;
  readonly name?: string;
  /** Normalization of z before the activation (Version 1.1); absent: none. */
  readonly norm?: NormKind;
  /** The layer's output is x + f(ẑ) (He et al. 2016); its units equal its input width. */
  readonly residual?: boolean;
}

export type NormKind = 'layer' | 'batch';

/** One layer's parameters as `nnspec weights` prints them; W is [fanIn × units], row-major. */
export interface LayerParams {
  readonly W: Float64Array;
  readonly b: Float64Array;
  /** Only on `norm` layers; absent there, γ starts at 1 and β at 0. */
  readonly gamma?: Float64Array;
  readonly beta?: Float64Array;
  /** Batch norm's running statistics, when the file has them (else 0 and 1). */
  readonly runningMean?: Float64Array;
  readonly runningVar?: Float64Array;
}

/** A `weights "PATH"` statement: where it is, and the parameters once the file was read and checked. */
export interface WeightsRef {
  readonly path: string;
  /** The statement's whole line, where problems with the file are reported. */
  readonly at: SourceRange;
  readonly params: readonly LayerParams[] | null;
}

export type DataSpec =
  | { readonly source: 'xor'; readonly samples: number; readonly noise: number; readonly seed: number }
  | { readonly source: 'circles'; readonly samples: number; readonly noise: number; readonly factor: number; readonly seed: number }
  | { readonly source: 'moons'; readonly samples: number; readonly noise: number; readonly seed: number }
  | { readonly source: 'spiral'; readonly samples: number; readonly noise: number; readonly classes: number; readonly seed: number }
  | { readonly source: 'gaussians'; readonly samples: number; readonly classes: number; readonly spread: number; readonly seed: number }
  | { readonly source: 'sine'; readonly samples: number; readonly noise: number; readonly seed: number }
  /** Stand-in data for an imported model: N(0, 1) features labelled by a random linear teacher; classes 0 is a real target. */
  | { readonly source: 'normal'; readonly samples: number; readonly features: number; readonly classes: number; readonly seed: number }
  /** The digits shipped with the product (examples/data), classes interleaved. */
  | { readonly source: 'mnist'; readonly samples: number; readonly offset: number }
  /** IDX files (unsigned-byte images and labels, plain or gzip); `samples` null for all from `offset` on. */
  | { readonly source: 'idx'; readonly path: string; readonly labels: string; readonly samples: number | null; readonly offset: number; readonly scale: number }
  | {
      readonly source: 'csv';
      readonly path: string;
      readonly target: string | number | null;
      readonly header: boolean;
      readonly normalize: boolean;
      readonly seed: number;
    };
export type DataSourceName = DataSpec['source'];

/** Samples in row-major order; `y` holds class indices (classification) or real targets. */
export interface Dataset {
  readonly n: number;
  readonly features: number;
  /** Number of classes, or 0 for a real-valued (regression) target. */
  readonly classes: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Class names in index order for a CSV with a text target; else empty. */
  readonly classNames: readonly string[];
  readonly featureNames: readonly string[];
}

export interface OptimizerSpec {
  readonly kind: OptimizerName;
  readonly lr: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly rho: number;
  /** Global-norm clip; 0 means off. */
  readonly clip: number;
  readonly weightDecay: number;
}

export interface TrainSpec {
  readonly epochs: number;
  readonly batch: number;
  readonly seed: number;
  readonly shuffle: boolean;
  readonly precision: Precision;
}

/** Thresholds of the findings; see docs/nnspec.md for the rules that use them. */
export interface Thresholds {
  /** A layer is vanishing when its gradient is below this fraction of the output layer's. */
  readonly vanishing: number;
  /** A layer is exploding when its gradient is above this multiple of the output layer's. */
  readonly exploding: number;
  /** A layer is dead when at least this fraction of its units never had a non-zero derivative. */
  readonly dead: number;
  /** A layer is saturated when at least this fraction of (sample, unit) pairs sit in the flat tails. */
  readonly saturated: number;
  /** An update ratio above this, with an unsettled loss, means the learning rate is too high. */
  readonly lrHigh: number;
  /** An update ratio below this on every layer, with a slowly falling loss, means it is too low. */
  readonly lrLow: number;
  /** Underflow is reported when at least this fraction of a layer's weight gradients are exactly 0. */
  readonly underflow: number;
}

export type StatementKeyword = 'network' | 'data' | 'input' | 'dense' | 'loss' | 'optimizer' | 'train' | 'diagnose' | 'weights';

export interface Spec {
  readonly name: string;
  readonly data: DataSpec | null;
  readonly input: number | null;
  readonly layers: readonly LayerSpec[];
  readonly loss: LossName;
  readonly optimizer: OptimizerSpec;
  readonly train: TrainSpec;
  readonly diagnose: Thresholds;
  /** The starting parameters from a `weights` statement, or null: drawn from the inits. */
  readonly weights: WeightsRef | null;
  /** 1-based line of each statement that was written (absent: defaulted). */
  readonly lines: Readonly<Partial<Record<Exclude<StatementKeyword, 'dense'>, number>>>;
}

export type ProblemCode =
  | 'syntax'
  | 'unknown-keyword'
  | 'unknown-activation'
  | 'unknown-init'
  | 'unknown-loss'
  | 'unknown-optimizer'
  | 'unknown-data-source'
  | 'unknown-option'
  | 'bad-value'
  | 'out-of-range'
  | 'duplicate-statement'
  | 'missing-statement'
  | 'order'
  | 'limit'
  | 'softmax-not-last'
  | 'loss-mismatch'
  | 'input-mismatch'
  | 'output-mismatch'
  | 'csv'
  | 'static-vanishing'
  | 'static-exploding'
  | 'saturating-activation'
  | 'init-mismatch'
  | 'bce-without-sigmoid'
  | 'feature-scale'
  | 'residual-width'
  | 'norm'
  | 'weights'
  | 'memory'
  | 'long-run';

export interface Problem extends SourceRange {
  readonly severity: Severity;
  readonly code: ProblemCode;
  readonly message: string;
}

/** A change a fix makes to the spec; `editsForChange` turns it into text edits. */
export type Change =
  | {
      readonly kind: 'layer';
      readonly lines: readonly number[];
      readonly activation?: string;
      readonly init?: string;
      readonly bias?: string;
      /** `norm=` and `residual=` values to set (Version 1.1's cures). */
      readonly norm?: string;
      readonly residual?: string;
    }
  | { readonly kind: 'option'; readonly statement: 'optimizer' | 'train' | 'data'; readonly key: string; readonly value: string };

export interface Fix {
  readonly title: string;
  readonly change: Change;
}

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: Severity;
  /** Layer indices the finding names (empty for findings about the run, such as `budget`). */
  readonly layers: readonly number[];
  readonly line: number;
  readonly message: string;
  readonly fixes: readonly Fix[];
  /** The numbers behind the verdict, for hovers and the panel. */
  readonly evidence: Evidence;
}

export interface Evidence {
  /** Per named layer: its gradient RMS per epoch (∂L/∂W), for sparklines. */
  readonly series?: readonly (readonly number[])[];
  /** The layer's gradient relative to the output layer's (∂L/∂W RMS ratio). */
  readonly gradRatio?: number;
  /** The layer's backpropagated error relative to the output layer's (∂L/∂z RMS ratio). */
  readonly deltaRatio?: number;
  /** An analytic bound on the backpropagated factor, such as (1/4)^k for k sigmoid layers. */
  readonly bound?: { readonly text: string; readonly value: number };
  readonly [key: string]: unknown;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number | null;
  readonly layers: readonly LayerStats[];
  /** Per layer, counts of log10|∂L/∂W| in the fixed bins of `HISTOGRAM` (last step of the epoch). */
  readonly histograms: readonly (readonly number[])[];
}

/**
 * The statistics of the gradient of the whole training set's mean loss at the initial weights,
 * before any step (the heatmap's epoch 0). `updateRatio` is 0: no step was taken.
 */
export interface InitialRecord {
  readonly loss: number;
  readonly accuracy: number | null;
  readonly layers: readonly LayerStats[];
}

export interface PredictedLayer {
  readonly actStd: number;
  readonly deltaRatio: number;
}

export interface ReportLayer {
  readonly index: number;
  readonly line: number;
  readonly units: number;
  readonly activation: string;
  readonly init: string;
  readonly params: number;
  readonly predicted: PredictedLayer;
  /** Version 1.1's cures, present only on the layers that have them (so 1.0 reports are unchanged). */
  readonly norm?: NormKind;
  readonly residual?: true;
}

export interface Report {
  readonly version: 1;
  readonly network: { readonly name: string; readonly params: number; readonly layers: readonly ReportLayer[] };
  /** Null when nothing was trained. */
  readonly initial: InitialRecord | null;
  readonly epochs: readonly EpochRecord[];
  readonly findings: readonly Finding[];
  readonly problems: readonly Problem[];
  readonly stopped: StopReason;
}
