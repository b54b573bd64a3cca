// The one reading of Nielsen's "speed of learning" that the CLI and the panel share
// (src/shared/speedOfLearning.ts), and the CLI's lines built from it.
import { strict as assert } from 'node:assert';
import { speedOfLearningText } from '../../src/cli/terminal';
import type { EpochRecord, InitialRecord, LayerStats } from '../../src/engine/types';
import { slowerPhrase, speedOfLearning } from '../../src/shared/speedOfLearning';
import { STAT_NAMES } from '../../src/shared/vocabulary';

function layer(biasGradNorm: number): LayerStats {
  const stats = Object.fromEntries(STAT_NAMES.map((n) => [n, 0])) as LayerStats;
  stats.biasGradNorm = biasGradNorm;
  return stats;
}

describe('speed of learning: the first hidden layer against the last', () => {
  it('takes the hidden layers (all but the output) and divides the last by the first', () => {
    const s = speedOfLearning([3.7e-4, 1.7e-3, 8.3e-3, 0.0296, 0.5]);
    assert.deepEqual(s?.hidden, [3.7e-4, 1.7e-3, 8.3e-3, 0.0296]);
    assert.equal(s?.slower, 0.0296 / 3.7e-4);
    assert.equal(slowerPhrase(s!), 'the first 80× slower than the last');
  });

  it('says "faster" when the first hidden layer learns faster, with two significant digits', () => {
    const s = speedOfLearning([0.9, 0.3, 0.0123, 1]);
    assert.equal(slowerPhrase(s!), 'the first 73× faster than the last');
  });

  it('has nothing to compare with fewer than two hidden layers', () => {
    assert.equal(speedOfLearning([0.1, 0.2]), null);
    assert.equal(speedOfLearning([0.1]), null);
    assert.equal(speedOfLearning([]), null);
  });

  it('gives no ratio when the first is 0 or either is not finite, and no phrase then', () => {
    for (const values of [
      [0, 0.1, 1],
      [NaN, 0.1, 1],
      [0.1, Infinity, 1],
      [Infinity, 0.1, 1],
    ]) {
      const s = speedOfLearning(values);
      assert.equal(s?.slower, null, values.join(', '));
      assert.equal(slowerPhrase(s!), '');
    }
  });

  it("the CLI's lines: initial weights and the last epoch, the hidden layers' values and the phrase", () => {
    const initial: InitialRecord = { loss: 0.7, accuracy: 0.1, layers: [3.66e-4, 1.69e-3, 8.31e-3, 0.0296, 0.4].map(layer) };
    const last: EpochRecord = { epoch: 500, loss: 0.3, accuracy: 0.12, layers: [1.31e-6, 3.52e-6, 2.07e-5, 9.96e-5, 0.01].map(layer), histograms: [] };
    assert.equal(
      speedOfLearningText(initial, last),
      [
        'Speed of learning ‖∂L/∂b‖ of the hidden layers, input side first:',
        '  initial weights 3.7e-4  0.00169  0.00831  0.0296 (the first 81× slower than the last)',
        '  epoch 500       1.3e-6  3.5e-6  2.1e-5  1.0e-4 (the first 76× slower than the last)',
        '',
      ].join('\n'),
    );
    assert.equal(speedOfLearningText(null, last), '', 'no initial record, no section');
    assert.equal(speedOfLearningText({ ...initial, layers: initial.layers.slice(3) }, undefined), '', 'one hidden layer, no section');
  });
});
