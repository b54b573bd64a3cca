// The job service's pure parts: every way a worker job ends mapped to one JobOutcome, what a run's
// data and the user are told of each, and the Disposable base the host's services share.
import * as assert from 'node:assert/strict';
import type { Report } from '../../src/engine/types';
import { Disposable } from '../../src/host/disposable';
import { RunData } from '../../src/host/panel/runData';
import {
  failureMessage,
  hasFindings,
  markStopped,
  outcomeOfError,
  outcomeOfExit,
  outcomeOfMessage,
  settle,
  type JobOutcome,
} from '../../src/host/runs/outcome';

const report = (stopped: Report['stopped']) => ({ type: 'done', report: { stopped } as Report }) as const;
const problem = { line: 4, startColumn: 0, endColumn: 6, severity: 'error', code: 'unknown-activation', message: 'Unknown activation `sigmod`' } as const;

describe('host: job outcomes', () => {
  it('a report ends done, nonfinite or cancelled as its stopped says', () => {
    assert.deepEqual(outcomeOfMessage(report(null), false), { kind: 'done' });
    assert.deepEqual(outcomeOfMessage(report('nonfinite'), false), { kind: 'nonfinite' });
    assert.deepEqual(outcomeOfMessage(report('cancelled'), true), { kind: 'cancelled', reported: true });
  });

  it('an lr sweep is done, or cancelled when a stop was asked for', () => {
    const found = { type: 'lrFound', points: [], suggested: null, currentLr: 0.1, check: null } as const;
    assert.deepEqual(outcomeOfMessage(found, false), { kind: 'done' });
    assert.deepEqual(outcomeOfMessage(found, true), { kind: 'cancelled', reported: true });
  });

  it('started and epochs end nothing; rejected carries its problems', () => {
    assert.equal(outcomeOfMessage({ type: 'epochs', records: [], findings: [] }, false), undefined);
    assert.equal(outcomeOfMessage({ type: 'started', name: 'x', layers: [], params: 0, epochs: 1, problems: [], initial: null }, true), undefined);
    assert.deepEqual(outcomeOfMessage({ type: 'rejected', problems: [problem] }, false), { kind: 'rejected', problems: [problem] });
  });

  it('a failed allocation is out of memory, any other failure a crash', () => {
    assert.deepEqual(outcomeOfMessage({ type: 'failed', message: 'Array buffer allocation failed' }, false), {
      kind: 'outOfMemory',
      message: 'Array buffer allocation failed',
    });
    assert.equal(outcomeOfMessage({ type: 'failed', message: 'WebAssembly.Memory.grow(): Maximum memory size exceeded' }, false)?.kind, 'outOfMemory');
    assert.deepEqual(outcomeOfMessage({ type: 'failed', message: 'x is not a function' }, false), { kind: 'crashed', message: 'x is not a function' });
    assert.deepEqual(outcomeOfError({ message: 'heap', code: 'ERR_WORKER_OUT_OF_MEMORY' }), {
      kind: 'outOfMemory',
      message: 'The training worker ran out of memory: heap',
    });
    assert.deepEqual(outcomeOfError(new Error('boom')), { kind: 'crashed', message: 'The training worker crashed: boom' });
  });

  it('an exit is a cancel when a stop was asked for, else a crash with its code', () => {
    assert.deepEqual(outcomeOfExit(1, true), { kind: 'cancelled', reported: false });
    assert.deepEqual(outcomeOfExit(70, false), { kind: 'crashed', message: 'The training worker exited unexpectedly (exit code 70).' });
  });

  it('findings describe a run that reported, stopped or not', () => {
    const kinds: [JobOutcome, boolean][] = [
      [{ kind: 'done' }, true],
      [{ kind: 'nonfinite' }, true],
      [{ kind: 'cancelled', reported: true }, true],
      [{ kind: 'cancelled', reported: false }, false],
      [{ kind: 'rejected', problems: [] }, false],
      [{ kind: 'crashed', message: 'x' }, false],
      [{ kind: 'outOfMemory', message: 'x' }, false],
    ];
    for (const [o, has] of kinds) assert.equal(hasFindings(o), has, JSON.stringify(o));
  });

  it("settles a run's data: failed with the message, cancelled, or as the report left it", () => {
    const data = () => new RunData('r', '/w/a.nnspec', 'a.nnspec', '');
    const crashed = data();
    settle(crashed, { kind: 'crashed', message: 'boom' });
    assert.deepEqual([crashed.state, crashed.error], ['failed', 'boom']);
    const oom = data();
    settle(oom, { kind: 'outOfMemory', message: 'Array buffer allocation failed' });
    assert.equal(oom.state, 'failed');
    assert.match(oom.error ?? '', /Array buffer allocation failed\. Lower the batch/);
    const stopped = data();
    settle(stopped, { kind: 'cancelled', reported: false });
    assert.deepEqual([stopped.state, stopped.stopped], ['cancelled', 'cancelled']);
    const done = data();
    settle(done, { kind: 'done' });
    assert.equal(done.state, 'running', 'a done outcome leaves the state to the report');
  });

  it('tells the user of failures only, naming the first error line of a rejected spec', () => {
    const what = { label: 'a.nnspec', doing: 'training a.nnspec', notDone: 'it was not trained' };
    assert.equal(failureMessage({ kind: 'done' }, what), undefined);
    assert.equal(failureMessage({ kind: 'cancelled', reported: true }, what), undefined);
    assert.equal(failureMessage({ kind: 'crashed', message: 'boom' }, what), 'Gradient Flow: training a.nnspec failed. boom.');
    assert.match(
      failureMessage({ kind: 'outOfMemory', message: 'm' }, what) ?? '',
      /^Gradient Flow: training a\.nnspec ran out of memory\. m\. Lower the batch/,
    );
    assert.equal(
      failureMessage({ kind: 'rejected', problems: [problem] }, what),
      'Gradient Flow: a.nnspec has errors, so it was not trained. Line 4: Unknown activation `sigmod`',
    );
  });

  it('marks the findings of a stopped run with where it stopped', () => {
    const f = { kind: 'vanishing', severity: 'warning', layers: [0], line: 3, message: 'Layer 0 vanishes.', fixes: [], evidence: { series: [] } } as const;
    const [m] = markStopped([f], 12, 500);
    assert.equal(m.message, 'Layer 0 vanishes. (From a run stopped at epoch 12 of 500.)');
    assert.equal(f.message, 'Layer 0 vanishes.', 'the original is not changed');
  });
});

describe('host: Disposable', () => {
  class Owner extends Disposable {
    own(d: { dispose(): void }) {
      return this._register(d);
    }
  }

  it('disposes what it registered once, newest first, and at once what comes after', () => {
    const order: string[] = [];
    const o = new Owner();
    o.own({ dispose: () => order.push('a') });
    o.own({ dispose: () => order.push('b') });
    o.dispose();
    o.dispose();
    assert.deepEqual(order, ['b', 'a']);
    o.own({ dispose: () => order.push('late') });
    assert.deepEqual(order, ['b', 'a', 'late']);
  });
});
