// The weights of a TensorFlow.js layers model: the manifest's groups of shard files, read beside
// model.json and concatenated, each weight taking its bytes in manifest order. float32 and int32
// as written, and the converter's quantized forms (uint8, uint16, float16) dequantized.

import { ImportError, type ReadSibling } from './model';

export interface WeightEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

interface ManifestWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype?: string;
  readonly quantization?: { readonly dtype: string; readonly scale?: number; readonly min?: number };
}

interface ManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly ManifestWeight[];
}

/** Finds a shard by its manifest path, or the same name with or without `.bin` (converters differ). */
function readShard(path: string, fileName: string, readSibling: ReadSibling): Uint8Array {
  const tries = [path, path.endsWith('.bin') ? path.slice(0, -4) : `${path}.bin`];
  for (const p of tries) {
    const bytes = readSibling(p);
    if (bytes) return bytes;
  }
  throw new ImportError(`${fileName}: its weight file '${path}' is not beside it (nor '${tries[1]}').`);
}

function float16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

export function readWeightData(manifest: readonly ManifestGroup[], fileName: string, readSibling: ReadSibling): Map<string, WeightEntry> {
  const out = new Map<string, WeightEntry>();
  for (const group of manifest) {
    const shards = (group.paths ?? []).map((p) => readShard(p, fileName, readSibling));
    const total = shards.reduce((a, s) => a + s.byteLength, 0);
    const buf = new Uint8Array(total);
    let at = 0;
    for (const s of shards) {
      buf.set(s, at);
      at += s.byteLength;
    }
    const view = new DataView(buf.buffer);
    let pos = 0;
    for (const w of group.weights ?? []) {
      const count = (w.shape ?? []).reduce((a, b) => a * b, 1);
      const q = w.quantization;
      const type = q ? q.dtype : (w.dtype ?? 'float32');
      const size = type === 'uint8' ? 1 : type === 'uint16' || type === 'float16' ? 2 : type === 'float32' || type === 'int32' ? 4 : 0;
      if (size === 0) throw new ImportError(`${fileName}: the weight '${w.name}' is stored as ${type}, which cannot be read.`);
      if (pos + count * size > total) throw new ImportError(`${fileName}: the weight files hold ${total} bytes; the manifest needs more for '${w.name}'.`);
      const values = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const p = pos + i * size;
        switch (type) {
          case 'float32':
            values[i] = view.getFloat32(p, true);
            break;
          case 'int32':
            values[i] = view.getInt32(p, true);
            break;
          case 'float16':
            values[i] = float16(view.getUint16(p, true));
            break;
          default: {
            const raw = type === 'uint8' ? view.getUint8(p) : view.getUint16(p, true);
            values[i] = raw * (q?.scale ?? 1) + (q?.min ?? 0);
          }
        }
      }
      pos += count * size;
      const name = w.name.replace(/:\d+$/, '');
      out.set(name, { name, shape: w.shape ?? [], values });
    }
  }
  return out;
}
