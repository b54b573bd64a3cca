// IDX files, the format MNIST, Fashion-MNIST and EMNIST come in: a big-endian header (two zero
// bytes, a type byte, the number of dimensions, then each dimension's size as a uint32) and the
// values. Only unsigned bytes (type 0x08) are read: magic 2051 for images [n × rows × cols], 2049
// for labels [n]. Plain or gzip, told apart by the content (gzip starts 1f 8b), inflated with the
// platform's DecompressionStream (Node ≥ 18, browsers), so no Node module is needed here.
// Every error is a sentence naming the file and what is wrong with it; check() puts it on the
// `data` line.

import type { Dataset } from '../types';
import { LIMITS } from '../vocabulary';

export const IDX_IMAGES = 2051;
export const IDX_LABELS = 2049;

/** The most bytes a gzip file may inflate to: a million 28×28 images and some room. */
const MAX_INFLATED = 1024 * 1024 * 1024;

type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

/** The bytes, inflated when they are gzip. */
export async function gunzipIfNeeded(bytes: Uint8Array, name: string): Promise<Result<Uint8Array>> {
  if (!(bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)) return { ok: true, value: bytes };
  if (typeof DecompressionStream !== 'function') return fail(`"${name}" is gzip-compressed, and gzip cannot be read here; decompress it first`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const stream = new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new DecompressionStream('gzip'));
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > MAX_INFLATED) {
        await reader.cancel();
        return fail(`"${name}" inflates to more than ${MAX_INFLATED / (1024 * 1024)} MB; that is more than a data file may hold`);
      }
      chunks.push(value);
    }
  } catch {
    return fail(`"${name}" starts as gzip but is truncated or damaged (it does not inflate)`);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { ok: true, value: out };
}

interface IdxArray {
  /** The sizes of the dimensions, the first the number of items. */
  readonly dims: readonly number[];
  /** The values, after the header. */
  readonly data: Uint8Array;
}

/** The header and values of an unsigned-byte IDX file whose magic must be `magic`. */
export function readIdx(bytes: Uint8Array, name: string, magic: number): Result<IdxArray> {
  const what = magic === IDX_IMAGES ? 'images' : 'labels';
  if (bytes.length < 4) return fail(`"${name}" is truncated: ${bytes.length} bytes, shorter than an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0);
  if (found !== magic) {
    const swapped =
      found === IDX_IMAGES || found === IDX_LABELS
        ? ` (${found} is the magic of an IDX ${found === IDX_IMAGES ? 'images' : 'labels'} file: are the two files swapped?)`
        : '';
    return fail(`"${name}" does not start with the magic number ${magic} of an IDX ${what} file of unsigned bytes; it starts with ${found}${swapped}`);
  }
  const ndims = bytes[3];
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) return fail(`"${name}" is truncated: ${bytes.length} bytes, shorter than its ${headerBytes}-byte header`);
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d));
  const expected = dims.reduce((a, b) => a * b, 1) + headerBytes;
  const shape = dims.join(' × ');
  if (bytes.length < expected) {
    return fail(
      `"${name}" is truncated: its header says ${shape} bytes of ${what} (${expected.toLocaleString('en-US')} bytes with the header) but the file has ${bytes.length.toLocaleString('en-US')}`,
    );
  }
  if (bytes.length > expected) {
    return fail(
      `"${name}" has ${bytes.length.toLocaleString('en-US')} bytes but its header's sizes (${shape}) make ${expected.toLocaleString('en-US')}: the sizes disagree with the file's length`,
    );
  }
  return { ok: true, value: { dims, data: bytes.subarray(headerBytes) } };
}

export interface IdxSelection {
  /** Samples to take; null for all from `offset` on. */
  readonly samples: number | null;
  readonly offset: number;
  /** Features are value / scale. */
  readonly scale: number;
}

/** Images and labels (each plain or gzip) as a Dataset: features value/scale, classes one more than the largest label. */
export async function idxDataset(
  imagesBytes: Uint8Array,
  labelsBytes: Uint8Array,
  names: { images: string; labels: string },
  pick: IdxSelection,
): Promise<Result<Dataset>> {
  const imagesRaw = await gunzipIfNeeded(imagesBytes, names.images);
  if (!imagesRaw.ok) return imagesRaw;
  const labelsRaw = await gunzipIfNeeded(labelsBytes, names.labels);
  if (!labelsRaw.ok) return labelsRaw;
  const images = readIdx(imagesRaw.value, names.images, IDX_IMAGES);
  if (!images.ok) return images;
  const labels = readIdx(labelsRaw.value, names.labels, IDX_LABELS);
  if (!labels.ok) return labels;
  const [count, rows, cols] = images.value.dims;
  const [labelCount] = labels.value.dims;
  if (count !== labelCount)
    return fail(
      `"${names.images}" holds ${count.toLocaleString('en-US')} images but "${names.labels}" ${labelCount.toLocaleString('en-US')} labels; they must be as many`,
    );
  const features = rows * cols;
  if (features === 0) return fail(`"${names.images}" holds images of ${rows} × ${cols} pixels: no features`);
  if (pick.offset >= count) return fail(`offset=${pick.offset} is past the ${count.toLocaleString('en-US')} images of "${names.images}"`);
  const n = pick.samples ?? Math.min(count - pick.offset, LIMITS.samples);
  if (pick.offset + n > count) {
    return fail(
      `samples=${n} from offset=${pick.offset} asks for images up to ${(pick.offset + n).toLocaleString('en-US')}, but "${names.images}" holds ${count.toLocaleString('en-US')}`,
    );
  }
  const pixels = images.value.data.subarray(pick.offset * features, (pick.offset + n) * features);
  const tags = labels.value.data.subarray(pick.offset, pick.offset + n);
  const x = new Float64Array(n * features);
  for (let i = 0; i < x.length; i++) x[i] = pixels[i] / pick.scale;
  const y = new Float64Array(n);
  let classes = 0;
  for (let i = 0; i < n; i++) {
    y[i] = tags[i];
    if (tags[i] + 1 > classes) classes = tags[i] + 1;
  }
  if (classes < 2) return fail(`the labels of the samples taken from "${names.labels}" are all ${classes - 1}: a classification needs at least 2 classes`);
  const featureNames = Array.from({ length: features }, (_, i) => `px${Math.floor(i / cols)}_${i % cols}`);
  return { ok: true, value: { n, features, classes, x, y, classNames: [], featureNames } };
}
