// Hostile data paths (issue 10): special files, loops, unreadable and oversized files are an error
// on the `data` line that says what the path is, found without reading (so nothing hangs); a path
// without its closing quote is not read; loaded data are cached by path, size and modification
// time; and checking a spec whose CSV has 200,000 rows keeps the event loop responsive.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { checkWithFiles, type CheckResult, type ReadDataFile } from '../../src/engine/index';
import { DataCache } from '../../src/node/dataCache';
import { dataFileReader } from '../../src/node/dataFiles';
import { timeSlices } from '../../src/node/timeSlices';
import { specText, writeCsv } from '../../bench/stall';
import { spec } from './helpers';

const withData = (data: string) => spec([data, 'input 2', 'dense 1 sigmoid']);

async function checkAt(dir: string, text: string, maxBytes?: number): Promise<CheckResult> {
  const specPath = join(dir, 'hostile.nnspec');
  return checkWithFiles(text, { fileName: specPath, read: dataFileReader(specPath, maxBytes === undefined ? {} : { maxBytes }) });
}

/** The errors of a check, each as `line: message`. */
const errors = (r: CheckResult) => r.problems.filter((p) => p.severity === 'error').map((p) => `${p.line}: ${p.message}`);

describe('hostile data files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gf-hostile-'));
    writeFileSync(join(dir, 'ok.csv'), 'a,b,t\n1,2,0\n3,4,1\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, () => string, RegExp][] = [
    ['a character device (/dev/zero)', () => '/dev/zero', /"\/dev\/zero": \/dev\/zero is a character device, not a regular file/],
    ['a directory', () => (mkdirSync(join(dir, 'folder.csv'), { recursive: true }), 'folder.csv'), /folder\.csv is a directory, not a regular file/],
    ['a FIFO', () => (execFileSync('mkfifo', [join(dir, 'pipe.csv')]), 'pipe.csv'), /pipe\.csv is a FIFO \(named pipe\), not a regular file/],
    [
      'a loop of symbolic links',
      () => {
        symlinkSync(join(dir, 'loop-b.csv'), join(dir, 'loop-a.csv'));
        symlinkSync(join(dir, 'loop-a.csv'), join(dir, 'loop-b.csv'));
        return 'loop-a.csv';
      },
      /loop-a\.csv is a loop of symbolic links/,
    ],
    ['a missing file', () => 'nope.csv', /there is no file .*nope\.csv/],
  ];
  for (const [name, make, message] of cases) {
    it(`${name} is an error on the data line, without reading it`, async () => {
      const path = make();
      const r = await checkAt(dir, withData(`data csv "${path}"`));
      assert.equal(r.trainable, false);
      const data = r.problems.filter((p) => p.line === 1 && p.severity === 'error');
      assert.equal(data.length, 1, JSON.stringify(r.problems));
      assert.match(data[0].message, message);
      assert.equal(data[0].startColumn, 0);
    });
  }

  it('an unreadable file is an error naming it', async function () {
    // root reads any file whatever its mode, so there is nothing to see as root.
    if (process.getuid?.() === 0) this.skip();
    writeFileSync(join(dir, 'secret.csv'), 'a,b,t\n1,2,0\n');
    chmodSync(join(dir, 'secret.csv'), 0o000);
    const r = await checkAt(dir, withData('data csv "secret.csv"'));
    assert.deepEqual(
      errors(r).map((e) => /secret\.csv is not readable \(permission denied\)/.test(e)),
      [true],
    );
  });

  it('a file over the size limit is refused before it is read, with its size and the limit', async () => {
    const r = await checkAt(dir, withData('data csv "ok.csv"'), 10);
    assert.deepEqual(errors(r).length, 1);
    assert.match(errors(r)[0], /^1: Cannot read "ok\.csv": .*ok\.csv is 18 bytes; a data file may be at most 10 bytes\.$/);
    const fine = await checkAt(dir, withData('data csv "ok.csv"'));
    assert.deepEqual(errors(fine), []);
    assert.equal(fine.dataset?.n, 2);
  });

  it('a path without its closing quote is not read', async () => {
    const asked: string[] = [];
    const read: ReadDataFile = async (p) => (asked.push(p), { ok: true, bytes: new TextEncoder().encode('a,b,t\n1,2,0\n') });
    const r = await checkWithFiles(withData('data csv "ok.csv'), { read });
    assert.deepEqual(asked, []);
    assert.deepEqual(errors(r), ['1: This string has no closing quote: add a `"` at its end.']);
  });

  it('keeps loaded data while the file keeps its size and time, and loads it again when it changes', async () => {
    const csv = join(dir, 'cached.csv');
    writeFileSync(csv, 'a,b,t\n1,2,0\n3,4,1\n');
    const cache = new DataCache();
    const specPath = join(dir, 'cached.nnspec');
    const load = cache.loader(specPath);
    const check = () => checkWithFiles(withData('data csv "cached.csv"'), { fileName: specPath, load });
    const first = await check();
    const again = await check();
    assert.equal(first.dataset?.n, 2);
    assert.equal(again.dataset, first.dataset, 'the same samples, not loaded again');
    writeFileSync(csv, 'a,b,t\n1,2,0\n3,4,1\n5,6,0\n');
    utimesSync(csv, new Date(), new Date(Date.now() + 5000));
    const changed = await check();
    assert.notEqual(changed.dataset, first.dataset);
    assert.equal(changed.dataset?.n, 3);
  });

  it('checking a spec whose CSV has 200,000 rows, then typing, keeps the event loop responsive', async function () {
    this.timeout(300_000);
    writeCsv(join(dir, 'big.csv'), 200_000);
    const specPath = join(dir, 'typing.nnspec');
    const delay = monitorEventLoopDelay({ resolution: 1 });
    const stallOf = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
      delay.reset();
      delay.enable();
      const result = await work();
      await new Promise((r) => setTimeout(r, 5));
      delay.disable();
      return [result, delay.max / 1e6];
    };
    // The whole decode at once (the CLI's path) is the yardstick: the bounds below hold on a busy
    // machine as on an idle one (bench/stall.ts measures the 50 ms target).
    const [, wholeMs] = await stallOf(() => checkWithFiles(specText(16), { fileName: specPath, read: dataFileReader(specPath) }));
    const cache = new DataCache();
    const check = (width: number) => checkWithFiles(specText(width), { fileName: specPath, load: cache.loader(specPath, { pause: timeSlices() }) });
    const [first, firstMs] = await stallOf(() => check(16));
    const [typed, typingMs] = await stallOf(async () => {
      const results: CheckResult[] = [];
      for (let k = 0; k < 5; k++) results.push(await check(17 + k));
      return results;
    });
    assert.equal(first.dataset?.n, 200_000);
    assert.deepEqual(errors(first), []);
    for (const r of typed) assert.equal(r.dataset, first.dataset);
    assert.ok(
      firstMs < wholeMs / 2,
      `the first check stalled the event loop for ${firstMs.toFixed(0)} ms; the whole decode at once for ${wholeMs.toFixed(0)} ms`,
    );
    assert.ok(
      typingMs < wholeMs / 4,
      `a keystroke stalled the event loop for ${typingMs.toFixed(0)} ms; the whole decode at once for ${wholeMs.toFixed(0)} ms`,
    );
  });
});
