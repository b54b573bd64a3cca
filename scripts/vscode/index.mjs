// Shared launcher library: run the extension in a real VS Code (code-server 4.100.3 = VS Code 1.100.3)
// and drive it from Debian's Chromium through playwright-core.
//
// Used by scripts/start.mjs, scripts/test.mjs, scripts/vscode/runSuite.mjs and, bundled by esbuild into
// CommonJS, by test/browser/*.ts. So: plain ESM, no top-level await and no import.meta here.
//
// Everything a run writes (user data, extensions, XDG dirs, TMPDIR, Chromium's profile, logs) lives in a
// work dir under <repo>/.test-work/ (gitignored); code-server runs in its own process group and is always
// stopped as a whole group, on normal exit, on errors and on Ctrl+C / SIGTERM / SIGHUP.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { get as httpGet } from 'node:http';
import { appendFileSync, cpSync, existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Quiet user settings for a test/demo profile (merged with `extra`). */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------
// Paths

/** The repo root: $GF_REPO_ROOT, else the nearest ancestor of `start` holding scripts/vscode/index.mjs. */
export function repoRoot(start = process.cwd()) {
  if (process.env.GF_REPO_ROOT) return resolve(process.env.GF_REPO_ROOT);
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scripts', 'vscode', 'index.mjs'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`Not inside the gradient-flow repo (searched up from ${start}); set GF_REPO_ROOT.`);
    dir = up;
  }
}

export function readManifest(root = repoRoot()) {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
}

