// Models made elsewhere, read as dense chains: TensorFlow.js layers models written here by
// TensorFlow.js itself, Keras-written topologies and PyTorch-exported ONNX files from public test
// suites (test/fixtures/README.md), and a few ONNX graphs built byte by byte for the variants no
// public file covers. Weights are compared number by number with the model's own.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { check, trainToReport } from '../../src/engine/index';
import { importModel, planImport, looksLikeKerasJson, type ImportedModel } from '../../src/engine/import/index';
import { Message } from '../../src/engine/import/protobuf';
import { linearLayer, tensorOf } from './onnxFile';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf: typeof TF = require('@tensorflow/tfjs');

const root = join(__dirname, '../../..');
const fixture = (name: string) => join(root, 'test/fixtures/models', name);
const cli = join(root, 'dist/cli.js');
const noSiblings = () => null;

function imported(name: string, bytes: Uint8Array, siblings: Record<string, Uint8Array> = {}): ImportedModel {
  const r = importModel(name, bytes, (p) => siblings[p] ?? null);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.model;
}

function importError(name: string, bytes: Uint8Array, siblings: Record<string, Uint8Array> = {}): string {
  const r = importModel(name, bytes, (p) => siblings[p] ?? null);
  assert.ok(!r.ok, 'expected the import to fail');
  return r.error;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A spec the import wrote, checked with its weights file given in memory. */
function checkPlan(plan: ReturnType<typeof planImport>) {
  assert.ok(plan.ok, plan.ok ? '' : plan.error);
  const spec = plan.files[plan.files.length - 1].text;
  const weights = plan.files.length > 1 ? plan.files[0] : null;
  return { spec, weights: weights ? (JSON.parse(weights.text) as { version: number; layers: { W: number[][]; b: number[] }[] }) : null };
}

interface Artifacts {
  modelTopology: unknown;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  weightData: ArrayBuffer;
}

async function saveArtifacts(m: TF.LayersModel): Promise<Artifacts> {
  let saved: Artifacts | null = null;
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      saved = { modelTopology: a.modelTopology, weightSpecs: a.weightSpecs as Artifacts['weightSpecs'], weightData: a.weightData as ArrayBuffer };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  assert.ok(saved);
  return saved;
}

function tfjsClassifier(): TF.Sequential {
  const m = tf.sequential({ name: 'tabular' });
  m.add(tf.layers.dense({ units: 6, activation: 'relu', inputShape: [4], kernelInitializer: 'heNormal', name: 'hidden' }));
  m.add(tf.layers.dropout({ rate: 0.2 }));
  m.add(tf.layers.dense({ units: 5, activation: 'tanh', name: 'hidden2', biasInitializer: tf.initializers.constant({ value: 0.1 }) }));
  m.add(tf.layers.dense({ units: 3, name: 'logits' }));
  return m;
}

describe('import: TensorFlow.js layers models (written by TensorFlow.js)', () => {
  it("model.json with its shard: one dense line per layer, weights equal to the model's own, number by number", async () => {
    const m = tfjsClassifier();
    const a = await saveArtifacts(m);
    // The converter names shards without .bin; tfjs-node's file handler with. Both are found.
    for (const [manifestPath, fileName] of [
      ['group1-shard1of1', 'group1-shard1of1.bin'],
      ['weights.bin', 'weights.bin'],
      ['weights.bin', 'weights'],
    ]) {
      const modelJson = JSON.stringify({
        format: 'layers-model',
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: [manifestPath], weights: a.weightSpecs }],
      });
      const plan = planImport('nets/model.json', utf8(modelJson), (p) => (p === fileName ? new Uint8Array(a.weightData) : null), {});
      const { spec, weights } = checkPlan(plan);
      assert.ok(plan.ok);
      assert.deepEqual(
        plan.files.map((f) => f.path),
        ['nets/model.weights.json', 'nets/model.nnspec'],
      );
      const lines = spec
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.replace(/\s+#.*$/, ''));
      assert.deepEqual(lines, [
        'network tabular',
        'data normal features=4 classes=3',
        'input 4',
        'weights "model.weights.json"',
        'dense 6 relu',
        'dense 5 tanh',
        'dense 3 softmax',
        'loss cross_entropy',
      ]);
      assert.match(spec, /# The model's output is 3 linear logits .* written as softmax with cross_entropy/);
      assert.match(spec, /Info: layer 2 'dropout_Dropout\d+' \(Dropout\) skipped/);
      assert.ok(weights);
      const own = m.getWeights().map((w) => Array.from(w.dataSync()));
      assert.equal(weights.layers.length, 3);
      weights.layers.forEach((l, k) => {
        assert.deepEqual(l.W.flat(), own[2 * k], `layer ${k} W`);
        assert.deepEqual(l.b, own[2 * k + 1], `layer ${k} b`);
        assert.equal(l.W.length, [4, 6, 5][k], 'W is [fan_in][units]');
      });
    }
  });

  it('a missing shard is an error naming it, and nothing is planned', async () => {
    const a = await saveArtifacts(tfjsClassifier());
    const modelJson = JSON.stringify({ modelTopology: a.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }] });
    assert.match(importError('model.json', utf8(modelJson)), /its weight file 'group1-shard1of1\.bin' is not beside it/);
  });

  it('model.toJSON() (Keras-style, no weights): inits and biases from the initializers; the spec checks clean and trains', () => {
    const m = tfjsClassifier();
    const json = m.toJSON(null, false);
    const plan = planImport('tabular.json', utf8(JSON.stringify(json)), noSiblings);
    const { spec, weights } = checkPlan(plan);
    assert.equal(weights, null);
    assert.doesNotMatch(spec, /^weights /m);
    assert.match(spec, /^dense 6 relu init=he_normal {2}# layer 1 'hidden' \(Dense\)$/m);
    // tfjs's default kernel initializer is glorotNormal, written as VarianceScaling(1, fan_avg, normal).
    assert.match(spec, /^dense 5 tanh init=glorot_normal bias=0\.1 /m);
    const c = check(spec);
    assert.deepEqual(
      c.problems.filter((p) => p.severity !== 'info'),
      [],
    );
    assert.ok(c.trainable);
    const report = trainToReport(c, { epochs: 5 });
    assert.equal(report.epochs.length, 5);
    assert.equal(report.network.layers.length, 3);
    assert.ok(report.epochs.every((e) => e.layers.every((l) => Number.isFinite(l.gradRms) && l.gradRms > 0)));
  });

  it("a model that is not a dense chain is an error naming the layer (TensorFlow.js's own GRU test model)", () => {
    const text = readFileSync(fixture('tfjs-gru/model.json'));
    assert.equal(
      importError('model.json', text),
      "layer 1 'embedding_Embedding2' (Embedding): Embedding cannot be represented by a dense layer; Gradient Flow imports chains of Dense layers with activations (and Flatten, InputLayer, Dropout).",
    );
    assert.match(importError('model.json', readFileSync(fixture('tfjs-graph-model.json'))), /is a TensorFlow\.js graph model, which keeps no layers/);
  });
});

