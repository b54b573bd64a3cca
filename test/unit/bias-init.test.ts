import { strict as assert } from 'node:assert';
import { parseSpec } from '../../src/engine/parser';
import { check } from '../../src/engine/index';
import { buildNetwork } from '../../src/engine/network';
import { spec } from './helpers';

const base = (...lines: string[]) => spec(['data xor', 'input 2', ...lines]);

function only(text: string): { code: string; covered: string; message: string } {
  const errors = parseSpec(text).problems.filter((p) => p.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  const p = errors[0];
  return { code: p.code, message: p.message, covered: text.split('\n')[p.line - 1].slice(p.startColumn, p.endColumn) };
}

describe('bias init', () => {
  it('reads bias=B, normal(M, S) and uniform(L, H)', () => {
    const r = parseSpec(base('dense 4 sigmoid bias=-2', 'dense 3 sigmoid bias=normal(0.5, 2)', 'dense 1 sigmoid bias=uniform(-1, 1)'));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.spec.layers.map((l) => l.bias),
      [
        { kind: 'constant', value: -2 },
        { kind: 'normal', mean: 0.5, std: 2 },
        { kind: 'uniform', low: -1, high: 1 },
      ],
    );
  });

  it('says what is wrong with a bias, on its value', () => {
    let p = only(base('dense 1 sigmoid bias=he_normal'));
    assert.equal(p.code, 'bad-value');
    assert.equal(p.covered, 'he_normal');
    assert.match(p.message, /normal\(MEAN, STD\) or uniform\(LOW, HIGH\)/);
    p = only(base('dense 1 sigmoid bias=normal(0)'));
    assert.match(p.message, /takes 2 arguments: write normal\(MEAN, STD\)/);
    assert.equal(p.covered, 'normal(0)');
    p = only(base('dense 1 sigmoid bias=normal(0, -1)'));
    assert.equal(p.code, 'out-of-range');
    p = only(base('dense 1 sigmoid bias=uniform(1, -1)'));
    assert.equal(p.code, 'out-of-range');
    p = only(base('dense 1 sigmoid bias=2e7'));
    assert.equal(p.code, 'bad-value');
    p = only(base('dense 1 sigmoid bias=constant(1)'));
    assert.equal(p.code, 'bad-value');
  });

  it('draws biases per unit with the asked mean and spread, and a constant bias draws nothing', () => {
    const units = 4000;
    const drawn = parseSpec(base(`dense ${units} sigmoid bias=normal(0.5, 2)`, 'dense 1 sigmoid')).spec;
    const net = buildNetwork(2, drawn.layers, 1, { precision: 'float64', batch: 1, seed: 3, stateBuffers: 0 });
    const b = net.layers[0].b;
    let s = 0;
    let s2 = 0;
    for (const v of b) {
      s += v;
      s2 += v * v;
    }
    const mean = s / units;
    const std = Math.sqrt(s2 / units - mean * mean);
    // Standard errors: 2/√4000 ≈ 0.032 for the mean, about 0.022 for the std.
    assert.ok(Math.abs(mean - 0.5) < 0.13, `mean ${mean}`);
    assert.ok(Math.abs(std - 2) < 0.09, `std ${std}`);
    const uni = buildNetwork(2, parseSpec(base(`dense ${units} sigmoid bias=uniform(-1, 3)`, 'dense 1 sigmoid')).spec.layers, 1, {
      precision: 'float64',
      batch: 1,
      seed: 3,
      stateBuffers: 0,
    });
    assert.ok(uni.layers[0].b.every((v) => v >= -1 && v < 3));
    assert.ok(new Set(uni.layers[0].b).size > units / 2);
    // A constant bias leaves the weights where bias=0 puts them.
    const w = (bias: string) =>
      buildNetwork(2, parseSpec(base(`dense 8 sigmoid bias=${bias}`, 'dense 1 sigmoid')).spec.layers, 1, {
        precision: 'float64',
        batch: 1,
        seed: 3,
        stateBuffers: 0,
      });
    const a = w('0');
    const c = w('0.25');
    assert.deepEqual(Array.from(a.layers[1].W), Array.from(c.layers[1].W));
    assert.ok(c.layers[0].b.every((v) => v === 0.25));
  });

  it('counts a random bias in the static analysis of the spread of z', () => {
    const at = (bias: string) => {
      return check(spec(['data xor', 'input 2', `dense 16 tanh init=zeros bias=${bias}`, 'dense 1 sigmoid'])).predicted[0].actStd;
    };
    assert.equal(at('0'), 0);
    assert.ok(at('normal(0, 1)') > 0.5);
  });
});
