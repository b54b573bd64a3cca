// The panel's messages on VS Code's wire: typed arrays go as binary, one RPC argument per distinct
// ArrayBuffer, and that RPC counts its arguments in one byte (src/host/panel/wire.ts). A run's
// columns must be views of one buffer, so a message's buffers stay few whatever the run's size.
import * as assert from 'node:assert/strict';
import { check } from '../../src/engine/index';
import type { EpochRecord, LayerStats, ReportLayer } from '../../src/engine/types';
import { aggregateStat, panelStride } from '../../src/host/panel/aggregate';
import { progressMessage, RunData, showMessage } from '../../src/host/panel/runData';
import { WIRE_BUFFER_LIMIT, wireBuffers } from '../../src/host/panel/wire';
import { variantChoices } from '../../src/host/runs/compareModel';
import { HEATMAP_METRICS, type HostToPanel } from '../../src/protocol';
import { parseHostMessage } from '../../src/webview/validate';

function layers(n: number): ReportLayer[] {
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    line: i + 3,
    units: 4,
    activation: 'tanh',
    init: 'glorot_uniform',
    params: 20,
    predicted: { actStd: 0.5, deltaRatio: 1 },
  }));
}

function stats(e: number, l: number): LayerStats {
  const g = (1 + l) * 1e-3 * (1 + (e % 7));
  return {
    gradRms: g,
    gradMeanAbs: g / 2,
    gradMaxAbs: 4 * g,
    deltaRms: e % 5 === 0 ? 0 : 3 * g,
    updateRatio: g / 10,
    weightRms: 0.5,
    actMean: 0,
    actStd: 0.5,
    dead: (e % 3) / 3,
    saturated: 0.1,
    zeroGrad: 0,
    nonFinite: 0,
    biasGradNorm: 2 * g,
  };
}

function run(id: string, nLayers: number, epochs: number, finished = true): RunData {
  const r = new RunData(id, '/x/w.nnspec', 'w.nnspec', '');
  r.apply({ type: 'started', name: 'w', layers: layers(nLayers), params: 20 * nLayers, epochs, problems: [], initial: null });
  const records: EpochRecord[] = [];
  for (let e = 1; e <= epochs; e++)
    records.push({ epoch: e, loss: 1 / e, accuracy: null, layers: Array.from({ length: nLayers }, (_, l) => stats(e, l)), histograms: [] });
  r.apply({ type: 'epochs', records, findings: [] });
  if (finished)
    r.apply({
      type: 'done',
      report: { version: 1, network: { name: 'w', params: 20, layers: layers(nLayers) }, initial: null, epochs: [], findings: [], problems: [], stopped: null },
    });
  return r;
}

/** What a structured clone of the message keeps of its buffers (the page's side of the wire). */
function cloned(m: HostToPanel): HostToPanel {
  return structuredClone(m);
}

describe('the panel messages on the wire (host/panel/wire)', () => {
  it("a 1,000-layer run's show refers to one buffer, every column a view of it, with the aggregates the page draws", () => {
    const r = run('deep', 1000, 30);
    const show = showMessage(r, 'gradRms');
    assert.equal(wireBuffers(show).size, 1);
    if (show.type !== 'show' || show.view.kind !== 'run') throw new Error('not a run show');
    const { records } = show.view.run;
    const buffer = records.epoch.buffer;
    for (const m of HEATMAP_METRICS) for (const column of records.stats[m]) assert.equal(column.buffer, buffer);
    assert.deepEqual(
      Array.from(records.epoch),
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    assert.equal(records.stats.deltaRms[999]?.[4], Math.fround(stats(5, 999).deltaRms));
    assert.equal(records.loss[9], Math.fround(1 / 10));
    // The page reads it as it arrives: the clone keeps one buffer shared by every view.
    const parsed = parseHostMessage(cloned(show));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    if (parsed.value.type !== 'show' || parsed.value.view.kind !== 'run') throw new Error('not a run show');
    const back = parsed.value.view.run.records;
    assert.equal(back.stats.gradRms[0]?.buffer, back.stats.dead[999]?.buffer);
    assert.equal(back.stats.dead[999]?.[1], Math.fround(2 / 3));
  });

  it("a long run's buckets are views of one buffer too, with each statistic's aggregate", () => {
    const r = run('long', 3, 5000);
    const stride = panelStride(5000);
    assert.ok(stride > 1);
    const show = showMessage(r, 'gradRms');
    assert.equal(wireBuffers(show).size, 1);
    if (show.type !== 'show' || show.view.kind !== 'run') throw new Error('not a run show');
    const { records } = show.view.run;
    const values = Float32Array.from({ length: stride }, (_, i) => stats(i + 1, 2).deltaRms);
    assert.equal(records.stats.deltaRms[2]?.[0], Math.fround(aggregateStat('deltaRms', values)));
    const progress = progressMessage(run('live', 3, 5000, false), 100);
    assert.equal(wireBuffers(progress).size, 1);
  });

  it('a Compare show of every variant the picker offers stays within the limit, at two buffers a run', () => {
    const text = 'network c\ndata spiral samples=50\ninput 2\ndense 8 tanh x4\ndense 1 sigmoid\ntrain epochs=5 lr=0.1\n';
    const spec = check(text, { fileName: '/x/c.nnspec' }).spec;
    if (!spec) throw new Error('the spec did not parse');
    const choices = variantChoices(text, spec);
    assert.ok(choices.length >= 10, `only ${choices.length} variants`);
    const runs = choices.map((_, i) => {
      const r = run(`v${i}`, 5, 5);
      r.initial = { loss: 1, accuracy: null, layers: Array.from({ length: 5 }, (_, l) => stats(0, l)) };
      return r;
    });
    const show: HostToPanel = {
      type: 'show',
      metric: 'gradRms',
      view: { kind: 'compare', fileName: '/x/c.nnspec', variants: runs.map((r, i) => ({ variantId: `v${i}`, verdict: '', run: r.snapshot() })) },
    };
    const n = wireBuffers(show).size;
    assert.equal(n, 2 * runs.length);
    assert.ok(n <= WIRE_BUFFER_LIMIT, `${n} buffers`);
  });
});
