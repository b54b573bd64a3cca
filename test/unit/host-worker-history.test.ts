// The training worker keeps its run in an EpochHistory and diagnoses from it: its report comes
// without epochs (all were streamed), its findings are the engine's for the same records, and the
// non-finite finding is streamed as soon as a layer counts a non-finite gradient.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, parseSpec, trainToReport } from '../../src/engine/index';
import type { WorkerToHost } from '../../src/protocol';
import { TrainingSession } from '../../src/host/runs/trainingSession';
import { FLOAT64_CELLS, workerPrecision } from '../../src/worker/trainWorker';

const WORKER = join(__dirname, '..', '..', '..', 'dist', 'worker.js');
const ROOT = join(__dirname, '..', '..', '..');

async function run(text: string): Promise<WorkerToHost[]> {
  const messages: WorkerToHost[] = [];
  const session = new TrainingSession(WORKER, { parsed: parseSpec(text, { fileName: '/tmp/spec.nnspec' }), fileName: '/tmp/spec.nnspec' }, (m) =>
    messages.push(m),
  );
  await session.ended;
  return messages;
}

describe("host: the worker's run as an EpochHistory", () => {
  it('float64 columns for runs of up to a million layer-epochs, float32 beyond', () => {
    assert.equal(FLOAT64_CELLS, 1_000_000);
    assert.equal(workerPrecision(3000, 7), 'float64');
    assert.equal(workerPrecision(100_000, 30), 'float32');
  });

  it('streams every epoch, reports without them, and finds what the engine finds', async () => {
    const text = readFileSync(join(ROOT, 'examples', 'deep-sigmoid.nnspec'), 'utf8');
    const messages = await run(text);
    const streamed = messages.flatMap((m) => (m.type === 'epochs' ? m.records : []));
    const done = messages[messages.length - 1];
    assert.ok(done.type === 'done');
    assert.equal(done.report.epochs.length, 0);
    const expected = trainToReport(check(text, { fileName: '/tmp/spec.nnspec' }));
    assert.equal(streamed.length, expected.epochs.length);
    assert.deepEqual(done.report.findings, expected.findings);
    assert.ok(done.report.findings.some((f) => f.kind === 'vanishing'));
  });

  it('streams the non-finite finding with the epochs, before the report', async () => {
    const text = readFileSync(join(ROOT, 'examples', 'exploding.nnspec'), 'utf8').replace('lr=0.001', 'lr=0.01');
    const messages = await run(text);
    const streamedFindings = messages.flatMap((m) => (m.type === 'epochs' ? m.findings : []));
    const done = messages[messages.length - 1];
    assert.ok(done.type === 'done');
    assert.equal(done.report.stopped, 'nonfinite');
    assert.deepEqual(
      streamedFindings.map((f) => f.kind),
      ['nonfinite'],
    );
  });
});
