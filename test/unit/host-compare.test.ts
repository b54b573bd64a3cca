// Compare and Find Learning Rate on the host side, without VS Code: the worker pool's limit and
// queue, the maxWorkers setting's meaning, the variants offered, the verdict line at every stage,
// the line edits of Apply, the worker's lrFind mode, and the hover of a learning-rate finding.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, parseSpec, trainToReport } from '../../src/engine/index';
import type { WorkerToHost } from '../../src/protocol';
import { lineChanges, variantChoices, variantVerdict } from '../../src/host/runs/compareModel';
import { findingHover } from '../../src/host/language/hoverText';
import { RunData } from '../../src/host/panel/runData';
import { WorkerPool, workerLimit } from '../../src/host/runs/workerPool';
import { TrainingSession } from '../../src/host/runs/trainingSession';

import { spiralNet } from './helpers';

const WORKER = join(__dirname, '..', '..', '..', 'dist', 'worker.js');
const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');
const deepSigmoid = readFileSync(join(EXAMPLES, 'deep-sigmoid.nnspec'), 'utf8');

const tick = () => new Promise<void>((r) => setTimeout(r, 1));

describe('host: worker pool', () => {
  it('runs at most `limit` tasks at once, the rest in order as slots free', async () => {
    const pool = new WorkerPool(2);
    const started: number[] = [];
    const release: (() => void)[] = [];
    const tasks = [0, 1, 2, 3, 4].map((i) =>
      pool.run(async () => {
        started.push(i);
        await new Promise<void>((r) => (release[i] = r));
        return i * 10;
      }),
    );
    await tick();
    assert.deepEqual(started, [0, 1]);
    assert.equal(pool.waiting, 3);
    release[1]();
    await tick();
    assert.deepEqual(started, [0, 1, 2]);
    release[0]();
    release[2]();
    await tick();
    assert.deepEqual(started, [0, 1, 2, 3, 4]);
    release[3]();
    release[4]();
    assert.deepEqual(await Promise.all(tasks), [0, 10, 20, 30, 40]);
    assert.equal(pool.peak, 2);
    assert.equal(pool.active, 0);
  });

  it('a task that throws frees its slot', async () => {
    const pool = new WorkerPool(1);
    const failed = pool.run(async () => {
      throw new Error('boom');
    });
    const next = pool.run(async () => 'ran');
    await assert.rejects(failed, /boom/);
    assert.equal(await next, 'ran');
    assert.equal(pool.peak, 1);
  });

  it('needs a limit of at least 1', () => {
    assert.throws(() => new WorkerPool(0), RangeError);
  });
});

describe('host: nnspec.maxWorkers', () => {
  it('0 or nonsense means the number of cores (at least 1); a positive integer is used as it is', () => {
    assert.equal(workerLimit(0, 8), 8);
    assert.equal(workerLimit(undefined, 2), 2);
    assert.equal(workerLimit(-3, 4), 4);
    assert.equal(workerLimit('2', 4), 4);
    assert.equal(workerLimit(0, 0), 1);
    assert.equal(workerLimit(1, 8), 1);
    assert.equal(workerLimit(3.7, 8), 3);
    assert.equal(workerLimit(16, 2), 16);
  });
});

describe('host: Compare variants offered', () => {
  it('the file as written and the three activation variants picked, then optimizers and learning rates', () => {
    const choices = variantChoices(deepSigmoid, check(deepSigmoid).spec);
    assert.deepEqual(
      choices.filter((c) => c.picked).map((c) => c.variant.id),
      ['as-written', 'relu+he_normal', 'leaky_relu+he_normal', 'tanh+glorot_uniform'],
    );
    assert.deepEqual(
      choices.filter((c) => !c.picked).map((c) => `${c.group}: ${c.variant.id}`),
      [
        'Residual and normalization: residual',
        'Residual and normalization: norm=layer',
        'Residual and normalization: norm=batch',
        'Optimizers: adam',
        'Optimizers: rmsprop',
        'Learning rates: lr=0.01',
        'Learning rates: lr=1',
        'Learning rates: lr=0.001',
      ],
    );
    assert.equal(new Set(choices.map((c) => c.variant.text)).size, choices.length, 'no two choices train the same text');
  });

  it('leaves out a variant that is the file as written', () => {
    const relu = readFileSync(join(EXAMPLES, 'relu-he.nnspec'), 'utf8');
    const ids = variantChoices(relu, check(relu).spec).map((c) => c.variant.id);
    assert.ok(!ids.includes('relu+he_normal'), ids.join(' '));
    assert.ok(ids.includes('as-written') && ids.includes('tanh+glorot_uniform'));
  });
});

