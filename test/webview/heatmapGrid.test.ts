import * as assert from 'node:assert/strict';
import type { EpochRecord } from '../../src/engine/types';
import { CellGrid, cellValue } from '../../src/webview/heatmapGrid';
import { aggregate } from '../../src/webview/downsample';
import { HEATMAP_METRICS } from '../../src/protocol';
import { reduce, savedState, SAVED_CELLS, INITIAL_STATE, type PageState } from '../../src/webview/state';
import { parseState } from '../../src/webview/validate';
import { statsOfRecords } from '../../src/engine/findings';
import { panelColumns } from '../../src/host/panel/aggregate';
import type { RecordColumns } from '../../src/protocol';
import * as fx from './fixtures';

/** Records whose gradRms of layer l at epoch e is 10^-(l + e / 10). */
function epochRecords(n: number, layers: number): EpochRecord[] {
  const base = fx.epochs(1, 1)[0]!;
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    epoch: i + 1,
    layers: Array.from({ length: layers }, (_, l) => ({ ...base.layers[0]!, gradRms: 10 ** -(l + (i + 1) / 10), dead: (l + i) % 2 })),
  }));
}

function columns(records: readonly EpochRecord[]): RecordColumns {
  return panelColumns(statsOfRecords(records), records[0]?.layers.length ?? 0, 1, 0, records.length);
}

function records(n: number, layers: number): RecordColumns {
  return columns(epochRecords(n, layers));
}

/**
 * Seeded random columns, `records` values per layer for every heatmap metric: 10^(lo .. lo + decades),
 * or with probability `chance` one of `special`. The generator is returned too, for a test to draw
 * more from the same stream (so a failure can be replayed).
 */
function randomColumns(o: { seed: number; layers: number; records: number; special: readonly number[]; chance: number; lo: number; decades: number }): {
  r: RecordColumns;
  rand: () => number;
} {
  let seed = o.seed;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = o.records;
  const column = (): Float32Array =>
    Float32Array.from({ length: n }, () =>
      rand() < o.chance ? (o.special[Math.floor(rand() * o.special.length)] as number) : 10 ** (o.lo + rand() * o.decades),
    );
  const stats = {} as Record<(typeof HEATMAP_METRICS)[number], Float32Array[]>;
  for (const m of HEATMAP_METRICS) stats[m] = Array.from({ length: o.layers }, column);
  return { r: { epoch: Int32Array.from({ length: n }, (_, i) => i + 1), loss: new Float32Array(n), accuracy: new Float32Array(n), stats }, rand };
}