describe('import: Keras topologies (written by Keras)', () => {
  it('Keras 2.0.7, a functional Model with an InputLayer (batch_input_shape)', () => {
    const model = imported('keras2-functional.json', readFileSync(fixture('keras2-functional.json')));
    assert.equal(model.format, 'keras');
    assert.equal(model.inputs, 32);
    assert.deepEqual(
      model.layers.map((l) => [l.units, l.activation.kind, l.init ?? null]),
      [[32, 'linear', null]],
    );
    assert.equal(model.layers[0].W, undefined);
  });

  it('Keras 2.1.1, the old list-style Sequential config: its Conv2D is named', () => {
    assert.match(importError('mnist.json', readFileSync(fixture('keras2-mnist-convnet.json'))), /^layer 1 'conv2d_1' \(Conv2D\): Conv2D cannot be represented/);
  });

  // Keras 3 writes InputLayer batch_shape, serialized objects for dtype and initializers, a
  // compile_config, and (converted to TensorFlow.js) weight names under the model's name.
  const keras3 = (units: number, loss: string) => ({
    module: 'keras',
    class_name: 'Sequential',
    registered_name: null,
    config: {
      name: 'sequential',
      trainable: true,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
      layers: [
        {
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'input_layer' },
          registered_name: null,
        },
        {
          module: 'keras.layers',
          class_name: 'Dense',
          registered_name: null,
          build_config: { input_shape: [null, 3] },
          config: {
            name: 'dense',
            trainable: true,
            units: 4,
            activation: 'gelu',
            use_bias: true,
            kernel_initializer: { module: 'keras.initializers', class_name: 'HeUniform', config: { seed: null }, registered_name: null },
            bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
          },
        },
        { module: 'keras.layers', class_name: 'LeakyReLU', config: { name: 'leaky', negative_slope: 0.2 }, registered_name: null },
        {
          module: 'keras.layers',
          class_name: 'Dense',
          registered_name: null,
          build_config: { input_shape: [null, 4] },
          config: {
            name: 'dense_1',
            trainable: true,
            units,
            activation: 'linear',
            use_bias: true,
            kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null } },
          },
        },
      ],
    },
    compile_config: { optimizer: 'adam', loss, metrics: null },
  });

  it('Keras 3 conventions: batch_shape, serialized initializers, an activation layer after a Dense is an error (two activations)', () => {
    assert.match(
      importError('k3.json', utf8(JSON.stringify(keras3(1, 'binary_crossentropy')))),
      /^layer 3 'leaky' \(LeakyReLU\): a second activation on one layer cannot be represented/,
    );
  });

  it('Keras 3 with weights under prefixed names; a 1-unit logit trained with binary cross-entropy becomes sigmoid + bce', () => {
    const topo = keras3(1, 'binary_crossentropy');
    topo.config.layers[1].config!.activation = 'linear';
    const W1 = Float32Array.from({ length: 12 }, (_, i) => (i - 6) / 7);
    const b1 = Float32Array.from([0.5, -0.25, 0.125, 1]);
    const W2 = Float32Array.from([0.3, -0.6, 0.9, -1.2]);
    const b2 = Float32Array.from([0.01]);
    const data = new Uint8Array([...new Uint8Array(W1.buffer), ...new Uint8Array(b1.buffer), ...new Uint8Array(W2.buffer), ...new Uint8Array(b2.buffer)]);
    const weights = [
      { name: 'sequential/dense/kernel', shape: [3, 4], dtype: 'float32' },
      { name: 'sequential/dense/bias', shape: [4], dtype: 'float32' },
      { name: 'sequential/dense_1/kernel', shape: [4, 1], dtype: 'float32' },
      { name: 'sequential/dense_1/bias', shape: [1], dtype: 'float32' },
    ];
    const modelJson = { format: 'layers-model', modelTopology: topo, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights }] };
    const plan = planImport('k3/model.json', utf8(JSON.stringify(modelJson)), (p) => (p === 'group1-shard1of1.bin' ? data : null));
    const { spec, weights: w } = checkPlan(plan);
    assert.match(spec, /^data normal features=3 classes=2$/m);
    assert.match(spec, /^dense 4 leaky_relu\(0\.2\) {2}#/m);
    assert.match(spec, /# The model's output is one linear logit .* written as sigmoid with bce/);
    assert.match(spec, /^dense 1 sigmoid {2}#.*\n^loss bce$/m);
    assert.ok(w);
    assert.deepEqual(w.layers[0].W.flat(), Array.from(W1));
    assert.deepEqual(w.layers[0].b, Array.from(b1));
    assert.deepEqual(w.layers[1].W, [[W2[0]], [W2[1]], [W2[2]], [W2[3]]]);
  });

  it('a regression head (mse in the compile config) stays linear with mse', () => {
    const topo = keras3(1, 'mean_squared_error');
    topo.config.layers.splice(2, 1);
    const { spec } = checkPlan(planImport('reg.json', utf8(JSON.stringify(topo)), noSiblings));
    assert.match(spec, /^data normal features=3 classes=0$/m);
    assert.match(spec, /^dense 4 gelu init=he_uniform {2}#/m);
    assert.match(spec, /^dense 1 linear {2}#.*\n^loss mse$/m);
    const c = check(spec);
    assert.deepEqual(
      c.problems.filter((p) => p.severity === 'error'),
      [],
    );
    assert.ok(c.trainable);
  });

  it('recognises Keras and TensorFlow.js JSON for the editor, and not other JSON', () => {
    assert.ok(looksLikeKerasJson(readFileSync(fixture('keras2-mnist-convnet.json'), 'utf8')));
    assert.ok(looksLikeKerasJson(readFileSync(fixture('tfjs-gru/model.json'), 'utf8')));
    assert.ok(!looksLikeKerasJson(readFileSync(join(root, 'package.json'), 'utf8')));
  });
});

/** A TensorProto from ONNX's own test data files. */
const tensorPb = (path: string) => tensorOf(new Message(new Uint8Array(readFileSync(path))));

describe('import: ONNX (exported by PyTorch)', () => {
  for (const [name, op] of [
    ['test_Linear', 'Gemm with transB=1 and a bias'],
    ['test_Linear_no_bias', 'Transpose of the weight, then MatMul'],
  ] as const) {
    it(`nn.Linear as ${op}: the imported layer reproduces PyTorch's own output for ONNX's test input`, () => {
      const model = imported(`${name}.onnx`, readFileSync(fixture(`pytorch-${name}.onnx`)));
      assert.equal(model.inputs, 10);
      assert.deepEqual(
        model.layers.map((l) => [l.units, l.activation.kind]),
        [[8, 'linear']],
      );
      assert.ok(model.notes.some((n) => /Exported by pytorch/.test(n.message)));
      const { W, b } = model.layers[0];
      assert.ok(W && b);
      for (const row of W) for (const v of row) assert.equal(Math.fround(v), v, "weights are the file's float32 numbers");
      const x = tensorPb(fixture(`pytorch-${name}.input_0.pb`));
      const y = tensorPb(fixture(`pytorch-${name}.output_0.pb`));
      const n = x.dims[0];
      assert.deepEqual(y.dims, [n, 8]);
      for (let i = 0; i < n; i++) {
        for (let u = 0; u < 8; u++) {
          let z = b[u];
          for (let j = 0; j < 10; j++) z += x.values[i * 10 + j] * W[j][u];
          assert.ok(Math.abs(z - y.values[i * 8 + u]) < 1e-5, `sample ${i} unit ${u}: ${z} vs PyTorch ${y.values[i * 8 + u]}`);
        }
      }
    });
  }

  it('a trained PyTorch MLP (Linear, ReLU, Linear, Sigmoid; Gemm transB=1, named initializers): two dense layers with its own weights', () => {
    const file = fixture('pytorch-mlp-circles.onnx');
    const model = imported('pytorch-mlp-circles.onnx', readFileSync(file));
    assert.equal(model.inputs, 2);
    assert.deepEqual(
      model.layers.map((l) => [l.units, l.activation.kind]),
      [
        [5, 'relu'],
        [2, 'sigmoid'],
      ],
    );
    assert.ok(model.notes.some((n) => /Exported by pytorch 1\.13\.1/.test(n.message)));
    model.layers.forEach((l, k) => {
      const own = linearLayer(file, `fc${k + 1}.weight`, `fc${k + 1}.bias`);
      assert.deepEqual(l.W!.flat(), own.W, `layer ${k} W`);
      assert.deepEqual(l.b, own.b, `layer ${k} b`);
    });
  });

  it('Conv is an error naming the node and its place', () => {
    assert.equal(
      importError('conv.onnx', readFileSync(fixture('pytorch-test_Conv2d.onnx'))),
      'ONNX node 1 of 1 (Conv): Conv cannot be represented by a dense layer; Gradient Flow imports fully connected chains (Gemm or MatMul + Add, activations, a leading Flatten or Reshape, Dropout).',
    );
  });

  it('not a model: a clear error, no crash', () => {
    assert.match(importError('x.onnx', new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])), /not a readable ONNX file/);
    assert.match(importError('model.h5', new Uint8Array([0x89, 0x48])), /Keras \.h5 and \.keras files are not read/);
    assert.match(importError('model.pt', new Uint8Array([1])), /torch\.onnx\.export/);
  });
});

