// Entry point of the in-extension-host test suite: the module that VS Code loads as `extensionTestsPath`
// (through @vscode/test-electron on machines with network, through code-server + Chromium here; see
// scripts/vscode/runSuite.mjs). It runs every out/test/vscode/suite/**/*.test.js file next to it with
// mocha's BDD interface (describe / it / before / after), like the unit tests.
//
// If $GF_RESULTS_FILE is set (the runners set it on the code-server / VS Code process, whose extension
// host inherits it), the counts are written there as JSON for scripts/test.mjs's summary line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha = require('mocha');

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(p));
    else if (entry.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false, // the output goes through the extension host's console
    forbidOnly: !!process.env.CI,
    timeout: Number(process.env.GF_TEST_TIMEOUT_MS) || 60_000,
    ...(process.env.GF_GREP ? { grep: process.env.GF_GREP } : {}),
  });
  const files = testFiles(__dirname);
  for (const f of files) mocha.addFile(f);
  console.log(`[suite] ${files.length} test file(s): ${files.map((f) => path.relative(__dirname, f)).join(', ')}`);

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const s = runner.stats ?? { passes: 0, failures, pending: 0, tests: 0 };
        const result = { passed: s.passes, failed: Math.max(s.failures, failures), pending: s.pending, files: files.length };
        if (process.env.GF_RESULTS_FILE) fs.writeFileSync(process.env.GF_RESULTS_FILE, JSON.stringify(result));
        console.log(`[suite] ${result.passed} passing, ${result.failed} failing, ${result.pending} pending`);
        if (result.failed > 0) reject(new Error(`${result.failed} test(s) failed.`));
        else if (result.passed === 0) reject(new Error('No test ran.'));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      reject(err);
    }
  });
}
