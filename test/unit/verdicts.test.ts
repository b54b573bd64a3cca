import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, trainToReport } from '../../src/engine/index';
import type { Finding } from '../../src/engine/types';

// Verdicts weigh time (issue 11): an explosion the run recovers from is a warning that says when it
// settled; one still there at the end is an error. And a misspelt word reports itself, not its knock-ons.

const example = readFileSync(join(__dirname, '../../../examples/exploding.nnspec'), 'utf8');

function findings(text: string): readonly Finding[] {
  const r = check(text);
  assert.ok(r.trainable, JSON.stringify(r.problems));
  return trainToReport(r).findings;
}

describe('verdicts weigh time', () => {
  it('examples/exploding.nnspec (lr 0.001): a burst in the first epoch that settles is a warning saying so', () => {
    const fs = findings(example);
    const f = fs.find((x) => x.kind === 'exploding' && x.layers.includes(0));
    assert.ok(f, fs.map((x) => x.kind).join(' '));
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /^Layer 0 exploded in epoch 1, settled by epoch 2:/);
    assert.deepEqual(f.evidence.explodedEpochs, [1]);
    assert.ok(!fs.some((x) => x.severity === 'error'), 'nothing in a run that trains well is red');
  });

  it('the same network at lr 1e-7 for 20 epochs: the explosion persists, an error', () => {
    const fs = findings(example.replace(/^(optimizer .*lr=)[\d.]+/m, (_, head: string) => `${head}0.0000001`).replace('epochs=100', 'epochs=20'));
    const f = fs.find((x) => x.kind === 'exploding' && x.layers.includes(0));
    assert.ok(f, fs.map((x) => x.kind).join(' '));
    assert.equal(f.severity, 'error');
    assert.match(f.message, /exploding \(in 20 of 20 epochs, the last quarter included\)/);
  });

  it("the example's comment states the lr the file uses", () => {
    const lr = /^optimizer .*lr=([\d.e-]+)/m.exec(example)?.[1];
    assert.ok(lr);
    assert.ok(
      example
        .split('\n')
        .filter((l) => l.startsWith('#'))
        .join(' ')
        .includes(`lr (${lr})`),
      "the comment names the file's lr",
    );
  });
});

describe('knock-on problems of a misspelt word are suppressed', () => {
  const codes = (text: string) => check(text).problems.map((p) => `${p.line}:${p.code}`);

  it('`dense 1 sigmod` is one error on its line, not also a loss or output mismatch', () => {
    assert.deepEqual(codes('data spiral samples=400\ninput 2\ndense 16 relu init=he_normal\ndense 1 sigmod\nloss bce\ntrain epochs=5\n'), [
      '4:unknown-activation',
    ]);
  });

  it('a misspelt loss is one error, not a mismatch with the output layer', () => {
    assert.deepEqual(codes('data spiral samples=400 classes=3\ninput 2\ndense 16 relu init=he_normal\ndense 3 softmax\nloss cross_entrpy\ntrain epochs=5\n'), [
      '5:unknown-loss',
    ]);
  });

  it('with every word right, the mismatch is still reported', () => {
    assert.deepEqual(codes('data spiral samples=400\ninput 2\ndense 16 relu init=he_normal\ndense 4 sigmoid\nloss bce\ntrain epochs=5\n'), [
      '4:output-mismatch',
    ]);
  });
});
