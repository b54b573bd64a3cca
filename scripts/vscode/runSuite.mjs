// Runs the in-extension-host test suite (out/test/vscode/suite/index.js, the module @vscode/test-electron
// would load) inside code-server, driven by headless Chromium: the workbench is opened with a `payload`
// naming the test build of the extension (stageTestExtension: the production wiring plus test hooks) as the extension under development and the suite as extensionTestsPath; the suite's
// exit code comes back through window.codeAutomationExit and the extension host's console through
// window.codeAutomationLog (printed here).
//
//   node scripts/vscode/runSuite.mjs [--no-build] [--results FILE]   (FILE default: $GF_RESULTS_FILE)
// env: GF_SUITE_TIMEOUT_MS (default 600000), GF_GREP (mocha grep), GF_KEEP_WORK=1 (keep .test-work/suite-PID),
//      GF_VERBOSE=1 (echo code-server's own log).
// Exit code: 0 all passed, 1 a test failed or the run broke, 2 a requirement is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import {
  MissingRequirement,
  isStopping,
  copyExamples,
  freshWorkDir,
  launchChromium,
  readManifest,
  remoteUri,
  repoRoot,
  requireChromium,
  requireCodeServer,
  runCleanups,
  stageTestExtension,
  startCodeServer,
  workbenchUrl,
} from './index.mjs';

export async function runHostSuite({ build = true, resultsFile, timeoutMs } = {}) {
  const root = repoRoot();
  requireCodeServer(root);
  requireChromium();
  if (build) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  const main = readManifest(root).main;
  if (main && !existsSync(join(root, main))) {
    throw new Error(
      `${main} is missing after the build: scripts/build.mjs only builds the extension when all its entry points exist (src/extension.ts, src/worker/trainWorker.ts).`,
    );
  }
  const suiteIndex = join(root, 'out', 'test', 'vscode', 'suite', 'index.js');
  if (!existsSync(suiteIndex)) throw new Error(`${suiteIndex} is missing: did the build run?`);

  const t0 = Date.now();
  const work = freshWorkDir('suite', root);
  const workspace = copyExamples(work, root, 'workspace');
  const extension = stageTestExtension(work, root);
  resultsFile = resolve(resultsFile ?? process.env.GF_RESULTS_FILE ?? join(work, 'results.json'));
  rmSync(resultsFile, { force: true });

  // An empty extensions dir: the only copy of our extension is the one under development (the repo).
  const server = await startCodeServer({
    work,
    root,
    env: { GF_RESULTS_FILE: resultsFile, ...(process.env.GF_GREP ? { GF_GREP: process.env.GF_GREP } : {}) },
  });
  const { page, close } = await launchChromium({ work });

  let exitCode = null;
  let finished;
  const done = new Promise((res) => {
    finished = res;
  });
  await page.exposeFunction('codeAutomationExit', (code) => {
    exitCode = code;
    finished(code);
  });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // The workbench's log and the extension host's console (mocha's spec reporter included) arrive here.
    let msg = Array.isArray(args) ? format(...args) : String(args);
    if (/ENOTFOUND open-vsx\.org/.test(msg)) msg = msg.split('\n')[0]; // the gallery, offline: harmless
    for (const line of msg.split('\n')) console.log(`[host ${type}] ${line}`);
  });
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));

  const url = workbenchUrl(server, {
    folder: workspace,
    payload: [
      ['extensionDevelopmentPath', remoteUri(server, extension)],
      ['extensionTestsPath', remoteUri(server, suiteIndex)],
    ],
  });
  console.log(`[suite] code-server ${server.url} (pid ${server.pid}), opening the workbench`);
  await page.goto(url, { timeout: 120_000 }); // a loaded machine takes longer than the default 30 s to load the workbench

  timeoutMs ??= Number(process.env.GF_SUITE_TIMEOUT_MS) || 600_000;
  const timedOut = await Promise.race([done.then(() => false), new Promise((r) => setTimeout(() => r(true), timeoutMs).unref())]);
  if (timedOut) {
    const shot = join(work, 'timeout.png');
    await page.screenshot({ path: shot }).catch(() => {});
    console.log(`[suite] timed out after ${timeoutMs} ms; screenshot ${shot}`);
  }
  await close();
  await server.stop();

  let counts = null;
  try {
    counts = JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch {
    /* suite never got to write it */
  }
  const ok = !timedOut && exitCode === 0 && counts && counts.failed === 0;
  console.log(
    `[suite] extension host exit code ${exitCode}, ${counts ? `${counts.passed} passed, ${counts.failed} failed` : 'no results'}, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  if (!counts) writeFileSync(resultsFile, JSON.stringify({ passed: 0, failed: 1, broken: true }));
  if (ok && !process.env.GF_KEEP_WORK)
    rmSync(work, { recursive: true, force: true }); // kept on failure, for its logs
  else console.log(`[suite] work dir kept: ${work}`);
  return { ok, exitCode, counts, resultsFile };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(repoRoot(), 'scripts', 'vscode', 'runSuite.mjs')) {
  const argv = process.argv.slice(2);
  const ri = argv.indexOf('--results');
  try {
    const r = await runHostSuite({ build: !argv.includes('--no-build'), resultsFile: ri >= 0 ? argv[ri + 1] : undefined });
    await runCleanups();
    process.exit(r.ok ? 0 : 1);
  } catch (e) {
    if (isStopping()) await new Promise(() => {}); // a signal is stopping us: its handler exits
    console.error(e instanceof MissingRequirement ? `\n[suite] ${e.message}\n` : e);
    await runCleanups();
    process.exit(e instanceof MissingRequirement ? 2 : 1);
  }
}
