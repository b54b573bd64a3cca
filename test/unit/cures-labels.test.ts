// Issue 12 in the CLI: the rows that say which layers are residual or normalized (the heatmap and
// layer table; the panel's RunSnapshot.rowLabels, set by the host's RunData), and the two
// networks trained as written and with the cures Compare offers, as `nnspec train` reports them.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, trainToReport } from '../../src/engine/index';
import { variantsOf } from '../../src/engine/variants';
import type { Finding } from '../../src/engine/types';
import { DEEP_SIGMOID_20, DEEP_TANH } from './issueNetworks';
import { RunData } from '../../src/host/panel/runData';

const root = join(__dirname, '../../..');
const example = (name: string) => join(root, 'examples', name);

function nnspec(...args: string[]): string {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
const train = (name: string) => nnspec('train', example(name), '--epochs', '4');

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

describe("cures: the issue's networks in the CLI, as written and with the cures Compare offers", function () {
  this.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'nnspec-cures-'));

  /** The layers `nnspec train --json` finds vanishing, for the file as written and each cure variant, by label. */
  function vanishingLayers(name: string, text: string): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const v of variantsOf(text, check(text).spec, 'cures')) {
      if (!['as written', '+ residual', '+ layer norm'].includes(v.label)) continue;
      const file = join(dir, `${name}-${v.id}.nnspec`);
      writeFileSync(file, v.text);
      const findings = (JSON.parse(nnspec('train', file, '--json')) as { findings: Finding[] }).findings;
      out.set(
        v.label,
        findings.filter((f) => f.kind === 'vanishing').flatMap((f) => f.layers),
      );
    }
    return out;
  }

  it('16 tanh layers with normal(0, 0.05): vanishing as written, not with residual=true or norm=layer', () => {
    const v = vanishingLayers('deep-tanh', DEEP_TANH);
    assert.ok(v.get('as written')!.includes(0), JSON.stringify([...v]));
    assert.deepEqual(v.get('+ residual'), []);
    assert.deepEqual(v.get('+ layer norm'), []);
  });

  it('20 sigmoid layers: residual connections lift layer 0 out of vanishing (the middle layers stay near 1e-2); layer norm does not', () => {
    const v = vanishingLayers('deep-sigmoid-20', DEEP_SIGMOID_20);
    assert.ok(v.get('as written')!.includes(0), JSON.stringify([...v]));
    assert.ok(!v.get('+ residual')!.includes(0), JSON.stringify([...v]));
    assert.ok(v.get('+ layer norm')!.includes(0), JSON.stringify([...v]));
  });
});
