// The training session against the real worker bundle (dist/worker.js, built by scripts/build.mjs):
// a run reports its epochs and ends done; the cancel flag stops it; a crash (the test build's
// crashing worker, out/test/workers/crashWorker.js) and a spec with errors end it with the right outcome.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { WorkerToHost } from '../../src/protocol';
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
  const session = new TrainingSession(worker, { text, fileName: '/tmp/spec.nnspec', ...extra }, (m) => messages.push(m));
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
    const session = new TrainingSession(join(__dirname, 'no-such-worker.js'), { text: SPEC, fileName: '/tmp/spec.nnspec' }, () => undefined);
    const end = await session.ended;
    assert.equal(end.kind, 'crashed');
    assert.match(end.kind === 'crashed' ? end.message : '', /no-such-worker/);
  });
});
