// Version 1.1's cures: `norm=layer|batch` and `residual=true` on dense layers (their problems, their
// gradients against central differences, batch norm's running statistics, γ and β without weight
// decay), and parameters in and out (`weights "PATH"`, its shape errors, the bit-for-bit round trip).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyChanges,
  check,
  checkWithFiles,
  gradcheck,
  paramsOf,
  toJson,
  Trainer,
  trainToReport,
  weightsJson,
  type CheckResult,
} from '../../src/engine/index';
import type { Finding, Problem, Spec } from '../../src/engine/types';
import { assertCloseL2, memoryFiles, spec, spiralNet } from './helpers';

const HIDDEN: string[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu(0.2)', 'elu', 'selu', 'gelu', 'silu', 'softplus', 'softsign'];
const CURES: string[] = ['norm=layer', 'norm=batch', 'residual=true', 'residual=true norm=layer', 'residual=true norm=batch'];

function errorsOf(text: string): Problem[] {
  return check(text).problems.filter((p) => p.severity === 'error');
}

/** The spec checked with its `weights` file (and any other) read from `files`. */
async function withFiles(text: string, files: Record<string, string>): Promise<CheckResult> {
  return checkWithFiles(text, { read: memoryFiles(files) });
}

function trainable(text: string): { spec: Spec; data: NonNullable<CheckResult['dataset']> } {
  const r = check(text);
  assert.ok(r.trainable, JSON.stringify(r.problems));
  return { spec: r.spec, data: r.dataset! };
}

/**
 * Two hidden layers of 5 before the loss's natural output; the second takes the cure, the first its
 * norm too unless the activation is linear (a linear layer's β has no effect below a normalized
 * layer, so its gradient is 0 and a relative error of it is noise). Two features, since one feature
 * through a batch-normalized layer is normalized to its sign, whatever its weight.
 */
function net(act: string, cure: string, loss: 'mse' | 'bce' | 'cross_entropy', precision: 'float32' | 'float64'): string {
  const norm = act === 'linear' ? '' : (cure.match(/norm=\w+/)?.[0] ?? '');
  const [data, input, out] =
    loss === 'mse'
      ? ['data moons samples=16 noise=0.1', 2, 'dense 1 linear']
      : loss === 'bce'
        ? ['data moons samples=16', 2, 'dense 1 sigmoid']
        : ['data spiral samples=16 classes=3', 2, 'dense 3 softmax'];
  return spec([
    data,
    `input ${input}`,
    `dense 5 ${act} init=normal(0, 0.8) bias=0.1 ${norm}`,
    `dense 5 ${act} init=normal(0, 0.8) bias=-0.1 ${cure}`,
    out,
    `loss ${loss}`,
    `train precision=${precision} seed=5 batch=8`,
  ]);
}

/** Every gradient the backward pass leaves (∂L/∂W, ∂L/∂γ, ∂L/∂β), on the first batch of 8. */
function analytic(text: string): Float64Array[] {
  const { spec: s, data } = trainable(text);
  const t = new Trainer({ ...s, train: { ...s.train, shuffle: false } }, data, { statistics: false });
  t.loadBatch(0, 8);
  t.forward(8);
  t.outputGradient(8);
  t.backward(8);
  return t.net.layers.flatMap((l) => [Float64Array.from(l.dW), ...(l.norm ? [Float64Array.from(l.norm.dGamma), Float64Array.from(l.norm.dBeta)] : [])]);
}

describe('cures: problems', () => {
  it('residual=true on a layer narrower or wider than its input: an error on the option naming both widths', () => {
    const text = spec(['data spiral', 'input 2', 'dense 16 tanh residual=true x3', 'dense 8 tanh residual=true', 'dense 1 sigmoid']);
    const errs = errorsOf(text);
    assert.equal(errs.length, 2, JSON.stringify(errs));
    const [a, b] = errs;
    assert.equal(a.code, 'residual-width');
    assert.equal(a.line, 3);
    assert.equal(text.split('\n')[2].slice(a.startColumn, a.endColumn), 'residual=true');
    assert.match(a.message, /16 units but its input \(the input\) has 2/);
    assert.match(a.message, /make the layer 2 units wide/);
    assert.equal(b.line, 4);
    assert.match(b.message, /8 units but its input \(line 3\) has 16/);
  });
  it('residual=true where widths match is valid, and not on the output layer', () => {
    assert.deepEqual(errorsOf(spec(['data spiral', 'input 2', 'dense 16 tanh', 'dense 16 tanh residual=true x15', 'dense 1 sigmoid'])), []);
    const errs = errorsOf(spec(['data sine', 'input 1', 'dense 1 linear residual=true']));
    assert.equal(errs.length, 1);
    assert.match(errs[0].message, /output layer/);
  });
  it('norm=batch with a batch of 1, and norm on a softmax output, are errors on the option', () => {
    const b1 = errorsOf(spec(['data spiral', 'input 2', 'dense 8 relu norm=batch', 'dense 1 sigmoid', 'train batch=1']));
    assert.equal(b1.length, 1);
    assert.equal(b1[0].code, 'norm');
    assert.equal(b1[0].line, 3);
    assert.match(b1[0].message, /batch=1/);
    const sm = errorsOf(spec(['data spiral classes=3', 'input 2', 'dense 8 relu', 'dense 3 softmax norm=layer']));
    assert.equal(sm.length, 1);
    assert.equal(sm[0].code, 'norm');
    assert.match(sm[0].message, /softmax/);
    assert.deepEqual(errorsOf(spec(['data spiral', 'input 2', 'dense 8 relu norm=batch', 'dense 1 sigmoid norm=layer', 'train batch=2'])), []);
  });
  it('a bad norm value gets the choices', () => {
    const errs = errorsOf(spec(['data spiral', 'input 2', 'dense 8 relu norm=instance', 'dense 1 sigmoid']));
    assert.equal(errs.length, 1);
    assert.match(errs[0].message, /`layer`, `batch`/);
  });
  it('γ and β count as parameters', () => {
    const r = check(spec(['data spiral', 'input 2', 'dense 8 relu norm=layer', 'dense 1 sigmoid']));
    const report = trainToReport(r, { epochs: 1 });
    assert.equal(report.network.layers[0].params, 2 * 8 + 8 + 16);
    assert.equal(report.network.params, 40 + 9);
  });
});

describe('cures: gradients', () => {
  for (const cure of CURES) {
    for (const loss of ['mse', 'bce', 'cross_entropy'] as const) {
      for (const act of HIDDEN) {
        it(`float64: ${cure}, ${act}, ${loss}: ∂L/∂W, ∂L/∂γ, ∂L/∂β match central differences to 1e-6`, () => {
          const { spec: s, data } = trainable(net(act, cure, loss, 'float64'));
          const rows = gradcheck(s, data, { maxPerLayer: 40 });
          assert.equal(rows.length, 3);
          for (const r of rows) assert.ok(r.worstRelativeError < 1e-6, `layer ${r.layer}: ${r.worstRelativeError}`);
          // The normalized layers' γ and β were checked with their weights.
          assert.equal(rows[1].checked, cure.includes('norm') ? 25 + 5 + 5 : 25);
        });
        it(`float32: ${cure}, ${act}, ${loss}: backprop agrees with float64 to 1e-3`, () => {
          assertCloseL2(analytic(net(act, cure, loss, 'float32')), analytic(net(act, cure, loss, 'float64')), 1e-3, 1e-9);
        });
      }
    }
  }
  it('a normalized sigmoid output with bce (the fused output gradient) and a normalized linear output with mse', () => {
    for (const [data, input, out] of [
      ['data moons samples=16', 2, 'dense 1 sigmoid norm=batch'],
      ['data sine samples=16', 1, 'dense 1 linear norm=batch'],
    ] as const) {
      const { spec: s, data: d } = trainable(spec([data, `input ${input}`, 'dense 4 tanh norm=layer', out, 'train precision=float64 batch=8']));
      for (const r of gradcheck(s, d)) assert.ok(r.worstRelativeError < 1e-6, `${out}: layer ${r.layer}: ${r.worstRelativeError}`);
    }
  });
});

describe('cures: training', () => {
  it('batch norm keeps running statistics (momentum 0.1, unbiased variance) and evaluates with them', () => {
    const { spec: s, data } = trainable(
      spec(['data moons samples=16', 'input 2', 'dense 3 tanh norm=batch', 'dense 1 sigmoid', 'train precision=float64 batch=8 shuffle=false']),
    );
    const t = new Trainer(s, data, { statistics: false });
    const l = t.net.layers[0];
    t.loadBatch(0, 8);
    t.forward(8);
    for (let j = 0; j < 3; j++) {
      let mu = 0;
      for (let r = 0; r < 8; r++) mu += l.Z[r * 3 + j] / 8;
      let ss = 0;
      for (let r = 0; r < 8; r++) ss += (l.Z[r * 3 + j] - mu) ** 2;
      assert.ok(Math.abs(l.norm!.runningMean[j] - 0.1 * mu) < 1e-15);
      assert.ok(Math.abs(l.norm!.runningVar[j] - (0.9 + (0.1 * ss) / 7)) < 1e-15);
    }
    // Evaluation: (z − running μ)/√(running σ² + 1e-5), and the running statistics stay.
    const before = Float64Array.from(l.norm!.runningMean);
    t.forward(8, false);
    assert.deepEqual(Float64Array.from(l.norm!.runningMean), before);
    for (let i = 0; i < 24; i++) {
      const j = i % 3;
      const n = (l.Z[i] - l.norm!.runningMean[j]) / Math.sqrt(l.norm!.runningVar[j] + 1e-5);
      assert.ok(Math.abs(l.A[i] - Math.tanh(n)) < 1e-12);
    }
  });
  for (const optimizer of ['sgd lr=0.1 momentum=0.9', 'adam lr=0.01', 'rmsprop lr=0.01']) {
    it(`${optimizer} learns γ and β without weight decay, W with it`, () => {
      const { spec: s, data } = trainable(
        spec([
          'data moons samples=16',
          'input 2',
          'dense 3 relu norm=layer',
          'dense 1 sigmoid',
          `optimizer ${optimizer} weight_decay=0.5`,
          'train precision=float64 batch=8 shuffle=false',
        ]),
      );
      const decayed = new Trainer(s, data, { statistics: false });
      const plain = new Trainer({ ...s, optimizer: { ...s.optimizer, weightDecay: 0 } }, data, { statistics: false });
      for (const t of [decayed, plain]) {
        t.loadBatch(0, 8);
        t.forward(8);
        t.outputGradient(8);
        t.backward(8);
        t.update(8);
      }
      const [d, p] = [decayed.net.layers[0], plain.net.layers[0]];
      assert.deepEqual(Array.from(d.norm!.gamma), Array.from(p.norm!.gamma));
      assert.deepEqual(Array.from(d.norm!.beta), Array.from(p.norm!.beta));
      assert.ok(
        Array.from(d.norm!.gamma).some((g) => g !== 1),
        'γ moved',
      );
      assert.notDeepEqual(Array.from(d.W), Array.from(p.W));
    });
  }
  it('a residual layer outputs x + f(ẑ)', () => {
    const { spec: s, data } = trainable(
      spec(['data moons samples=16', 'input 2', 'dense 2 tanh residual=true', 'dense 1 sigmoid', 'train precision=float64 batch=8 shuffle=false']),
    );
    const t = new Trainer(s, data, { statistics: false });
    t.loadBatch(0, 8);
    t.forward(8);
    const l = t.net.layers[0];
    for (let i = 0; i < 16; i++) assert.equal(l.Y[i], t.net.X[i] + Math.tanh(l.Z[i]));
  });
});

describe("cures: the gradient at initialisation (the issue's networks)", () => {
  /** ∂L/∂z RMS of layer 0 over the output layer's, from the initial record (the whole set's gradient, no step). */
  function layer0Ratio(hidden: string[]): { measured: number; predicted: number } {
    const r = check(spec(['data spiral samples=400 noise=0.1 seed=3', 'input 2', ...hidden, 'dense 1 sigmoid', 'loss bce', 'train batch=1000 seed=42']));
    assert.ok(r.trainable, JSON.stringify(r.problems));
    const rec = new Trainer(r.spec, r.dataset!).initialRecord()!;
    return { measured: rec.layers[0].deltaRms / rec.layers[rec.layers.length - 1].deltaRms, predicted: r.predicted[0].deltaRatio };
  }
  const tanh = (cure: string) => [`dense 16 tanh init=normal(0, 0.05) ${cure.includes('norm') ? cure : ''}`, `dense 16 tanh init=normal(0, 0.05) x15 ${cure}`];
  const sigmoid = (cure: string) => [`dense 16 sigmoid ${cure.includes('norm') ? cure : ''}`, `dense 16 sigmoid x19 ${cure}`];
  it('16 tanh layers with normal(0, 0.05): vanishing as written, not with residual=true or norm=layer (measured and predicted)', () => {
    const plain = layer0Ratio(tanh(''));
    assert.ok(plain.measured < 1e-9 && plain.predicted < 1e-9, JSON.stringify(plain));
    for (const cure of ['residual=true', 'norm=layer']) {
      const r = layer0Ratio(tanh(cure));
      assert.ok(r.measured > 1e-2 && r.predicted > 1e-2, `${cure}: ${JSON.stringify(r)}`);
    }
  });
  it('20 sigmoid layers: residual connections lift layer 0 out of vanishing; layer norm does not (sigmoid′ ≤ 1/4); batch norm explodes', () => {
    const plain = layer0Ratio(sigmoid(''));
    assert.ok(plain.measured < 1e-10, JSON.stringify(plain));
    const residual = layer0Ratio(sigmoid('residual=true'));
    assert.ok(residual.measured > 1e-2 && residual.predicted > 1e-2, JSON.stringify(residual));
    const layer = layer0Ratio(sigmoid('norm=layer'));
    assert.ok(layer.measured < 1e-5 && layer.predicted < 1e-5, JSON.stringify(layer));
    // The mean field treats batch norm as layer norm and cannot see this; the measurement does.
    assert.ok(layer0Ratio(sigmoid('norm=batch')).measured > 10);
  });
});

describe('cures: the (1/4)^k bound and the vanishing rule on residual networks', () => {
  const sigmoidStack = (residual: string) =>
    spec(['data spiral samples=400 noise=0.1 seed=3', 'input 2', 'dense 16 sigmoid', `dense 16 sigmoid x7 ${residual}`, 'dense 1 sigmoid', 'loss bce']);
  const lint = (text: string) => check(text).problems.filter((p) => p.code === 'saturating-activation');

  it('the lint counts the sigmoid layers on every path: not residual ones, whose identity bypasses sigmoid′', () => {
    assert.match(lint(sigmoidStack(''))[0].message, /^8 sigmoid hidden layers: .*\(1\/4\)\^8 = /);
    // deep-residual.nnspec: only layer 0's own sigmoid′ is on every path, so there is no stack to warn of.
    assert.deepEqual(lint(sigmoidStack('residual=true')), []);
    assert.deepEqual(
      lint(spec(['data spiral', 'input 2', 'dense 8 sigmoid', 'dense 8 sigmoid residual=true x2', 'dense 8 sigmoid', 'dense 1 sigmoid'])).map(
        (p) => p.message.split(':')[0],
      ),
      ['2 sigmoid hidden layers (the 2 residual sigmoid layers above are not counted'],
    );
  });

  it('20 sigmoid layers with residual connections: layer 0 is judged on ∂L/∂z, not on a ∂L/∂W ratio inflated by the residual stream', () => {
    const run = (residual: string) => {
      const text = spec([
        'data spiral samples=400 noise=0.1 seed=3',
        'input 2',
        'dense 16 sigmoid',
        `dense 16 sigmoid x19 ${residual}`,
        'dense 1 sigmoid',
        'loss bce',
        'optimizer sgd lr=0.01',
        'train epochs=300 batch=32 seed=42',
      ]);
      const report = trainToReport(check(text));
      const vanishing = report.findings.filter((f) => f.kind === 'vanishing');
      return { layer0: vanishing.find((f) => f.layers.includes(0)), vanishing, last: report.epochs[report.epochs.length - 1] };
    };
    const plain = run('');
    assert.ok(plain.layer0, 'the plain stack: layer 0 vanishing');
    assert.equal(plain.layer0.evidence.bound?.text, '(1/4)^20');
    const res = run('residual=true');
    const [l0, out] = [res.last.layers[0], res.last.layers[20]];
    // The case the rule is for: the error reaching layer 0 is lifted, its ∂L/∂W ratio is not, since
    // the output layer reads a stream of 19 added sigmoids and its ∂L/∂W = xᵀ·∂L/∂z grows with it.
    assert.ok(l0.deltaRms / out.deltaRms > 0.01, `∂L/∂z ratio ${l0.deltaRms / out.deltaRms}`);
    assert.ok(l0.gradRms / out.gradRms < 0.01, `∂L/∂W ratio ${l0.gradRms / out.gradRms}`);
    assert.equal(res.layer0, undefined, JSON.stringify(res.layer0?.message));
    // What still vanishes in the middle of the stack is told with the bound of its non-residual sigmoid′ only.
    assert.ok(res.vanishing.length > 0);
    for (const f of res.vanishing) assert.match(f.message, /residual sigmoid layers above are not counted/);
  });
});

describe('cures: the fixes "add residual connections" and "add batch / layer normalization"', function () {
  this.timeout(120_000);
  const tanh16 = spiralNet('dense 16 tanh init=normal(0, 0.05)\ndense 16 tanh init=normal(0, 0.05) x15', { epochs: 300 });
  const deepSigmoid = readFileSync(join(__dirname, '../../../examples/deep-sigmoid.nnspec'), 'utf8');
  const vanishing = (text: string) => trainToReport(check(text)).findings.filter((f) => f.kind === 'vanishing');
  const cures = (f: Finding) => f.fixes.filter((x) => /^Add (residual|batch|layer)/.test(x.title));

  it('offered after the activation fixes: residual where widths allow; normalization on tanh, not on sigmoid (sigmoid′ ≤ 1/4 whatever z)', () => {
    const [sig] = vanishing(deepSigmoid);
    assert.match(sig.fixes[0].title, /^Use relu with he_normal/);
    // Line 8 maps 2 inputs to 16 units, so only line 9 can be residual.
    assert.deepEqual(
      cures(sig).map((x) => x.title),
      ['Add residual connections (residual=true on line 9)'],
    );
    const [tanh] = vanishing(tanh16);
    assert.deepEqual(
      cures(tanh).map((x) => x.title),
      [
        'Add residual connections (residual=true on line 5)',
        'Add batch normalization (norm=batch on lines 4, 5)',
        'Add layer normalization (norm=layer on lines 4, 5; lifts the error at initialisation, may not heal on its own)',
      ],
    );
  });

  for (const [name, text] of [
    ['examples/deep-sigmoid.nnspec', deepSigmoid],
    ['16 tanh layers with normal(0, 0.05)', tanh16],
  ]) {
    it(`${name}: each cure, applied and retrained, removes the vanishing finding it answers`, () => {
      const before = vanishing(text);
      assert.ok(before.length > 0);
      let applied = 0;
      for (const f of before) {
        for (const fix of cures(f)) {
          if (/on its own/.test(fix.title)) continue;
          const left = vanishing(applyChanges(text, [fix.change])).filter((g) => g.layers.some((k) => f.layers.includes(k)));
          assert.deepEqual(
            left.map((g) => g.message),
            [],
            `line ${f.line} after "${fix.title}"`,
          );
          applied++;
        }
      }
      assert.ok(applied >= before.length);
    });
  }
});

describe('cures: weights in and out', () => {
  const base = [
    'network w',
    'data spiral samples=96 seed=3',
    'input 2',
    'dense 6 tanh norm=layer',
    'dense 6 relu residual=true norm=batch',
    'dense 1 sigmoid',
    'optimizer adam lr=0.01',
    'train epochs=6 batch=16 seed=9',
  ];
  for (const precision of ['float32', 'float64']) {
    it(`${precision}: weights printed, loaded and trained give the same report bit for bit (and the trained weights load back exactly)`, async () => {
      const text = spec([...base.slice(0, -1), `train epochs=6 batch=16 seed=9 precision=${precision}`]);
      const { spec: s, data } = trainable(text);
      const file = weightsJson(paramsOf(new Trainer(s, data).net), 2);
      const fromFile = spec([...text.trimEnd().split('\n'), 'weights "w.json"']);
      const a = check(text);
      const b = await withFiles(fromFile, { 'w.json': file });
      assert.ok(b.trainable, JSON.stringify(b.problems));
      const ra = trainToReport(a);
      const rb = trainToReport(b);
      assert.equal(toJson(rb.epochs), toJson(ra.epochs));
      assert.equal(toJson(rb.findings), toJson(ra.findings));
      // The trained parameters, printed and loaded into a fresh network, are the same numbers.
      const trained = new Trainer(s, data, { statistics: false });
      const run = trained.run();
      while (!run.next().done);
      const printed = weightsJson(paramsOf(trained.net), 2);
      const reloaded = await withFiles(spec([...text.trimEnd().split('\n'), 'weights "t.json"']), { 't.json': printed });
      assert.ok(reloaded.trainable);
      assert.equal(weightsJson(paramsOf(new Trainer(reloaded.spec, data).net), 2), printed);
    });
  }
  it('shape errors, a missing file and bad JSON are errors on the weights line', async () => {
    const text = spec([...base, 'weights "w.json"']);
    const { spec: s, data } = trainable(spec(base));
    const good = JSON.parse(weightsJson(paramsOf(new Trainer(s, data).net), 2)) as { layers: Record<string, unknown>[] };
    const cases: [string, (doc: typeof good) => unknown, RegExp][] = [
      ['too few layers', (d) => ({ ...d, layers: d.layers.slice(1) }), /2 layers but the spec has 3/],
      [
        'a short row of W',
        (d) => {
          (d.layers[1].W as number[][])[2] = [1, 2];
          return d;
        },
        /layer 1 \(line 5\): "W"\[2\] has 2 numbers; the layer has 6 units/,
      ],
      [
        'W with the wrong rows',
        (d) => {
          d.layers[0].W = (d.layers[0].W as number[][]).slice(1);
          return d;
        },
        /"W" has 1 rows; it needs 2/,
      ],
      [
        'gamma on a layer without norm',
        (d) => {
          d.layers[2].gamma = [1];
          return d;
        },
        /layer 2 \(line 6\) has "gamma" but the layer has no norm=/,
      ],
      [
        'a string in b',
        (d) => {
          (d.layers[2].b as unknown[])[0] = 'x';
          return d;
        },
        /"b"\[0\] is "x", not a finite number/,
      ],
    ];
    for (const [what, edit, message] of cases) {
      const errs = (await withFiles(text, { 'w.json': JSON.stringify(edit(structuredClone(good))) })).problems.filter((p) => p.severity === 'error');
      assert.equal(errs.length, 1, `${what}: ${JSON.stringify(errs)}`);
      assert.equal(errs[0].line, 9);
      assert.equal(errs[0].code, 'weights');
      assert.match(errs[0].message, message, what);
    }
    assert.match(errorsOf(text)[0].message, /Cannot read "w.json" here: no file access/);
    const firstError = async (files: Record<string, string>) => (await withFiles(text, files)).problems.filter((p) => p.severity === 'error')[0].message;
    assert.match(await firstError({}), /Cannot read "w.json": no such file/);
    assert.match(await firstError({ 'w.json': '{ "version": 1, ' }), /not JSON/);
    assert.match(errorsOf(spec([...base, 'weights w.json']))[0].message, /double quotes/);
  });
});
