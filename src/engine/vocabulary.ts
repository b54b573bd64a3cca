// The words of the .nnspec language with their options, ranges and one-line docs. The parser
// validates against these tables and the editor builds completion and hovers from them, so the
// two can never disagree about what is valid.

import type { ActivationName, DataSourceName, InitName, LossName, OptimizerName, StatementKeyword } from './types';
import { LR_MAX } from '../shared/vocabulary';

export type ValueType =
  | {
      readonly kind: 'number';
      readonly min: number;
      readonly max: number;
      readonly integer?: boolean;
      readonly minExclusive?: boolean;
      readonly maxExclusive?: boolean;
    }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'column' }
  | { readonly kind: 'path' };

export interface OptionDef {
  readonly name: string;
  readonly type: ValueType;
  readonly default: string;
  readonly doc: string;
}

export const LIMITS = {
  unitsPerLayer: 4096,
  layers: 1000,
  params: 50_000_000,
  samples: 1_000_000,
  epochs: 100_000,
  classes: 1000,
} as const;

const int = (min: number, max: number): ValueType => ({ kind: 'number', min, max, integer: true });
const num = (min: number, max: number, minExclusive = false, maxExclusive = false): ValueType => ({ kind: 'number', min, max, minExclusive, maxExclusive });
const bool: ValueType = { kind: 'boolean' };

const samples: OptionDef = { name: 'samples', type: int(1, LIMITS.samples), default: '200', doc: 'Number of samples to generate.' };
const noise = (d: string): OptionDef => ({
  name: 'noise',
  type: num(0, 10),
  default: d,
  doc: 'Standard deviation of the Gaussian noise added to each feature.',
});
const seed: OptionDef = { name: 'seed', type: int(0, 2 ** 32 - 1), default: '1', doc: 'Seed of the data generator.' };
const classes: OptionDef = { name: 'classes', type: int(2, LIMITS.classes), default: '2', doc: 'Number of classes.' };

export const DATA_SOURCES: Readonly<Record<DataSourceName, { readonly doc: string; readonly options: readonly OptionDef[] }>> = {
  xor: { doc: 'Points in [-1, 1]², class 1 where the signs of x and y differ. 2 features, 2 classes.', options: [samples, noise('0'), seed] },
  circles: {
    doc: 'Two concentric circles. 2 features, 2 classes.',
    options: [
      samples,
      noise('0.05'),
      { name: 'factor', type: num(0, 1, true, true), default: '0.5', doc: 'Radius of the inner circle relative to the outer.' },
      seed,
    ],
  },
  moons: { doc: 'Two interleaving half circles. 2 features, 2 classes.', options: [samples, noise('0.1'), seed] },
  spiral: { doc: 'Interleaved spiral arms, one per class. 2 features.', options: [samples, noise('0.1'), classes, seed] },
  gaussians: {
    doc: 'Gaussian blobs, one per class, centres on a circle. 2 features.',
    options: [samples, classes, { name: 'spread', type: num(0, 100, true), default: '1', doc: 'Standard deviation of each blob.' }, seed],
  },
  sine: { doc: 'y = sin(x) on [-π, π] (regression). 1 feature, 1 real target.', options: [samples, noise('0'), seed] },
  normal: {
    doc: 'Features drawn from N(0, 1), labelled by a fixed random linear teacher of the features: stand-in data for an imported model until it is pointed at its own (data csv). `features` is required.',
    options: [
      { name: 'features', type: int(1, LIMITS.unitsPerLayer), default: 'required', doc: "Number of features (the model's input width)." },
      samples,
      {
        name: 'classes',
        type: { kind: 'number', min: 0, max: LIMITS.classes, integer: true },
        default: '2',
        doc: 'Number of classes, or 0 for a real-valued target (regression).',
      },
      seed,
    ],
  },
  mnist: {
    doc: 'Handwritten digits shipped with Gradient Flow (5,000 MNIST digits, 500 of each, classes interleaved): 784 features (pixel/255, in [0, 1]), 10 classes.',
    options: [
      { name: 'samples', type: int(1, 5000), default: '1000', doc: 'Number of digits, taken in the shipped order (any multiple of 10 is balanced).' },
      { name: 'offset', type: int(0, 4999), default: '0', doc: 'Digits to skip first (for example offset=1000 for digits the first 1,000 did not see).' },
    ],
  },
  idx: {
    doc: 'MNIST\'s own IDX files, as users download them (MNIST, Fashion-MNIST, EMNIST): unsigned-byte images (magic 2051) and labels (magic 2049), plain or gzip. Paths relative to the spec: data idx "train-images-idx3-ubyte.gz" labels="train-labels-idx1-ubyte.gz".',
    options: [
      { name: 'labels', type: { kind: 'path' }, default: 'required', doc: 'The IDX labels file, in double quotes.' },
      { name: 'samples', type: int(1, LIMITS.samples), default: 'all', doc: 'Number of images to take.' },
      { name: 'offset', type: int(0, 100_000_000), default: '0', doc: 'Images to skip first.' },
      { name: 'scale', type: num(0, 1e9, true), default: '255', doc: 'Features are pixel/scale (255: in [0, 1]).' },
    ],
  },
  csv: {
    doc: 'Samples from a CSV file, path relative to the spec. The target column is the label; the others are features.',
    options: [
      { name: 'target', type: { kind: 'column' }, default: 'last column', doc: 'Target column: its header name, or its 0-based index.' },
      { name: 'header', type: bool, default: 'true', doc: 'Whether the first row names the columns.' },
      { name: 'normalize', type: bool, default: 'false', doc: 'z-score each feature (subtract its mean, divide by its standard deviation).' },
      seed,
    ],
  },
};

