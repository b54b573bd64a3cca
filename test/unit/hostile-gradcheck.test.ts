// gradcheck judged as a numerical analyst would (issue 10): an entry 1e-7..1e-13 of its layer's
// largest gradient, or below what the differences resolve, is measured against that scale, so the
// shipped examples pass; a wrong derivative, even in a layer whose gradient has vanished, fails.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkWithFiles, gradcheck, GRADCHECK_LIMIT, Trainer } from '../../src/engine/index';
import type { Activation } from '../../src/engine/types';
import { dataFileReader } from '../../src/node/dataFiles';

const examples = join(__dirname, '../../../examples');

async function checked(name: string) {
  const file = join(examples, name);
  const r = await checkWithFiles(readFileSync(file, 'utf8'), { read: dataFileReader(file) });
  assert.ok(r.trainable && r.dataset, JSON.stringify(r.problems));
  return { spec: r.spec, data: r.dataset };
}

describe('hostile: gradcheck scaled to the layer', () => {
  for (const name of ['deep-sigmoid.nnspec', 'leaky-relu.nnspec', 'relu-he.nnspec', 'saturated-sigmoid.nnspec', 'mnist-speed-of-learning.nnspec']) {
    it(`${name} passes (its backprop is right; its tiny entries are noise)`, async () => {
      const { spec, data } = await checked(name);
      for (const r of gradcheck(spec, data)) assert.ok(r.worstRelativeError <= GRADCHECK_LIMIT, `layer ${r.layer}: ${r.worstRelativeError}`);
    });
  }

  describe('a wrong derivative', () => {
    const backward = Object.getOwnPropertyDescriptor(Trainer.prototype, 'backward');
    /** Backprop through layer `k` with the derivative of `wrong` instead of its own activation's. */
    function injectBug(k: number, wrong: Activation): void {
      const original = Trainer.prototype.backward;
      Trainer.prototype.backward = function (this: Trainer, nb: number) {
        const layer = this.net.layers[k] as { act: Activation };
        const right = layer.act;
        layer.act = wrong;
        try {
          original.call(this, nb);
        } finally {
          layer.act = right;
        }
      };
    }
    afterEach(() => {
      if (backward) Object.defineProperty(Trainer.prototype, 'backward', backward);
    });

    it("fails in deep-sigmoid's first layer, whose largest gradient is 1e-6 (tanh′ for sigmoid′)", async () => {
      const { spec, data } = await checked('deep-sigmoid.nnspec');
      injectBug(0, { kind: 'tanh' });
      const rows = gradcheck(spec, data);
      // Its entries sit below what the differences resolve, so the error is measured against that
      // resolution: still thousands of times the limit.
      assert.ok(rows[0].worstRelativeError > GRADCHECK_LIMIT * 1000, String(rows[0].worstRelativeError));
      // The layers above it are untouched by a bug below them.
      for (const r of rows.slice(1)) assert.ok(r.worstRelativeError <= GRADCHECK_LIMIT, `layer ${r.layer}: ${r.worstRelativeError}`);
    });

    it("fails in relu-he's middle layer (leaky_relu′ for relu′: only the negative inputs are wrong)", async () => {
      const { spec, data } = await checked('relu-he.nnspec');
      injectBug(3, { kind: 'leaky_relu', slope: 0.01 });
      const rows = gradcheck(spec, data);
      assert.ok(rows[0].worstRelativeError > GRADCHECK_LIMIT * 100, String(rows[0].worstRelativeError));
      assert.ok(rows[3].worstRelativeError > GRADCHECK_LIMIT * 100, String(rows[3].worstRelativeError));
    });
  });
});
