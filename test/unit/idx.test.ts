import { strict as assert } from 'node:assert';
import { gzipSync } from 'node:zlib';
import { checkWithFiles, type FileRead } from '../../src/engine/index';
import { dataFileReader } from '../../src/node/dataFiles';
import { spec } from './helpers';

/** An IDX file: magic, sizes, then the bytes. */
function idx(magic: number, dims: number[], values: number[] | Uint8Array): Uint8Array {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return new Uint8Array(Buffer.concat([head, Buffer.from(values)]));
}

// Six 2×3 images whose pixel j of image i is 40·i + j, labels i mod 3.
const IMAGES = idx(
  2051,
  [6, 2, 3],
  Array.from({ length: 36 }, (_, k) => 40 * Math.floor(k / 6) + (k % 6)),
);
const LABELS = idx(2049, [6], [0, 1, 2, 0, 1, 2]);

const files =
  (f: Record<string, Uint8Array>) =>
  async (path: string): Promise<FileRead> =>
    path in f ? { ok: true, bytes: f[path] } : { ok: false, error: 'no such file' };

const idxSpec = (options = '', input = 6) =>
  spec(['network idx-test', `data idx "img" labels="lab" ${options}`, `input ${input}`, 'dense 4 sigmoid', 'dense 3 softmax']);

async function load(f: Record<string, Uint8Array>, options = '', input = 6) {
  return checkWithFiles(idxSpec(options, input), { read: files(f) });
}

/** The one error of a check, which must be on the data line (line 2). */
async function dataError(f: Record<string, Uint8Array>, options = ''): Promise<string> {
  const r = await load(f, options);
  const errors = r.problems.filter((p) => p.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0].line, 2);
  return errors[0].message;
}

