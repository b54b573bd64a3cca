// ONNX models as dense chains. The file is read with our own protobuf reader (protobuf.ts); the
// graph is walked from its data input, one consumer at a time, so initializers are found by
// following the nodes that use them, not by their order in the file.

import type { Activation } from '../types';
import { Message, ProtobufError } from './protobuf';
import { ImportError, round7, toRows, transpose, type ImportNote, type ImportResult, type ImportedLayer } from './model';

// Field numbers from onnx.proto3.
const MODEL = { producerName: 2, producerVersion: 3, graph: 7, opset: 8 } as const;
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 } as const;
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 } as const;
const ATTR = { name: 1, f: 2, i: 3, s: 4, t: 5 } as const;
const TENSOR = { dims: 1, dataType: 2, floatData: 4, int64Data: 7, name: 8, rawData: 9, doubleData: 10, dataLocation: 14 } as const;
const DTYPE = { float: 1, int64: 7, double: 11 } as const;

interface Tensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly message: Message;
  /** The numbers, when the tensor was computed here (a Transpose of a constant) rather than read. */
  readonly data?: Float64Array;
}

interface Node {
  /** 1-based position in the file's node list. */
  readonly position: number;
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: ReadonlyMap<string, Message>;
}

function tensorOf(m: Message): Tensor {
  return { name: m.string(TENSOR.name), dims: m.ints(TENSOR.dims), message: m };
}

/** A tensor's numbers as float64 (exact for float32 data). */
function values(t: Tensor, where: string): Float64Array {
  if (t.data) return t.data;
  const m = t.message;
  if (m.int(TENSOR.dataLocation) === 1) {
    throw new ImportError(
      `${where}: the tensor '${t.name}' is stored in an external file; export the model with its weights inside (torch.onnx.export keeps them inside below 2 GB).`,
    );
  }
  const type = m.int(TENSOR.dataType);
  const count = t.dims.reduce((a, b) => a * b, 1);
  const raw = m.bytes(TENSOR.rawData);
  let out: Float64Array;
  if (type === DTYPE.float || type === DTYPE.double) {
    const size = type === DTYPE.float ? 4 : 8;
    if (raw) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      out = new Float64Array(raw.byteLength / size);
      for (let i = 0; i < out.length; i++) out[i] = size === 4 ? view.getFloat32(i * size, true) : view.getFloat64(i * size, true);
    } else {
      out = Float64Array.from(m.fixed(type === DTYPE.float ? TENSOR.floatData : TENSOR.doubleData, size));
    }
  } else if (type === DTYPE.int64) {
    out = Float64Array.from(m.ints(TENSOR.int64Data));
  } else {
    throw new ImportError(`${where}: the tensor '${t.name}' has ONNX data type ${type}; only float32 and float64 weights can be read.`);
  }
  if (out.length !== count) throw new ImportError(`${where}: the tensor '${t.name}' has shape [${t.dims.join(', ')}] but ${out.length} numbers.`);
  return out;
}

function attrInt(n: Node, name: string, fallback: number): number {
  return n.attrs.get(name)?.int(ATTR.i, fallback) ?? fallback;
}

function attrFloat(n: Node, name: string, fallback: number): number {
  return n.attrs.get(name)?.float(ATTR.f, fallback) ?? fallback;
}

const describe = (n: Node, total: number) => `ONNX node ${n.position} of ${total}${n.name ? `, '${n.name}'` : ''} (${n.op})`;

/** The ONNX activation ops the contract lists, as nnspec activations. */

function activationOf(n: Node): Activation | null {
  switch (n.op) {
    case 'Relu':
      return { kind: 'relu' };
    case 'Sigmoid':
      return { kind: 'sigmoid' };
    case 'Tanh':
      return { kind: 'tanh' };
    case 'LeakyRelu':
      return { kind: 'leaky_relu', slope: round7(attrFloat(n, 'alpha', 0.01)) };
    case 'Elu':
      return { kind: 'elu', alpha: round7(attrFloat(n, 'alpha', 1)) };
    case 'Selu':
      return { kind: 'selu' };
    case 'Softplus':
      return { kind: 'softplus' };
    case 'Softsign':
      return { kind: 'softsign' };
    case 'Gelu':
      return { kind: 'gelu' };
    case 'Softmax':
    case 'LogSoftmax':
      return { kind: 'softmax' };
    default:
      return null;
  }
}

/** Several nodes that together are one activation. */
interface Piece {
  readonly activation: Activation;
  /** The node whose output is the activation's. */
  readonly last: Node;
}

