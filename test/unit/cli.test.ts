import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The CLI as a user runs it: the built bundle, in a child process.
const root = join(__dirname, '../../..');
const cli = join(root, 'dist/cli.js');
const example = (name: string) => join(root, 'examples', name);

function nnspec(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('nnspec CLI (dist/cli.js)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnspec-cli-'));
  const bad = join(dir, 'bad.nnspec');
  writeFileSync(bad, 'data spiral\ninput 2\ndense 16 sigmiod\ndense 1 sigmoid\ntrain epochs=0\n');

  it('check: compiler-style problems and exit 1 on errors', () => {
    const r = nnspec('check', bad);
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.equal(
      lines[0],
      `${bad}:3:10: error: Unknown activation \`sigmiod\`; expected one of linear, sigmoid, tanh, relu, leaky_relu, elu, selu, gelu, silu, softplus, softsign, softmax. Did you mean \`sigmoid\`? [unknown-activation]`,
    );
    assert.match(lines[1], /bad\.nnspec:5:14: error: epochs must be a whole number at least 1/);
  });

  it('check: exit 0 on the examples, --json lists problems per file', () => {
    const r = nnspec('check', example('relu-he.nnspec'), example('iris.nnspec'), '--json');
    assert.equal(r.code, 0, r.err);
    const parsed = JSON.parse(r.out) as { file: string; problems: unknown[] }[];
    assert.deepEqual(
      parsed.map((p) => p.problems.length),
      [0, 0],
    );
  });

  it('train: a heatmap, a layer table and the vanishing finding for deep-sigmoid', () => {
    const r = nnspec('train', example('deep-sigmoid.nnspec'), '--epochs', '60');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /deep-sigmoid: 9 layers, 1969 parameters, 60 epochs/);
    assert.match(r.out, /Gradient magnitude/);
    const heat = r.out.split('\n').filter((l) => /^L\d /.test(l));
    assert.equal(heat.length, 9, 'one heatmap row per layer');
    assert.ok(
      heat.every((l) => l.length >= 21 + 60),
      'a cell per epoch',
    );
    assert.match(r.out, /deep-sigmoid\.nnspec:8: warning: vanishing: Layer 0 vanishing/);
    assert.match(r.out, /fix: Use relu with he_normal init/);
  });

  it('train --json: the report of the contract, and --fail-on', () => {
    const r = nnspec('train', example('deep-sigmoid.nnspec'), '--epochs', '40', '--seed', '3', '--json', '--fail-on', 'warning');
    assert.equal(r.code, 1, 'a warning finding fails the run with --fail-on warning');
    const report = JSON.parse(r.out);
    assert.equal(report.version, 1);
    assert.equal(report.network.name, 'deep-sigmoid');
    assert.equal(report.network.params, 1969);
    assert.equal(report.network.layers.length, 9);
    assert.deepEqual(Object.keys(report.network.layers[0]), ['index', 'line', 'units', 'activation', 'init', 'params', 'predicted']);
    assert.equal(report.network.layers[0].init, 'glorot_uniform');
    assert.equal(report.network.layers[8].predicted.deltaRatio, 1);
    assert.equal(report.epochs.length, 40);
    assert.deepEqual(Object.keys(report.epochs[0].layers[0]).slice(0, 12), [
      'gradRms',
      'gradMeanAbs',
      'gradMaxAbs',
      'deltaRms',
      'updateRatio',
      'weightRms',
      'actMean',
      'actStd',
      'dead',
      'saturated',
      'zeroGrad',
      'nonFinite',
    ]);
    assert.equal(report.stopped, null);
    assert.ok(report.findings.some((f: { kind: string; line: number }) => f.kind === 'vanishing' && f.line === 8));
    assert.equal(nnspec('train', example('relu-he.nnspec'), '--epochs', '20', '--json', '--fail-on', 'error').code, 0);
  });

  it('gradcheck: worst relative error per layer under 1e-6, exit 0', () => {
    const r = nnspec('gradcheck', example('tanh-glorot.nnspec'));
    assert.equal(r.code, 0, r.out + r.err);
    const rows = r.out.trim().split('\n').slice(1);
    assert.equal(rows.length, 9);
    for (const row of rows) assert.ok(Number(row.trim().split(/\s+/)[3]) < 1e-6, row);
  });

  it('usage errors say what is wrong', () => {
    const r = nnspec('train', example('relu-he.nnspec'), '--epochs', 'many');
    assert.equal(r.code, 2);
    assert.match(r.err, /--epochs must be a whole number from 1 to 100000, not many/);
    assert.match(nnspec('frobnicate').err, /unknown command 'frobnicate'/);
    const missing = nnspec('check', join(dir, 'nope.nnspec'));
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope\.nnspec: cannot read: there is no file .*nope\.nnspec/);
  });

  it('help: --help, -h and help print the usage and exit 0; no command prints it to stderr, exit 2', () => {
    for (const a of ['--help', '-h', 'help']) {
      const r = nnspec(a);
      assert.equal(r.code, 0, a);
      assert.match(r.out, /^Usage:\n {2}nnspec check FILE/, a);
      assert.match(r.out, /nnspec fix FILE \[--dry-run\]/, a);
    }
    assert.match(nnspec('train', '-h').out, /^Usage:/);
    const bare = nnspec();
    assert.equal(bare.code, 2);
    assert.equal(bare.out, '');
    assert.match(bare.err, /^Usage:/);
  });

  it('--version prints the package version', () => {
    const r = nnspec('--version');
    assert.equal(r.code, 0);
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal(r.out, `nnspec ${version}\n`);
  });

  it('fix --dry-run lists the first fix of each finding and the changed lines, and leaves the file alone', () => {
    const file = join(dir, 'dead.nnspec');
    copyFileSync(example('dead-relu.nnspec'), file);
    const before = readFileSync(file, 'utf8');
    const r = nnspec('fix', file, '--dry-run');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /dead\.nnspec:7: dead: Start the biases at 0 \(bias=0\)/);
    assert.match(r.out, / {2}7 - dense 16 relu init=he_normal bias=-3\n {2}7 \+ dense 16 relu init=he_normal bias=0\n/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('fix writes the file, and the findings it answered are gone on retrain', () => {
    const file = join(dir, 'sat.nnspec');
    copyFileSync(example('saturated-sigmoid.nnspec'), file);
    const kinds = () => (JSON.parse(nnspec('train', file, '--json').out) as { findings: { kind: string }[] }).findings.map((f) => f.kind);
    assert.ok(kinds().includes('saturated'));
    const r = nnspec('fix', file);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /wrote .*sat\.nnspec/);
    assert.match(readFileSync(file, 'utf8'), /dense 16 sigmoid init=glorot_uniform x4/);
    assert.ok(!kinds().includes('saturated'));
    const healthy = join(dir, 'healthy.nnspec');
    copyFileSync(example('relu-he.nnspec'), healthy);
    assert.match(nnspec('fix', healthy).out, /nothing to fix \(no findings\)/);
    assert.equal(readFileSync(healthy, 'utf8'), readFileSync(example('relu-he.nnspec'), 'utf8'));
  });
});
