// Long runs (issue 10): check says what a run of more than a minute will cost in time and report
// size (an info problem on the train line), and the streamed report thins a long run to every k-th
// epoch and the last instead of writing gigabytes.

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, checkWithFiles, estimateRunCost, LONG_RUN_MS, ReportJsonStream } from '../../src/engine/index';
import { MAX_REPORT_LAYER_EPOCHS, reportStride } from '../../src/engine/reportJson';
import type { EpochRecord, Report } from '../../src/engine/types';
import { dataFileReader } from '../../src/node/dataFiles';
import { spec } from './helpers';

const longRun = (r: ReturnType<typeof check>) => r.problems.filter((p) => p.code === 'long-run');

describe('hostile: long runs', () => {
  it("1000 layers × 100,000 epochs: an info on the train line with the time and the thinned report's size", () => {
    const text = spec(['data spiral samples=64', 'input 2', 'dense 8 tanh x999', 'dense 1 sigmoid', 'train epochs=100000 batch=64']);
    // Its statistics are over the default budget (an error); with the budget raised, it is admitted with a word on its cost.
    assert.deepEqual(longRun(check(text)), []);
    const r = check(text, { memoryBudgetMB: 100_000 });
    const [p] = longRun(r);
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.severity, 'info');
    assert.equal(p.line, 5);
    const minutes = Number(/take about (\d+) minutes on one core/.exec(p.message)?.[1]);
    assert.ok(minutes >= 30 && minutes <= 180, p.message);
    assert.match(p.message, /its JSON report keeps every 500th epoch \(about \d+ MB instead of [\d.]+ GB\)/);
    assert.equal(r.trainable, true);
  });

  it('the shipped examples, a one-minute run and --epochs: no word below a minute, one above', async () => {
    const dir = join(__dirname, '../../../examples');
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.nnspec'))) {
      const file = join(dir, name);
      const r = await checkWithFiles(readFileSync(file, 'utf8'), { read: dataFileReader(file) });
      assert.deepEqual(longRun(r), [], name);
    }
    const text = spec(['data spiral samples=400', 'input 2', 'dense 16 relu x4', 'dense 1 sigmoid', 'train epochs=300 batch=32']);
    const c = check(text);
    assert.ok(estimateRunCost(c.spec, { n: 400, features: 2 }).ms < LONG_RUN_MS);
    const more = check(text, { epochs: 100_000 });
    assert.equal(longRun(more).length, 1);
    assert.match(longRun(more)[0].message, /^A long run: 100,000 epochs through 5 layers will take about \d+ minutes/);
  });

  it('a report over the layer-epoch limit keeps epochs 1, 1 + k, … and the last trained', () => {
    assert.equal(reportStride(100_000, 1000), 100_000_000 / MAX_REPORT_LAYER_EPOCHS);
    assert.equal(reportStride(300, 5), 1);
    const epochs = (count: number, stride: number) => {
      let text = '';
      const head = { version: 1, network: { name: 't', params: 3, layers: [] }, problems: [] } as Pick<Report, 'version' | 'network' | 'problems'>;
      const stream = new ReportJsonStream((s) => (text += s), head, count, stride);
      stream.start(null);
      for (let e = 1; e <= count; e++) stream.epoch({ epoch: e, loss: 1 / e, accuracy: null, layers: [], histograms: [[e]] } satisfies EpochRecord);
      stream.end([], 'cancelled');
      const report = JSON.parse(text) as Report;
      assert.equal(report.stopped, 'cancelled');
      return report.epochs.map((r) => r.epoch);
    };
    assert.deepEqual(epochs(7, 3), [1, 4, 7]);
    assert.deepEqual(epochs(8, 3), [1, 4, 7, 8]);
    assert.deepEqual(epochs(3, 1), [1, 2, 3]);
  });
});