describe('webview heatmap grid', () => {
  it('a cell is the geometric mean of its layers and records (log), the mean (linear)', () => {
    const r = records(4, 3);
    // Layers 0..1, records 0..1: exponents 0.1, 0.2, 1.1, 1.2 → mean 0.65.
    assert.ok(Math.abs(cellValue(r, 0, 2, 0, 2, 'gradRms', 'log') / 10 ** -0.65 - 1) < 1e-6, 'float32 columns');
    const one = Math.sqrt((r.stats.gradRms[2]![1] as number) * (r.stats.gradRms[2]![2] as number));
    assert.ok(Math.abs(cellValue(r, 1, 3, 2, 3, 'gradRms', 'log') / one - 1) < 1e-12, 'one layer');
    assert.equal(cellValue(r, 0, 2, 0, 2, 'dead', 'linear'), 0.5);
  });

  it('a NaN or an infinity anywhere in a cell wins over its mean; all zeros give 0', () => {
    const r = epochRecords(3, 2);
    const bad = r.map((e, i) => (i === 1 ? { ...e, layers: [e.layers[0]!, { ...e.layers[1]!, gradRms: Infinity }] } : e));
    assert.equal(cellValue(columns(bad), 0, 3, 0, 2, 'gradRms', 'log'), Infinity);
    const nan = r.map((e, i) => (i === 2 ? { ...e, layers: [{ ...e.layers[0]!, gradRms: NaN }, e.layers[1]!] } : e));
    assert.ok(Number.isNaN(cellValue(columns(nan), 0, 3, 0, 2, 'gradRms', 'log')));
    assert.ok(Number.isNaN(cellValue(columns(nan), 2, 3, 0, 1, 'gradRms', 'log')), 'one layer');
    const zero = r.map((e) => ({ ...e, layers: e.layers.map((l) => ({ ...l, gradRms: 0 })) }));
    assert.equal(cellValue(columns(zero), 0, 3, 0, 2, 'gradRms', 'log'), 0);
  });

  it('a cell of several layers is, to the bit, `aggregate` over its values gathered layer after layer (random data with zeros, NaN, ±Infinity)', () => {
    const layers = 9;
    const n = 40;
    const { r, rand } = randomColumns({
      seed: 12345,
      layers,
      records: n,
      special: [0, 0, 0, NaN, Infinity, -Infinity, -1e-3],
      chance: 0.02,
      lo: -12,
      decades: 14,
    });
    const gathered = (metric: 'gradRms' | 'dead', r0: number, r1: number, l0: number, l1: number, kind: 'log' | 'linear'): number => {
      const values: number[] = [];
      for (let l = l0; l < l1; l++) for (let i = r0; i < r1; i++) values.push(r.stats[metric][l]![i]!);
      return aggregate(Float64Array.from(values), kind, 0, values.length);
    };
    const seen = { finite: 0, zero: 0, nan: 0, infinite: 0 };
    for (let t = 0; t < 4000; t++) {
      const l0 = Math.floor(rand() * layers);
      const l1 = l0 + 1 + Math.floor(rand() * (layers - l0));
      const r0 = Math.floor(rand() * n);
      const r1 = r0 + Math.floor(rand() * (n - r0 + 1));
      for (const [metric, kind] of [
        ['gradRms', 'log'],
        ['dead', 'linear'],
      ] as const) {
        const want = gathered(metric, r0, r1, l0, l1, kind);
        const got = cellValue(r, r0, r1, l0, l1, metric, kind);
        assert.ok(Object.is(got, want), `${metric} layers ${l0}..${l1} records ${r0}..${r1}: ${got} against ${want}`);
        if (Number.isNaN(want)) seen.nan++;
        else if (!Number.isFinite(want)) seen.infinite++;
        else if (want === 0) seen.zero++;
        else seen.finite++;
      }
    }
    // Every kind of outcome was compared, most of them finite means.
    assert.ok(seen.finite > 1000 && seen.nan > 50 && seen.infinite > 50, JSON.stringify(seen));
    // A layer with no column (a run whose layers are not all reported yet) makes its cells NaN, as a gathered NaN did.
    const short: RecordColumns = { ...r, stats: { ...r.stats, gradRms: r.stats.gradRms.slice(0, 3) } };
    assert.ok(Number.isNaN(cellValue(short, 0, 5, 2, 4, 'gradRms', 'log')));
    assert.ok(Number.isNaN(cellValue(r, 3, 3, 0, 2, 'gradRms', 'log')), 'no records');
  });

  it("the grid's cells, computed a row at a time, are cellValue's to the bit for every shape, also grown record by record (random data with zeros, NaN, ±Infinity, a missing layer)", () => {
    const layers = 7;
    const n = 53;
    const { r, rand } = randomColumns({ seed: 777, layers, records: n, special: [0, 0, NaN, Infinity, -Infinity, -2e-4], chance: 0.03, lo: -10, decades: 12 });
    // Layer 6 has no gradRms column yet.
    const all: RecordColumns = { ...r, stats: { ...r.stats, gradRms: r.stats.gradRms.slice(0, layers - 1) } };
    const upTo = (k: number): RecordColumns => ({
      epoch: all.epoch.subarray(0, k),
      loss: all.loss.subarray(0, k),
      accuracy: all.accuracy.subarray(0, k),
      stats: Object.fromEntries(HEATMAP_METRICS.map((m) => [m, all.stats[m].map((c) => c.subarray(0, k))])) as unknown as RecordColumns['stats'],
    });
    let compared = 0;
    const kinds = { nan: 0, infinite: 0, zero: 0 };
    for (const [metric, kind] of [
      ['gradRms', 'log'],
      ['dead', 'linear'],
    ] as const) {
      for (const perRow of [1, 2, 3, 7]) {
        for (const perColumn of [1, 4, 9]) {
          const shape = { layers, perRow, perColumn, metric, kind };
          const grown = new CellGrid(shape);
          for (let k = 1; k <= n; k += 1 + Math.floor(rand() * 6)) grown.update(upTo(k));
          grown.update(all);
          const whole = new CellGrid(shape);
          whole.update(all);
          for (const grid of [grown, whole]) {
            assert.equal(grid.columns, Math.ceil(n / perColumn));
            for (let row = 0; row < grid.rows; row++) {
              for (let c = 0; c < grid.columns; c++) {
                const l0 = row * perRow;
                const want = cellValue(all, c * perColumn, Math.min(n, (c + 1) * perColumn), l0, Math.min(layers, l0 + perRow), metric, kind);
                const got = grid.at(row, c);
                assert.ok(Object.is(got, want), `${metric} perRow ${perRow} perColumn ${perColumn} cell ${row},${c}: ${got} against ${want}`);
                compared++;
                if (Number.isNaN(want)) kinds.nan++;
                else if (want === Infinity) kinds.infinite++;
                else if (want === 0) kinds.zero++;
              }
            }
          }
        }
      }
    }
    assert.ok(compared > 2000 && kinds.nan > 50 && kinds.infinite > 20, JSON.stringify({ compared, ...kinds }));
  });

  it('grows in place: only the last partial column and new ones change, to the same numbers as from scratch', () => {
    const all = records(23, 5);
    const shape = { layers: 5, perRow: 2, perColumn: 4, metric: 'gradRms' as const, kind: 'log' as const };
    const grid = new CellGrid(shape);
    assert.equal(grid.update(panelColumns(statsOfRecords(epochRecords(10, 5)), 5, 1, 0, 10)), 0);
    assert.equal(grid.columns, 3);
    assert.equal(grid.rows, 3);
    // 10 records: column 2 (records 8, 9) was partial, so it is the first to change.
    assert.equal(grid.update(all), 2);
    assert.equal(grid.columns, 6);
    const fresh = new CellGrid(shape);
    fresh.update(all);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 6; c++) assert.equal(grid.at(r, c), fresh.at(r, c), `cell ${r},${c}`);
    // The last row holds layer 4 alone; the last column records 20..22.
    assert.ok(Math.abs(grid.at(2, 5) / 10 ** -(4 + 2.2) - 1) < 1e-6);
  });
});