export interface ActivationDoc {
  readonly formula: string;
  readonly derivative: string;
  readonly note: string;
  /** Name and default of the optional parameter, as in `leaky_relu(0.2)`. */
  readonly parameter?: { readonly name: string; readonly default: number; readonly min: number; readonly max: number };
  /** Largest value of f′, for the saturation statistic and the bounds in messages. */
  readonly maxDerivative: number;
}

export const ACTIVATIONS: Readonly<Record<ActivationName, ActivationDoc>> = {
  linear: { formula: 'f(z) = z', derivative: 'f′(z) = 1', note: 'No non-linearity; a stack of linear layers is one linear map.', maxDerivative: 1 },
  sigmoid: {
    formula: 'f(z) = 1 / (1 + e^(−z))',
    derivative: 'f′(z) = f(z)·(1 − f(z)) ≤ 1/4',
    note: 'Its derivative is at most 1/4 (at z = 0), so k sigmoid layers bound the backpropagated factor by (1/4)^k: the classic vanishing gradient. Outputs are not zero-centred. Use it on a 1-unit output with `bce`.',
    maxDerivative: 0.25,
  },
  tanh: {
    formula: 'f(z) = tanh(z)',
    derivative: 'f′(z) = 1 − f(z)² ≤ 1',
    note: 'Zero-centred; its derivative is 1 only at z = 0 and falls fast for |z| > 2, so large inputs saturate it. Pair it with glorot init.',
    maxDerivative: 1,
  },
  relu: {
    formula: 'f(z) = max(0, z)',
    derivative: 'f′(z) = 1 for z > 0, else 0',
    note: 'Does not shrink gradients where active, but a unit whose input stays negative never recovers ("dead"). Pair it with he_normal.',
    maxDerivative: 1,
  },
  leaky_relu: {
    formula: 'f(z) = z for z > 0, else a·z',
    derivative: 'f′(z) = 1 for z > 0, else a',
    note: 'Keeps a small slope a (default 0.01) for negative inputs, so units cannot die. Pair it with he_normal.',
    parameter: { name: 'slope', default: 0.01, min: 0, max: 1 },
    maxDerivative: 1,
  },
  elu: {
    formula: 'f(z) = z for z > 0, else α·(e^z − 1)',
    derivative: 'f′(z) = 1 for z > 0, else α·e^z',
    note: 'Smooth for negative inputs, with outputs pulled towards zero mean. α defaults to 1.',
    parameter: { name: 'alpha', default: 1, min: 0, max: 10 },
    maxDerivative: 1,
  },
  selu: {
    formula: 'f(z) = λ·z for z > 0, else λ·α·(e^z − 1)  (α ≈ 1.6733, λ ≈ 1.0507)',
    derivative: 'f′(z) = λ for z > 0, else λ·α·e^z',
    note: 'Self-normalising with lecun_normal init: activations keep zero mean and unit variance through depth.',
    maxDerivative: 1.7580993408473766,
  },
  gelu: {
    formula: 'f(z) = z·Φ(z)  (exact, Φ the standard normal CDF)',
    derivative: 'f′(z) = Φ(z) + z·φ(z)',
    note: 'A smooth ReLU used in transformers.',
    maxDerivative: 1.1289185,
  },
  silu: {
    formula: 'f(z) = z·σ(z)',
    derivative: 'f′(z) = σ(z)·(1 + z·(1 − σ(z)))',
    note: 'Swish with β = 1; smooth and non-monotonic.',
    maxDerivative: 1.0998393,
  },
  softplus: { formula: 'f(z) = ln(1 + e^z)', derivative: 'f′(z) = σ(z) < 1', note: 'A smooth ReLU; its derivative is the sigmoid.', maxDerivative: 1 },
  softsign: {
    formula: 'f(z) = z / (1 + |z|)',
    derivative: 'f′(z) = 1 / (1 + |z|)² ≤ 1',
    note: 'Like tanh, but its tails approach ±1 polynomially rather than exponentially.',
    maxDerivative: 1,
  },
  softmax: {
    formula: 'f(z)_k = e^(z_k) / Σ_j e^(z_j)',
    derivative: '∂f_k/∂z_j = f_k·(δ_kj − f_j)',
    note: 'Output layer only, with `cross_entropy`: one unit per class, outputs sum to 1.',
    maxDerivative: 0.25,
  },
};

