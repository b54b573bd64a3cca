import * as assert from 'node:assert/strict';
import { parseHostMessage, parseState } from '../../src/webview/validate';
import * as fx from './fixtures';

/** What crosses VS Code's postMessage: typed arrays as they are, the rest as JSON would carry it. */
const wire = (v: unknown): unknown => structuredClone(v);
/** What setState keeps: JSON, typed arrays written as arrays (savedState), so NaN and Infinity become null. */
const json = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x instanceof Float32Array || x instanceof Int32Array ? Array.from(x) : x)));

describe('webview message validation', () => {
  it('accepts a show snapshot and a progress message as sent', () => {
    const show = parseHostMessage(wire({ type: 'show', view: { kind: 'run', run: fx.run('r', 5, 'running') }, metric: 'deltaRms' }));
    assert.ok(show.ok);
    assert.equal(show.value.type, 'show');
    if (show.value.type === 'show' && show.value.view.kind === 'run') {
      assert.equal(show.value.view.run.records.epoch.length, 5);
      assert.ok(show.value.view.run.records.stats.dead[2] instanceof Float32Array);
    }
    const records = fx.columns(fx.epochs(6, 7));
    const progress = parseHostMessage(wire({ type: 'progress', runId: 'r', records, findings: fx.FINDINGS, state: 'done', verdict: 'fine' }));
    assert.ok(progress.ok && progress.value.type === 'progress' && progress.value.verdict === 'fine');
    assert.deepEqual(progress.value.records, records);
    const answer = { type: 'histogram', runId: 'r', stride: 1, record: 3, layer: 2, epoch: 4, counts: [1, 2, 3] };
    assert.deepEqual((parseHostMessage(answer) as { value: unknown }).value, answer);
    assert.ok(parseHostMessage({ ...answer, counts: null }).ok, 'no histogram kept');
  });

  it('keeps non-finite statistics of typed arrays, and reads JSON nulls (the saved state) back as NaN', () => {
    const records = fx.columns(fx.epochs(31, 31, { depthFactor: 1, lr: 5, seed: 1, nanFrom: 31 }));
    const typed = parseHostMessage(wire({ type: 'progress', runId: 'r', records, findings: [], state: 'nonfinite' }));
    assert.ok(typed.ok && typed.value.type === 'progress');
    assert.equal(typed.value.records.stats.updateRatio[0]?.[0], Infinity);
    const p = parseHostMessage(json({ type: 'progress', runId: 'r', records, findings: [], state: 'nonfinite' }));
    assert.ok(p.ok && p.value.type === 'progress');
    const r = p.value.records;
    assert.ok(Number.isNaN(r.loss[0]!) && Number.isNaN(r.stats.gradRms[0]![0]!));
    assert.ok(Number.isNaN(r.stats.updateRatio[0]![0]!), 'Infinity was null in JSON');
    assert.ok(Number.isNaN(r.accuracy[0]!), 'no accuracy');
  });

  it('names the first bad field', () => {
    const cases: [unknown, string][] = [
      ['hello', 'message: expected an object'],
      [{ type: 'bogus' }, 'type: expected show | progress'],
      [{ type: 'progress', runId: 5 }, 'runId: expected a string'],
      [{ type: 'show', view: { kind: 'run', run: { ...fx.run('r', 1, 'running'), layers: 'x' } }, metric: 'gradRms' }, 'view.run.layers: expected an array'],
      [
        { type: 'show', view: { kind: 'run', run: fx.run('r', 1, 'running') }, metric: 'loss' },
        'metric: expected gradRms | deltaRms | biasGradNorm | updateRatio | dead | saturated',
      ],
      [
        { type: 'progress', runId: 'r', records: { ...fx.columns(fx.epochs(1, 1)), epoch: ['one'] }, findings: [], state: 'running' },
        'records.epoch[0]: expected a finite number',
      ],
      [
        { type: 'progress', runId: 'r', records: { ...fx.columns(fx.epochs(1, 2)), epoch: Int32Array.from([2, 1]) }, findings: [], state: 'running' },
        'records.epoch[1]: expected an epoch after the one before',
      ],
      [
        { type: 'progress', runId: 'r', records: { ...fx.columns(fx.epochs(1, 2)), loss: new Float32Array(1) }, findings: [], state: 'running' },
        'records.loss: expected 2 values',
      ],
      [
        { type: 'progress', runId: 'r', records: fx.columns([]), findings: [{ ...fx.FINDINGS[0], kind: 'sad' }], state: 'running' },
        'findings[0].kind: expected vanishing',
      ],
      [{ type: 'progress', runId: 'r', records: fx.columns([]), findings: [], state: 'sleeping' }, 'state: expected running | done'],
      [{ type: 'histogram', runId: 'r', stride: 1, record: -1, layer: 0, epoch: 1, counts: null }, 'record: expected an integer from 0'],
    ];
    for (const [msg, error] of cases) {
      const p = parseHostMessage(msg);
      assert.ok(!p.ok, JSON.stringify(msg));
      assert.ok(p.error.startsWith(error), `${p.error} should start with ${error}`);
    }
  });

  it('rejects a snapshot whose columns disagree with its layers', () => {
    const run = fx.run('r', 2, 'running');
    const bad = { ...run, records: { ...run.records, stats: { ...run.records.stats, saturated: run.records.stats.saturated.slice(0, 2) } } };
    const p = parseHostMessage({ type: 'show', view: { kind: 'run', run: bad }, metric: 'gradRms' });
    assert.ok(!p.ok && p.error === 'view.run.records.stats.saturated: expected 3 layers', p.ok ? '' : p.error);
  });

  it('checks compare and lrFind views', () => {
    assert.ok(parseHostMessage(wire({ type: 'show', view: { kind: 'compare', fileName: fx.FILE, variants: fx.variants() }, metric: 'gradRms' })).ok);
    assert.ok(parseHostMessage(wire({ type: 'show', view: { kind: 'lrFind', lrFind: fx.lrFind() }, metric: 'gradRms' })).ok);
    const noSuggestion = parseHostMessage({ type: 'show', view: { kind: 'lrFind', lrFind: { ...fx.lrFind(), suggested: null } }, metric: 'gradRms' });
    assert.ok(noSuggestion.ok);
    const p = parseHostMessage({ type: 'show', view: { kind: 'lrFind', lrFind: { ...fx.lrFind(), currentLr: 'fast' } }, metric: 'gradRms' });
    assert.ok(!p.ok && p.error === 'view.lrFind.currentLr: expected a finite number');
  });

  it('restores saved state, and drops a damaged one', () => {
    const saved = json({ view: { kind: 'run', run: fx.run('r', 3, 'done') }, metric: 'dead', lossLog: true });
    const s = parseState(saved);
    assert.ok(s.ok && s.value.metric === 'dead' && s.value.lossLog === true && s.value.view?.kind === 'run');
    assert.ok(parseState({ view: null, metric: 'gradRms' }).ok);
    const bad = parseState({ view: { kind: 'run' }, metric: 'gradRms' });
    assert.ok(!bad.ok && bad.error === 'view.run: expected an object');
  });
});
