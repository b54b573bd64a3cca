import * as assert from 'node:assert/strict';
import { aggregate, bucketSize, downsample, maxColumnsFor } from '../../src/webview/downsample';

describe('webview downsample', () => {
  it('sizes buckets so the columns fit, never fewer than one epoch', () => {
    assert.equal(bucketSize(50, 300), 1);
    assert.equal(bucketSize(300, 300), 1);
    assert.equal(bucketSize(301, 300), 2);
    assert.equal(bucketSize(3000, 292), 11);
    assert.equal(bucketSize(0, 100), 1);
    assert.equal(maxColumnsFor(885), 295);
    assert.equal(maxColumnsFor(1), 1);
  });

  it('averages magnitudes in log space (the geometric mean)', () => {
    assert.equal(aggregate([1e-2, 1e-4], 'log'), 1e-3);
    assert.ok(Math.abs(aggregate([1, 10, 100], 'log') - 10) < 1e-12);
    // The arithmetic mean would be 0.05: one big epoch must not wash out a vanishing layer.
    assert.ok(Math.abs(aggregate([0.1, 1e-5], 'log') - 1e-3) < 1e-15);
  });

  it('averages fractions linearly', () => {
    assert.equal(aggregate([0, 0.5, 1], 'linear'), 0.5);
    assert.equal(aggregate([0.25, 0.75], 'linear'), 0.5);
  });

  it('keeps zeros and non-finite values visible', () => {
    assert.equal(aggregate([0, 0], 'log'), 0);
    assert.equal(aggregate([0, 1e-2, 1e-4], 'log'), 1e-3, 'zeros have no logarithm and are left out');
    assert.ok(Number.isNaN(aggregate([1e-3, NaN], 'log')));
    assert.equal(aggregate([1e-3, Infinity], 'log'), Infinity);
    assert.ok(Number.isNaN(aggregate([0.2, NaN], 'linear')));
    assert.ok(Number.isNaN(aggregate([], 'log')));
  });

  it('buckets every value, the last bucket holding the remainder', () => {
    const values = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
    const b = downsample(values, 3, 'log');
    assert.deepEqual(
      b.map((x) => [x.from, x.to]),
      [
        [0, 3],
        [3, 6],
        [6, 9],
        [9, 10],
      ],
    );
    assert.deepEqual(
      b.map((x) => Math.round(Math.log10(x.value) * 1e9) / 1e9),
      [1, 4, 7, 9],
    );
    assert.equal(
      b.reduce((n, x) => n + x.to - x.from, 0),
      values.length,
    );
  });

  it('a bucket size of one is the identity', () => {
    const values = [0.5, 0.25, 0];
    assert.deepEqual(
      downsample(values, 1, 'linear').map((x) => x.value),
      values,
    );
    assert.deepEqual(downsample([], 4, 'log'), []);
  });

  it('3000 epochs into 295 columns: 273 buckets of 11, nothing dropped', () => {
    const values = Array.from({ length: 3000 }, (_, i) => 10 ** -(i % 7));
    const size = bucketSize(values.length, maxColumnsFor(885));
    const b = downsample(values, size, 'log');
    assert.equal(size, 11);
    assert.equal(b.length, 273);
    assert.equal(b.at(-1)?.to, 3000);
    assert.ok(b.length <= 295);
  });
});
