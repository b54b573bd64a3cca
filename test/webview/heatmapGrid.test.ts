import * as assert from 'node:assert/strict';
import type { EpochRecord } from '../../src/engine/types';
import { CellGrid, cellValue } from '../../src/webview/heatmapGrid';
import { reduce, savedState, SAVED_CELLS, INITIAL_STATE } from '../../src/webview/state';
import * as fx from './fixtures';

/** Records whose gradRms of layer l at epoch e is 10^-(l + e / 10). */
function records(n: number, layers: number): EpochRecord[] {
  const base = fx.epochs(1, 1)[0]!;
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    epoch: i + 1,
    layers: Array.from({ length: layers }, (_, l) => ({ ...base.layers[0]!, gradRms: 10 ** -(l + (i + 1) / 10), dead: (l + i) % 2 })),
  }));
}

describe('webview heatmap grid', () => {
  it('a cell is the geometric mean of its layers and records (log), the mean (linear)', () => {
    const r = records(4, 3);
    // Layers 0..1, records 0..1: exponents 0.1, 0.2, 1.1, 1.2 → mean 0.65.
    assert.ok(Math.abs(cellValue(r, 0, 2, 0, 2, 'gradRms', 'log') - 10 ** -0.65) < 1e-12);
    assert.equal(cellValue(r, 0, 2, 0, 2, 'dead', 'linear'), 0.5);
  });

  it('a NaN or an infinity anywhere in a cell wins over its mean; all zeros give 0', () => {
    const r = records(3, 2);
    const bad = r.map((e, i) => (i === 1 ? { ...e, layers: [e.layers[0]!, { ...e.layers[1]!, gradRms: Infinity }] } : e));
    assert.equal(cellValue(bad, 0, 3, 0, 2, 'gradRms', 'log'), Infinity);
    const nan = r.map((e, i) => (i === 2 ? { ...e, layers: [{ ...e.layers[0]!, gradRms: NaN }, e.layers[1]!] } : e));
    assert.ok(Number.isNaN(cellValue(nan, 0, 3, 0, 2, 'gradRms', 'log')));
    const zero = r.map((e) => ({ ...e, layers: e.layers.map((l) => ({ ...l, gradRms: 0 })) }));
    assert.equal(cellValue(zero, 0, 3, 0, 2, 'gradRms', 'log'), 0);
  });

  it('grows in place: only the last partial column and new ones change, to the same numbers as from scratch', () => {
    const all = records(23, 5);
    const shape = { layers: 5, perRow: 2, perColumn: 4, metric: 'gradRms' as const, kind: 'log' as const };
    const grid = new CellGrid(shape);
    assert.equal(grid.update(all.slice(0, 10)), 0);
    assert.equal(grid.columns, 3);
    assert.equal(grid.rows, 3);
    // 10 records: column 2 (records 8, 9) was partial, so it is the first to change.
    assert.equal(grid.update(all), 2);
    assert.equal(grid.columns, 6);
    const fresh = new CellGrid(shape);
    fresh.update(all);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 6; c++) assert.equal(grid.at(r, c), fresh.at(r, c), `cell ${r},${c}`);
    // The last row holds layer 4 alone; the last column records 20..22.
    assert.ok(Math.abs(grid.at(2, 5) - 10 ** -(4 + 2.2)) < 1e-9);
  });
});

describe('webview saved state', () => {
  it('keeps a small run without histograms', () => {
    const s = reduce(INITIAL_STATE, { type: 'show', view: { kind: 'run', run: fx.run('r', 50, 'done') }, metric: 'gradRms' }).state;
    const saved = savedState(s);
    assert.ok(saved.view?.kind === 'run');
    if (saved.view?.kind !== 'run') return;
    assert.equal(saved.view.run.epochs.length, 50);
    assert.ok(saved.view.run.epochs.every((e) => e.histograms.length === 0));
    assert.equal(saved.trimmed, undefined);
  });

  it('leaves out the epochs of a run over the budget, names it, and stays under 1 MB whatever the run', () => {
    const big = { ...fx.run('big', 0, 'done'), epochs: records(2000, 3).map((e) => ({ ...e, histograms: [[1, 2, 3]] })), layers: fx.LAYERS };
    assert.ok(big.epochs.length * 3 > SAVED_CELLS);
    const saved = savedState(reduce(INITIAL_STATE, { type: 'show', view: { kind: 'run', run: big }, metric: 'gradRms' }).state);
    assert.ok(saved.view?.kind === 'run');
    if (saved.view?.kind !== 'run') return;
    assert.equal(saved.view.run.epochs.length, 0);
    assert.deepEqual(saved.trimmed, ['big']);
    assert.ok(JSON.stringify(saved).length < 1e6);
    // Just under the budget, the whole run is kept, and it is still under 1 MB.
    const most = { ...big, id: 'most', epochs: big.epochs.slice(0, SAVED_CELLS / 3) };
    const kept = savedState(reduce(INITIAL_STATE, { type: 'show', view: { kind: 'run', run: most }, metric: 'gradRms' }).state);
    assert.equal(kept.view?.kind === 'run' ? kept.view.run.epochs.length : -1, SAVED_CELLS / 3);
    assert.ok(JSON.stringify(kept).length < 1e6, `${JSON.stringify(kept).length} characters`);
  });

  it('a progress that brings nothing new is "same": nothing to draw', () => {
    const s = reduce(INITIAL_STATE, { type: 'show', view: { kind: 'run', run: fx.run('r', 40, 'running') }, metric: 'gradRms' }).state;
    const same = reduce(s, { type: 'progress', runId: 'r', records: fx.epochs(40, 40), findings: fx.FINDINGS, state: 'running' });
    assert.deepEqual(same.change, { kind: 'same' });
    assert.equal(same.state, s);
    assert.equal(reduce(s, { type: 'progress', runId: 'r', records: [], findings: fx.FINDINGS, state: 'done' }).change.kind, 'run');
  });
});
