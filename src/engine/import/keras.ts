// Keras models as dense chains: a TensorFlow.js layers `model.json` (topology and weight
// manifest, shards beside it) and a Keras `model.to_json()` file (topology only). Keras 2 and 3
// conventions both: `batch_input_shape` or `batch_shape`, plain or prefixed weight names, the old
// list-style Sequential config, string or object activations and initializers.

import type { Activation } from '../types';
import { ImportError, round7, toRows, type Head, type ImportNote, type ImportResult, type ImportedLayer, type ModelFormat, type ReadSibling } from './model';
import { readWeightData, type WeightEntry } from './tfjsWeights';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: Json | undefined): Obj => (isObj(v) ? v : {});
const str = (v: Json | undefined): string | null => (typeof v === 'string' ? v : null);
const numOr = (v: Json | undefined, fallback: number): number => (typeof v === 'number' ? v : fallback);

/** camelCase (TensorFlow.js) and snake_case (Keras) names alike: `glorotUniform` → `glorot_uniform`. */
const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export function readKerasJson(text: string, fileName: string, readSibling: ReadSibling): ImportResult {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (e) {
    return { ok: false, error: `${fileName} is not JSON: ${(e as Error).message}.` };
  }
  try {
    return { ok: true, model: readRoot(obj(root), fileName, readSibling) };
  } catch (e) {
    if (e instanceof ImportError) return { ok: false, error: e.message };
    throw e;
  }
}

function readRoot(root: Obj, fileName: string, readSibling: ReadSibling) {
  if (root.format === 'graph-model') {
    throw new ImportError(
      `${fileName} is a TensorFlow.js graph model, which keeps no layers; convert the Keras model as a layers model (tensorflowjs_converter --output_format=tfjs_layers_model) or import its model.to_json().`,
    );
  }
  const tfjs = 'modelTopology' in root;
  const format: ModelFormat = tfjs ? 'tfjs' : 'keras';
  let topology = tfjs ? obj(root.modelTopology) : root;
  let training = obj(root.trainingConfig ?? topology.training_config ?? topology.compile_config ?? root.compile_config);
  if ('model_config' in topology) {
    training = isObj(topology.training_config) ? topology.training_config : training;
    topology = obj(topology.model_config);
  }
  const className = str(topology.class_name);
  if (!className)
    throw new ImportError(`${fileName} is JSON but not a Keras or TensorFlow.js layers model: it has no class_name${tfjs ? ' in modelTopology' : ''}.`);
  if (className !== 'Sequential' && className !== 'Model' && className !== 'Functional') {
    throw new ImportError(`${fileName}: the model is a ${className}; only Sequential and functional (Model) models can be imported.`);
  }
  const config = topology.config;
  // Keras 1 and early Keras 2 wrote a Sequential's config as the list of its layers.
  const layerList = Array.isArray(config) ? config : obj(config).layers;
  if (!Array.isArray(layerList) || layerList.length === 0) throw new ImportError(`${fileName}: the model lists no layers.`);
  const name =
    str(obj(config).name) ??
    fileName
      .split(/[\\/]/)
      .pop()
      ?.replace(/\.json$/i, '') ??
    'model';
  const notes: ImportNote[] = [];
  const version = str(topology.keras_version) ?? str(root.keras_version);
  if (version) notes.push({ severity: 'info', message: `Written by ${version}.` });

  const chain = chainLayers(layerList.map(obj), className !== 'Sequential');
  // The architecture is checked whole before any weight file is read: an unsupported layer is the news.
  const unsupported = chain.find((l) => !SUPPORTED.has(l.className));
  if (unsupported) {
    throw new ImportError(
      `${placeOf(unsupported)}: ${unsupported.className} cannot be represented by a dense layer; Gradient Flow imports chains of Dense layers with activations (and Flatten, InputLayer, Dropout).`,
    );
  }
  const weights = tfjs ? loadWeights(root, fileName, readSibling) : null;
  const { inputs, layers } = buildLayers(chain, weights, notes, fileName);
  return { format, name, inputs, layers, head: headOf(training), notes };
}

interface KLayer {
  readonly index: number;
  readonly className: string;
  readonly name: string;
  readonly config: Obj;
  readonly buildInput: Json | undefined;
}

