import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, trainToReport } from '../../src/engine/index';
import { variantsOf, verdict } from '../../src/engine/variants';

const text = readFileSync(join(__dirname, '../../../examples/deep-sigmoid.nnspec'), 'utf8');

describe('Compare variants', () => {
  it('activations: the file as written, relu+he_normal, leaky_relu+he_normal, tanh+glorot_uniform on every hidden line', () => {
    const c = check(text);
    const vs = variantsOf(text, c.spec, 'activations');
    assert.deepEqual(
      vs.map((v) => v.id),
      ['as-written', 'relu+he_normal', 'leaky_relu+he_normal', 'tanh+glorot_uniform'],
    );
    assert.equal(vs[0].text, text);
    const dense = (t: string) => t.split('\n').filter((l) => l.startsWith('dense'));
    assert.deepEqual(dense(vs[1].text), ['dense 16 relu init=he_normal', 'dense 16 relu init=he_normal x7', 'dense 1 sigmoid']);
    for (const v of vs) assert.equal(check(v.text).problems.filter((p) => p.severity === 'error').length, 0);
  });

  it('the whole story: as written vanishes, relu+he_normal does not', () => {
    const c = check(text);
    const [asWritten, relu] = variantsOf(text, c.spec, 'activations').map((v) => trainToReport(check(v.text)));
    assert.match(verdict(asWritten.epochs, asWritten.findings), /vanishing \(layers 0, 1, 2/);
    const v = verdict(relu.epochs, relu.findings);
    assert.doesNotMatch(v, /vanishing/);
    assert.match(v, /^healthy: final loss [\d.]+, accuracy \d+\.\d%$/);
  });

  it('cures: + residual on the hidden lines whose widths allow it, + layer norm and + batch norm on every hidden line', () => {
    const c = check(text);
    const vs = variantsOf(text, c.spec, 'cures');
    assert.deepEqual(
      vs.map((v) => [v.id, v.label]),
      [
        ['as-written', 'as written'],
        ['residual', '+ residual'],
        ['norm=layer', '+ layer norm'],
        ['norm=batch', '+ batch norm'],
      ],
    );
    const dense = (t: string) => t.split('\n').filter((l) => l.startsWith('dense'));
    // The first hidden line takes the 2 inputs into 16 units: no identity fits there.
    assert.deepEqual(dense(vs[1].text), ['dense 16 sigmoid init=glorot_uniform', 'dense 16 sigmoid init=glorot_uniform x7 residual=true', 'dense 1 sigmoid']);
    assert.deepEqual(dense(vs[3].text), [
      'dense 16 sigmoid init=glorot_uniform norm=batch',
      'dense 16 sigmoid init=glorot_uniform x7 norm=batch',
      'dense 1 sigmoid',
    ]);
    for (const v of vs) assert.equal(check(v.text).problems.filter((p) => p.severity === 'error').length, 0, v.id);
    // No batch norm to offer with batches of 1.
    const one = text.replace(/batch=\d+/, 'batch=1');
    assert.ok(!variantsOf(one, check(one).spec, 'cures').some((v) => v.id === 'norm=batch'));
  });

  it('optimizers and learning rates', () => {
    const c = check(text);
    const opts = variantsOf(text, c.spec, 'optimizers');
    assert.deepEqual(
      opts.map((v) => v.id),
      ['as-written', 'adam', 'rmsprop'],
    );
    assert.ok(opts[1].text.includes('\noptimizer adam lr=0.001\n'));
    const lrs = variantsOf(text, c.spec, 'learningRates');
    assert.deepEqual(
      lrs.map((v) => v.id),
      ['as-written', 'lr=0.01', 'lr=1', 'lr=0.001'],
    );
    assert.equal(check(lrs[2].text).spec.optimizer.lr, 1);
  });
});