/** The saved state as VS Code gives it back after a reload: through JSON, then the page's validator. */
function restored(saved: unknown): PageState {
  const parsed = parseState(JSON.parse(JSON.stringify(saved)));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.value;
}

describe('webview saved state', () => {
  it('keeps a small run, as JSON that reads back as the same columns', () => {
    const s = reduce(INITIAL_STATE, { type: 'show', view: { kind: 'run', run: fx.run('r', 50, 'done') }, metric: 'gradRms' }).state;
    const saved = restored(savedState(s));
    assert.ok(saved.view?.kind === 'run' && s.view?.kind === 'run');
    if (saved.view?.kind !== 'run' || s.view?.kind !== 'run') return;
    assert.equal(saved.view.run.records.epoch.length, 50);
    assert.deepEqual(saved.view.run.records, s.view.run.records);
    assert.equal(saved.trimmed, undefined);
  });

  it('leaves out the epochs of a run over the budget, names it, and stays under 1 MB whatever the run', () => {
    const all = epochRecords(2000, 3);
    const big = { ...fx.run('big', 0, 'done'), records: columns(all), layers: fx.LAYERS };
    assert.ok(all.length * 3 > SAVED_CELLS);
    const savedJson = savedState(reduce(INITIAL_STATE, { type: 'show', view: { kind: 'run', run: big }, metric: 'gradRms' }).state);
    const saved = restored(savedJson);
    assert.ok(saved.view?.kind === 'run');
    if (saved.view?.kind !== 'run') return;
    assert.equal(saved.view.run.records.epoch.length, 0);
    assert.deepEqual(saved.trimmed, ['big']);
    assert.ok(JSON.stringify(savedJson).length < 1e6);
    // Just under the budget, the whole run is kept, and it is still under 1 MB.
    const most = { ...big, id: 'most', records: columns(all.slice(0, Math.floor(SAVED_CELLS / 3))) };
    const keptJson = savedState(reduce(INITIAL_STATE, { type: 'show', view: { kind: 'run', run: most }, metric: 'gradRms' }).state);
    const kept = restored(keptJson);
    assert.equal(kept.view?.kind === 'run' ? kept.view.run.records.epoch.length : -1, Math.floor(SAVED_CELLS / 3));
    assert.ok(JSON.stringify(keptJson).length < 1e6, `${JSON.stringify(keptJson).length} characters`);
  });

  it('a progress that brings nothing new is "same": nothing to draw', () => {
    const s = reduce(INITIAL_STATE, { type: 'show', view: { kind: 'run', run: fx.run('r', 40, 'running') }, metric: 'gradRms' }).state;
    const same = reduce(s, { type: 'progress', runId: 'r', records: fx.columns(fx.epochs(40, 40)), findings: fx.FINDINGS, state: 'running' });
    assert.deepEqual(same.change, { kind: 'same' });
    assert.equal(same.state, s);
    assert.equal(reduce(s, { type: 'progress', runId: 'r', records: fx.columns([]), findings: fx.FINDINGS, state: 'done' }).change.kind, 'run');
  });
});
