import * as assert from 'node:assert/strict';
import { wireSafe } from '../../src/host/panel/wireSafe';

describe('the panel messages on the wire (host/panel/wireSafe)', () => {
  it('turns every typed array into a plain array of the same numbers, float32 values exactly, each at its shortest decimal', () => {
    const col = Float32Array.from([0.1, NaN, 1e-30, 3]);
    const msg = {
      type: 'progress',
      runId: 'r',
      records: { epoch: Int32Array.from([1, 2, 3, 4]), stats: { gradRms: [col, new Float32Array(0)] } },
      findings: [],
    };
    const out = wireSafe(msg);
    assert.deepEqual(out.records.epoch, [1, 2, 3, 4]);
    assert.ok(Array.isArray(out.records.stats.gradRms[0]));
    assert.deepEqual(out.records.stats.gradRms[1], []);
    const back = Float32Array.from(out.records.stats.gradRms[0] as unknown as number[]);
    assert.deepEqual(Array.from(back), Array.from(col));
    assert.ok(Number.isNaN(back[1]));
    // JSON carries it (NaN as null, which the page reads back as NaN).
    assert.match(JSON.stringify(out.records.stats.gradRms[0]), /^\[0\.1,null,1e-30,3\]$/);
  });

  it('leaves a message without typed arrays as it is, and does not change the one it was given', () => {
    const plain = { type: 'outOfDate', outOfDate: true, list: [1, { a: 'x' }] };
    assert.equal(wireSafe(plain), plain);
    const typed = { view: { runs: [{ records: Float32Array.from([1]) }] } };
    const out = wireSafe(typed);
    assert.notEqual(out, typed);
    assert.ok(typed.view.runs[0]!.records instanceof Float32Array, 'the original keeps its typed array');
    assert.deepEqual(out.view.runs[0]!.records, [1]);
  });
});
