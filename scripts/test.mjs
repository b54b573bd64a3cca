// `npm test`: every stage in order, stopping at the first failure (non-zero exit):
//   1. build          node scripts/build.mjs
//   2. typecheck      tsc -p . --noEmit
//   3. unit           mocha (.mocharc.json: out/test/unit/**/*.test.js)
//   4. vscode suite   in-extension-host tests (out/test/vscode/suite/**/*.test.js) in code-server + Chromium
//   5. browser        mocha over out/test/browser/**/*.test.js (playwright-core driving the workbench)
//   6. lint           eslint . (eslint.config.mjs), then prettier --check . (.prettierrc.json, .prettierignore)
// and closes with one line "N passed, N failed" totalling the tests of all stages run (a stage that broke
// without reporting tests, e.g. a build or type error, counts as 1 failed).
//
// env: SKIP_VSCODE=1 skips stages 4 and 5. GF_GREP=pattern filters tests of stages 3-5 (mocha --grep).
// Lint and format come last so that a style slip never hides what the tests found.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { freshWorkDir, repoRoot } from './vscode/index.mjs';

const root = repoRoot();
const resultsDir = freshWorkDir('results', root);
const node = process.execPath;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const reporter = join(root, 'scripts', 'vscode', 'mocha-reporter.cjs');
const mochaCommon = ['--reporter', reporter, ...(process.env.CI ? ['--forbid-only'] : []), ...(process.env.GF_GREP ? ['--grep', process.env.GF_GREP] : [])];

function filesUnder(dir, suffix) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, suffix));
    else if (e.name.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}

const total = { passed: 0, failed: 0 };
const report = [];

function finish(code) {
  console.log('\n──────── test stages ────────');
  for (const line of report) console.log(line);
  if (code === 0) rmSync(resultsDir, { recursive: true, force: true });
  console.log(`${total.passed} passed, ${total.failed} failed`);
  process.exit(code);
}

/**
 * Run one stage. `cmd` is [file, ...args]; if `counts` the stage writes mocha counts to a results file
 * (passed in GF_RESULTS_FILE), which are added to the total.
 */
function stage(name, cmd, { counts = false, env = {} } = {}) {
  console.log(`\n════════ ${name} ════════`);
  const resultsFile = join(resultsDir, `${name.replace(/\W+/g, '-')}.json`);
  const t0 = Date.now();
  const r = spawnSync(cmd[0], cmd.slice(1), {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env, GF_RESULTS_FILE: resultsFile },
  });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  let c = null;
  if (counts) {
    try {
      c = JSON.parse(readFileSync(resultsFile, 'utf8'));
    } catch {
      /* the stage broke before reporting */
    }
  }
  const ok = r.status === 0 && (!c || c.failed === 0);
  if (c) {
    total.passed += c.passed;
    total.failed += c.failed;
  }
  if (!ok && (!c || c.failed === 0)) total.failed += 1; // broke without a failing test to show for it
  const what = c ? `${c.passed} passed, ${c.failed} failed${c.pending ? `, ${c.pending} pending` : ''}` : '';
  report.push(
    `${ok ? 'ok  ' : 'FAIL'} ${name.padEnd(14)} ${secs.padStart(6)} s  ${what}${r.signal ? ` (signal ${r.signal})` : ''}${!ok && r.status ? ` (exit ${r.status})` : ''}`,
  );
  if (!ok) {
    console.error(`\n${name} failed.`);
    finish(1);
  }
}

// Compiled tests whose source is gone would still run (the build doesn't clean out/): drop them.
for (const js of filesUnder(join(root, 'out', 'test'), '.test.js')) {
  const ts = join(root, relative(join(root, 'out'), js)).replace(/\.js$/, '.ts');
  if (!existsSync(ts)) for (const f of [js, `${js}.map`]) rmSync(f, { force: true });
}

process.on('SIGINT', () => {
  /* the running stage gets it too and stops itself; spawnSync then returns */
});

stage('build', [node, 'scripts/build.mjs']);
stage('typecheck', [bin('tsc'), '-p', '.', '--noEmit']);

const unitFiles = filesUnder(join(root, 'out', 'test', 'unit'), '.test.js');
if (unitFiles.length) stage('unit', [bin('mocha'), ...mochaCommon], { counts: true });
else report.push('skip unit           (no out/test/unit/**/*.test.js yet)');

if (process.env.SKIP_VSCODE === '1') {
  report.push('skip vscode suite, browser (SKIP_VSCODE=1)');
} else {
  stage('vscode suite', [node, 'scripts/vscode/runSuite.mjs', '--no-build'], { counts: true });
  const browserFiles = filesUnder(join(root, 'out', 'test', 'browser'), '.test.js');
  if (browserFiles.length) {
    stage('browser', [bin('mocha'), '--no-config', '--timeout', '120000', ...mochaCommon, ...browserFiles.map((f) => relative(root, f))], { counts: true });
  } else {
    report.push('skip browser        (no out/test/browser/**/*.test.js)');
  }
}
stage('lint', [bin('eslint'), '.']);
stage('format', [bin('prettier'), '--check', '.']);
finish(0);
