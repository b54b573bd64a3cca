// The small hostile cases of issue 10: blame on the line at fault, fixes and suggestions within the
// format's limits, the panel's lr and the fix links refused outside them, the budget counting what
// normalized and residual layers allocate, and a deliberate Restricted Mode.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, diagnoseRun, estimateMemory, Trainer, trainRun, type DataLoad } from '../../src/engine/index';
import { variantsOf } from '../../src/engine/variants';
import { isPanelToHost } from '../../src/protocol';
import { isSpecFileUri } from '../../src/host/language/fixes';
import { spec, spiralNet } from './helpers';

const root = join(__dirname, '../../..');

/** A loaded CSV of this shape (its values are not read by the checks below). */
function loaded(features: number, classes: number): DataLoad {
  const dataset = { n: 10, features, classes, x: new Float64Array(10 * features), y: new Float64Array(10), classNames: [], featureNames: [] };
  return { ok: true, dataset, featureStd: null, warnings: [] };
}

describe('hostile: the small ones', () => {
  it('a typo in the output layer (dense 3 sofmax) is blamed on that line alone', () => {
    for (const loss of [[], ['loss cross_entropy']]) {
      const r = check(spec(['data spiral classes=3', 'input 2', 'dense 16 relu', 'dense 3 sofmax', ...loss]));
      assert.deepEqual(
        r.problems.map((p) => [p.line, p.code]),
        [[4, 'unknown-activation']],
        JSON.stringify(r.problems),
      );
    }
  });

  it('no suggestion past the limits: 4999 features, 5000 classes', () => {
    const wide = check(spec(['data csv "x.csv"', 'input 4', 'dense 1 sigmoid']), { data: loaded(4999, 2) });
    const input = wide.problems.find((p) => p.code === 'input-mismatch');
    assert.ok(input, JSON.stringify(wide.problems));
    assert.doesNotMatch(input.message, /input 4999/);
    assert.match(input.message, /4999 features, more than a network takes \(at most 4096\); use fewer columns/);

    const many = check(spec(['data csv "x.csv"', 'input 4', 'dense 3 softmax', 'loss cross_entropy']), { data: loaded(4, 5000) });
    const output = many.problems.find((p) => p.code === 'output-mismatch');
    assert.ok(output, JSON.stringify(many.problems));
    assert.equal(output.line, 3);
    assert.doesNotMatch(output.message, /dense 5000/);
    assert.match(output.message, /5000 classes, more than an output layer may have units \(at most 4096\)/);
    // Within the limits the suggestion stays.
    const fits = check(spec(['data csv "x.csv"', 'input 4', 'dense 1 sigmoid']), { data: loaded(7, 2) });
    assert.match(fits.problems.find((p) => p.code === 'input-mismatch')?.message ?? '', /write `input 7`/);
  });

  it('lr_too_low raises lr no further than 100, and not at all from 20', () => {
    // A run whose steps are far too small (lr=1e-5), diagnosed as if its lr had been 1 or 20.
    const r = check(spiralNet('dense 16 relu init=he_normal x4', { lr: '1e-5', epochs: 50 }));
    const run = trainRun(r);
    const at = (lr: number) => diagnoseRun({ spec: { ...r.spec, optimizer: { ...r.spec.optimizer, lr } }, records: run.history, stopped: run.stopped });
    const own = at(1e-5).find((f) => f.kind === 'lr_too_low');
    assert.ok(own && own.fixes[0].change.kind === 'option' && Number(own.fixes[0].change.value) === 0.01, JSON.stringify(own?.fixes));
    const capped = at(1).find((f) => f.kind === 'lr_too_low');
    assert.ok(capped, 'still too low');
    assert.deepEqual(capped.fixes[0].change, { kind: 'option', statement: 'optimizer', key: 'lr', value: '100' });
    assert.match(capped.message, /Try lr=100 \(×100\)/);
    assert.equal(
      at(20).find((f) => f.kind === 'lr_too_low'),
      undefined,
    );
  });

  it("Compare's learning-rate variants stay within lr ≤ 100", () => {
    const text = spiralNet('dense 8 relu', { lr: '20' });
    const labels = variantsOf(text, check(text).spec, 'learningRates').map((v) => v.label);
    assert.ok(labels.includes('lr=2 (×0.1)'), labels.join(' | '));
    assert.ok(!labels.some((l) => l.startsWith('lr=200')), labels.join(' | '));
  });

  it("the panel's applyLr is refused above the format's 100, as the host refuses to write it", () => {
    assert.equal(isPanelToHost({ type: 'applyLr', lr: 100 }), true);
    assert.equal(isPanelToHost({ type: 'applyLr', lr: 1000 }), false);
    assert.equal(isPanelToHost({ type: 'applyLr', lr: 0 }), false);
  });

  it('nnspec.applyFix opens .nnspec files only', () => {
    for (const ok of ['file:///home/u/a.nnspec', 'file:///C%3A/w/B.NNSPEC', 'vscode-remote://ssh-remote%2Bh/w/a.nnspec'])
      assert.equal(isSpecFileUri(ok), true, ok);
    for (const bad of [
      'file:///etc/passwd',
      'https://example.com/a.nnspec',
      'untitled:a.nnspec',
      'file:///a.nnspec.js',
      'file:///a.nnspec?x',
      'command:workbench.action.terminal.new',
      'vscode-userdata:/settings.json',
    ])
      assert.equal(isSpecFileUri(bad), false, bad);
  });

  it('the budget counts what normalized and residual layers allocate (γ, β, their state; n, ẑ, Y, R)', () => {
    for (const [opt, layer] of [
      ['adam', 'dense 24 tanh norm=layer x3'],
      ['sgd lr=0.1 momentum=0.9', 'dense 24 relu norm=batch residual=true x3'],
    ]) {
      const r = check(spec(['data spiral samples=300', 'input 2', 'dense 24 tanh', layer, 'dense 1 sigmoid', `optimizer ${opt}`, 'train batch=50']));
      assert.ok(r.dataset, JSON.stringify(r.problems));
      const net = new Trainer(r.spec, r.dataset).net;
      const size = (o: object, names: readonly string[]) =>
        names.reduce((t, k) => t + ((o as Record<string, ArrayBufferView | undefined>)[k]?.byteLength ?? 0), 0);
      const params = net.layers.reduce(
        (s, l) =>
          s +
          size(l, ['W', 'b', 'dW', 'db', 'mW', 'vW', 'mb', 'vb']) +
          (l.norm ? size(l.norm, ['gamma', 'beta', 'dGamma', 'dBeta', 'mGamma', 'vGamma', 'mBeta', 'vBeta']) : 0),
        0,
      );
      const activations = net.layers.reduce(
        (s, l) =>
          s +
          size(l, ['Z', 'A', 'D', 'R']) +
          (l.residual ? size(l, ['Y']) : 0) +
          (l.norm ? size(l.norm, ['N', 'Zh', 'inv', 'sumG', 'sumGN', 'runningMean', 'runningVar']) : 0),
        0,
      );
      const e = estimateMemory(r.spec, r.dataset);
      assert.equal(e.bytes.parameters, params, opt);
      assert.ok(e.bytes.activations >= activations + net.X.byteLength + net.T.byteLength, `${e.bytes.activations} < ${activations}`);
    }
  });

  it('Restricted Mode is declared: limited, the memory budget not taken from an untrusted workspace, and the README says what works', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: unknown; restrictedConfigurations?: unknown } };
    };
    const u = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(u?.supported, 'limited');
    assert.equal(typeof u?.description, 'string');
    assert.deepEqual(u?.restrictedConfigurations, ['nnspec.memoryBudgetMB', 'nnspec.maxWorkers']);
    assert.match(readFileSync(join(root, 'README.md'), 'utf8'), /Restricted Mode/);
  });
});