export interface InitDoc {
  readonly canonical: InitName;
  readonly doc: string;
  /** Names of the arguments of a parametrised init such as normal(MEAN, STD). */
  readonly args?: readonly string[];
}

export const INITS: Readonly<Record<string, InitDoc>> = {
  glorot_uniform: {
    canonical: 'glorot_uniform',
    doc: 'U(±√(6/(fan_in+fan_out))), variance 2/(fan_in+fan_out). The default; the match for tanh and sigmoid (Glorot & Bengio 2010).',
  },
  xavier: { canonical: 'glorot_uniform', doc: 'Alias of glorot_uniform.' },
  glorot: { canonical: 'glorot_uniform', doc: 'Alias of glorot_uniform.' },
  glorot_normal: { canonical: 'glorot_normal', doc: 'N(0, 2/(fan_in+fan_out)).' },
  he_normal: {
    canonical: 'he_normal',
    doc: 'N(0, 2/fan_in). The match for relu and its kin (He et al. 2015): the factor 2 makes up for the half of the units that relu zeroes, so activations keep their variance through depth.',
  },
  he: { canonical: 'he_normal', doc: 'Alias of he_normal.' },
  kaiming: { canonical: 'he_normal', doc: 'Alias of he_normal.' },
  he_uniform: { canonical: 'he_uniform', doc: 'U(±√(6/fan_in)), variance 2/fan_in; he_normal as a uniform distribution.' },
  lecun_normal: { canonical: 'lecun_normal', doc: 'N(0, 1/fan_in). The match for selu.' },
  lecun_uniform: { canonical: 'lecun_uniform', doc: 'U(±√(3/fan_in)), variance 1/fan_in.' },
  normal: { canonical: 'normal', doc: "normal(MEAN, STD): every weight drawn from N(MEAN, STD²), whatever the layer's size.", args: ['mean', 'std'] },
  uniform: { canonical: 'uniform', doc: 'uniform(LOW, HIGH): every weight drawn from U(LOW, HIGH).', args: ['low', 'high'] },
  constant: { canonical: 'constant', doc: 'constant(V): every weight V. Units of a layer stay identical (symmetry is never broken).', args: ['value'] },
  zeros: { canonical: 'zeros', doc: 'Every weight 0. Units of a layer stay identical and hidden layers get no gradient.' },
};

