// What the host posts to the panel passes the page's own validator (src/webview/validate.ts), at
// every stage of a run, after the round trip VS Code puts messages through (typed arrays as binary,
// the rest as JSON: a structured clone keeps both as they arrive).
import * as assert from 'node:assert/strict';
import { check, trainToReport } from '../../src/engine/index';
import type { HostToPanel } from '../../src/protocol';
import { progressMessage, RunData, showMessage } from '../../src/host/panel/runData';
import { parseHostMessage } from '../../src/webview/validate';

const SPEC = `network msgs
data spiral samples=200 seed=3
input 2
dense 8 sigmoid x3
dense 1 sigmoid
train epochs=6
`;

function roundTrip(m: HostToPanel): unknown {
  return structuredClone(m);
}

function accepted(m: HostToPanel): void {
  const parsed = parseHostMessage(roundTrip(m));
  assert.ok(parsed.ok, `rejected: ${parsed.ok ? '' : parsed.error}`);
}

describe("host: messages to the panel pass the page's validator", () => {
  const result = check(SPEC, { fileName: '/x/msgs.nnspec' });
  const report = trainToReport(result);

  it('a new run before the worker started, while it trains, and at its end', () => {
    const run = new RunData('run-1', '/x/msgs.nnspec', 'msgs.nnspec', SPEC);
    accepted(showMessage(run, 'gradRms'));
    run.apply({
      type: 'started',
      name: 'msgs',
      layers: report.network.layers,
      params: report.network.params,
      epochs: 6,
      problems: result.problems,
      initial: null,
    });
    accepted(showMessage(run, 'deltaRms'));
    const added = run.apply({ type: 'epochs', records: report.epochs.slice(0, 3), findings: [] });
    accepted(progressMessage(run, added.length));
    run.apply({ type: 'done', report });
    accepted(progressMessage(run, 0));
    accepted(showMessage(run, 'saturated'));
  });

  it('failed and cancelled runs, and non-finite statistics', () => {
    const failed = new RunData('run-2', '/x/msgs.nnspec', 'msgs.nnspec', SPEC);
    failed.apply({ type: 'failed', message: 'The training worker crashed: boom' });
    accepted(showMessage(failed, 'gradRms'));
    const cancelled = new RunData('run-3', '/x/msgs.nnspec', 'msgs.nnspec', SPEC);
    cancelled.apply({ type: 'started', name: 'msgs', layers: report.network.layers, params: report.network.params, epochs: 6, problems: [], initial: null });
    const nan = { ...report.epochs[0], loss: NaN, layers: report.epochs[0].layers.map((l) => ({ ...l, gradRms: Infinity, nonFinite: 3 })) };
    accepted(progressMessage(cancelled, cancelled.apply({ type: 'epochs', records: [nan], findings: [] }).length));
    cancelled.cancel();
    accepted(progressMessage(cancelled, 0));
  });
});