// A minimal protobuf writer for ONNX graphs no public file covers (MatMul + Add with the bias
// first, a leading Flatten, LeakyRelu's alpha, Dropout, a residual add, Softmax).
const varint = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
};
const field = (n: number, bytes: number[]) => [...varint(n * 8 + 2), ...varint(bytes.length), ...bytes];
const intField = (n: number, v: number) => [...varint(n * 8), ...varint(v)];
const str = (n: number, s: string) => field(n, Array.from(utf8(s)));
const floatField = (n: number, v: number) => [...varint(n * 8 + 5), ...new Uint8Array(Float32Array.from([v]).buffer)];
const tensor = (name: string, dims: number[], values: number[]) => [
  ...dims.flatMap((d) => intField(1, d)),
  ...intField(2, 1),
  ...str(8, name),
  ...field(9, Array.from(new Uint8Array(Float32Array.from(values).buffer))),
];
const node = (op: string, inputs: string[], outputs: string[], attrs: number[][] = []) => [
  ...inputs.flatMap((i) => str(1, i)),
  ...outputs.flatMap((o) => str(2, o)),
  ...str(3, `/${op.toLowerCase()}`),
  ...str(4, op),
  ...attrs.flatMap((a) => field(5, a)),
];
const valueInfo = (name: string, dims: number[]) => [
  ...str(1, name),
  ...field(
    2,
    field(1, [
      ...intField(1, 1),
      ...field(
        2,
        dims.flatMap((d) => field(1, intField(1, d))),
      ),
    ]),
  ),
];
function onnxModel(nodes: number[][], inits: number[][], input: [string, number[]], output: string): Uint8Array {
  const graph = [
    ...nodes.flatMap((n) => field(1, n)),
    ...str(2, 'g'),
    ...inits.flatMap((t) => field(5, t)),
    ...field(11, valueInfo(...input)),
    ...field(12, str(1, output)),
  ];
  return new Uint8Array([...intField(1, 8), ...str(2, 'test-writer'), ...field(7, graph)]);
}