const DROPOUTS = new Set(['Dropout', 'AlphaDropout', 'GaussianDropout', 'GaussianNoise']);
const ACTIVATION_LAYERS = new Set(['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'Softmax']);
const SUPPORTED = new Set(['InputLayer', 'Flatten', 'Dense', ...DROPOUTS, ...ACTIVATION_LAYERS]);

const placeOf = (l: KLayer) => `layer ${l.index} '${l.name}' (${l.className})`;

/** The layers in order; a functional model must be a chain, each layer fed by the one before. */
function chainLayers(list: Obj[], functional: boolean): KLayer[] {
  const layers = list.map((l, k) => {
    const config = obj(l.config);
    return {
      index: k + 1,
      className: str(l.class_name) ?? '?',
      name: str(config.name) ?? str(l.name) ?? `#${k + 1}`,
      config,
      buildInput: obj(l.build_config).input_shape,
      inbound: inboundOf(l),
    };
  });
  if (functional) {
    for (let k = 1; k < layers.length; k++) {
      const from = layers[k].inbound;
      if (from.length !== 1 || from[0] !== layers[k - 1].name) {
        const what = from.length === 0 ? 'no input' : `input from ${from.map((f) => `'${f}'`).join(' and ')}`;
        throw new ImportError(
          `${placeOf(layers[k])} takes ${what}, not the layer before it ('${layers[k - 1].name}'); only a chain of layers can be imported.`,
        );
      }
    }
  }
  return layers;
}

/** Names of the layers feeding a functional model's layer, in Keras 2 and Keras 3 notation. */
function inboundOf(layer: Obj): string[] {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes)) return [];
  const names: string[] = [];
  for (const node of nodes) {
    if (Array.isArray(node)) {
      // Keras 2: [[layerName, nodeIndex, tensorIndex, kwargs], ...]
      for (const ref of node) if (Array.isArray(ref) && typeof ref[0] === 'string') names.push(ref[0]);
    } else if (isObj(node)) {
      // Keras 3: { args: [{ class_name: '__keras_tensor__', config: { keras_history: [layerName, 0, 0] } }] }
      const visit = (v: Json) => {
        if (Array.isArray(v)) v.forEach(visit);
        else if (isObj(v)) {
          const h = obj(v.config).keras_history;
          if (v.class_name === '__keras_tensor__' && Array.isArray(h) && typeof h[0] === 'string') names.push(h[0]);
          else Object.values(v).forEach(visit);
        }
      };
      visit(node.args ?? []);
    }
  }
  return names;
}

function shapeFeatures(shape: Json | undefined): number | null {
  if (!Array.isArray(shape) || shape.length < 2) return null;
  const dims = shape.slice(1);
  return dims.every((d): d is number => typeof d === 'number') ? dims.reduce((a, b) => a * b, 1) : null;
}

function inputShapeOf(l: KLayer): number | null {
  return shapeFeatures(l.config.batch_input_shape) ?? shapeFeatures(l.config.batch_shape) ?? shapeFeatures(l.buildInput);
}

interface Pending {
  layer: KLayer;
  units: number;
  fanIn: number;
  activation: Activation;
  /** Whether an activation was given (by the Dense itself, or an Activation layer after it). */
  activated: boolean;
  init?: string;
  bias?: string;
  W?: number[][];
  b?: number[];
}

function buildLayers(chain: KLayer[], weights: Map<string, WeightEntry> | null, notes: ImportNote[], fileName: string) {
  let inputs: number | null = null;
  let width: number | null = null;
  const layers: ImportedLayer[] = [];
  let current: Pending | null = null;
  const finish = () => {
    if (!current) return;
    const c: Pending = current;
    layers.push({ units: c.units, activation: c.activation, place: placeOf(c.layer), init: c.init, bias: c.bias, W: c.W, b: c.b });
    current = null;
  };
  for (const l of chain) {
    const where = placeOf(l);
    const shape = inputShapeOf(l);
    if (shape !== null && inputs === null && layers.length === 0 && !current) {
      inputs = shape;
      width = shape;
    }
    switch (l.className) {
      case 'InputLayer':
        if (shape === null) throw new ImportError(`${where}: its input shape is not a fixed number of features.`);
        break;
      case 'Flatten':
        if (layers.length > 0 || current)
          throw new ImportError(`${where}: a Flatten between layers cannot be represented; only a leading Flatten of the input can.`);
        break;
      case 'Dropout':
      case 'AlphaDropout':
      case 'GaussianDropout':
      case 'GaussianNoise':
        notes.push({ severity: 'info', message: `${where} skipped: it acts only in training, and a spec has no dropout or noise layer.` });
        break;
      case 'Dense': {
        finish();
        const units = numOr(l.config.units, NaN);
        if (!Number.isInteger(units) || units < 1) throw new ImportError(`${where}: units is not a positive whole number.`);
        if (width === null) throw new ImportError(`${where}: the model does not say how many features its input has (no input shape before the first Dense).`);
        const fanIn: number = width;
        const act = activationOf(l.config.activation, where);
        current = { layer: l, units, fanIn, activation: act ?? { kind: 'linear' }, activated: act !== null && act.kind !== 'linear' };
        if (weights) {
          const kernel = weightFor(weights, l.name, 'kernel', where);
          if (kernel.shape.length !== 2 || kernel.shape[0] !== fanIn || kernel.shape[1] !== units) {
            throw new ImportError(
              `${where}: its kernel '${kernel.name}' has shape [${kernel.shape.join(', ')}]; a Dense of ${units} units on ${fanIn} inputs needs [${fanIn}, ${units}].`,
            );
          }
          current.W = toRows(kernel.values, fanIn, units);
          const useBias = l.config.use_bias !== false;
          current.b = useBias ? Array.from(weightFor(weights, l.name, 'bias', where).values) : new Array<number>(units).fill(0);
          if (current.b.length !== units) throw new ImportError(`${where}: its bias has ${current.b.length} numbers for ${units} units.`);
        } else {
          current.init = initText(l.config.kernel_initializer, fanIn, units, where, notes);
          current.bias = l.config.use_bias === false ? undefined : biasText(l.config.bias_initializer, where, notes);
        }
        width = units;
        break;
      }
      default: {
        const act = activationLayer(l, where);
        const c = current as Pending | null;
        if (!c || c.activated)
          throw new ImportError(`${where}: ${c ? 'a second activation on one layer' : 'an activation before the first Dense layer'} cannot be represented.`);
        c.activation = act;
        c.activated = true;
      }
    }
  }
  finish();
  if (layers.length === 0 || inputs === null) throw new ImportError(`${fileName} has no Dense layer: nothing to import.`);
  return { inputs, layers };
}

