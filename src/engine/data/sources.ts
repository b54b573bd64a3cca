// What each `data` source needs and how its samples are made. A source names the files it reads
// (paths as written on the `data` line; none for the generated sets), gets their bytes in that
// order, and decodes them, synchronously or not (a gzip stream). A new source is one entry here
// and one case in the DataSpec union; the compiler finds the rest.

import type { DataSourceName, DataSpec, Dataset } from '../types';
import { classesOf, featuresOf, generate } from './generated';
import { datasetFromCsv, decodeUtf8, type Pause } from './csv';
import { idxDataset, type IdxSelection } from './idx';

/** The samples of a `data` line, or why there are none. Messages are sentences without a location: check() puts them on the `data` line. */
export type DataLoad =
  | { readonly ok: true; readonly dataset: Dataset; readonly featureStd: Float64Array | null; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/** What the network must match, when a source knows it without reading anything. */
export interface DataShape {
  readonly features: number;
  /** 0 for a real-valued target. */
  readonly classes: number;
}

interface Source<S extends DataSpec> {
  /** The files to read, in the order decode() receives them. */
  files(spec: S): readonly string[];
  decode(spec: S, files: readonly Uint8Array[], pause?: Pause): DataLoad | Promise<DataLoad>;
  /** The shape without the files, or null when only the files can tell. */
  shape(spec: S): DataShape | null;
}

type Sources = { readonly [K in DataSourceName]: Source<Extract<DataSpec, { readonly source: K }>> };

/** CSV problems shown on the `data` line; the rest are counted. */
const CSV_PROBLEMS_SHOWN = 10;

const generated: Source<Exclude<DataSpec, { source: 'csv' | 'mnist' | 'idx' }>> = {
  files: () => [],
  decode: (spec) => ({ ok: true, dataset: generate(spec), featureStd: null, warnings: [] }),
  shape: (spec) => ({ features: featuresOf(spec), classes: classesOf(spec) }),
};

/**
 * A path the reader takes from the product's own files (examples/data) rather than the spec's
 * folder: the shipped digits. Paths written on a `data` line never need it.
 */
export const SHIPPED_PREFIX = 'shipped:';
export const MNIST_FILES = { images: `${SHIPPED_PREFIX}mnist-images-idx3-ubyte.gz`, labels: `${SHIPPED_PREFIX}mnist-labels-idx1-ubyte.gz` } as const;
/** Digits in the shipped files (scripts/mnist-digits.mjs): 500 of each, interleaved. */
export const MNIST_SHIPPED = 5000;

async function fromIdx(images: Uint8Array, labels: Uint8Array, names: { images: string; labels: string }, pick: IdxSelection): Promise<DataLoad> {
  const r = await idxDataset(images, labels, names, pick);
  return r.ok ? { ok: true, dataset: r.value, featureStd: null, warnings: [] } : { ok: false, errors: [`${r.error}.`] };
}

const SOURCES: Sources = {
  xor: generated,
  circles: generated,
  moons: generated,
  spiral: generated,
  gaussians: generated,
  sine: generated,
  normal: generated,
  mnist: {
    files: () => [MNIST_FILES.images, MNIST_FILES.labels],
    decode: (spec, [images, labels]) =>
      fromIdx(images, labels, { images: 'the shipped digits', labels: 'the shipped digit labels' }, { samples: spec.samples, offset: spec.offset, scale: 255 }),
    shape: () => ({ features: 784, classes: 10 }),
  },
  idx: {
    files: (spec) => [spec.path, spec.labels],
    decode: (spec, [images, labels]) => fromIdx(images, labels, { images: spec.path, labels: spec.labels }, spec),
    shape: () => null,
  },
  csv: {
    files: (spec) => [spec.path],
    async decode(spec, [bytes], pause) {
      const r = await datasetFromCsv(await decodeUtf8(bytes, pause), spec, pause);
      const at = (p: { line: number; column: number; message: string }) => `${spec.path}:${p.line}:${p.column}: ${p.message}.`;
      if (!r.ok) {
        const errors = r.problems.slice(0, CSV_PROBLEMS_SHOWN).map(at);
        if (r.problems.length > CSV_PROBLEMS_SHOWN) errors.push(`${spec.path}: ${r.problems.length - CSV_PROBLEMS_SHOWN} more problems like these.`);
        return { ok: false, errors };
      }
      return { ok: true, dataset: r.dataset, featureStd: r.featureStd, warnings: r.warnings.map(at) };
    },
    shape: () => null,
  },
};

function sourceOf<S extends DataSpec>(spec: S): Source<S> {
  return SOURCES[spec.source] as unknown as Source<S>;
}

export function dataFiles(spec: DataSpec): readonly string[] {
  return sourceOf(spec).files(spec);
}

export function dataShape(spec: DataSpec): DataShape | null {
  return sourceOf(spec).shape(spec);
}

export function decodeData(spec: DataSpec, files: readonly Uint8Array[], pause?: Pause): DataLoad | Promise<DataLoad> {
  return sourceOf(spec).decode(spec, files, pause);
}