describe('import: ONNX graph variants', () => {
  const W1 = [1, 2, 3, 4, 5, 6]; // [2 × 3] after flattening a [1, 2] input
  const W2 = [0.5, -0.5, 0.25, -0.25, 1, -1, 2, -2, 3]; // [3 × 3]
  const W3 = [1, -1, 0.5, -0.5, 0.25, -0.25]; // [3 × 2]
  const inits = [
    tensor('W1', [2, 3], W1),
    tensor('b1', [3], [0.1, 0.2, 0.3]),
    tensor('W2', [3, 3], W2),
    tensor('b2', [3], [0, 0, 1]),
    tensor('W3', [3, 2], W3),
    tensor('b3', [2], [0.5, -0.5]),
  ];

  it('Flatten, MatMul + Add (bias first), LeakyRelu(alpha), Dropout, a residual Gemm + Relu + Add, Softmax', () => {
    const nodes = [
      node('Flatten', ['x'], ['f']),
      node('MatMul', ['f', 'W1'], ['m1']),
      node('Add', ['b1', 'm1'], ['z1']),
      node('LeakyRelu', ['z1'], ['a1'], [[...str(1, 'alpha'), ...floatField(2, 0.2)]]),
      node('Dropout', ['a1'], ['d1']),
      node('Gemm', ['d1', 'W2', 'b2'], ['z2']),
      node('Relu', ['z2'], ['a2']),
      node('Add', ['d1', 'a2'], ['r2']),
      node('MatMul', ['r2', 'W3'], ['m3']),
      node('Add', ['m3', 'b3'], ['z3']),
      node('Softmax', ['z3'], ['y'], [[...str(1, 'axis'), ...intField(3, 1)]]),
    ];
    const model = imported('net.onnx', onnxModel(nodes, inits, ['x', [1, 1, 2]], 'y'));
    assert.equal(model.inputs, 2);
    assert.deepEqual(
      model.layers.map((l) => [l.units, l.activation, l.residual ?? false]),
      [
        [3, { kind: 'leaky_relu', slope: 0.2 }, false],
        [3, { kind: 'relu' }, true],
        [2, { kind: 'softmax' }, false],
      ],
    );
    assert.deepEqual(model.layers[0].W, [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual(model.layers[0].b, [0.1, 0.2, 0.3].map(Math.fround));
    assert.deepEqual(model.layers[2].b, [0.5, -0.5]);
    assert.ok(model.notes.some((n) => /\/dropout.*skipped/.test(n.message)));
    assert.match(model.layers[1].place, /^ONNX node 6 of 11, '\/gemm' \(Gemm\)$/);
  });

  it("SiLU as PyTorch writes it (x · Sigmoid(x)), and Gemm's alpha and beta folded into W and b", () => {
    const nodes = [
      node(
        'Gemm',
        ['x', 'W1', 'b1'],
        ['z1'],
        [
          [...str(1, 'alpha'), ...floatField(2, 2)],
          [...str(1, 'beta'), ...floatField(2, 0.5)],
        ],
      ),
      node('Sigmoid', ['z1'], ['s1']),
      node('Mul', ['z1', 's1'], ['a1']),
      node('MatMul', ['a1', 'W3'], ['y']),
    ];
    const model = imported('silu.onnx', onnxModel(nodes, inits, ['x', [1, 2]], 'y'));
    assert.deepEqual(
      model.layers.map((l) => [l.units, l.activation.kind]),
      [
        [3, 'silu'],
        [2, 'linear'],
      ],
    );
    assert.deepEqual(model.layers[0].W, [
      [2, 4, 6],
      [8, 10, 12],
    ]);
    assert.deepEqual(
      model.layers[0].b,
      [0.1, 0.2, 0.3].map((v) => Math.fround(v) * 0.5),
    );
    assert.deepEqual(model.layers[1].b, [0, 0]);
  });

  it('GELU as PyTorch writes it before opset 20 (x · (1 + erf(x / √2)) · 0.5, constants in Constant nodes)', () => {
    const constant = (name: string, v: number) => node('Constant', [], [name], [[...str(1, 'value'), ...field(5, tensor(name, [], [v]))]]);
    const nodes = [
      node('MatMul', ['x', 'W1'], ['z1']),
      constant('sqrt2', Math.SQRT2),
      node('Div', ['z1', 'sqrt2'], ['q']),
      node('Erf', ['q'], ['e']),
      constant('one', 1),
      node('Add', ['e', 'one'], ['p']),
      node('Mul', ['z1', 'p'], ['m']),
      constant('half', 0.5),
      node('Mul', ['m', 'half'], ['a1']),
      node('MatMul', ['a1', 'W3'], ['y']),
    ];
    const model = imported('gelu.onnx', onnxModel(nodes, inits, ['x', [1, 2]], 'y'));
    assert.deepEqual(
      model.layers.map((l) => [l.units, l.activation.kind]),
      [
        [3, 'gelu'],
        [2, 'linear'],
      ],
    );
    // The same chain with another constant is not a gelu: its Div is named.
    nodes[1] = constant('sqrt2', 2);
    assert.match(importError('notgelu.onnx', onnxModel(nodes, inits, ['x', [1, 2]], 'y')), /the tensor 'z1' feeds 2 nodes/);
  });

  it('a branch that is not a residual add around one layer is an error naming where', () => {
    const nodes = [node('MatMul', ['x', 'W1'], ['m1']), node('Relu', ['m1'], ['a']), node('Sigmoid', ['m1'], ['s']), node('Add', ['a', 's'], ['y'])];
    assert.match(
      importError('b.onnx', onnxModel(nodes, inits, ['x', [1, 2]], 'y')),
      /the tensor 'm1' feeds 2 nodes \(ONNX node 2 of 4, '\/relu' \(Relu\); ONNX node 3 of 4, '\/sigmoid' \(Sigmoid\)\)/,
    );
  });

  it('an op between layers it cannot represent is named', () => {
    const nodes = [
      node('MatMul', ['x', 'W1'], ['m1']),
      node('Relu', ['m1'], ['a']),
      node('LayerNormalization', ['a', 'b1'], ['n']),
      node('MatMul', ['n', 'W2'], ['y']),
    ];
    assert.match(
      importError('ln.onnx', onnxModel(nodes, inits, ['x', [1, 2]], 'y')),
      /^ONNX node 3 of 4, '\/layernormalization' \(LayerNormalization\): LayerNormalization cannot be represented/,
    );
  });
});

describe('data normal', () => {
  it('N(0, 1) features, labels from a linear teacher, deterministic by seed; 0 classes is a real target', () => {
    const a = check('data normal features=5 classes=3 samples=300\ninput 5\ndense 3 softmax\n');
    const b = check('data normal features=5 classes=3 samples=300\ninput 5\ndense 3 softmax\n');
    assert.deepEqual(a.problems, []);
    const d = a.dataset!;
    assert.equal(d.features, 5);
    assert.equal(d.classes, 3);
    assert.deepEqual(Array.from(d.x), Array.from(b.dataset!.x));
    const mean = d.x.reduce((s, v) => s + v, 0) / d.x.length;
    const sd = Math.sqrt(d.x.reduce((s, v) => s + (v - mean) ** 2, 0) / d.x.length);
    assert.ok(Math.abs(mean) < 0.1 && Math.abs(sd - 1) < 0.1, `mean ${mean}, sd ${sd}`);
    const counts = [0, 1, 2].map((k) => d.y.filter((y) => y === k).length);
    assert.ok(
      counts.every((c) => c > 30),
      `every class drawn: ${counts.join(', ')}`,
    );
    const other = check('data normal features=5 classes=3 samples=300 seed=2\ninput 5\ndense 3 softmax\n').dataset!;
    assert.notDeepEqual(Array.from(other.x.slice(0, 5)), Array.from(d.x.slice(0, 5)));
    const reg = check('data normal features=4 classes=0\ninput 4\ndense 1 linear\n');
    assert.deepEqual(reg.problems, []);
    assert.equal(reg.dataset!.classes, 0);
    assert.ok(reg.dataset!.y.some((y) => !Number.isInteger(y)));
  });

  it('features is required; classes=1 is refused', () => {
    const c = check('data normal samples=10\ninput 4\ndense 1 sigmoid\n');
    assert.deepEqual(
      c.problems.map((p) => [p.line, p.code]),
      [[1, 'bad-value']],
    );
    assert.match(c.problems[0].message, /`data normal` needs features=N/);
    assert.match(
      check('data normal features=2 classes=1\ninput 2\ndense 1 sigmoid\n').problems[0].message,
      /classes must be 0 \(a real target\) or at least 2/,
    );
  });
});

describe('nnspec import (dist/cli.js)', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it('writes OUT.nnspec and OUT.weights.json; --data sets the data line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnspec-import-'));
    const out = join(dir, 'linear.nnspec');
    const r = run('import', fixture('pytorch-test_Linear.onnx'), '-o', out, '--data', 'normal features=10 classes=8 samples=64');
    assert.match(r.stdout, /wrote .*linear\.weights\.json\nwrote .*linear\.nnspec\n/);
    const spec = readFileSync(out, 'utf8');
    assert.match(spec, /^data normal features=10 classes=8 samples=64$/m);
    assert.match(spec, /^weights "linear\.weights\.json"$/m);
    const weights = JSON.parse(readFileSync(join(dir, 'linear.weights.json'), 'utf8')) as { version: number; layers: { W: number[][] }[] };
    assert.equal(weights.version, 1);
    assert.equal(weights.layers[0].W.length, 10);
  });

  it('an unsupported model: exit 1, the layer named, nothing written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnspec-import-'));
    const out = join(dir, 'conv.nnspec');
    const r = run('import', fixture('pytorch-test_Conv2d.onnx'), '-o', out);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /ONNX node 1 of 1 \(Conv\): Conv cannot be represented.*\nNothing was written\./);
    assert.ok(!existsSync(out));
    assert.deepEqual(readdirSync(dir), []);
  });
});

