// Interrupted and failing runs (issue 10): `nnspec train --json` streams its report, so SIGINT or
// SIGTERM leaves a complete document with the epochs so far and `"stopped": "cancelled"` (exit
// 130/143); an allocation that fails mid-run ends it with `"stopped": "outOfMemory"` and a plain
// message, never a stack trace.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { check, trainRun, Trainer } from '../../src/engine/index';
import type { Report } from '../../src/engine/types';
import { main } from '../../src/cli/main';
import { spiralNet } from './helpers';

const root = join(__dirname, '../../..');
const cli = join(root, 'dist/cli.js');

/** Runs `nnspec train iris --epochs 100000 --json`, sends `signal` once its first epoch is out, and collects the result. */
function interrupted(signal: 'SIGINT' | 'SIGTERM'): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'train', join(root, 'examples/iris.nnspec'), '--epochs', '100000', '--json']);
    let out = '';
    let err = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      // The signal goes once an epoch has been written, however slow the machine is.
      if (!sent && out.includes('{"epoch":')) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('hostile: interrupted and failing runs', () => {
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`train --json stopped by ${signal}: a whole report of the epochs so far, "stopped": "cancelled", exit ${status}`, async () => {
      const r = await interrupted(signal);
      assert.equal(r.code, status, r.err);
      const report = JSON.parse(r.out) as Report;
      assert.equal(report.stopped, 'cancelled');
      assert.ok(report.initial);
      assert.ok(report.epochs.length >= 1);
      const last = report.epochs[report.epochs.length - 1].epoch;
      assert.ok(last < 100000);
      // 100,000 epochs × 3 layers are thinned to every 2nd epoch, and the last one trained is kept.
      const kept = report.epochs.map((e) => e.epoch);
      assert.deepEqual(
        kept.slice(0, -1),
        kept.slice(0, -1).map((_e, i) => 1 + 2 * i),
      );
      assert.ok(kept.length === 1 || last > kept[kept.length - 2]);
      assert.match(r.err, new RegExp(`interrupted by ${signal} after ${last} epochs; the report holds them`));
      assert.doesNotMatch(r.err, /\n\s+at /);
    });
  }

  describe('an allocation that fails mid-run', () => {
    const original = Object.getOwnPropertyDescriptor(Trainer.prototype, 'run');
    beforeEach(() => {
      // The third epoch asks V8 for more than it can give: a real failed allocation, where a run
      // the budget admits meets a machine without the memory.
      const run = Trainer.prototype.run;
      Trainer.prototype.run = function* (this: Trainer) {
        const epochs = run.call(this);
        for (let e = 1; e <= 2; e++) {
          const step = epochs.next();
          if (step.done) return step.value;
          yield step.value;
        }
        new ArrayBuffer(Number.MAX_SAFE_INTEGER);
        return null;
      };
    });
    afterEach(() => {
      if (original) Object.defineProperty(Trainer.prototype, 'run', original);
    });

    it('ends the run with "stopped": "outOfMemory" and keeps the epochs before it', () => {
      const run = trainRun(check(spiralNet('dense 8 tanh', { epochs: 10 })));
      assert.equal(run.stopped, 'outOfMemory');
      assert.equal(run.history.length, 2);
      assert.ok(run.initial);
    });

    it('nnspec train --json: the report of two epochs, stopped outOfMemory, a plain message and exit 1', async () => {
      let out = '';
      let err = '';
      const code = await main(['train', join(root, 'examples/iris.nnspec'), '--epochs', '10', '--json'], {
        out: (s) => (out += s),
        err: (s) => (err += s),
        progress: false,
        color: false,
      });
      assert.equal(code, 1);
      const report = JSON.parse(out) as Report;
      assert.equal(report.stopped, 'outOfMemory');
      assert.deepEqual(
        report.epochs.map((e) => e.epoch),
        [1, 2],
      );
      assert.match(err, /iris\.nnspec: out of memory after 2 epochs: an allocation failed .*; lower the batch, the layers' width or the samples\n$/);
      assert.doesNotMatch(err, /RangeError|\n\s+at /);
    });
  });
});
