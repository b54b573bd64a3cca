// Shared test helpers: specs from a few lines, and a file reader over an in-memory folder.

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