/** An activation layer (Activation, ReLU, LeakyReLU, ELU, Softmax) as an nnspec activation, or null. */
function activationLayer(l: KLayer, where: string): Activation {
  const c = l.config;
  switch (l.className) {
    case 'Activation':
      return activationOf(c.activation, where) ?? { kind: 'linear' };
    case 'ReLU': {
      if (c.max_value !== undefined && c.max_value !== null)
        throw new ImportError(`${where}: a ReLU capped at max_value=${String(c.max_value)} has no nnspec equivalent.`);
      if (numOr(c.threshold, 0) !== 0) throw new ImportError(`${where}: a ReLU with threshold=${String(c.threshold)} has no nnspec equivalent.`);
      const slope = numOr(c.negative_slope, 0);
      return slope === 0 ? { kind: 'relu' } : { kind: 'leaky_relu', slope };
    }
    case 'LeakyReLU':
      // Keras 2 and TensorFlow.js call the slope alpha (default 0.3); Keras 3 negative_slope (default 0.3).
      return { kind: 'leaky_relu', slope: numOr(c.negative_slope, numOr(c.alpha, 0.3)) };
    case 'ELU':
      return { kind: 'elu', alpha: numOr(c.alpha, 1) };
    case 'Softmax': {
      const axis = c.axis;
      if (axis !== undefined && axis !== -1 && axis !== 1 && !(Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === 1))) {
        throw new ImportError(`${where}: softmax over axis ${JSON.stringify(axis)}; only over the units can be represented.`);
      }
      return { kind: 'softmax' };
    }
    default:
      throw new ImportError(`${where}: ${l.className} is not an activation layer.`);
  }
}

/** A Keras activation (a name, or Keras 3's serialized object) as an nnspec activation; null for none. */
function activationOf(v: Json | undefined, where: string): Activation | null {
  if (v === undefined || v === null) return null;
  const name = typeof v === 'string' ? v : (str(obj(obj(v).config).name) ?? str(obj(v).class_name) ?? '');
  switch (snake(name)) {
    case 'linear':
      return { kind: 'linear' };
    case 'relu':
      return { kind: 'relu' };
    case 'sigmoid':
      return { kind: 'sigmoid' };
    case 'tanh':
      return { kind: 'tanh' };
    case 'softmax':
      return { kind: 'softmax' };
    case 'elu':
      return { kind: 'elu', alpha: 1 };
    case 'selu':
      return { kind: 'selu' };
    case 'gelu':
      return { kind: 'gelu' };
    case 'swish':
    case 'silu':
      return { kind: 'silu' };
    case 'softplus':
      return { kind: 'softplus' };
    case 'softsign':
      return { kind: 'softsign' };
    // Keras 3's leaky_relu activation function has negative_slope 0.2.
    case 'leaky_relu':
      return { kind: 'leaky_relu', slope: 0.2 };
    default:
      throw new ImportError(
        `${where}: the activation '${name}' has no nnspec equivalent (nnspec has linear, sigmoid, tanh, relu, leaky_relu, elu, selu, gelu, silu, softplus, softsign, softmax).`,
      );
  }
}

const fmt = (v: number) => String(round7(v));