/** `<publisher>.<name>` as VS Code spells the extension id (lower case). */
export function extensionId(root = repoRoot()) {
  const m = readManifest(root);
  return `${m.publisher}.${m.name}`.toLowerCase();
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * A fresh work dir `<repo>/.test-work/<name>-<pid>` (per process, so two runs in one checkout don't clash).
 * Leftovers of dead processes with the same name are removed. Returns its absolute path.
 */
export function freshWorkDir(name, root = repoRoot()) {
  const base = join(root, '.test-work');
  mkdirSync(base, { recursive: true });
  for (const entry of readdirSync(base)) {
    const m = entry.match(/^(.*)-(\d+)$/);
    if (m && m[1] === name && Number(m[2]) !== process.pid && !pidAlive(Number(m[2]))) {
      rmSync(join(base, entry), { recursive: true, force: true });
    }
  }
  const dir = join(base, `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Copy the repo's examples/ into `<work>/<dirName>` (tests may edit files there freely). */
export function copyExamples(work, root = repoRoot(), dirName = 'examples') {
  const src = join(root, 'examples');
  const dest = join(work, dirName);
  if (!existsSync(src)) throw new Error(`${src} does not exist`);
  cpSync(src, dest, { recursive: true });
  return dest;
}

// ---------------------------------------------------------------------------------------------------
// Requirements (clear messages naming the Debian package or the step that's missing)

export class MissingRequirement extends Error {}

const INSTALL_HINT =
  'On Debian: `apt-get install -y chromium ripgrep libkrb5-dev`, then re-run `npm ci` ' + '(its postinstall, scripts/postinstall.mjs, sets up code-server)';

export function requireChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new MissingRequirement(`Chromium is missing (${CHROMIUM}). Install the Debian package: apt-get install -y chromium`);
  }
}

/** Checks that code-server is installed and its postinstall (native modules, ripgrep) really ran. */
export function requireCodeServer(root = repoRoot()) {
  const cs = join(root, 'node_modules', 'code-server');
  const vs = join(cs, 'lib', 'vscode');
  if (!existsSync(join(cs, 'out', 'node', 'entry.js'))) {
    throw new MissingRequirement('code-server is not installed in node_modules: run `npm ci`.');
  }
  if (!existsSync(join(vs, 'node_modules.asar')) || !existsSync(join(vs, 'node_modules'))) {
    throw new MissingRequirement(`code-server's postinstall has not run (${vs}/node_modules missing). ${INSTALL_HINT}`);
  }
  if (!existsSync(join(vs, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'))) {
    throw new MissingRequirement(
      `code-server's ripgrep binary is missing: the Debian package ripgrep is needed to seed @vscode/ripgrep's cache (apt-get install -y ripgrep). ${INSTALL_HINT}`,
    );
  }
  const krb = join(vs, 'node_modules', 'kerberos', 'build', 'Release', 'kerberos.node');
  if (!existsSync(krb)) {
    throw new MissingRequirement(`code-server's kerberos module was not built: install the Debian package libkrb5-dev. ${INSTALL_HINT}`);
  }
  const ldd = spawnSync('ldd', [krb], { encoding: 'utf8' });
  if (ldd.status === 0 && /not found/.test(ldd.stdout)) {
    throw new MissingRequirement(`code-server's kerberos module cannot load its libraries (install the Debian package libkrb5-dev):\n${ldd.stdout}`);
  }
  if (!existsSync(join(vs, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'))) {
    throw new MissingRequirement(`code-server's node-pty was not built (needs g++, make, python3 and npm_config_nodedir=/usr). ${INSTALL_HINT}`);
  }
  return join(cs, 'out', 'node', 'entry.js');
}

// ---------------------------------------------------------------------------------------------------
// Cleanup on exit / errors / signals

const cleanups = [];
const liveGroups = new Set();
let handlersInstalled = false;
let stopping = false;

/** Register an async cleanup; returns a function that unregisters it. Cleanups run last-in first-out. */
export function onCleanup(fn) {
  installHandlers();
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** True once a SIGINT/SIGTERM/SIGHUP started the cleanup (errors after that are expected, not news). */
export function isStopping() {
  return stopping;
}

export async function runCleanups() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (e) {
      console.error('cleanup failed:', e);
    }
  }
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.on(sig, () => {
      if (stopping) {
        killAllGroupsNow();
        process.exit(code);
      }
      stopping = true;
      console.error(`\n[vscode] ${sig}: stopping…`);
      runCleanups().finally(() => process.exit(code));
    });
  }
  // Last resort (sync only): an exit with groups still running, e.g. an uncaught exception.
  process.on('exit', killAllGroupsNow);
}

function killAllGroupsNow() {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
}

function signalGroup(pgid, sig) {
  try {
    process.kill(-pgid, sig);
  } catch {
    /* already gone */
  }
}

/** True while any non-zombie process of group `pgid` exists (scans /proc; falls back to kill(-pgid, 0)). */
export function groupAlive(pgid) {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp …
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
    }
    return false;
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** SIGTERM the whole group, wait for it to go, SIGKILL after `graceMs`. */
export async function stopGroup(pgid, graceMs = 5000) {
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) {
      signalGroup(pgid, 'SIGKILL');
      const hard = Date.now() + 3000;
      while (groupAlive(pgid) && Date.now() < hard) await sleep(50);
      break;
    }
    await sleep(50);
  }
  liveGroups.delete(pgid);
}

// ---------------------------------------------------------------------------------------------------
// code-server

/** A free TCP port on 127.0.0.1 (asks the kernel; tiny race until the server binds it, handled by retry). */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** Write `<userDataDir>/User/settings.json` with QUIET_SETTINGS + extra. */
export function writeUserSettings(userDataDir, extra = {}) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...extra }, null, 2));
}

