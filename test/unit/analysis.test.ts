import { strict as assert } from 'node:assert';
import { check } from '../../src/engine/index';
import { spec, spiralNet } from './helpers';

describe('static analysis (before training)', () => {
  it('predicts a constant error scale through relu + he_normal layers', () => {
    const r = check(spiralNet('dense 64 relu init=he_normal x6'));
    const ratios = r.predicted.slice(0, 6).map((p) => p.deltaRatio);
    for (const v of ratios) assert.ok(Math.abs(v / ratios[5] - 1) < 1e-9, String(ratios));
    assert.equal(r.predicted[6].deltaRatio, 1);
  });

  it('predicts the geometric shrink of a deep sigmoid stack and warns', () => {
    const r = check(spiralNet('dense 16 sigmoid init=glorot_uniform x8'));
    const d = r.predicted.map((p) => p.deltaRatio);
    for (let k = 0; k < 7; k++) assert.ok(d[k] < d[k + 1], 'shrinks towards the input');
    // Each sigmoid layer multiplies E[δ²] by E[σ′²]·16·2/32 ≤ (1/16)·1 : at most 1/4 in RMS.
    for (let k = 0; k < 7; k++) assert.ok(d[k] / d[k + 1] <= 0.25, String(d[k] / d[k + 1]));
    const codes = r.problems.map((p) => `${p.line}:${p.severity}:${p.code}`);
    assert.ok(codes.includes('4:warning:static-vanishing'), codes.join(' '));
    const info = r.problems.find((p) => p.code === 'saturating-activation');
    assert.match(info?.message ?? '', /\(1\/4\)\^8 = 1\.5e-5/);
  });

  it('predicts the activations of a linear layer exactly: std = √(fan_in·Var[w])·std(x)', () => {
    const r = check(spec(['data sine samples=2000', 'input 1', 'dense 4 linear init=normal(0, 0.5)', 'dense 1 linear']));
    const x = r.dataset!.x;
    const second = x.reduce((s, v) => s + v * v, 0) / x.length;
    assert.ok(Math.abs(r.predicted[0].actStd - 0.5 * Math.sqrt(second)) < 1e-12);
  });

  it('predicts an exploding error through relu layers with normal(0, 1) and warns', () => {
    const r = check(spiralNet('dense 16 relu init=normal(0, 1) x10'));
    // Each layer multiplies E[δ²] by E[relu′²]·16·1 = 8, about 2.8 in RMS.
    const d = r.predicted.map((p) => p.deltaRatio);
    for (let k = 0; k < 9; k++) assert.ok(Math.abs(d[k] / d[k + 1] - Math.sqrt(8)) < 0.3, String(d[k] / d[k + 1]));
    const p = r.problems.find((q) => q.code === 'static-exploding');
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.severity, 'warning');
    assert.equal(p.line, 4);
    assert.match(p.message, /times the output layer's \(over 1e3\)/);
  });

  it('lints relu with glorot, bce without sigmoid, and saturating tanh', () => {
    const codes = (t: string) => check(t).problems.map((p) => `${p.line}:${p.code}`);
    assert.ok(codes(spiralNet('dense 16 relu init=glorot_uniform x2')).includes('4:init-mismatch'));
    assert.ok(codes(spec(['data xor', 'input 2', 'dense 1 relu', 'loss bce'])).includes('3:bce-without-sigmoid'));
    assert.ok(codes(spiralNet('dense 16 tanh init=normal(0, 3) x3')).includes('4:saturating-activation'));
    assert.deepEqual(codes(spiralNet('dense 16 tanh init=glorot_uniform x3')), []);
  });

  it('follows a deep network layer by layer', () => {
    const r = check(spiralNet('dense 256 tanh init=glorot_uniform x200'));
    assert.equal(r.predicted.length, 201);
    assert.ok(r.predicted.every((p) => Number.isFinite(p.deltaRatio) && p.actStd > 0 && p.actStd < 1));
  });
});
