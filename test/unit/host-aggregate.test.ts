// A long run reaches the panel as bucket aggregates (src/host/panel/aggregate.ts): the pure functions,
// RunData's snapshots and progress at a small cap, and a page that follows them through its own
// validator and reducer ending with exactly the host's snapshot.
import * as assert from 'node:assert/strict';
import { check, EpochHistory, trainToReport } from '../../src/engine/index';
import { initialCapacity } from '../../src/engine/history';
import type { EpochRecord, LayerStats } from '../../src/engine/types';
import { aggregateStat, linearMean, maxOf, panelColumns, panelStride } from '../../src/host/panel/aggregate';
import { HEATMAP_METRICS, STATISTICS } from '../../src/shared/vocabulary';
import { f32String, progressMessage, RunData, showMessage } from '../../src/host/panel/runData';
import { PANEL_EPOCH_CAP, type HostToPanel, type RunSnapshot } from '../../src/protocol';
import { reduce, INITIAL_STATE, type PageState } from '../../src/webview/state';
import { parseHostMessage } from '../../src/webview/validate';
import { emptyColumns } from '../../src/webview/columns';
import { statsOfRecords } from '../../src/engine/findings';

const SPEC = `network agg
data xor samples=16 seed=3
input 2
dense 4 sigmoid x2
dense 1 sigmoid
train epochs=50 batch=16 seed=1
`;

function stats(v: number): LayerStats {
  return {
    gradRms: v,
    gradMeanAbs: v,
    gradMaxAbs: v,
    deltaRms: v,
    updateRatio: v,
    weightRms: v,
    actMean: v,
    actStd: v,
    dead: v,
    saturated: v,
    zeroGrad: v,
    nonFinite: v,
    biasGradNorm: v,
  };
}

function record(epoch: number, v: number, layers = 2): EpochRecord {
  return { epoch, loss: v, accuracy: epoch % 2 ? 0.5 : null, layers: Array.from({ length: layers }, () => stats(v)), histograms: [] };
}

/** A message as the page gets it: structured-cloned (typed arrays stay typed), then validated. */
function wire(m: HostToPanel): HostToPanel {
  const parsed = parseHostMessage(structuredClone(m));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.value;
}