function httpOk(url) {
  return new Promise((res) => {
    const req = httpGet(url, (r) => {
      r.resume();
      res(r.statusCode === 200);
    });
    req.on('error', () => res(false));
    req.setTimeout(2000, () => {
      req.destroy();
      res(false);
    });
  });
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Start code-server in its own process group, everything under `work`.
 * @param {object} o
 * @param {string} o.work               work dir (see freshWorkDir)
 * @param {string} [o.workspace]        folder (or .code-workspace) to open by default
 * @param {string} [o.extensionsDir]    default <work>/extensions
 * @param {number} [o.port]             default: a free port (retried if taken meanwhile)
 * @param {object} [o.settings]         extra user settings
 * @param {object} [o.env]              extra env for code-server and its extension host
 * @param {boolean} [o.echo]            also echo code-server's output to stderr (default $GF_VERBOSE)
 * @returns {Promise<{url:string, port:number, pid:number, work:string, userDataDir:string, extensionsDir:string, logFile:string, stop:()=>Promise<void>}>}
 */
export async function startCodeServer(o) {
  const root = o.root ?? repoRoot();
  const entry = requireCodeServer(root);
  const work = o.work;
  const userDataDir = join(work, 'user-data');
  const extensionsDir = o.extensionsDir ?? join(work, 'extensions');
  const xdg = join(work, 'xdg');
  const tmp = join(work, 'tmp');
  for (const d of [userDataDir, extensionsDir, join(xdg, 'config'), join(xdg, 'data'), join(xdg, 'cache'), tmp]) {
    mkdirSync(d, { recursive: true });
  }
  writeUserSettings(userDataDir, o.settings);
  const logFile = join(work, 'code-server.log');

  // Inherited VSCODE_* variables (e.g. when run from a VS Code terminal) would make code-server act as a
  // remote CLI of that other instance: drop them.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_') && k !== 'ELECTRON_RUN_AS_NODE'));
  Object.assign(
    env,
    {
      XDG_CONFIG_HOME: join(xdg, 'config'),
      XDG_DATA_HOME: join(xdg, 'data'),
      XDG_CACHE_HOME: join(xdg, 'cache'),
      TMPDIR: tmp,
    },
    o.env ?? {},
  );
  delete env.PORT; // code-server would take it over --bind-addr
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  delete env.GITHUB_TOKEN;

  const echo = o.echo ?? !!process.env.GF_VERBOSE;
  for (let attempt = 1; ; attempt++) {
    const port = o.port ?? (await freePort());
    const args = [
      entry,
      '--config',
      '/dev/null',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      ...(o.workspace ? [o.workspace] : []),
    ];
    appendFileSync(logFile, `\n--- ${new Date().toISOString()} node ${args.join(' ')}\n`);
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, args, {
      cwd: work,
      env,
      detached: true,
      stdio: ['ignore', echo ? 'pipe' : fd, echo ? 'pipe' : fd],
    });
    closeSync(fd);
    if (echo) {
      for (const s of [child.stdout, child.stderr])
        s.on('data', (b) => {
          appendFileSync(logFile, b);
          process.stderr.write(`[code-server] ${b}`);
        });
    }
    const pgid = child.pid;
    liveGroups.add(pgid);
    let exited = null;
    child.on('exit', (code, sig) => {
      exited = { code, sig };
    });
    const stop = async () => {
      unregister();
      await stopGroup(pgid);
    };
    const unregister = onCleanup(() => stopGroup(pgid));

    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    let ready = false;
    while (!exited && Date.now() < deadline) {
      if (await httpOk(`${url}/healthz`)) {
        ready = true;
        break;
      }
      await sleep(150);
    }
    if (ready) return { url, port, pid: pgid, work, userDataDir, extensionsDir, logFile, stop };
    await stop();
    const log = tail(logFile);
    if (o.port == null && attempt < 3 && /EADDRINUSE/.test(log)) continue;
    throw new Error(`code-server did not become ready on ${url} (${exited ? `exited ${JSON.stringify(exited)}` : 'timeout'}). Log ${logFile}:\n${log}`);
  }
}

/** `vscode-remote://` URI for an absolute path on the code-server machine. */
export function remoteUri(server, absPath) {
  return `vscode-remote://127.0.0.1:${server.port}${absPath.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Workbench URL: opens `folder`, and optionally a `payload` (array of [key, value]) such as
 * [['openFile', remoteUri(...)]] or [['extensionDevelopmentPath', …], ['extensionTestsPath', …]].
 */
export function workbenchUrl(server, { folder, payload } = {}) {
  const q = [];
  if (folder) q.push(`folder=${encodeURIComponent(folder)}`);
  if (payload?.length) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.url}/${q.length ? `?${q.join('&')}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------
// The extension

/** What an installed copy of the extension contains (whatever of it exists). */
export const EXTENSION_PARTS = [
  'package.json',
  'package.nls.json',
  'dist',
  'media',
  'syntaxes',
  'snippets',
  'language-configuration.json',
  'examples',
  'docs',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'LICENSE.md',
  'icon.png',
];

/**
 * Install the built extension (run the build first) into `extensionsDir` as the folder
 * `<publisher>.<name>-<version>`, the way VS Code lays out an installed extension. Returns that folder.
 */
export function installExtensionCopy(extensionsDir, root = repoRoot()) {
  const m = readManifest(root);
  const main = m.main ? join(root, m.main) : null;
  if (main && !existsSync(main) && !existsSync(`${main}.js`)) {
    throw new Error(`${m.main} is missing: build first (node scripts/build.mjs)`);
  }
  const dest = join(extensionsDir, `${m.publisher}.${m.name}-${m.version}`.toLowerCase());
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const part of EXTENSION_PARTS) {
    const src = join(root, part);
    if (existsSync(src)) cpSync(src, join(dest, part), { recursive: true });
  }
  return dest;
}

