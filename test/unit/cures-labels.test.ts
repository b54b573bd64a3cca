// Rows that say which layers are residual or normalized (issue 12): the CLI's heatmap and layer
// table, and the panel's heatmap rows (RunSnapshot.rowLabels, set by the host's RunData).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, trainToReport } from '../../src/engine/index';
import { RunData } from '../../src/host/panel/runData';

const root = join(__dirname, '../../..');
const example = (name: string) => join(root, 'examples', name);

function train(name: string): string {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'train', example(name), '--epochs', '4'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function snapshotLabels(name: string): readonly string[] | undefined {
  const text = readFileSync(example(name), 'utf8');
  const result = check(text);
  const report = trainToReport(result, { epochs: 2 });
  const run = new RunData('r1', example(name), name, text);
  run.apply({
    type: 'started',
    name,
    layers: report.network.layers,
    params: report.network.params,
    epochs: 2,
    problems: result.problems,
    initial: report.initial,
  });
  run.apply({ type: 'done', report });
  return run.snapshot().rowLabels;
}

describe('cures: rows say which layers are residual or normalized', function () {
  this.timeout(60_000);

  it('the CLI: heatmap rows and the layer table of deep-residual.nnspec and deep-layernorm.nnspec', () => {
    const residual = train('deep-residual.nnspec').split('\n');
    const rows = residual.filter((l) => /^L\d /.test(l));
    assert.equal(rows.length, 9);
    assert.match(rows[0], /^L0 sigmoid +:10 /);
    for (const row of rows.slice(1, 8)) assert.match(row, /^L\d sigmoid, residual :11 /);
    assert.match(rows[8], /^L8 sigmoid +:12 /);
    // Every row's cells start in the same column.
    assert.equal(new Set(rows.map((r) => r.indexOf(':') + 6)).size, 1);
    assert.ok(residual.some((l) => /^1 +11 +16 +sigmoid, residual +glorot_uniform/.test(l)));
    const layernorm = train('deep-layernorm.nnspec').split('\n');
    assert.ok(layernorm.some((l) => /^L0 tanh, layer norm +:12 /.test(l)));
    assert.ok(layernorm.some((l) => /^L15 tanh, layer norm +:13 /.test(l)));
  });

  it('the panel: rowLabels for a net with cures, none (the page labels its rows) without', () => {
    const labels = snapshotLabels('deep-batchnorm.nnspec');
    assert.ok(labels);
    assert.equal(labels.length, 21);
    assert.equal(labels[0], 'L0 · line 10 · sigmoid · batch norm');
    assert.equal(labels[20], 'L20 · line 12 · sigmoid');
    assert.equal(snapshotLabels('deep-residual.nnspec')?.[1], 'L1 · line 11 · sigmoid · residual');
    assert.equal(snapshotLabels('deep-sigmoid.nnspec'), undefined);
  });
});
