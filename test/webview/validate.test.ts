import * as assert from 'node:assert/strict';
import { parseHostMessage, parseState } from '../../src/webview/validate';
import * as fx from './fixtures';

/** What crosses VS Code's postMessage: JSON, so NaN and Infinity become null. */
const wire = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('webview message validation', () => {
  it('accepts a show snapshot and a progress message as sent', () => {
    const show = parseHostMessage(wire({ type: 'show', view: { kind: 'run', run: fx.run('r', 5, 'running') }, metric: 'deltaRms' }));
    assert.ok(show.ok);
    assert.equal(show.value.type, 'show');
    if (show.value.type === 'show' && show.value.view.kind === 'run') {
      assert.equal(show.value.view.run.epochs.length, 5);
      assert.equal(show.value.view.run.epochs[4]?.histograms[0]?.length, 32);
    }
    const progress = parseHostMessage(wire({ type: 'progress', runId: 'r', records: fx.epochs(6, 7), findings: fx.FINDINGS, state: 'done', verdict: 'fine' }));
    assert.ok(progress.ok && progress.value.type === 'progress' && progress.value.verdict === 'fine');
  });

  it('turns JSON nulls in statistics back into NaN', () => {
    const records = fx.epochs(31, 31, { depthFactor: 1, lr: 5, seed: 1, nanFrom: 31 });
    const p = parseHostMessage(wire({ type: 'progress', runId: 'r', records, findings: [], state: 'nonfinite' }));
    assert.ok(p.ok && p.value.type === 'progress');
    const r = p.value.records[0];
    assert.ok(r && Number.isNaN(r.loss) && Number.isNaN(r.layers[0]?.gradRms ?? 0));
    assert.ok(Number.isNaN(r.layers[0]?.updateRatio ?? 0), 'Infinity was null on the wire');
    assert.equal(r.accuracy, null);
  });

  it('names the first bad field', () => {
    const cases: [unknown, string][] = [
      ['hello', 'message: expected an object'],
      [{ type: 'bogus' }, 'type: expected show | progress'],
      [{ type: 'progress', runId: 5 }, 'runId: expected a string'],
      [{ type: 'show', view: { kind: 'run', run: { ...fx.run('r', 1, 'running'), layers: 'x' } }, metric: 'gradRms' }, 'view.run.layers: expected an array'],
      [
        { type: 'show', view: { kind: 'run', run: fx.run('r', 1, 'running') }, metric: 'loss' },
        'metric: expected gradRms | deltaRms | updateRatio | dead | saturated',
      ],
      [
        { type: 'progress', runId: 'r', records: [{ ...fx.epochs(1, 1)[0], epoch: 'one' }], findings: [], state: 'running' },
        'records[0].epoch: expected a finite number',
      ],
      [{ type: 'progress', runId: 'r', records: [], findings: [{ ...fx.FINDINGS[0], kind: 'sad' }], state: 'running' }, 'findings[0].kind: expected vanishing'],
      [{ type: 'progress', runId: 'r', records: [], findings: [], state: 'sleeping' }, 'state: expected running | done'],
    ];
    for (const [msg, error] of cases) {
      const p = parseHostMessage(msg);
      assert.ok(!p.ok, JSON.stringify(msg));
      assert.ok(p.error.startsWith(error), `${p.error} should start with ${error}`);
    }
  });

  it('rejects a snapshot whose epochs disagree with its layers', () => {
    const run = fx.run('r', 2, 'running');
    const bad = { ...run, epochs: [run.epochs[0], { ...run.epochs[1], layers: run.epochs[1]?.layers.slice(0, 2) }] };
    const p = parseHostMessage({ type: 'show', view: { kind: 'run', run: bad }, metric: 'gradRms' });
    assert.ok(!p.ok && p.error === 'view.run.epochs[1].layers: expected 3 layers');
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
    const saved = wire({ view: { kind: 'run', run: fx.run('r', 3, 'done') }, metric: 'dead', lossLog: true });
    const s = parseState(saved);
    assert.ok(s.ok && s.value.metric === 'dead' && s.value.lossLog === true && s.value.view?.kind === 'run');
    assert.ok(parseState({ view: null, metric: 'gradRms' }).ok);
    const bad = parseState({ view: { kind: 'run' }, metric: 'gradRms' });
    assert.ok(!bad.ok && bad.error === 'view.run: expected an object');
  });
});
