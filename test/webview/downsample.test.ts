import * as assert from 'node:assert/strict';
import { aggregate, bucketSize, maxColumnsFor } from '../../src/webview/downsample';

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

  it('aggregates a range of the values, the last bucket holding the remainder', () => {
    const values = Float32Array.from([1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]);
    const buckets = [0, 3, 6, 9].map((from) => aggregate(values, 'log', from, Math.min(values.length, from + 3)));
    assert.deepEqual(
      buckets.map((v) => Math.round(Math.log10(v) * 1e6) / 1e6),
      [1, 4, 7, 9],
    );
    assert.equal(aggregate([0.5, 0.25, 0], 'linear', 1, 2), 0.25, 'a bucket of one is its value');
    assert.ok(Number.isNaN(aggregate([0.5, 0.25], 'linear', 1, 1)), 'an empty range has no value');
    assert.equal(aggregate([NaN, 0.5, Infinity], 'linear', 1, 2), 0.5, 'only the range is read');
  });

  it('3000 epochs into 295 columns: 273 buckets of 11, nothing dropped', () => {
    const size = bucketSize(3000, maxColumnsFor(885));
    assert.equal(size, 11);
    assert.equal(Math.ceil(3000 / size), 273);
  });
});
