// The data line's hover: the loaded data's shape and class balance (issue 13), on the shipped
// digits (784 inputs, 10 classes) and on a CSV with unequal classes and a name that is Markdown.
import { strict as assert } from 'node:assert';
import { checkWithFiles } from '../../src/engine/index';
import { dataFileReader } from '../../src/node/dataFiles';
import { dataSummaryHover, summarizeData } from '../../src/host/language/dataSummary';
import { memoryFiles, spec } from './helpers';

describe("the data line's hover: shape and class balance", () => {
  it('the shipped digits: 1,000 samples × 784 features, 10 classes of 100 (interleaved, so balanced)', async () => {
    const text = spec(['network d', 'data mnist samples=1000', 'input 784', 'dense 30 sigmoid', 'dense 10 softmax', 'loss cross_entropy']);
    const r = await checkWithFiles(text, { read: dataFileReader(undefined) });
    assert.ok(r.dataset, JSON.stringify(r.problems));
    const s = summarizeData(r.dataset);
    assert.equal(s.samples, 1000);
    assert.equal(s.features, 784);
    assert.deepEqual(
      s.classes.map((c) => c.count),
      new Array(10).fill(100),
    );
    const md = dataSummaryHover(s);
    assert.match(md, /1,000 samples × 784 features/);
    assert.match(md, /10 classes, balanced: 100 each/);
    assert.match(md, /\| 9 \| 100 \| 10\.0% \|/);
  });

  it('a CSV: unequal classes counted by name, the spread stated, a Markdown name escaped', async () => {
    const csv = 'a,b,c,label\n' + ['1,2,3,cat', '1,2,3,cat', '1,2,3,cat', '4,5,6,*dog*', '7,8,9,cat'].join('\n') + '\n';
    const text = spec(['network c', 'data csv "d.csv" target=label', 'input 3', 'dense 4 relu', 'dense 2 softmax', 'loss cross_entropy']);
    const r = await checkWithFiles(text, { read: memoryFiles({ 'd.csv': csv }) });
    assert.ok(r.dataset, JSON.stringify(r.problems));
    const s = summarizeData(r.dataset);
    assert.equal(s.features, 3);
    const counts = Object.fromEntries(s.classes.map((c) => [c.name, c.count]));
    assert.deepEqual(counts, { cat: 4, '*dog*': 1 });
    const md = dataSummaryHover(s);
    assert.match(md, /5 samples × 3 features \(the network's inputs\), 2 classes, from 1 to 4 a class \(the largest 4\.0× the smallest\)/);
    assert.ok(md.includes('\\*dog\\*'), md);
  });

  it('a real-valued target: the shape only', () => {
    const md = dataSummaryHover({ samples: 200, features: 1, classes: [] });
    assert.equal(md, "**Loaded**: 200 samples × 1 feature (the network's inputs), a real-valued target.");
  });
});
