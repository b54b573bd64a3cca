// What every reader turns a model made elsewhere into: a chain of dense layers with their
// activations, their weights when the file carries them, and notes on what was skipped or changed.
// emit.ts writes it as a spec; the readers know nothing of the .nnspec text.

import type { Activation } from '../types';

export type ModelFormat = 'tfjs' | 'keras' | 'onnx';

/** What the model's own training said about its head, when it says anything. */
export type Head = 'classify' | 'binary' | 'regress' | 'unknown';

export interface ImportedLayer {
  readonly units: number;
  readonly activation: Activation;
  /** Where the layer sits in the model, for comments and messages: "layer 2 'dense_1' (Dense)". */
  readonly place: string;
  /** The nnspec init text for the model's kernel initializer, when known and not the default. */
  readonly init?: string;
  /** The nnspec bias text (`0.1`, `normal(0, 0.05)`) when the model's bias initializer is not zeros. */
  readonly bias?: string;
  /** [fanIn][units] as the layer computes x·W + b; absent for architecture-only files. */
  readonly W?: readonly (readonly number[])[];
  readonly b?: readonly number[];
  /** The layer adds its input to its output (a residual connection). */
  readonly residual?: boolean;
  /** The output was a log-softmax (PyTorch's NLLLoss head), imported as softmax. */
  readonly logSoftmax?: boolean;
}

export interface ImportNote {
  readonly severity: 'info' | 'warning';
  readonly message: string;
}

export interface ImportedModel {
  readonly format: ModelFormat;
  readonly name: string;
  readonly inputs: number;
  readonly layers: readonly ImportedLayer[];
  readonly head: Head;
  readonly notes: readonly ImportNote[];
}

export type ImportResult = { readonly ok: true; readonly model: ImportedModel } | { readonly ok: false; readonly error: string };

/** A reason the model cannot be imported; readers throw it, importModel returns it. */
export class ImportError extends Error {}

/** Reads a file that sits beside the model (a weight shard), by the path the model gives. */
export type ReadSibling = (path: string) => Uint8Array | null;

/**
 * A number the model stored as float32 (an attribute, an initializer's argument), written with the
 * seven significant digits float32 has: 0.2 arrives as 0.20000000298…; the spec wants 0.2.
 */
export function round7(v: number): number {
  return Number(v.toPrecision(7));
}

export function transpose(rows: readonly (readonly number[])[]): number[][] {
  if (rows.length === 0) return [];
  return rows[0].map((_, j) => rows.map((r) => r[j]));
}

/** A flat row-major array as rows of `cols` numbers. */
export function toRows(flat: ArrayLike<number>, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from({ length: cols }, (_, j) => flat[i * cols + j]));
  return out;
}
