// The memory budget (issue 10): a run whose estimated peak is above the budget is an error on the
// line that drives it, before anything is allocated; the estimate's parts match what the engine
// allocates; the budget can be raised.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, estimateMemory, Trainer, type CheckResult } from '../../src/engine/index';
import { spec } from './helpers';

const memory = (r: CheckResult) => r.problems.filter((p) => p.code === 'memory');

describe('hostile: the memory budget', () => {
  const cases: [string, string[], number, RegExp][] = [
    [
      'a million-sample batch through 4096 units in float64',
      ['data xor samples=1000000', 'input 2', 'dense 4096 relu', 'dense 1 sigmoid', 'train batch=1000000 precision=float64'],
      5,
      /activations take the most: lower batch=1000000/,
    ],
    [
      'two 4096-unit layers with a batch of 70,000',
      ['data xor samples=70000', 'input 2', 'dense 4096 relu x2', 'dense 1 sigmoid', 'train batch=70000'],
      5,
      /activations take the most: lower batch=70000/,
    ],
    [
      '66,305 parameters with a million-sample batch',
      ['data xor samples=1000000', 'input 2', 'dense 256 relu', 'dense 256 relu', 'dense 1 sigmoid', 'train batch=1000000'],
      6,
      /activations/,
    ],
    [
      '33.6 million parameters with adam in float64',
      ['data xor', 'input 2', 'dense 4096 relu x3', 'dense 1 sigmoid', 'optimizer adam', 'train precision=float64'],
      3,
      /parameters take the most: use fewer or narrower layers/,
    ],
    ['a million samples of 4096 features', ['data csv "x.csv"', 'input 4096', 'dense 1 sigmoid'], 1, /data take the most: use fewer samples/],
  ];
  for (const [name, lines, line, advice] of cases) {
    it(`${name}: an error on line ${line} with the estimate and what to lower`, () => {
      const text = spec(lines);
      const data = lines[0].includes('csv')
        ? {
            ok: true as const,
            dataset: { n: 1_000_000, features: 4096, classes: 2, x: new Float64Array(0), y: new Float64Array(0), classNames: [], featureNames: [] },
            featureStd: null,
            warnings: [],
          }
        : undefined;
      const r = check(text, data ? { data } : {});
      const m = memory(r);
      assert.equal(m.length, 1, JSON.stringify(r.problems));
      assert.equal(m[0].line, line);
      assert.equal(m[0].severity, 'error');
      assert.match(m[0].message, /^This run needs about [\d,]+ MB \(.*\); the memory budget is 1,024 MB\./);
      assert.match(m[0].message, advice);
      assert.equal(m[0].endColumn, text.split('\n')[line - 1].length);
      assert.equal(r.trainable, false);
      // A budget above the estimate admits it.
      const mb = Math.ceil(estimateMemory(r.spec, r.dataset ?? { n: 1_000_000, features: 4096 }).total / 2 ** 20) + 1;
      assert.deepEqual(memory(check(text, { ...(data ? { data } : {}), memoryBudgetMB: mb })), []);
    });
  }

  it('the examples fit the default budget', () => {
    const r = check(spec(['data spiral samples=400', 'input 2', 'dense 16 relu x4', 'dense 1 sigmoid', 'train epochs=200']));
    assert.deepEqual(memory(r), []);
    assert.ok(r.trainable);
  });

  it('counts the parameters, gradients and optimizer state the engine allocates, and at least its activations', () => {
    for (const [opt, precision] of [
      ['sgd', 'float32'],
      ['sgd lr=0.1 momentum=0.9', 'float64'],
      ['adam', 'float32'],
      ['rmsprop', 'float64'],
    ]) {
      const r = check(
        spec(['data spiral samples=300', 'input 2', 'dense 24 tanh x3', 'dense 1 sigmoid', `optimizer ${opt}`, `train batch=50 precision=${precision}`]),
      );
      assert.ok(r.dataset);
      const net = new Trainer(r.spec, r.dataset).net;
      const bytes = (names: readonly string[]) =>
        net.layers.reduce((s, l) => s + names.reduce((t, k) => t + (l as unknown as Record<string, Float32Array>)[k].byteLength, 0), 0);
      const e = estimateMemory(r.spec, r.dataset);
      assert.equal(e.bytes.parameters, bytes(['W', 'b', 'dW', 'db', 'mW', 'vW', 'mb', 'vb']), `${opt} ${precision}`);
      assert.ok(e.bytes.activations >= bytes(['Z', 'A', 'D']) + net.X.byteLength + net.T.byteLength);
      assert.equal(e.bytes.data, r.dataset.x.byteLength + r.dataset.y.byteLength + r.dataset.n * 4);
    }
  });

  it('the statistics of a long run count against the budget, on the train line', () => {
    const text = spec(['data spiral samples=64', 'input 2', 'dense 8 tanh x999', 'dense 1 sigmoid', 'train epochs=100000 batch=64']);
    const m = memory(check(text));
    assert.equal(m.length, 1);
    assert.equal(m[0].line, 5);
    assert.match(m[0].message, /statistics take the most: train fewer epochs or fewer layers/);
  });

  it('nnspec check --memory-budget raises the budget; numbers are read as in a spec', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gf-budget-'));
    const file = join(dir, 'big.nnspec');
    writeFileSync(file, spec(['data xor samples=70000', 'input 2', 'dense 4096 relu x2', 'dense 1 sigmoid', 'train batch=70000']));
    const cli = join(__dirname, '../../../dist/cli.js');
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'check', file, ...args], { encoding: 'utf8' });
    const over = run();
    assert.equal(over.status, 1);
    assert.match(over.stdout, /big\.nnspec:5:1: error: This run needs about [\d,]+ MB .* \[memory\]/);
    const raised = run('--memory-budget', '100000');
    assert.equal(raised.status, 0, raised.stdout + raised.stderr);
    const hex = run('--memory-budget', '0x10000');
    assert.equal(hex.status, 2);
    assert.match(hex.stderr, /--memory-budget must be a whole number from 1 to 10000000, not 0x10000/);
  });
});