describe('data idx', () => {
  it('reads images and labels, plain or gzip (told by the content), as value/scale', async () => {
    for (const [img, lab] of [
      [IMAGES, LABELS],
      [gzipSync(IMAGES), gzipSync(LABELS)],
      [gzipSync(IMAGES), LABELS],
    ]) {
      const r = await load({ img, lab });
      assert.ok(r.trainable, JSON.stringify(r.problems));
      const d = r.dataset!;
      assert.deepEqual([d.n, d.features, d.classes], [6, 6, 3]);
      assert.deepEqual(Array.from(d.y), [0, 1, 2, 0, 1, 2]);
      assert.equal(d.x[2 * 6 + 5], (80 + 5) / 255);
    }
    const some = await load({ img: IMAGES, lab: LABELS }, 'samples=2 offset=3 scale=1');
    assert.deepEqual(Array.from(some.dataset!.y), [0, 1]);
    assert.deepEqual(Array.from(some.dataset!.x.subarray(0, 6)), [120, 121, 122, 123, 124, 125]);
  });

  it("matches input against the images' pixels", async () => {
    const r = await load({ img: IMAGES, lab: LABELS }, '', 784);
    assert.ok(r.problems.some((p) => p.code === 'input-mismatch' && /6 features/.test(p.message)));
  });

  it('says on the data line what is wrong with a malformed file', async () => {
    assert.match(await dataError({ img: LABELS, lab: LABELS }), /"img" does not start with the magic number 2051 .* starts with 2049 .*swapped/);
    assert.match(await dataError({ img: IMAGES, lab: IMAGES }), /"lab" does not start with the magic number 2049/);
    assert.match(await dataError({ img: idx(0x0d03, [6, 2, 3], IMAGES.subarray(16)), lab: LABELS }), /starts with 3331/);
    assert.match(await dataError({ img: IMAGES.subarray(0, 3), lab: LABELS }), /"img" is truncated: 3 bytes, shorter than an IDX header/);
    assert.match(await dataError({ img: IMAGES.subarray(0, 10), lab: LABELS }), /"img" is truncated: 10 bytes, shorter than its 16-byte header/);
    assert.match(
      await dataError({ img: IMAGES.subarray(0, 40), lab: LABELS }),
      /"img" is truncated: its header says 6 × 2 × 3 bytes of images \(52 bytes with the header\) but the file has 40/,
    );
    assert.match(
      await dataError({ img: new Uint8Array([...IMAGES, 7, 7]), lab: LABELS }),
      /"img" has 54 bytes but its header's sizes \(6 × 2 × 3\) make 52: the sizes disagree/,
    );
    assert.match(await dataError({ img: IMAGES, lab: idx(2049, [5], [0, 1, 2, 0, 1]) }), /"img" holds 6 images but "lab" 5 labels/);
    const gz = gzipSync(IMAGES);
    assert.match(await dataError({ img: gz.subarray(0, gz.length - 9), lab: LABELS }), /"img" starts as gzip but is truncated or damaged/);
    // The same checks on a gzip file's content and on the labels file.
    assert.match(await dataError({ img: gzipSync(LABELS), lab: LABELS }), /"img" does not start with the magic number 2051 .*swapped/);
    assert.match(
      await dataError({ img: IMAGES, lab: gzipSync(LABELS.subarray(0, LABELS.length - 2)) }),
      /"lab" is truncated: its header says 6 bytes of labels/,
    );
    assert.match(await dataError({ img: IMAGES, lab: LABELS.subarray(0, 6) }), /"lab" is truncated: 6 bytes, shorter than its 8-byte header/);
    assert.match(await dataError({ img: IMAGES, lab: LABELS }, 'samples=5 offset=3'), /samples=5 from offset=3 asks for images up to 8, but "img" holds 6/);
    assert.match(await dataError({ img: IMAGES, lab: LABELS }, 'offset=6'), /offset=6 is past the 6 images/);
    assert.match(await dataError({ img: IMAGES, lab: idx(2049, [6], [0, 0, 0, 0, 0, 0]) }), /labels .* are all 0: a classification needs at least 2 classes/);
    assert.match(await dataError({ img: IMAGES }), /Cannot read "lab": no such file/);
  });

  it('needs its path and labels on the line', async () => {
    let r = await checkWithFiles(spec(['data idx labels="lab"', 'input 6', 'dense 3 softmax']), { read: files({}) });
    assert.ok(r.problems.some((p) => p.line === 1 && p.code === 'syntax' && /needs its path in double quotes/.test(p.message)));
    r = await checkWithFiles(spec(['data idx "img"', 'input 6', 'dense 3 softmax']), { read: files({ img: IMAGES }) });
    assert.ok(r.problems.some((p) => p.line === 1 && /needs labels="LABELS"/.test(p.message)));
  });
});

describe('data mnist', () => {
  const read = dataFileReader(undefined);
  const mnist = (options: string) => spec([`data mnist ${options}`, 'input 784', 'dense 10 sigmoid', 'loss bce']);

  it('loads the shipped digits: 784 features in [0, 1], 10 classes, balanced in any 10·k first digits', async () => {
    const r = await checkWithFiles(mnist(''), { read });
    assert.ok(r.trainable, JSON.stringify(r.problems));
    const d = r.dataset!;
    assert.deepEqual([d.n, d.features, d.classes], [1000, 784, 10]);
    const counts = new Array(10).fill(0);
    for (const y of d.y) counts[y]++;
    assert.deepEqual(counts, new Array(10).fill(100));
    let max = 0;
    let ink = 0;
    for (const v of d.x) {
      if (v > max) max = v;
      if (v > 0) ink++;
    }
    assert.ok(max <= 1 && max > 0.99);
    // A digit covers about a fifth of its 28×28 pixels.
    assert.ok(ink / d.x.length > 0.1 && ink / d.x.length < 0.3, String(ink / d.x.length));
    const later = await checkWithFiles(mnist('samples=20 offset=4980'), { read });
    assert.deepEqual(Array.from(later.dataset!.y.subarray(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('says how many digits are shipped when asked for more', async () => {
    const r = await checkWithFiles(mnist('samples=4000 offset=2000'), { read });
    assert.ok(r.problems.some((p) => p.code === 'out-of-range' && /5,000 are shipped/.test(p.message)));
    assert.ok(!r.trainable);
  });
});
