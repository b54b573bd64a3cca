// The training session against the real worker bundle (dist/worker.js, built by scripts/build.mjs):
// a run reports its epochs and ends done; the cancel flag stops it; a crash (the test build's
// crashing worker, out/test/workers/crashWorker.js) and a spec with errors end it with the right outcome.
// The worker trains the spec the host parsed (a run parses once), and names what is wrong with a start
// message it cannot use.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseSpec } from '../../src/engine/index';
import { startTrainingProblem, type StartTraining, type WorkerToHost } from '../../src/protocol';
import { TrainingSession, type WorkerSource } from '../../src/host/runs/trainingSession';

const WORKER = join(__dirname, '..', '..', '..', 'dist', 'worker.js');
const CRASH_WORKER = join(__dirname, '..', 'workers', 'crashWorker.js');
const SPEC = `data moons samples=200 seed=1
input 2
dense 8 tanh
dense 8 sigmoid
dense 1 sigmoid
optimizer sgd lr=0.1
train epochs=20 batch=32 seed=1
`;

function collect(text: string, extra: Partial<ConstructorParameters<typeof TrainingSession>[1]> = {}, worker: WorkerSource = { file: WORKER }) {
  const messages: WorkerToHost[] = [];
  const session = new TrainingSession(worker, { parsed: parseSpec(text, { fileName: '/tmp/spec.nnspec' }), fileName: '/tmp/spec.nnspec', ...extra }, (m) =>
    messages.push(m),
  );
  return { session, messages };
}

describe('host: training session (real worker)', () => {
  it('streams started, epochs, done, and ends done', async () => {
    const { session, messages } = collect(SPEC);
    assert.equal(session.running, true);
    assert.deepEqual(await session.ended, { kind: 'done' });
    assert.equal(session.running, false);
    assert.equal(messages[0].type, 'started');
    const epochs = messages.flatMap((m) => (m.type === 'epochs' ? m.records : []));
    assert.equal(epochs.length, 20);
    const done = messages[messages.length - 1];
    assert.equal(done.type, 'done');
    assert.equal(done.type === 'done' && done.report.stopped, null);
  });

  it('stops through the shared flag, and the report says cancelled', async () => {
    const { session, messages } = collect(SPEC, { epochs: 100000 });
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (messages.some((m) => m.type === 'epochs')) {
          clearInterval(t);
          resolve();
        }
      }, 5);
    });
    session.stop();
    assert.deepEqual(await session.ended, { kind: 'cancelled', reported: true });
    const done = messages.find((m) => m.type === 'done');
    assert.ok(done && done.type === 'done');
    assert.equal(done.report.stopped, 'cancelled');
    assert.ok(done.report.epochs.length < 100000);
  });

  it('turns an exception in the worker into a crash, with its message', async () => {
    const { session, messages } = collect(SPEC, { epochs: 100000 }, { file: CRASH_WORKER, data: { crashAtEpoch: 3, how: 'throw' } });
    const end = await session.ended;
    assert.equal(end.kind, 'crashed');
    assert.match(end.kind === 'crashed' ? end.message : '', /Test crash at epoch 3/);
    assert.ok(
      messages.some((m) => m.type === 'epochs'),
      'epochs before the crash',
    );
  });

  it('turns the thread dying without a word into a crash that says so', async () => {
    const { session, messages } = collect(SPEC, { epochs: 100000 }, { file: CRASH_WORKER, data: { crashAtEpoch: 3, how: 'exit' } });
    const end = await session.ended;
    assert.deepEqual(end, { kind: 'crashed', message: 'The training worker exited unexpectedly (exit code 70).' });
    assert.ok(!messages.some((m) => m.type === 'done' || m.type === 'failed'));
  });

  it('rejects a spec with errors without training', async () => {
    const { session, messages } = collect('data xor\ninput 2\ndense 4 sigmod\n');
    const end = await session.ended;
    assert.equal(end.kind, 'rejected');
    assert.ok(end.kind === 'rejected' && end.problems.some((p) => p.code === 'unknown-activation'));
    const r = messages[0];
    assert.equal(r.type, 'rejected');
    assert.ok(r.type === 'rejected' && r.problems.some((p) => p.code === 'unknown-activation'));
  });

  it('applies threshold settings only when the spec has no diagnose line', async () => {
    // With vanishing=1e-12 no layer can be flagged vanishing.
    const deep = SPEC.replace('dense 8 tanh', 'dense 16 sigmoid init=glorot_uniform x8').replace('epochs=20', 'epochs=30');
    const run = async (text: string) => {
      const { session, messages } = collect(text, { thresholds: { vanishing: 1e-12 } });
      await session.ended;
      const done = messages.find((m) => m.type === 'done');
      return done && done.type === 'done' ? done.report.findings.map((f) => f.kind) : [];
    };
    assert.ok(!(await run(deep)).includes('vanishing'));
    assert.ok((await run(deep + 'diagnose vanishing=0.01\n')).includes('vanishing'));
  });

  it('dispose ends a run at once as cancelled', async () => {
    const { session } = collect(SPEC, { epochs: 100000 });
    session.dispose();
    assert.deepEqual(await session.ended, { kind: 'cancelled', reported: false });
  });

  it('a missing worker bundle is a failure, not an exception', async () => {
    const session = new TrainingSession(join(__dirname, 'no-such-worker.js'), { parsed: parseSpec(SPEC), fileName: '/tmp/spec.nnspec' }, () => undefined);
    const end = await session.ended;
    assert.equal(end.kind, 'crashed');
    assert.match(end.kind === 'crashed' ? end.message : '', /no-such-worker/);
  });

  it('trains the parse it is given: the worker does not parse the text again', async () => {
    // A parse no text says: only a worker that trains what the host parsed reports this name and these epochs.
    const parsed = parseSpec(SPEC, { fileName: '/tmp/spec.nnspec' });
    const given = { ...parsed, spec: { ...parsed.spec, name: 'parsed-by-the-host', train: { ...parsed.spec.train, epochs: 3 } } };
    const messages: WorkerToHost[] = [];
    const session = new TrainingSession(WORKER, { parsed: given, fileName: '/tmp/spec.nnspec' }, (m) => messages.push(m));
    assert.deepEqual(await session.ended, { kind: 'done' });
    const started = messages[0];
    assert.ok(started.type === 'started');
    assert.equal(started.name, 'parsed-by-the-host');
    assert.equal(started.epochs, 3);
    assert.equal(messages.flatMap((m) => (m.type === 'epochs' ? m.records : [])).length, 3);
  });

  it('a start message the worker cannot use fails with what is wrong in it', async () => {
    // The text the worker once parsed itself is no longer what it reads.
    const worker = new Worker(WORKER, { stdout: false, stderr: false });
    const reply = new Promise<unknown>((resolve) => worker.once('message', resolve));
    worker.postMessage({ type: 'start', mode: 'train', text: SPEC, fileName: '/tmp/spec.nnspec', cancel: new SharedArrayBuffer(4) });
    const msg = await reply;
    await worker.terminate();
    assert.deepEqual(msg, { type: 'failed', message: 'The training worker expected a start message: parsed is not a parse result.' });
  });
});

