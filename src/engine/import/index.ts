// The front door for models made elsewhere: a file's bytes in, a dense chain (or the reason there
// is none) out. Pure: the caller reads files, including the shards a TensorFlow.js model names.

import { readKerasJson } from './keras';
import { readOnnx } from './onnx';
import type { ImportedModel, ImportResult, ReadSibling } from './model';
import { emitSpec, weightsJson } from './emit';

export type { ImportedModel, ImportedLayer, ImportNote, ImportResult, ReadSibling, Head, ModelFormat } from './model';
export { emitSpec, weightsJson, type Emitted, type EmitOptions, type WeightsFile } from './emit';

const NOT_READ: readonly [RegExp, string][] = [
  [
    /\.(h5|hdf5|keras)$/i,
    'Keras .h5 and .keras files are not read: in Python, write model.to_json() to a .json file, or convert with tensorflowjs_converter --output_format=tfjs_layers_model for the weights too.',
  ],
  [
    /\.(pt|pth|ckpt|safetensors)$/i,
    'PyTorch files are not read: export the model with torch.onnx.export(model, example_input, "model.onnx") and import the .onnx file.',
  ],
  [/\.(pb|tflite|savedmodel)$/i, 'TensorFlow graphs are not read: save the Keras model as JSON (model.to_json()) or as a TensorFlow.js layers model.'],
];

export function importModel(fileName: string, bytes: Uint8Array, readSibling: ReadSibling): ImportResult {
  for (const [pattern, message] of NOT_READ) if (pattern.test(fileName)) return { ok: false, error: `${fileName}: ${message}` };
  let first = 0;
  while (
    first < bytes.length &&
    (bytes[first] === 0x20 ||
      bytes[first] === 0x0a ||
      bytes[first] === 0x0d ||
      bytes[first] === 0x09 ||
      bytes[first] === 0xef ||
      bytes[first] === 0xbb ||
      bytes[first] === 0xbf)
  )
    first++;
  if (bytes[first] === 0x7b) return readKerasJson(new TextDecoder().decode(bytes), fileName, readSibling);
  if (/\.json$/i.test(fileName)) return { ok: false, error: `${fileName} does not start with '{': not a JSON model.` };
  return readOnnx(bytes, fileName);
}

/** Whether a JSON text is a Keras or TensorFlow.js layers model (for the editor's context menu and the command). */
export function looksLikeKerasJson(text: string): boolean {
  const head = text.slice(0, 65536);
  return /"modelTopology"\s*:/.test(head) || (/"class_name"\s*:\s*"(Sequential|Model|Functional)"/.test(head) && /"config"\s*:/.test(head));
}

export interface ImportPlan {
  readonly ok: true;
  readonly model: ImportedModel;
  /** The files to write, the spec last (a reader of the spec then finds its weights). */
  readonly files: readonly { readonly path: string; readonly text: string }[];
  readonly specPath: string;
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;
const dirOf = (p: string) => p.slice(0, p.length - baseName(p).length);

/**
 * Imports a model and names the files to write: OUT.nnspec (default: the model's path with its
 * extension replaced) and, when the model carries weights, OUT.weights.json beside it.
 */
export function planImport(
  modelPath: string,
  bytes: Uint8Array,
  readSibling: ReadSibling,
  options: { readonly out?: string; readonly data?: string } = {},
): ImportPlan | { readonly ok: false; readonly error: string } {
  const result = importModel(modelPath, bytes, readSibling);
  if (!result.ok) return result;
  const specPath = options.out ?? modelPath.replace(/(\.[A-Za-z0-9]+)?$/, '.nnspec');
  const weightsPath = specPath.replace(/\.nnspec$/i, '') + '.weights.json';
  const modelFile = dirOf(modelPath) === dirOf(specPath) ? baseName(modelPath) : modelPath;
  const emitted = emitSpec(result.model, { modelFile, weightsFile: baseName(weightsPath), data: options.data });
  const files = [...(emitted.weights ? [{ path: weightsPath, text: weightsJson(emitted.weights) }] : []), { path: specPath, text: emitted.spec }];
  return { ok: true, model: result.model, files, specPath };
}
