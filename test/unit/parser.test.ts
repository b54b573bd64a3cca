import { strict as assert } from 'node:assert';
import { check, checkWithFiles } from '../../src/engine/index';
import { parseSpec } from '../../src/engine/parser';
import type { Problem } from '../../src/engine/types';
import { memoryFiles, spec } from './helpers';

const VALID = spec([
  '# a comment',
  'network demo',
  'data spiral samples=400 noise=0.1 seed=3',
  'input 2',
  'dense 16 relu init=he_normal   # trailing comment',
  'dense 16 leaky_relu(0.2) init=normal(0, 1) bias=0.5 name=mid x3',
  'dense 1 sigmoid',
  'loss bce',
  'optimizer sgd lr=0.05 momentum=0.9 nesterov=true clip=1 weight_decay=1e-4',
  'train epochs=20 batch=64 seed=7 shuffle=false precision=float64',
  'diagnose vanishing=1e-3 exploding=1e3 dead=0.9 saturated=0.8',
]);

/** The one problem of a text, with its code, line and the text its range covers. */
async function only(text: string, files?: Record<string, string>): Promise<Problem & { covered: string }> {
  const problems = files ? (await checkWithFiles(text, { read: memoryFiles(files) })).problems : parseSpec(text).problems;
  const errors = problems.filter((p) => p.severity === 'error');
  assert.equal(errors.length, 1, `expected one error, got ${JSON.stringify(errors, null, 1)}`);
  const p = errors[0];
  const line = text.split('\n')[p.line - 1];
  return { ...p, covered: line.slice(p.startColumn, p.endColumn) };
}

const base = (...lines: string[]) => spec(['data xor', 'input 2', ...lines]);