describe('host: aggregation of a long run for the panel', () => {
  it('a stride of 1 up to the cap, then the smallest power of two that fits', () => {
    assert.equal(PANEL_EPOCH_CAP, 2000);
    assert.equal(panelStride(0), 1);
    assert.equal(panelStride(2000), 1);
    assert.equal(panelStride(2001), 2);
    assert.equal(panelStride(4000), 2);
    assert.equal(panelStride(4001), 4);
    assert.equal(panelStride(100_000), 64);
    assert.ok(Math.ceil(100_000 / 64) <= 2000);
    assert.equal(panelStride(17, 8), 4);
  });

  it('a run is allocated whole when it fits 4,000,000 layer-epochs, else a share that grows', () => {
    assert.equal(initialCapacity(100_000, 30), 100_000);
    assert.equal(initialCapacity(100_000, 1000), 1000);
    assert.equal(initialCapacity(100_000, 100_000), 256);
  });

  it('log-mean of magnitudes, max of extremes, mean of fractions; NaN and Infinity are never averaged away', () => {
    // The geometric mean itself is tested with src/shared/numbers.ts; here, that 'log' statistics use it.
    assert.equal(aggregateStat('gradRms', [1e-2, 1e-4]), 1e-3);
    assert.equal(aggregateStat('gradRms', [0, 1e-3, 0]), 1e-3, 'zeros left out');
    assert.ok(Number.isNaN(aggregateStat('deltaRms', [1, NaN, Infinity])));
    assert.equal(aggregateStat('updateRatio', [1, Infinity]), Infinity);
    assert.equal(aggregateStat('gradMaxAbs', [1e-2, 1e-4]), 1e-2);
    assert.equal(aggregateStat('dead', [0.25, 0.75]), 0.5);
    assert.equal(maxOf([1, 5, 2]), 5);
    assert.ok(Number.isNaN(maxOf([1, NaN])));
    assert.equal(linearMean([0.25, 0.75]), 0.5);
    assert.equal(linearMean([1, Infinity]), Infinity);
    assert.deepEqual(
      Object.entries(STATISTICS)
        .filter(([, s]) => s.aggregation === 'log')
        .map(([n]) => n),
      ['gradRms', 'gradMeanAbs', 'deltaRms', 'updateRatio', 'weightRms', 'biasGradNorm'],
    );
    assert.deepEqual(
      Object.entries(STATISTICS)
        .filter(([, s]) => s.aggregation === 'max')
        .map(([n]) => n),
      ['gradMaxAbs', 'nonFinite'],
    );
  });

  it('one record per bucket, labelled by its last epoch, with the bucket aggregates, the heatmap statistics only', () => {
    const h = new EpochHistory(2, { precision: 'float64' });
    for (let e = 1; e <= 10; e++) h.push(record(e, 10 ** -e));
    const c = panelColumns(h, 2, 4, 0, 3);
    assert.deepEqual([...c.epoch], [4, 8, 10], 'the last bucket is partial');
    const f32 = Math.fround;
    assert.ok(Math.abs((c.stats.gradRms[1]?.[0] ?? NaN) / 10 ** -2.5 - 1) < 1e-6, 'geometric mean of 1e-1..1e-4');
    assert.equal(c.stats.dead[0]?.[0], f32((0.1 + 0.01 + 0.001 + 0.0001) / 4));
    assert.equal(c.loss[0], f32((0.1 + 0.01 + 0.001 + 0.0001) / 4));
    assert.equal(c.accuracy[0], 0.5, 'the epochs with an accuracy');
    assert.deepEqual(Object.keys(c.stats), [...HEATMAP_METRICS]);
    assert.ok(c.loss instanceof Float32Array && c.epoch instanceof Int32Array, 'typed arrays: binary on the wire');
    const from1 = panelColumns(h, 2, 4, 1, 3);
    assert.deepEqual([...from1.epoch], [8, 10], 'from a bucket on');
    assert.equal(from1.stats.saturated[1]?.[1], c.stats.saturated[1]?.[2]);
    const each = panelColumns(h, 2, 1, 0, 10);
    assert.deepEqual([...each.stats.gradRms[0]!], [...h.stat(0, 'gradRms')].map(f32), 'stride 1: the epochs as they are');
  });

  it("a page that follows shows and progress ends with the host's snapshot, never holding more than the cap", () => {
    const result = check(SPEC, { fileName: '/x/agg.nnspec' });
    const report = trainToReport(result);
    const cap = 8;
    const run = new RunData('r', '/x/agg.nnspec', 'agg.nnspec', SPEC, cap);
    let page: PageState = INITIAL_STATE;
    const deliver = (m: HostToPanel) => {
      const { state, change } = reduce(page, wire(m));
      if (change.kind !== 'none') page = state;
      const pageRun = page.view?.kind === 'run' ? page.view.run : undefined;
      assert.ok((pageRun?.records.epoch.length ?? 0) <= cap, `the page holds ${pageRun?.records.epoch.length} records`);
    };
    // The panel's rule: a fresh 'show' when the run's stride moved on since the last one.
    let shownStride = 0;
    const show = () => {
      shownStride = run.panelStride;
      deliver(showMessage(run, 'gradRms'));
    };
    show();
    run.apply({ type: 'started', name: 'agg', layers: report.network.layers, params: report.network.params, epochs: 50, problems: [], initial: null });
    show();
    const strides = new Set<number>();
    for (let i = 0; i < 50;) {
      const n = 1 + ((i * 7) % 5);
      const added = run.apply({ type: 'epochs', records: report.epochs.slice(i, i + n), findings: [] });
      i += added.length;
      strides.add(run.panelStride);
      if (run.panelStride !== shownStride) show();
      else deliver(progressMessage(run, added.length));
    }
    run.apply({ type: 'done', report: { ...report, epochs: [] } });
    if (run.panelStride !== shownStride) show();
    else deliver(progressMessage(run, 0));
    assert.deepEqual(
      [...strides].sort((a, b) => a - b),
      [1, 2, 4, 8],
    );
    const snap = run.snapshot();
    assert.equal(snap.stride, 8);
    assert.deepEqual([...snap.records.epoch], [8, 16, 24, 32, 40, 48, 50]);
    assert.ok(
      [...snap.records.epoch].every((epoch, i) => [0, 1, 2].every((l) => run.histogram(8, i, l)?.epoch === epoch && run.histogram(8, i, l)?.counts)),
      "every bucket's last epoch has its histograms, for the page to ask",
    );
    const pageRun = page.view?.kind === 'run' ? page.view.run : undefined;
    assert.equal(pageRun?.stride, 8);
    assert.deepEqual(
      pageRun?.records,
      (wire({ type: 'show', view: { kind: 'run', run: snap }, metric: 'gradRms' }) as { view: { run: RunSnapshot } }).view.run.records,
    );
    assert.equal(pageRun?.state, 'done');
  });

  it('a run within the cap is sent epoch by epoch, as before', () => {
    const report = trainToReport(check(SPEC));
    const run = new RunData('r', '/x/agg.nnspec', 'agg.nnspec', SPEC);
    run.apply({ type: 'started', name: 'agg', layers: report.network.layers, params: report.network.params, epochs: 50, problems: [], initial: null });
    const added = run.apply({ type: 'epochs', records: report.epochs, findings: [] });
    const p = progressMessage(run, added.length);
    assert.deepEqual(
      [...p.records.epoch],
      added.map((r) => r.epoch),
    );
    assert.equal(p.stride, undefined);
    const snap = run.snapshot();
    assert.equal(snap.stride, undefined);
    assert.equal(snap.records.epoch.length, 50);
    assert.deepEqual(
      report.epochs.map((_, i) => [0, 1, 2].map((l) => run.histogram(1, i, l)?.counts)),
      report.epochs.map((e) => e.histograms),
      'every histogram, on demand',
    );
    assert.equal(run.histogram(1, 50, 0), null, 'none beyond the records');
    assert.equal(snap.records.stats.gradRms[1]?.[7], Math.fround(report.epochs[7].layers[1].gradRms), 'float32 columns');
    assert.equal(snap.records.loss[7], Math.fround(report.epochs[7].loss), 'the loss as the chart draws it (float32)');
  });

  it('the page drops progress of another stride, and its validator checks the stride', () => {
    const report = trainToReport(check(SPEC));
    const run = new RunData('r', '/x/agg.nnspec', 'agg.nnspec', SPEC, 8);
    run.apply({ type: 'started', name: 'agg', layers: report.network.layers, params: report.network.params, epochs: 50, problems: [], initial: null });
    run.apply({ type: 'epochs', records: report.epochs.slice(0, 20), findings: [] });
    const shown = reduce(INITIAL_STATE, wire(showMessage(run, 'gradRms'))).state;
    const records = panelColumns(statsOfRecords(report.epochs.slice(20, 22)), 3, 1, 0, 2);
    const stale = reduce(shown, wire({ type: 'progress', runId: 'r', records, findings: [], state: 'running' }));
    assert.equal(stale.change.kind, 'same', 'nothing appended, so nothing to draw');
    const runOf = (s: PageState) => (s.view?.kind === 'run' ? s.view.run : undefined);
    assert.equal(runOf(stale.state)?.records, runOf(shown)?.records);
    for (const bad of [0, 1.5, -2, 'two']) {
      const p = parseHostMessage({ type: 'progress', runId: 'r', records: emptyColumns(3), stride: bad, findings: [], state: 'running' });
      assert.ok(!p.ok && /stride: expected a positive integer/.test(p.error), String(bad));
    }
  });

  it('exports stream every epoch from the columns; float32 statistics at their shortest', () => {
    assert.equal(f32String(Math.fround(0.1)), '0.1');
    for (const v of [1.2345678e-7, 3.3, 123456.789, 2 ** -140]) {
      const s = f32String(Math.fround(v));
      assert.equal(Math.fround(Number(s)), Math.fround(v), s);
      assert.ok(s.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').length <= 9, s);
    }
    assert.equal(f32String(0.1), '0.1', 'a float64 number as it is');
    const report = trainToReport(check(SPEC));
    const run = new RunData('r', '/x/agg.nnspec', 'agg.nnspec', SPEC, 8);
    run.apply({ type: 'started', name: 'agg', layers: report.network.layers, params: report.network.params, epochs: 50, problems: [], initial: null });
    run.apply({ type: 'epochs', records: report.epochs, findings: [] });
    run.apply({ type: 'done', report: { ...report, epochs: [] } });
    const csv = run.toCsv().trim().split('\n');
    // The initial record (from the report) as epoch 0, then the 50 epochs.
    assert.equal(csv.length, 1 + 3 + 50 * 3);
    assert.ok(csv[1].startsWith('0,'));
    const json = JSON.parse(run.toJson()) as { epochs: EpochRecord[]; findings: unknown[] };
    assert.equal(json.epochs.length, 50);
    assert.equal(json.epochs[49].layers[0].gradRms, Number(f32String(Math.fround(report.epochs[49].layers[0].gradRms))));
    assert.deepEqual(json.findings, JSON.parse(JSON.stringify(report.findings)));
    assert.deepEqual(run.histogramIndices(), [7, 15, 23, 31, 39, 47, 49], 'the last epoch of each bucket of 8, and the latest');
    assert.deepEqual(
      json.epochs.flatMap((e, i) => (e.histograms.length > 0 ? [i] : [])),
      run.histogramIndices(),
    );
  });
});