export const LOSSES: Readonly<Record<LossName, string>> = {
  mse: 'Mean over samples and output units of (y − t)².',
  bce: 'Binary cross-entropy, mean over samples and output units of −[t·log y + (1−t)·log(1−y)]; on a sigmoid output.',
  cross_entropy: 'Mean over samples of −Σ_k t_k·log y_k, on a softmax output with one unit per class.',
};

export const OPTIMIZERS: Readonly<Record<OptimizerName, string>> = {
  sgd: 'Stochastic gradient descent, with optional momentum and Nesterov momentum.',
  adam: 'Adam (Kingma & Ba 2015): per-weight steps from running means of the gradient and its square.',
  rmsprop: 'RMSProp: the gradient divided by a running RMS of recent gradients.',
};

export const OPTIMIZER_OPTIONS: readonly (OptionDef & { readonly for: readonly OptimizerName[] })[] = [
  {
    name: 'lr',
    type: num(0, LR_MAX, true),
    default: '0.1 (sgd), 0.001 (adam, rmsprop)',
    doc: 'Learning rate: the step size.',
    for: ['sgd', 'adam', 'rmsprop'],
  },
  { name: 'momentum', type: num(0, 1, false, true), default: '0', doc: 'Momentum: the fraction of the last step carried into the next.', for: ['sgd'] },
  { name: 'nesterov', type: bool, default: 'false', doc: 'Nesterov momentum: look ahead along the momentum before taking the gradient.', for: ['sgd'] },
  { name: 'beta1', type: num(0, 1, false, true), default: '0.9', doc: 'Decay of the running mean of gradients.', for: ['adam'] },
  { name: 'beta2', type: num(0, 1, false, true), default: '0.999', doc: 'Decay of the running mean of squared gradients.', for: ['adam'] },
  { name: 'eps', type: num(0, 1, true), default: '1e-8', doc: 'Added to the denominator for numerical stability.', for: ['adam', 'rmsprop'] },
  { name: 'rho', type: num(0, 1, false, true), default: '0.9', doc: 'Decay of the running mean of squared gradients.', for: ['rmsprop'] },
  {
    name: 'clip',
    type: num(0, 1e9, true),
    default: 'off',
    doc: 'Rescale the whole gradient to global L2 norm C when its norm exceeds C (Pascanu et al. 2013).',
    for: ['sgd', 'adam', 'rmsprop'],
  },
  { name: 'weight_decay', type: num(0, 1), default: '0', doc: 'L2 penalty: adds weight_decay·W to each weight gradient.', for: ['sgd', 'adam', 'rmsprop'] },
];

export const TRAIN_OPTIONS: readonly OptionDef[] = [
  { name: 'epochs', type: int(1, LIMITS.epochs), default: '100', doc: 'Passes over the data.' },
  { name: 'batch', type: int(1, LIMITS.samples), default: '32', doc: 'Samples per step; larger than the data means one full batch per epoch.' },
  { name: 'seed', type: int(0, 2 ** 32 - 1), default: '1', doc: 'Seed of the weights and of the shuffling.' },
  { name: 'shuffle', type: bool, default: 'true', doc: 'Shuffle the samples every epoch.' },
  { name: 'precision', type: { kind: 'enum', values: ['float32', 'float64'] }, default: 'float32', doc: 'Number type of the weights and activations.' },
];

export const DIAGNOSE_OPTIONS: readonly OptionDef[] = [
  {
    name: 'vanishing',
    type: num(0, 1, true, true),
    default: '0.01',
    doc: "A hidden layer is vanishing when its gradient is below this fraction of the output layer's.",
  },
  {
    name: 'exploding',
    type: num(1, 1e12, true),
    default: '100',
    doc: "A layer is exploding when its gradient is above this multiple of the output layer's, or its weights grow without bound.",
  },
  {
    name: 'dead',
    type: num(0, 1, true),
    default: '0.5',
    doc: 'A layer is dead when at least this fraction of its units had a zero derivative on every sample of the last epoch.',
  },
  {
    name: 'saturated',
    type: num(0, 1, true),
    default: '0.5',
    doc: 'A layer is saturated when at least this fraction of its (sample, unit) pairs have f′ below 5% of its maximum.',
  },
  {
    name: 'lr_high',
    type: num(0, 1e6, true),
    default: '0.1',
    doc: 'Update ratio ‖ΔW‖/‖W‖ above which, with an unsettled loss, the learning rate is too high.',
  },
  {
    name: 'lr_low',
    type: num(0, 1, true),
    default: '1e-5',
    doc: 'Update ratio below which on every layer, with a slowly falling loss, the learning rate is too low.',
  },
  {
    name: 'underflow',
    type: num(0, 1, true),
    default: '0.05',
    doc: "Fraction of a layer's weight gradients that are exactly 0 from which underflow is reported.",
  },
];