describe('parser', () => {
  it('reads every statement of a valid file with its values', () => {
    const r = parseSpec(VALID);
    assert.deepEqual(r.problems, []);
    const s = r.spec;
    assert.equal(s.name, 'demo');
    assert.deepEqual(s.data, { source: 'spiral', samples: 400, noise: 0.1, classes: 2, seed: 3 });
    assert.equal(s.input, 2);
    assert.equal(s.layers.length, 5);
    assert.deepEqual(
      s.layers.map((l) => l.line),
      [5, 6, 6, 6, 7],
    );
    assert.deepEqual(s.layers[1].activation, { kind: 'leaky_relu', slope: 0.2 });
    assert.deepEqual(s.layers[1].init, { kind: 'normal', mean: 0, std: 1 });
    assert.equal(s.layers[1].initText, 'normal(0, 1)');
    assert.deepEqual(s.layers[1].bias, { kind: 'constant', value: 0.5 });
    assert.equal(s.layers[1].name, 'mid');
    assert.equal(s.loss, 'bce');
    assert.deepEqual(
      [s.optimizer.kind, s.optimizer.lr, s.optimizer.momentum, s.optimizer.nesterov, s.optimizer.clip, s.optimizer.weightDecay],
      ['sgd', 0.05, 0.9, true, 1, 1e-4],
    );
    assert.deepEqual(s.train, { epochs: 20, batch: 64, seed: 7, shuffle: false, precision: 'float64' });
    assert.equal(s.diagnose.vanishing, 1e-3);
    assert.equal(s.diagnose.exploding, 1e3);
    assert.deepEqual(s.lines, { network: 2, data: 3, input: 4, loss: 8, optimizer: 9, train: 10, diagnose: 11 });
    assert.equal(check(VALID).dataset?.n, 400);
  });

  it('fills the defaults of the format', () => {
    const r = parseSpec(spec(['data moons', 'input 2', 'dense 8 tanh', 'dense 2 softmax']), { fileName: '/x/my-net.nnspec' });
    assert.deepEqual(r.problems, []);
    assert.equal(r.spec.name, 'my-net');
    assert.equal(r.spec.loss, 'cross_entropy');
    assert.equal(r.spec.optimizer.kind, 'sgd');
    assert.equal(r.spec.optimizer.lr, 0.1);
    assert.deepEqual(r.spec.train, { epochs: 100, batch: 32, seed: 1, shuffle: true, precision: 'float32' });
    assert.deepEqual(r.spec.layers[0].init, { kind: 'glorot_uniform' });
    assert.equal(parseSpec(base('dense 1 sigmoid')).spec.loss, 'bce');
    assert.equal(parseSpec(spec(['data sine', 'input 1', 'dense 1 linear'])).spec.loss, 'mse');
    assert.equal(parseSpec(base('dense 1 sigmoid', 'optimizer adam')).spec.optimizer.lr, 0.001);
  });

  it('accepts the init aliases and every number form', () => {
    for (const [alias, kind] of [
      ['xavier', 'glorot_uniform'],
      ['glorot', 'glorot_uniform'],
      ['he', 'he_normal'],
      ['kaiming', 'he_normal'],
    ]) {
      assert.equal(parseSpec(base(`dense 1 sigmoid init=${alias}`)).spec.layers[0].init.kind, kind);
    }
    const r = parseSpec(base('dense 1 sigmoid bias=2.5E+2', 'optimizer sgd lr=1e-3 momentum=.5'));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.spec.layers[0].bias, { kind: 'constant', value: 250 });
    assert.equal(r.spec.optimizer.lr, 0.001);
    assert.equal(r.spec.optimizer.momentum, 0.5);
  });

  // Every error code, with the exact text its range covers.
  const cases: [string, string, string, string, RegExp?][] = [
    ['syntax (unclosed parenthesis)', base('dense 1 sigmoid init=normal(0, 1'), 'syntax', 'init=normal(0, 1', /unclosed parenthesis/],
    ['unknown-keyword', base('dens 1 sigmoid'), 'unknown-keyword', 'dens', /Did you mean `dense`/],
    ['unknown-activation', base('dense 1 sigmiod'), 'unknown-activation', 'sigmiod', /Did you mean `sigmoid`/],
    ['unknown-init', base('dense 1 sigmoid init=he_nromal'), 'unknown-init', 'he_nromal', /Did you mean `he_normal`/],
    ['unknown-loss', base('dense 1 sigmoid', 'loss bse'), 'unknown-loss', 'bse', /Did you mean `bce`/],
    ['unknown-optimizer', base('dense 1 sigmoid', 'optimizer adma'), 'unknown-optimizer', 'adma', /Did you mean `adam`/],
    ['unknown-data-source', spec(['data spirl', 'input 2', 'dense 1 sigmoid']), 'unknown-data-source', 'spirl', /Did you mean `spiral`/],
    ['unknown-option', base('dense 1 sigmoid', 'train epoch=5'), 'unknown-option', 'epoch', /Did you mean `epochs`/],
    ['bad-value', base('dense 1 sigmoid', 'train shuffle=yes'), 'bad-value', 'yes', /`true` or `false`/],
    ['out-of-range', base('dense 1 sigmoid', 'optimizer sgd lr=-1'), 'out-of-range', '-1', /greater than 0/],
    ['duplicate-statement', base('dense 1 sigmoid', 'loss bce', 'loss mse'), 'duplicate-statement', 'loss', /already given on line 4/],
    ['missing-statement', spec(['input 2', 'dense 1 sigmoid']), 'missing-statement', 'input 2', /no `data` line/],
    ['order', spec(['data xor', 'dense 4 relu', 'input 2', 'dense 1 sigmoid']), 'order', 'input', /before the first `dense`/],
    ['limit (units)', base('dense 5000 relu', 'dense 1 sigmoid'), 'limit', '5000', /at most 4096/],
    ['limit (epochs)', base('dense 1 sigmoid', 'train epochs=100001'), 'limit', '100001', /at most 100,000/],
    ['limit (samples)', spec(['data xor samples=2000000', 'input 2', 'dense 1 sigmoid']), 'limit', '2000000', /at most 1,000,000/],
    ['limit (layers)', base('dense 4 relu x1001', 'dense 1 sigmoid'), 'limit', 'x1001', /at most 1000/],
    ['limit (parameters)', base('dense 4096 relu x4', 'dense 1 sigmoid'), 'limit', '4096', /50,000,000/],
    ['softmax-not-last', base('dense 4 softmax', 'dense 2 softmax'), 'softmax-not-last', 'softmax'],
    ['loss-mismatch', base('dense 2 softmax', 'loss mse'), 'loss-mismatch', 'mse', /cross_entropy/],
    ['input-mismatch', spec(['data xor', 'input 3', 'dense 1 sigmoid']), 'input-mismatch', '3', /write `input 2`/],
    ['output-mismatch (classes)', spec(['data spiral classes=3', 'input 2', 'dense 2 softmax']), 'output-mismatch', '2', /3 classes/],
    ['output-mismatch (bce)', base('dense 3 sigmoid', 'loss bce'), 'output-mismatch', '3', /bce on 3 units needs one unit per class/],
    ['csv (missing file)', spec(['data csv "nope.csv"', 'input 2', 'dense 1 sigmoid']), 'csv', 'data csv "nope.csv"', /Cannot read "nope.csv": no such file/],
  ];
  for (const [name, text, code, covered, message] of cases) {
    it(`reports ${name} with its range`, async () => {
      const p = await only(text, code === 'csv' ? {} : undefined);
      assert.equal(p.code, code);
      assert.equal(p.covered, covered);
      if (message) assert.match(p.message, message);
    });
  }

  it('reports five mistakes on five lines in one pass, with lines and columns', () => {
    // Misspelt source, activation and init, an lr out of range and a misspelt option.
    const text = spec([
      'network five',
      'data spirall samples=400',
      'input 2',
      'dense 16 sigmod init=he_normal',
      'dense 16 relu init=he_normall',
      'dense 1 sigmoid',
      'optimizer sgd lr=0',
      'train epochz=10',
    ]);
    const r = check(text);
    assert.equal(r.problems.length, 5, JSON.stringify(r.problems));
    const errors = r.problems.filter((p) => p.severity === 'error');
    assert.deepEqual(
      errors.map((p) => [p.line, p.startColumn, p.endColumn, p.code]),
      [
        [2, 5, 12, 'unknown-data-source'],
        [4, 9, 15, 'unknown-activation'],
        [5, 19, 29, 'unknown-init'],
        [7, 17, 18, 'out-of-range'],
        [8, 6, 12, 'unknown-option'],
      ],
    );
  });

  it('warns on options another optimizer would use, and on bce without sigmoid', () => {
    const r = parseSpec(base('dense 1 tanh', 'loss bce', 'optimizer adam momentum=0.9'));
    const codes = r.problems.map((p) => `${p.severity}:${p.code}`);
    assert.deepEqual(codes, ['warning:bce-without-sigmoid', 'warning:unknown-option']);
  });
});

