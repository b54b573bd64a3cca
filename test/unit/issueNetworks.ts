// The two networks issue 12 measures the cures on, as .nnspec text, for the CLI test
// (cures-labels.test.ts) and the browser test of Compare (test/browser/compare-cures.test.ts).

const DATA = ['data spiral samples=400 noise=0.1 seed=3', 'input 2'];

/**
 * 16 tanh layers of 16 with normal(0, 0.05) weights: at initialisation layer 0's ∂L/∂z is about 1e-11
 * of the output layer's as written, 6e-2 with residual=true and 2 with norm=layer. sgd lr=0.001: a
 * normalized layer's step is lr/‖W‖² in effect (its output does not change with W's scale), about
 * 400 times a plain one's at this init; with lr=0.01 or more the layer-norm variant ends at chance
 * with vanishing layers (deep-layernorm.nnspec shows it at 0.1); at 0.001 every variant's steps are sane.
 */
export const DEEP_TANH = [
  'network deep-tanh',
  ...DATA,
  'dense 16 tanh init=normal(0, 0.05)',
  'dense 16 tanh init=normal(0, 0.05) x15',
  'dense 1 sigmoid',
  'loss bce',
  'optimizer sgd lr=0.001',
  'train epochs=300 batch=32 seed=42',
  '',
].join('\n');

/** deep-sigmoid.nnspec with 20 hidden layers: layer 0's ∂L/∂z about 1e-13 of the output's as written, 7e-2 with residual connections. */
export const DEEP_SIGMOID_20 = [
  'network deep-sigmoid-20',
  ...DATA,
  'dense 16 sigmoid init=glorot_uniform',
  'dense 16 sigmoid init=glorot_uniform x19',
  'dense 1 sigmoid',
  'loss bce',
  'optimizer sgd lr=0.1',
  'train epochs=300 batch=32 seed=42',
  '',
].join('\n');