export const DENSE_OPTIONS: readonly OptionDef[] = [
  { name: 'init', type: { kind: 'enum', values: Object.keys(INITS) }, default: 'glorot_uniform', doc: 'How the weights start.' },
  {
    name: 'bias',
    type: num(-1e6, 1e6),
    default: '0',
    doc: 'How the biases start: one number for every bias, or normal(MEAN, STD) / uniform(LOW, HIGH) drawn per unit.',
  },
  { name: 'name', type: { kind: 'column' }, default: 'none', doc: 'A name for the layer in reports.' },
  {
    name: 'norm',
    type: { kind: 'enum', values: ['layer', 'batch'] },
    default: 'none',
    doc: "Normalize z = x·W + b before the activation: ẑ = γ⊙(z − μ)/√(σ² + 1e-5) + β, γ and β learned. `layer`: μ, σ² over the layer's units for each sample (Ba et al. 2016). `batch`: over the batch's samples for each unit (Ioffe & Szegedy 2015), running μ, σ² (momentum 0.1) kept for evaluation.",
  },
  {
    name: 'residual',
    type: bool,
    default: 'false',
    doc: "A skip connection: the layer outputs x + f(ẑ), so the error reaches the layer below unshrunk through the identity (He et al. 2016). The layer's units must equal its input width.",
  },
];

export const STATEMENTS: Readonly<Record<StatementKeyword, { readonly syntax: string; readonly doc: string }>> = {
  network: { syntax: 'network NAME', doc: 'A name for reports (default: the file name).' },
  data: {
    syntax: 'data SOURCE [options]',
    doc: 'Where the samples come from: xor, circles, moons, spiral, gaussians, sine, normal, mnist, idx "IMAGES" labels="LABELS", or csv "PATH".',
  },
  input: { syntax: 'input N', doc: 'Number of input features; must match the data.' },
  dense: {
    syntax: 'dense UNITS ACTIVATION [init=INIT] [bias=NUMBER | normal(M, S) | uniform(L, H)] [name=ID] [norm=layer|batch] [residual=true] [xCOUNT]',
    doc: "A fully connected layer. `x6` repeats the line's layer 6 times. The last dense layer is the output layer.",
  },
  loss: { syntax: 'loss mse | bce | cross_entropy', doc: 'The loss (default: cross_entropy after softmax, bce after a 1-unit sigmoid, else mse).' },
  optimizer: {
    syntax: 'optimizer sgd | adam | rmsprop [lr=] [momentum=] [nesterov=] [beta1=] [beta2=] [eps=] [rho=] [clip=] [weight_decay=]',
    doc: 'The update rule (default: sgd lr=0.1).',
  },
  train: {
    syntax: 'train [epochs=] [batch=] [seed=] [shuffle=] [precision=]',
    doc: 'The training loop (defaults: epochs=100 batch=32 seed=1 shuffle=true precision=float32).',
  },
  weights: {
    syntax: 'weights "PATH"',
    doc: "Start from the parameters in a JSON file (as `nnspec weights` prints them) instead of the inits; the path is relative to the spec's folder.",
  },
  diagnose: { syntax: 'diagnose [vanishing=] [exploding=] [dead=] [saturated=] [lr_high=] [lr_low=] [underflow=]', doc: 'Thresholds of the findings.' },
};

export const DEFAULT_THRESHOLDS = {
  vanishing: 0.01,
  exploding: 100,
  dead: 0.5,
  saturated: 0.5,
  lrHigh: 0.1,
  lrLow: 1e-5,
  underflow: 0.05,
} as const;
