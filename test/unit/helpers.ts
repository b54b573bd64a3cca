// Shared test helpers: specs from a few lines, and a file reader over an in-memory folder.

import { strict as assert } from 'node:assert';
import type { ReadDataFile } from '../../src/engine/index';

export function spec(lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** A spiral classifier with the given hidden layers, as the issues' canonical cases describe. */
export function spiralNet(hidden: string, opts: { lr?: string; epochs?: number; optimizer?: string; precision?: string } = {}): string {
  return spec([
    'network canonical',
    'data spiral samples=400 noise=0.1 seed=3',
    'input 2',
    hidden,
    'dense 1 sigmoid',
    'loss bce',
    `optimizer ${opts.optimizer ?? 'sgd'} lr=${opts.lr ?? '0.1'}`,
    `train epochs=${opts.epochs ?? 100} batch=32 seed=42${opts.precision ? ` precision=${opts.precision}` : ''}`,
  ]);
}

export function memoryFiles(files: Record<string, string>): ReadDataFile {
  return async (path) => (path in files ? { ok: true, bytes: new TextEncoder().encode(files[path]) } : { ok: false, error: 'no such file' });
}

/** Asserts each array of `actual` is within `tolerance` of `expected`'s in relative L2 norm (plus an absolute `floor`). */
export function assertCloseL2(actual: readonly Float64Array[], expected: readonly Float64Array[], tolerance: number, floor: number): void {
  assert.equal(actual.length, expected.length);
  for (let k = 0; k < expected.length; k++) {
    let num = 0;
    let den = 0;
    for (let i = 0; i < expected[k].length; i++) {
      num += (actual[k][i] - expected[k][i]) ** 2;
      den += expected[k][i] ** 2;
    }
    assert.ok(Math.sqrt(num) <= tolerance * Math.sqrt(den) + floor, `array ${k}: ${Math.sqrt(num / Math.max(den, 1e-300))}`);
  }
}