describe('import: the written spec with its weights (nnspec check, weights, train)', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it("a TensorFlow.js model and PyTorch ONNX files: checks clean, `nnspec weights` prints the file's own numbers, trains and reports", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnspec-import-'));
    const m = tfjsClassifier();
    const a = await saveArtifacts(m);
    writeFileSync(
      join(dir, 'model.json'),
      JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1'], weights: a.weightSpecs }] }),
    );
    writeFileSync(join(dir, 'group1-shard1of1.bin'), new Uint8Array(a.weightData));
    const own = m.getWeights().map((w) => Array.from(w.dataSync()));
    // PyTorch's numbers as the files hold them (PyTorch 0.3 named its initializers by number).
    const linear = fixture('pytorch-test_Linear.onnx');
    const mlp = fixture('pytorch-mlp-circles.onnx');
    for (const [model, name, expected] of [
      [join(dir, 'model.json'), 'tabular', [0, 1, 2].map((k) => ({ W: own[2 * k], b: own[2 * k + 1] }))],
      [linear, 'linear', [linearLayer(linear, '1', '2')]],
      [mlp, 'mlp', [linearLayer(mlp, 'fc1.weight', 'fc1.bias'), linearLayer(mlp, 'fc2.weight', 'fc2.bias')]],
    ] as const) {
      const out = join(dir, `${name}.nnspec`);
      const imp = run('import', model, '-o', out);
      assert.equal(imp.status, 0, imp.stderr);
      const checked = run('check', out);
      assert.equal(checked.status, 0, checked.stdout + checked.stderr);
      assert.doesNotMatch(checked.stdout, /error|warning/);
      const printed = run('weights', out);
      assert.equal(printed.status, 0, printed.stderr);
      const layers = (JSON.parse(printed.stdout) as { layers: { W: number[][]; b: number[] }[] }).layers;
      assert.deepEqual(
        layers.map((l) => ({ W: l.W.flat(), b: l.b })),
        expected.map((e) => ({ W: [...e.W], b: [...(e.b ?? [])] })),
      );
      const trained = run('train', out, '--epochs', '3', '--json');
      assert.equal(trained.status, 0, trained.stderr);
      const report = JSON.parse(trained.stdout) as { epochs: unknown[]; network: { layers: { predicted: { deltaRatio: number } }[] } };
      assert.equal(report.epochs.length, 3);
      assert.ok(report.network.layers.every((l) => Number.isFinite(l.predicted.deltaRatio)));
    }
  });

  it('a Keras model.to_json() file holds no weights: `nnspec weights` holds what its initializers say; checks clean and trains', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnspec-import-'));
    const out = join(dir, 'keras.nnspec');
    const imp = run('import', fixture('keras2-functional.json'), '-o', out);
    assert.equal(imp.status, 0, imp.stderr);
    assert.ok(!existsSync(join(dir, 'keras.weights.json')), 'no weights file: the JSON has none');
    const checked = run('check', out);
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
    assert.doesNotMatch(checked.stdout, /error|warning/);
    const printed = run('weights', out);
    assert.equal(printed.status, 0, printed.stderr);
    const [layer] = (JSON.parse(printed.stdout) as { layers: { W: number[][]; b: number[] }[] }).layers;
    // dense_6: 32 → 32, bias_initializer Zeros, kernel VarianceScaling(scale 1, fan_avg, uniform) = glorot uniform.
    assert.deepEqual(layer.b, new Array<number>(32).fill(0));
    assert.equal(layer.W.length, 32);
    const limit = Math.sqrt(6 / (32 + 32));
    const w = layer.W.flat();
    assert.equal(w.length, 32 * 32);
    assert.ok(
      w.every((v) => Math.abs(v) <= limit),
      `every |W| within the glorot bound ${limit}`,
    );
    assert.ok(Math.max(...w.map(Math.abs)) > 0.9 * limit, 'uniform over the whole bound');
    const trained = run('train', out, '--epochs', '3', '--json');
    assert.equal(trained.status, 0, trained.stderr);
    assert.equal((JSON.parse(trained.stdout) as { epochs: unknown[] }).epochs.length, 3);
  });

  it("predicted before training from the weights file's scale, not the inits", () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnspec-import-'));
    // Weights of scale 0.05 (a fixed pattern with that RMS) in a deep tanh net: the prediction from the file
    // must match the prediction from init=normal(0, 0.05), and differ from the default init's.
    const units = [8, 8, 8, 1];
    let fanIn = 4;
    const layers = units.map((u) => {
      const W = Array.from({ length: fanIn }, (_, i) => Array.from({ length: u }, (_, j) => ((i + j) % 2 === 0 ? 0.05 : -0.05)));
      fanIn = u;
      return { W, b: new Array<number>(u).fill(0) };
    });
    writeFileSync(join(dir, 'small.weights.json'), JSON.stringify({ version: 1, layers }));
    const body = (weights: string | null, init: string) =>
      [
        'data normal features=4 classes=2',
        'input 4',
        ...(weights ? [weights] : []),
        ...['dense 8 tanh', 'dense 8 tanh', 'dense 8 tanh', 'dense 1 sigmoid'].map((d) => d + init),
        'train epochs=1',
      ].join('\n') + '\n';
    writeFileSync(join(dir, 'file.nnspec'), body('weights "small.weights.json"', ''));
    writeFileSync(join(dir, 'init.nnspec'), body(null, ' init=normal(0, 0.05)'));
    writeFileSync(join(dir, 'default.nnspec'), body(null, ''));
    const predicted = (f: string) => {
      const r = run('train', join(dir, f), '--json');
      assert.equal(r.status, 0, r.stderr);
      return (JSON.parse(r.stdout) as { network: { layers: { predicted: { deltaRatio: number } }[] } }).network.layers.map((l) => l.predicted.deltaRatio);
    };
    const fromFile = predicted('file.nnspec');
    const fromInit = predicted('init.nnspec');
    const fromDefault = predicted('default.nnspec');
    fromFile.forEach((r, k) => assert.ok(Math.abs(r - fromInit[k]) <= 1e-9 * Math.max(1, fromInit[k]), `layer ${k}: ${r} vs ${fromInit[k]}`));
    assert.ok(fromFile[0] < fromDefault[0] / 100, `file ${fromFile[0]} vs default ${fromDefault[0]}`);
  });
});