describe('protocol: the start message, checked where the worker receives it', () => {
  const good = (): StartTraining => ({ type: 'start', mode: 'train', parsed: parseSpec(SPEC), fileName: '/tmp/spec.nnspec', cancel: new SharedArrayBuffer(4) });

  it('accepts what TrainingSession sends, with and without its optional overrides', () => {
    assert.equal(startTrainingProblem(good()), null);
    assert.equal(startTrainingProblem({ ...good(), mode: 'lrFind', epochs: 5, seed: 2, memoryBudgetMB: 64, thresholds: { vanishing: 1e-6 } }), null);
  });

  it('names the field that is wrong', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good(), type: 'stop' }, 'not a start message'],
      [{ ...good(), mode: 'sweep' }, 'mode "sweep" is not one of train, lrFind'],
      [{ ...good(), fileName: '' }, 'fileName is not a file name'],
      [{ ...good(), cancel: new ArrayBuffer(4) }, 'cancel is not a SharedArrayBuffer of at least 4 bytes'],
      [{ ...good(), parsed: { ...parseSpec(SPEC), spec: null } }, 'parsed.spec is not a spec'],
      [{ ...good(), parsed: { ...parseSpec(SPEC), problems: 'none' } }, 'parsed.problems is not a list'],
      [{ ...good(), parsed: { ...parseSpec(SPEC), dataAt: 3 } }, 'parsed.dataAt is neither null nor a range'],
      [{ ...good(), parsed: { ...parseSpec(SPEC), lineLengths: undefined } }, 'parsed.lineLengths is not a list'],
      [{ ...good(), epochs: 0 }, 'epochs is not a positive integer'],
      [{ ...good(), seed: 'one' }, 'seed is not a number'],
      [{ ...good(), memoryBudgetMB: -1 }, 'memoryBudgetMB is not a positive number'],
      [{ ...good(), thresholds: [] }, 'thresholds is not an object'],
    ];
    for (const [msg, problem] of cases) assert.equal(startTrainingProblem(msg), problem, JSON.stringify(Object.keys(msg)));
    assert.equal(startTrainingProblem(null), 'not a start message');
  });
});