interface Building {
  units: number;
  fanIn: number;
  W: number[][];
  b: number[] | null;
  place: string;
  activation: Activation | null;
  /** The tensor the layer reads, to recognise a residual add around it. */
  readonly from: string;
  logSoftmax: boolean;
}

export function readOnnx(bytes: Uint8Array, fileName: string): ImportResult {
  try {
    return { ok: true, model: walk(bytes, fileName) };
  } catch (e) {
    if (e instanceof ImportError) return { ok: false, error: e.message };
    if (e instanceof ProtobufError) return { ok: false, error: `${fileName} is not a readable ONNX file: ${e.message}.` };
    throw e;
  }
}

function walk(bytes: Uint8Array, fileName: string) {
  const model = new Message(bytes);
  const graph = model.message(MODEL.graph);
  if (!graph) throw new ImportError(`${fileName} has no ONNX graph: is it an ONNX model?`);
  const notes: ImportNote[] = [];
  const producer = [model.string(MODEL.producerName), model.string(MODEL.producerVersion)].filter(Boolean).join(' ');
  if (producer) notes.push({ severity: 'info', message: `Exported by ${producer}.` });

  const constants = new Map<string, Tensor>();
  for (const t of graph.messages(GRAPH.initializer).map(tensorOf)) constants.set(t.name, t);
  const nodes: Node[] = graph.messages(GRAPH.node).map((m, k) => ({
    position: k + 1,
    name: m.string(NODE.name),
    op: m.string(NODE.opType),
    inputs: m.strings(NODE.input),
    outputs: m.strings(NODE.output),
    attrs: new Map(m.messages(NODE.attribute).map((a) => [a.string(ATTR.name), a])),
  }));
  // Constant nodes hold weights in some exporters' output; treat them like initializers.
  for (const n of nodes) {
    const value = n.op === 'Constant' ? n.attrs.get('value')?.message(ATTR.t) : undefined;
    if (value && n.outputs[0]) constants.set(n.outputs[0], { ...tensorOf(value), name: n.outputs[0] });
  }
  // Older PyTorch exports write a Linear without bias as MatMul(x, Transpose(W)): fold the transpose.
  for (const n of nodes) {
    const src = n.op === 'Transpose' ? constants.get(n.inputs[0]) : undefined;
    const perm = n.attrs.get('perm')?.ints(8) ?? [1, 0];
    if (src && src.dims.length === 2 && perm[0] === 1 && perm[1] === 0 && n.outputs[0]) {
      const [r, c] = src.dims;
      const v = values(src, `ONNX node ${n.position}`);
      const data = new Float64Array(r * c);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[j * r + i] = v[i * c + j];
      constants.set(n.outputs[0], { name: n.outputs[0], dims: [c, r], message: src.message, data });
    }
  }
  const total = nodes.length;
  const dataInputs = graph.messages(GRAPH.input).filter((v) => !constants.has(v.string(1)));
  if (dataInputs.length !== 1)
    throw new ImportError(
      `${fileName}: the graph has ${dataInputs.length} data inputs (${dataInputs.map((v) => `'${v.string(1)}'`).join(', ')}); a dense chain has one.`,
    );
  const input = dataInputs[0];
  const inputName = input.string(1);
  // ValueInfoProto.type → TypeProto.tensor_type → shape → dim[].dim_value (absent for a symbolic dim).
  const dims =
    input
      .message(2)
      ?.message(1)
      ?.message(2)
      ?.messages(1)
      .map((d) => (d.has(1) ? d.int(1) : null)) ?? [];
  const outputs = new Set(graph.messages(GRAPH.output).map((v) => v.string(1)));

  const consumers = (name: string) => nodes.filter((n) => n.op !== 'Constant' && !constants.has(n.outputs[0]) && n.inputs.includes(name));
  const constOf = (name: string | undefined) => (name !== undefined ? constants.get(name) : undefined);
  /** x · Sigmoid(x) when x's two consumers are exactly that pair. */
  function siluPair(cs: readonly Node[], x: string): Piece | null {
    if (cs.length !== 2) return null;
    const sig = cs.find((n) => n.op === 'Sigmoid');
    const mul = cs.find((n) => n.op === 'Mul');
    return sig && mul && mul.inputs.includes(x) && mul.inputs.includes(sig.outputs[0]) ? { activation: { kind: 'silu' }, last: mul } : null;
  }

  /** Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5), each constant checked. */
  function geluChain(cs: readonly Node[], x: string): Piece | null {
    const only = (name: string | undefined, op: string) => {
      const next = name === undefined ? [] : consumers(name);
      return next.length === 1 && next[0].op === op ? next[0] : null;
    };
    const near = (n: Node | null, input: string | undefined, want: number) => {
      const c = n ? constOf(n.inputs.find((i) => i !== input)) : undefined;
      const v = c ? values(c, describe(n as Node, total)) : null;
      return v !== null && v.length === 1 && Math.abs(v[0] - want) < 1e-4;
    };
    const div = cs.find((n) => n.op === 'Div');
    const mul = cs.find((n) => n.op === 'Mul');
    if (cs.length !== 2 || !div || !mul || div.inputs[0] !== x || !near(div, x, Math.SQRT2)) return null;
    const erf = only(div.outputs[0], 'Erf');
    const add = only(erf?.outputs[0], 'Add');
    if (!add || !near(add, erf?.outputs[0], 1) || !mul.inputs.includes(add.outputs[0])) return null;
    const half = only(mul.outputs[0], 'Mul');
    return half && near(half, mul.outputs[0], 0.5) ? { activation: { kind: 'gelu' }, last: half } : null;
  }
  const layers: ImportedLayer[] = [];
  let current: Building | null = null;
  let residualAdd: Node | null = null;
  const finish = () => {
    if (!current) return;
    const c: Building = current;
    layers.push({
      units: c.units,
      activation: c.activation ?? { kind: 'linear' },
      place: c.place,
      W: c.W,
      b: c.b ?? new Array<number>(c.units).fill(0),
      ...(c.logSoftmax ? { logSoftmax: true } : {}),
    });
    current = null;
  };
  const startDense = (n: Node, from: string, units: number, fanIn: number, W: number[][], b: number[] | null) => {
    finish();
    current = { units, fanIn, W, b, place: describe(n, total), activation: null, from, logSoftmax: false };
  };

  let t = inputName;
  for (let guard = 0; guard <= total; guard++) {
    let cs = consumers(t);
    if (cs.length === 0) {
      if (!outputs.has(t)) throw new ImportError(`${fileName}: the tensor '${t}' is used by no node and is not an output of the graph.`);
      break;
    }
    if (cs.length === 2 && cs.some((n) => n.op === 'Add') && cs.some((n) => n.op === 'Gemm' || n.op === 'MatMul')) {
      // x feeds a dense layer and, past it, an Add: a residual connection, if the Add closes over one layer.
      residualAdd = cs.find((n) => n.op === 'Add') ?? null;
      cs = cs.filter((n) => n !== residualAdd);
    }
    // PyTorch writes nn.SiLU as x · Sigmoid(x), and nn.GELU before opset 20 as x · (1 + erf(x/√2)) · 0.5:
    // several consumers of x, one activation.
    const piece = siluPair(cs, t) ?? geluChain(cs, t);
    if (piece) {
      const c = current as Building | null;
      if (!c || c.activation)
        throw new ImportError(
          `${describe(piece.last, total)}: ${c ? 'a second activation on one layer' : 'an activation before the first dense layer'} cannot be represented.`,
        );
      c.activation = piece.activation;
      t = piece.last.outputs[0];
      continue;
    }
    if (cs.length > 1) {
      throw new ImportError(
        `${fileName}: the tensor '${t}' feeds ${cs.length} nodes (${cs.map((n) => describe(n, total)).join('; ')}); a branching graph cannot be a dense chain (only a residual add around one layer can).`,
      );
    }
    const n = cs[0];
    const where = describe(n, total);
    const out = n.outputs[0];
    const act = activationOf(n);
    if (n.op === 'Flatten' || n.op === 'Reshape') {
      if (layers.length > 0 || current)
        throw new ImportError(`${where}: a ${n.op} between layers cannot be represented; only a leading ${n.op} (of the input) can.`);
    } else if (n.op === 'Dropout' || n.op === 'Identity') {
      if (n.op === 'Dropout') notes.push({ severity: 'info', message: `${where} skipped: dropout does nothing at inference, and a spec has no dropout.` });
    } else if (n.op === 'Gemm') {
      if (n.inputs[0] !== t || attrInt(n, 'transA', 0) !== 0)
        throw new ImportError(`${where}: only Gemm(x, W, b) with x as its first input and transA=0 can be a dense layer.`);
      const B = constOf(n.inputs[1]);
      if (!B || B.dims.length !== 2) throw new ImportError(`${where}: its weight '${n.inputs[1]}' is not a constant 2-D tensor.`);
      const transB = attrInt(n, 'transB', 0) === 1;
      const [units, fanIn] = transB ? B.dims : [B.dims[1], B.dims[0]];
      const alpha = attrFloat(n, 'alpha', 1);
      const beta = attrFloat(n, 'beta', 1);
      const v = values(B, where);
      const W = toRows(v, B.dims[0], B.dims[1]).map((r) => r.map((x) => x * alpha));
      let b: number[] | null = null;
      if (n.inputs[2]) {
        const C = constOf(n.inputs[2]);
        if (!C) throw new ImportError(`${where}: its bias '${n.inputs[2]}' is not a constant.`);
        b = biasOf(values(C, where), units, beta, where);
      }
      startDense(n, t, units, fanIn, transB ? transpose(W) : W, b);
    } else if (n.op === 'MatMul') {
      const B = constOf(n.inputs[1]);
      if (n.inputs[0] !== t || !B || B.dims.length !== 2)
        throw new ImportError(`${where}: only MatMul(x, W) with W a constant 2-D tensor can be a dense layer.`);
      startDense(n, t, B.dims[1], B.dims[0], toRows(values(B, where), B.dims[0], B.dims[1]), null);
    } else if (n.op === 'Add' && n === residualAdd) {
      const c = current as Building | null;
      if (!c || c.from !== n.inputs.find((i) => i !== t))
        throw new ImportError(`${where}: a residual add around more than one layer cannot be represented; only x + f(dense(x)).`);
      if (c.units !== c.fanIn) throw new ImportError(`${where}: a residual add needs the layer's units (${c.units}) to equal its input width (${c.fanIn}).`);
      finish();
      const last = layers.pop() as ImportedLayer;
      layers.push({ ...last, residual: true });
      residualAdd = null;
    } else if (n.op === 'Add') {
      // MatMul + Add, the bias in either operand order.
      const other = n.inputs.find((i) => i !== t);
      const C = constOf(other);
      const c = current as Building | null;
      if (!C || !c || c.activation || c.b) throw new ImportError(`${where}: only an Add of a bias right after MatMul, or a residual add, can be represented.`);
      c.b = biasOf(values(C, where), c.units, 1, where);
    } else if (act) {
      const c = current as Building | null;
      if (!c || c.activation)
        throw new ImportError(`${where}: ${c ? 'a second activation on one layer' : 'an activation before the first dense layer'} cannot be represented.`);
      if (act.kind === 'softmax') {
        const axis = attrInt(n, 'axis', -1);
        if (axis !== -1 && axis !== 1) throw new ImportError(`${where}: ${n.op} over axis ${axis}; only over the units (axis 1 or -1) can be represented.`);
        c.logSoftmax = n.op === 'LogSoftmax';
      }
      if (n.op === 'Gelu' && n.attrs.get('approximate')?.string(ATTR.s) === 'tanh') {
        notes.push({ severity: 'warning', message: `${where}: the tanh approximation of gelu is imported as exact gelu.` });
      }
      c.activation = act;
    } else {
      throw new ImportError(
        `${where}: ${n.op} cannot be represented by a dense layer; Gradient Flow imports fully connected chains (Gemm or MatMul + Add, activations, a leading Flatten or Reshape, Dropout).`,
      );
    }
    if (!out) throw new ImportError(`${where} has no output.`);
    t = out;
  }
  finish();
  if (layers.length === 0) throw new ImportError(`${fileName} has no Gemm or MatMul node: nothing to import as dense layers.`);
  const first = layers[0].W as number[][];
  const inputs = first.length;
  const known = dims.slice(1);
  if (known.length > 0 && known.every((d): d is number => d !== null)) {
    const product = known.reduce((a, b) => a * b, 1);
    if (product !== inputs)
      throw new ImportError(`${fileName}: the input '${inputName}' has ${product} features per sample but the first layer takes ${inputs}.`);
  }
  for (let k = 1; k < layers.length; k++) {
    const fanIn = (layers[k].W as number[][]).length;
    if (fanIn !== layers[k - 1].units)
      throw new ImportError(`${layers[k].place}: takes ${fanIn} inputs but the layer before has ${layers[k - 1].units} units.`);
  }
  const name =
    fileName
      .split(/[\\/]/)
      .pop()
      ?.replace(/\.onnx$/i, '') ||
    graph.string(GRAPH.name) ||
    'model';
  return { format: 'onnx' as const, name, inputs, layers, head: 'unknown' as const, notes };
}

/** A bias of one number per unit, or one number broadcast to all. */
function biasOf(v: Float64Array, units: number, scale: number, where: string): number[] {
  if (v.length === units) return Array.from(v, (x) => x * scale);
  if (v.length === 1) return new Array<number>(units).fill(v[0] * scale);
  throw new ImportError(`${where}: a bias of ${v.length} numbers for a layer of ${units} units.`);
}