describe("host: a variant's verdict line", () => {
  const text = spiralNet('dense 8 relu init=he_normal', { epochs: 4 });
  const report = trainToReport(check(text));
  const run = () => new RunData('r1', '/tmp/a.nnspec', 'relu', text);

  it("queued, training, then the engine's verdict", () => {
    const r = run();
    assert.equal(variantVerdict(r, false), 'queued: waiting for a free worker');
    r.apply({ type: 'started', name: 'canonical', layers: report.network.layers, params: report.network.params, epochs: 4, problems: [], initial: null });
    r.apply({ type: 'epochs', records: report.epochs.slice(0, 2), findings: [] });
    assert.equal(variantVerdict(r, true), 'training: epoch 2 of 4');
    r.apply({ type: 'done', report });
    assert.match(variantVerdict(r, true), /^(healthy: final loss|budget)/);
  });

  it('stopped and failed runs say so', () => {
    const never = run();
    never.cancel();
    assert.equal(variantVerdict(never, false), 'stopped before it started');
    // Its worker started (a slot was free) but was stopped before it sent an epoch: not the same as queued.
    assert.equal(variantVerdict(never, true), 'stopped before its first epoch');
    const failed = run();
    failed.fail('The training worker crashed: x');
    assert.equal(variantVerdict(failed, true), 'failed: The training worker crashed: x');
  });
});

describe('host: Apply as line edits', () => {
  it('replaces only the lines that differ; null when the line counts differ', () => {
    assert.deepEqual(lineChanges('a\nb\nc\n', 'a\nB\nc\n'), [{ line: 1, text: 'B' }]);
    assert.deepEqual(lineChanges('a\r\nb', 'a\r\nb'), []);
    assert.equal(lineChanges('a\nb', 'a\nb\nc'), null);
    const relu = variantChoices(deepSigmoid, check(deepSigmoid).spec).find((c) => c.variant.id === 'relu+he_normal')!.variant;
    assert.deepEqual(
      lineChanges(deepSigmoid, relu.text)?.map((c) => c.text),
      ['dense 16 relu init=he_normal', 'dense 16 relu init=he_normal x7'],
    );
  });
});

describe("host: the worker's lrFind mode", () => {
  it('runs the range test and posts lrFound, which ends the session', async () => {
    const text = readFileSync(join(EXAMPLES, 'relu-he.nnspec'), 'utf8');
    const messages: WorkerToHost[] = [];
    const fileName = join(EXAMPLES, 'relu-he.nnspec');
    const session = new TrainingSession(WORKER, { mode: 'lrFind', parsed: parseSpec(text, { fileName }), fileName }, (m) => messages.push(m));
    assert.deepEqual(await session.ended, { kind: 'done' });
    assert.deepEqual(
      messages.map((m) => m.type),
      ['lrFound'],
    );
    const found = messages[0];
    assert.ok(found.type === 'lrFound' && found.suggested !== null && found.points.length > 100);
    assert.ok(found.suggested / 0.05 <= 10 && 0.05 / found.suggested <= 10, `suggested ${found.suggested}`);
  });

  it('rejects a spec with errors', async () => {
    const session = new TrainingSession(WORKER, { mode: 'lrFind', parsed: parseSpec('input 2\ndense 1 sigmod\n'), fileName: '/tmp/x.nnspec' }, () => undefined);
    const end = await session.ended;
    assert.equal(end.kind, 'rejected');
    assert.ok(end.kind === 'rejected' && end.problems.some((p) => p.line === 2), 'the problem of line 2');
  });
});

describe('host: the hover of a learning-rate finding', () => {
  it('shows the loss and the update ratios as sparklines, and the peak ratio against 1e-3', () => {
    const report = trainToReport(check(spiralNet('dense 16 relu init=he_normal x4', { lr: '3', epochs: 100 })));
    const f = report.findings.find((x) => x.kind === 'lr_too_high');
    assert.ok(f, report.findings.map((x) => x.kind).join(' '));
    const md = findingHover(f, [{ title: f.fixes[0].title, uri: 'command:x' }]);
    assert.match(md, /^\*\*Learning rate too high\*\* \(warning\)\n/);
    assert.match(md, /loss: `[▁▂▃▄▅▆▇█·]+`/);
    assert.match(md, /largest update ratio ‖ΔW‖\/‖W‖: `[▁▂▃▄▅▆▇█·]+`/);
    assert.match(md, /Largest update ratio ‖ΔW‖\/‖W‖ of the run: [\d.e-]+ \(about 1e-3 is healthy for SGD\)/);
    assert.match(md, /Fixes: \[Lower the learning rate to 0\.3 \(÷10\)\]/);
  });
});
