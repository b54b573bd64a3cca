// The production bundles (dist/, what the .vsix carries) do not carry the test hooks: those live in
// the test build (test/vscode/testingApi.ts, test/workers/), which the in-extension-host suite loads
// instead. Checked against the built files, with the test build as the control (it must contain
// every name looked for, or the check would prove nothing).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const read = (...parts: string[]) => readFileSync(join(ROOT, ...parts), 'utf8');

/** Names only the test hooks use. */
const HOOKS = ['readyCount', 'ignoredMessages', 'maxPageRecords', 'postFromPanel', 'setSaveDialog', 'crashAtEpoch', 'ERRORS_KEPT'];

describe('production bundles carry no test hooks', () => {
  it('the test build has every hook (the control)', () => {
    const testing = read('out', 'test', 'vscode', 'testExtension.js');
    for (const name of HOOKS) assert.ok(testing.includes(name), `${name} in the test build`);
    // The test build wires the extension as production does.
    assert.ok(testing.includes('registerWalkthroughCommands'));
  });

  it('dist/extension.js has none of them', () => {
    const production = read('dist', 'extension.js');
    assert.ok(production.includes('registerWalkthroughCommands'), 'the production bundle read');
    for (const name of HOOKS) assert.ok(!production.includes(name), `${name} in dist/extension.js`);
  });

  it('dist/worker.js has no crash hook, and the start message carries none', () => {
    const worker = read('dist', 'worker.js');
    assert.ok(!/crash/i.test(worker), 'a crash hook in dist/worker.js');
    assert.ok(read('out', 'test', 'workers', 'crashWorker.js').includes('crashAtEpoch'), "the crashing worker is the test build's");
  });
});
