// mocha's spec reporter, plus the counts written as JSON to $GF_RESULTS_FILE when the run ends
// (scripts/test.mjs adds them up into its closing "N passed, N failed" line).
//   mocha --reporter scripts/vscode/mocha-reporter.cjs
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

class CountingSpec extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const file = process.env.GF_RESULTS_FILE;
      if (!file) return;
      const s = this.stats;
      fs.writeFileSync(file, JSON.stringify({ passed: s.passes, failed: s.failures, pending: s.pending }));
    });
  }
}
module.exports = CountingSpec;