/** A Keras initializer as nnspec init text; undefined for the default (glorot_uniform). */
function initText(v: Json | undefined, fanIn: number, fanOut: number, where: string, notes: ImportNote[]): string | undefined {
  if (v === undefined || v === null) return undefined;
  const name = snake(typeof v === 'string' ? v : (str(obj(v).class_name) ?? ''));
  const c = obj(obj(v).config);
  switch (name) {
    case 'glorot_uniform':
      return undefined;
    case 'glorot_normal':
    case 'he_normal':
    case 'he_uniform':
    case 'lecun_normal':
    case 'lecun_uniform':
    case 'zeros':
      return name;
    case 'ones':
      return 'constant(1)';
    case 'constant':
      return `constant(${fmt(numOr(c.value, 0))})`;
    case 'random_normal':
      return `normal(${fmt(numOr(c.mean, 0))}, ${fmt(numOr(c.stddev, 0.05))})`;
    case 'truncated_normal':
      notes.push({ severity: 'info', message: `${where}: its truncated normal init is written as a normal one.` });
      return `normal(${fmt(numOr(c.mean, 0))}, ${fmt(numOr(c.stddev, 0.05))})`;
    case 'random_uniform':
      return `uniform(${fmt(numOr(c.minval, -0.05))}, ${fmt(numOr(c.maxval, 0.05))})`;
    case 'variance_scaling': {
      const scale = numOr(c.scale, 1);
      const mode = str(c.mode) ?? 'fan_in';
      const uniform = str(c.distribution) === 'uniform';
      const known: Record<string, string> = { '1 fan_avg': 'glorot', '2 fan_in': 'he', '1 fan_in': 'lecun' };
      const family = known[`${scale} ${mode}`];
      if (family) return family === 'glorot' && uniform ? undefined : `${family}_${uniform ? 'uniform' : 'normal'}`;
      const n = mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
      const std = Math.sqrt(scale / n);
      return uniform ? `uniform(${fmt(-std * Math.sqrt(3))}, ${fmt(std * Math.sqrt(3))})` : `normal(0, ${fmt(std)})`;
    }
    default:
      notes.push({ severity: 'warning', message: `${where}: its init '${name}' has no nnspec equivalent; glorot_uniform is used.` });
      return undefined;
  }
}

function biasText(v: Json | undefined, where: string, notes: ImportNote[]): string | undefined {
  if (v === undefined || v === null) return undefined;
  const name = snake(typeof v === 'string' ? v : (str(obj(v).class_name) ?? ''));
  const c = obj(obj(v).config);
  switch (name) {
    case 'zeros':
      return undefined;
    case 'ones':
      return '1';
    case 'constant':
      return fmt(numOr(c.value, 0));
    case 'random_normal':
      return `normal(${fmt(numOr(c.mean, 0))}, ${fmt(numOr(c.stddev, 0.05))})`;
    case 'random_uniform':
      return `uniform(${fmt(numOr(c.minval, -0.05))}, ${fmt(numOr(c.maxval, 0.05))})`;
    default:
      notes.push({ severity: 'warning', message: `${where}: its bias init '${name}' has no nnspec equivalent; biases start at 0.` });
      return undefined;
  }
}

/** What the model's compiled loss says about its head. */
function headOf(training: Obj): Head {
  const loss = training.loss;
  const name = snake(typeof loss === 'string' ? loss : (str(obj(loss).class_name) ?? ''));
  if (name === '') return 'unknown';
  if (name.includes('binary') && name.includes('crossentropy')) return 'binary';
  if (name.includes('crossentropy')) return 'classify';
  if (/squared|absolute|huber|log_cosh|mse|mae/.test(name)) return 'regress';
  return 'unknown';
}

function loadWeights(root: Obj, fileName: string, readSibling: ReadSibling): Map<string, WeightEntry> | null {
  const manifest = root.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) return null;
  return readWeightData(manifest as never, fileName, readSibling);
}

/** A layer's kernel or bias, under its plain name (`dense/kernel`) or a prefixed one (`sequential/dense/kernel`). */
function weightFor(weights: Map<string, WeightEntry>, layer: string, kind: 'kernel' | 'bias', where: string): WeightEntry {
  const exact = weights.get(`${layer}/${kind}`);
  if (exact) return exact;
  const suffix = `/${layer}/${kind}`;
  const found = [...weights.values()].filter((w) => w.name.endsWith(suffix));
  if (found.length === 1) return found[0];
  throw new ImportError(
    `${where}: ${found.length === 0 ? 'no' : 'more than one'} weight named '${layer}/${kind}' in the weights manifest (it has ${[...weights.keys()].slice(0, 6).join(', ')}${weights.size > 6 ? ', …' : ''}).`,
  );
}
