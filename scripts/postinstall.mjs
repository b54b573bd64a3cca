// The project's postinstall (`npm ci` / `npm install` run it after every dependency is in place):
// finishes code-server's install, which needs more than npm gives it on a bare machine.
//
// code-server's own postinstall (`npm install` of VS Code's tree: node-pty and kerberos compiled with
// node-gyp, @vscode/ripgrep, which downloads rg from GitHub) is denied in package.json `allowScripts` and
// run from here instead, with what it needs and nothing set by the user:
//   - npm_config_unsafe_perm=true: it refuses to run as root without it (npm 11 no longer has the setting,
//     so it cannot come from an .npmrc without a warning on every npm command);
//   - npm_config_yes=true: npx inside it must not stop to ask;
//   - npm_config_nodedir: node-gyp compiles against the running node's own headers instead of downloading;
//   - @vscode/ripgrep's download cache (in this process's TMPDIR, which the nested install shares) seeded
//     with a tarball of the system `rg`, so "the download" is found and the network never reached.
// What npm cannot install (Debian packages) is checked first, with one message naming them all.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireCodeServer } from './vscode/index.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const codeServer = join(root, 'node_modules', 'code-server');

// Tied to the @vscode/ripgrep that code-server 4.100.3 locks (1.15.11, which fetches rg v13.0.0-10).
const RIPGREP_PACKAGE = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';
const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();

function alreadyDone() {
  try {
    requireCodeServer(root);
    return true;
  } catch {
    return false;
  }
}

if (!existsSync(join(codeServer, 'postinstall.sh'))) {
  console.log('[postinstall] code-server is not installed (dev dependencies omitted?): nothing to do');
  process.exit(0);
}
if (alreadyDone()) {
  console.log('[postinstall] code-server is already set up');
  process.exit(0);
}
if (process.platform !== 'linux') {
  console.error("[postinstall] code-server's install is arranged for Linux only; see the README");
  process.exit(1);
}

const problems = [];
for (const [cmd, pkg] of [
  ['g++', 'g++'],
  ['make', 'make'],
  ['python3', 'python3'],
  ['krb5-config', 'libkrb5-dev'],
  ['rg', 'ripgrep'],
]) {
  if (!onPath(cmd)) problems.push(`\`${cmd}\` is missing (Debian package ${pkg})`);
}
const nodedir = dirname(dirname(process.execPath));
if (!existsSync(join(nodedir, 'include', 'node', 'node.h'))) {
  problems.push(`node ${process.version}'s headers are not in ${join(nodedir, 'include', 'node')} (a node installed without them, such as a bare binary)`);
}
const target = RIPGREP_TARGETS[process.arch];
if (!target) problems.push(`no ripgrep target is known for ${process.arch}`);
if (problems.length) {
  console.error(
    `\n[postinstall] code-server (the VS Code that \`npm start\` and \`npm test\` run) cannot be set up yet:\n${problems.map((p) => `  - ${p}\n`).join('')}` +
      '\nOn Debian, as root: apt-get install -y ripgrep libkrb5-dev g++ make python3 chromium\n' +
      '(chromium is for the browser tests), then run `npm ci` again.\n',
  );
  process.exit(1);
}

const cache = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE}`);
const tgz = join(cache, `ripgrep-${RIPGREP_RELEASE}-${target}.tar.gz`);
if (!existsSync(tgz) || statSync(tgz).size === 0) {
  mkdirSync(cache, { recursive: true });
  const rg = onPath('rg');
  execFileSync('tar', ['czf', tgz, '-C', dirname(rg), 'rg']);
  console.log(`[postinstall] seeded @vscode/ripgrep's cache with ${rg}`);
}

console.log("[postinstall] running code-server's postinstall (compiles VS Code's native modules; takes minutes)");
const r = spawnSync('sh', ['postinstall.sh'], {
  cwd: codeServer,
  stdio: 'inherit',
  env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true', npm_config_nodedir: nodedir },
});
if (r.status !== 0) {
  console.error(`[postinstall] code-server's postinstall failed (exit ${r.status ?? r.signal}); its output is above.`);
  process.exit(1);
}
try {
  requireCodeServer(root);
} catch (e) {
  console.error(`[postinstall] code-server's postinstall ran but ${e.message}`);
  process.exit(1);
}
