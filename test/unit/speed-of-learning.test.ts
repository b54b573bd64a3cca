// Nielsen's table (Neural Networks and Deep Learning, ch. 5): the speed of learning ‖∂C/∂b‖ of each
// hidden layer at initialisation, on the first 1,000 digits. Ours is a mean over the 10 outputs
// where the book's cost is a sum, so ours are a tenth of the book's: the ratios between layers are
// what is compared. Tolerance: the book's numbers come from one random initialisation, which the
// book says moves them by roughly ±40%; ours are geometric means of 5 seeds, whose ratios spread
// over 10 seeds by about ±25% (bench/speed-of-learning.ts: the first layer of the four-layer net
// from ×0.66 to ×1.85 of its mean per seed, so ×0.83 to ×1.3 for a mean of 5). Together a factor
// of 2 either way; a missing 1/4 of a sigmoid′ per layer, or the wrong init, is off by far more.
import { strict as assert } from 'node:assert';
import { checkWithFiles, Trainer } from '../../src/engine/index';
import { dataFileReader } from '../../src/node/dataFiles';
import { BOOK, nielsenSpec } from '../../bench/speed-of-learning';

const SEEDS = 5;

async function geometricMeans(hidden: number): Promise<number[]> {
  const read = dataFileReader(undefined);
  const logs = new Array<number>(hidden).fill(0);
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = await checkWithFiles(nielsenSpec(hidden, seed), { read });
    assert.ok(r.trainable && r.dataset, JSON.stringify(r.problems));
    const init = new Trainer(r.spec, r.dataset).initialRecord()!;
    for (let k = 0; k < hidden; k++) logs[k] += Math.log(init.layers[k].biasGradNorm);
  }
  return logs.map((l) => Math.exp(l / SEEDS));
}

describe("Nielsen's speed of learning, reproduced on the shipped digits", () => {
  for (const hidden of [2, 3, 4]) {
    it(`[784, ${'30, '.repeat(hidden)}10]: each hidden layer against the last, within a factor of 2 of the book's`, async () => {
      const ours = await geometricMeans(hidden);
      const book = BOOK[hidden];
      for (let k = 0; k < hidden - 1; k++) {
        const mine = ours[k] / ours[hidden - 1];
        const theirs = book[k] / book[hidden - 1];
        assert.ok(mine / theirs < 2 && theirs / mine < 2, `layer ${k}: ${mine.toPrecision(3)} of the last against the book's ${theirs.toPrecision(3)}`);
      }
      // And the level: ours ×10 (a sum over the outputs) is the book's, within the same factor.
      const last = (10 * ours[hidden - 1]) / book[hidden - 1];
      assert.ok(last < 2 && last > 0.5, `last hidden layer ×10 is ${last.toPrecision(3)} of the book's`);
      if (hidden === 4) {
        const slower = ours[3] / ours[0];
        assert.ok(slower > 50 && slower < 200, `the first hidden layer ${slower.toFixed(0)}× slower than the last (the book: about 100×)`);
      }
    });
  }
});