describe('CSV data', () => {
  const net = (data: string, input = 2, out = 'dense 1 sigmoid') => spec([data, `input ${input}`, out]);

  it('reads quoted fields, CRLF, a BOM and a header, with text targets as sorted classes', async () => {
    const csv = '\ufeff"a","b, with comma",label\r\n1,2,"yes"\r\n3,"4",no\r\n\r\n5,6,yes\r\n';
    const r = await checkWithFiles(net('data csv "d.csv" target=label'), { read: memoryFiles({ 'd.csv': csv }) });
    assert.deepEqual(r.problems, []);
    assert.equal(r.dataset?.n, 3);
    assert.deepEqual([...(r.dataset?.x ?? [])], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual([...(r.dataset?.y ?? [])], [1, 0, 1]);
    assert.deepEqual(r.dataset?.classNames, ['no', 'yes']);
    assert.deepEqual(r.dataset?.featureNames, ['a', 'b, with comma']);
  });

  it('reads a file without a header, target by index', async () => {
    const r = await checkWithFiles(net('data csv "d.csv" header=false target=0'), { read: memoryFiles({ 'd.csv': '1,0.5,0.25\n0,1.5,2\n' }) });
    assert.deepEqual(r.problems, []);
    assert.deepEqual([...(r.dataset?.y ?? [])], [1, 0]);
    assert.deepEqual([...(r.dataset?.x ?? [])], [0.5, 0.25, 1.5, 2]);
  });

  it('z-scores features with normalize=true', async () => {
    const r = await checkWithFiles(net('data csv "d.csv" normalize=true', 1), { read: memoryFiles({ 'd.csv': 'x,y\n1,0\n3,1\n' }) });
    assert.deepEqual([...(r.dataset?.x ?? [])], [-1, 1]);
  });

  const bad: [string, string, RegExp][] = [
    ['an empty file', '', /d\.csv:1:1: the file is empty/],
    ['ragged rows', 'a,b,c\n1,2,0\n1,2\n', /d\.csv:3:3: line 3 has 2 fields, but line 1 has 3/],
    ['an empty cell', 'a,b,c\n1,,0\n', /d\.csv:2:2: line 2, column 2 \(b\) is empty/],
    ['a non-numeric cell', 'a,b,c\n1,2,0\n1,x7,1\n', /d\.csv:3:2: line 3, column 2 \(b\): `x7` is not a number/],
    ['an unknown target column', 'a,b,c\n1,2,0\n', /no column named `species`/],
  ];
  for (const [name, csv, message] of bad) {
    it(`reports ${name} on the data line, naming the CSV's line and column`, async () => {
      const target = name.includes('target') ? ' target=species' : '';
      const p = await only(net(`data csv "d.csv"${target}`), { 'd.csv': csv });
      assert.equal(p.code, 'csv');
      assert.equal(p.line, 1);
      assert.match(p.message, message);
    });
  }

  it('matches input and classes against the CSV', async () => {
    const iris = 'a,b,c,species\n1,2,3,x\n2,3,4,y\n3,4,5,z\n';
    const p = await only(net('data csv "d.csv"', 3, 'dense 2 softmax'), { 'd.csv': iris });
    assert.equal(p.code, 'output-mismatch');
    assert.match(p.message, /3 classes/);
  });

  it('warns when features are on very different scales', async () => {
    const csv = 'a,b,t\n' + Array.from({ length: 20 }, (_, i) => `${i * 1000},${i * 0.01},${i % 2}`).join('\n');
    const r = await checkWithFiles(net('data csv "d.csv"'), { read: memoryFiles({ 'd.csv': csv }) });
    const p = r.problems.find((q) => q.code === 'feature-scale');
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.line, 1);
    assert.match(p.message, /normalize=true/);
  });
});
