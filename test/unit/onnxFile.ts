// An ONNX file's tensors read straight from its protobuf, not through the importer: the numbers a
// test compares the import with (PyTorch's own, as the file holds them).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { Message } from '../../src/engine/import/protobuf';

/** A TensorProto's float32 values and dims (raw_data, as PyTorch writes them). */
export function tensorOf(m: Message): { dims: number[]; values: number[] } {
  const raw = m.bytes(9);
  assert.ok(raw);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return { dims: m.ints(1), values: Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true)) };
}

/**
 * nn.Linear's weight [out][in] (Gemm transB=1) as a spec's W [in][out], flattened, and its bias:
 * the initializers of those names (ModelProto.graph = field 7, GraphProto.initializer = 5,
 * TensorProto.name = 8).
 */
export function linearLayer(path: string, weight: string, bias: string): { W: number[]; b: number[] } {
  const graph = new Message(new Uint8Array(readFileSync(path))).message(7);
  assert.ok(graph);
  const init = new Map(graph.messages(5).map((t) => [t.string(8), tensorOf(t)]));
  const w = init.get(weight);
  const b = init.get(bias);
  assert.ok(w && b, `${weight}, ${bias}`);
  const [out, inp] = w.dims;
  const W: number[] = [];
  for (let i = 0; i < inp; i++) for (let u = 0; u < out; u++) W.push(w.values[u * inp + i]);
  return { W, b: b.values };
}
