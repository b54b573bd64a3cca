import * as assert from 'node:assert/strict';
import type { HostToPanel } from '../../src/protocol';
import { INITIAL_STATE, reduce, runsOf } from '../../src/webview/state';
import { deltaRatios, layerVerdicts } from '../../src/webview/verdict';
import * as fx from './fixtures';

describe('webview state', () => {
  const show: HostToPanel = { type: 'show', view: { kind: 'run', run: fx.run('r', 40, 'running') }, metric: 'updateRatio' };

  it('show replaces the view and the metric', () => {
    const { state, change } = reduce(INITIAL_STATE, show);
    assert.deepEqual(change, { kind: 'view' });
    assert.equal(state.metric, 'updateRatio');
    assert.equal(runsOf(state.view)[0]?.records.epoch.length, 40);
  });

  it('progress appends epochs, replaces findings and state, skips epochs already there', () => {
    const s1 = reduce(INITIAL_STATE, show).state;
    const { state, change } = reduce(s1, { type: 'progress', runId: 'r', records: fx.columns(fx.epochs(39, 45)), findings: [], state: 'done' });
    assert.deepEqual(change, { kind: 'run', runId: 'r' });
    const run = runsOf(state.view)[0];
    assert.deepEqual([...(run?.records.epoch ?? [])].slice(-6), [40, 41, 42, 43, 44, 45]);
    assert.equal(run?.records.epoch.length, 45);
    assert.equal(run?.records.stats.gradRms[1]?.[44], Math.fround(fx.epochs(45, 45)[0]!.layers[1]!.gradRms), 'the columns grew with the new records');
    assert.equal(run?.records.loss.length, 45);
    assert.equal(run?.state, 'done');
    assert.deepEqual(run?.findings, []);
    assert.equal(runsOf(s1.view)[0]?.records.epoch.length, 40, 'the old state is not mutated');
  });

  it('progress grows the columns in place, yet every earlier state keeps its records, and a second growth of one state copies', () => {
    const progress = (from: number, to: number, seed: number): HostToPanel => ({
      type: 'progress',
      runId: 'r',
      records: fx.columns(fx.epochs(from, to, { depthFactor: 0.07, lr: 0.5, seed })),
      findings: [],
      state: 'running',
    });
    const gradAt = (state: ReturnType<typeof reduce>['state'], i: number): number | undefined => runsOf(state.view)[0]?.records.stats.gradRms[1]?.[i];
    const s1 = reduce(INITIAL_STATE, show).state;
    const s2 = reduce(s1, progress(41, 45, 7)).state;
    const s3 = reduce(s2, progress(46, 50, 7)).state;
    const col2 = runsOf(s2.view)[0]?.records.stats.gradRms[1];
    const col3 = runsOf(s3.view)[0]?.records.stats.gradRms[1];
    assert.equal(col3?.buffer, col2?.buffer, 'the second progress wrote after the first, without copying the run');
    // Another progress from s2 (a state the page no longer holds, but nothing forbids it) must not overwrite s3's epochs 46..48.
    const s3b = reduce(s2, progress(46, 48, 99)).state;
    assert.notEqual(runsOf(s3b.view)[0]?.records.stats.gradRms[1]?.buffer, col2?.buffer);
    assert.equal(gradAt(s3, 45), Math.fround(fx.epochs(46, 46, { depthFactor: 0.07, lr: 0.5, seed: 7 })[0]!.layers[1]!.gradRms));
    assert.equal(gradAt(s3b, 45), Math.fround(fx.epochs(46, 46, { depthFactor: 0.07, lr: 0.5, seed: 99 })[0]!.layers[1]!.gradRms));
    assert.notEqual(gradAt(s3, 45), gradAt(s3b, 45));
    assert.deepEqual(
      [s1, s2, s3, s3b].map((s) => runsOf(s.view)[0]?.records.epoch.length),
      [40, 45, 50, 48],
    );
    assert.deepEqual([...(runsOf(s3.view)[0]?.records.epoch ?? [])].slice(38), [39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50]);
  });

  it('progress for an unknown run, or with no run view, changes nothing', () => {
    const s1 = reduce(INITIAL_STATE, show).state;
    const r = reduce(s1, { type: 'progress', runId: 'other', records: fx.columns(fx.epochs(41, 41)), findings: [], state: 'running' });
    assert.equal(r.change.kind, 'none');
    assert.equal(r.state, s1);
    assert.equal(reduce(INITIAL_STATE, { type: 'progress', runId: 'r', records: fx.columns([]), findings: [], state: 'running' }).change.kind, 'none');
  });

  it('progress in compare updates that variant and its verdict only', () => {
    const s1 = reduce(INITIAL_STATE, { type: 'show', view: { kind: 'compare', fileName: fx.FILE, variants: fx.variants() }, metric: 'gradRms' }).state;
    const s2 = reduce(s1, {
      type: 'progress',
      runId: 'v3',
      records: fx.columns(fx.epochs(36, 37)),
      findings: [],
      state: 'nonfinite',
      verdict: 'diverged',
    }).state;
    assert.ok(s2.view?.kind === 'compare');
    if (s2.view?.kind !== 'compare') return;
    assert.deepEqual(
      s2.view.variants.map((v) => v.run.records.epoch.length),
      [50, 50, 37],
    );
    assert.deepEqual(
      s2.view.variants.map((v) => v.verdict.slice(0, 8)),
      ['L0 vanis', 'Healthy:', 'diverged'],
    );
  });

  it('verdicts per layer from the findings, and deltaRms ratios to the output layer', () => {
    const run = fx.run('r', 50, 'done');
    assert.deepEqual(
      layerVerdicts(run).map((v) => [v.text, v.severity]),
      [
        ['vanishing', 'warning'],
        ['saturated', 'info'],
        ['ok', null],
      ],
    );
    const worse = { ...run, findings: [...run.findings, { ...fx.FINDINGS[0]!, kind: 'dead' as const, severity: 'error' as const, layers: [0, 1] }] };
    assert.deepEqual(
      layerVerdicts(worse).map((v) => [v.text, v.severity]),
      [
        ['vanishing, dead', 'error'],
        ['saturated, dead', 'error'],
        ['ok', null],
      ],
    );
    const last = fx.epochs(50, 50)[0]!;
    const ratios = deltaRatios(run);
    assert.equal(ratios[2], 1);
    assert.equal(ratios[0], Math.fround(last.layers[0]!.deltaRms) / Math.fround(last.layers[2]!.deltaRms));
    assert.ok(ratios[0]! < 0.02);
  });
});