/**
 * The extension as the in-extension-host suite loads it: the built parts copied into
 * `<work>/test-extension`, with a package.json whose `main` is the test build's entry
 * (out/test/vscode/testExtension.js: the production wiring plus the test hooks). dist/extension.js,
 * what users get, carries no test hooks. Returns the folder (the extensionDevelopmentPath).
 */
export function stageTestExtension(work, root = repoRoot()) {
  const entry = join(root, 'out', 'test', 'vscode', 'testExtension.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (node scripts/build.mjs)`);
  const dest = join(work, 'test-extension');
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const part of EXTENSION_PARTS) {
    const src = join(root, part);
    if (part !== 'package.json' && existsSync(src)) cpSync(src, join(dest, part), { recursive: true });
  }
  writeFileSync(join(dest, 'package.json'), JSON.stringify({ ...readManifest(root), main: './test-main.js' }, null, 2));
  writeFileSync(join(dest, 'test-main.js'), `module.exports = require(${JSON.stringify(entry)});\n`);
  return dest;
}

/**
 * Package the built extension as a .vsix with @vscode/vsce, offline (run the build first). The same
 * command as `npm run package`. Returns the file's path.
 */
export function packageVsix(out, root = repoRoot()) {
  mkdirSync(dirname(out), { recursive: true });
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', ...VSCE_FLAGS, '--out', out], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce package failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

/** vsce's flags: no node_modules (the bundles carry everything), and no repository to link to. */
export const VSCE_FLAGS = ['--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links'];

/** Install a .vsix into `extensionsDir` with code-server's own `--install-extension`, as a user would. */
export function installVsix(vsix, extensionsDir, work, root = repoRoot()) {
  const entry = requireCodeServer(root);
  const xdg = join(work, 'xdg');
  for (const d of [extensionsDir, join(xdg, 'config'), join(xdg, 'data'), join(xdg, 'cache')]) mkdirSync(d, { recursive: true });
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_')));
  Object.assign(env, { XDG_CONFIG_HOME: join(xdg, 'config'), XDG_DATA_HOME: join(xdg, 'data'), XDG_CACHE_HOME: join(xdg, 'cache') });
  const r = spawnSync(
    process.execPath,
    [entry, '--config', '/dev/null', '--user-data-dir', join(work, 'user-data'), '--extensions-dir', extensionsDir, '--install-extension', vsix],
    { cwd: work, env, encoding: 'utf8', timeout: 120_000 },
  );
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------------
// Chromium

/**
 * Launch Debian's Chromium headless through playwright-core with a fresh profile under `work`.
 * Returns { context, page, close }. The browser is also closed by the cleanup handlers.
 */
export async function launchChromium({ work, headless = true, viewport = { width: 1440, height: 900 } } = {}) {
  requireChromium();
  const { chromium } = await import('playwright-core');
  const profile = join(work, 'chromium-profile');
  rmSync(profile, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless,
    args: CHROMIUM_ARGS,
    viewport,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false, // our cleanup closes it
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    unregister();
    await Promise.race([context.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000).unref())]);
  };
  const unregister = onCleanup(close);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close };
}

/** Wait until the workbench has rendered (`.monaco-workbench`) and the explorer or editor area is there. */
export async function waitForWorkbench(page, timeout = 120_000) {
  await page.waitForSelector('.monaco-workbench', { timeout });
  await page.waitForSelector('.part.editor', { timeout });
}
