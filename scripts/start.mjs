// `npm start`: build, install the extension into a private code-server (VS Code 1.100.3 in the browser),
// open a scratch copy of examples/ with its deep-sigmoid.nnspec, and print the URL. Ctrl+C / SIGTERM
// stops it all. The copy (in the work dir, removed on exit) is what quick fixes and Apply edit, so the
// repository's examples never change and every start tells the story from the beginning.
//
//   npm start [-- --port N] [-- --no-build] [-- --file examples/other.nnspec]     (or PORT=N npm start)
//
// Binds 127.0.0.1 only, which is why it runs with `--auth none`: anyone who can reach that port gets a
// VS Code with a terminal. Don't change the bind address without turning auth back on. To reach it from
// another machine, tunnel it: ssh -L 8080:127.0.0.1:PORT host. The profile (settings, state) lives in
// .test-work/start-PID/ and is removed on exit; the extension is a copy, so rebuild = restart npm start.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  MissingRequirement,
  isStopping,
  freshWorkDir,
  groupAlive,
  installExtensionCopy,
  onCleanup,
  remoteUri,
  repoRoot,
  requireCodeServer,
  runCleanups,
  startCodeServer,
  workbenchUrl,
} from './vscode/index.mjs';

const root = repoRoot();
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const port = Number(opt('--port') ?? process.env.PORT) || undefined;
const examples = join(root, 'examples');
const asked = resolve(root, opt('--file') ?? 'examples/deep-sigmoid.nnspec');

try {
  requireCodeServer(root);
  if (!argv.includes('--no-build')) {
    console.log('[start] building…');
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  const work = freshWorkDir('start', root);
  onCleanup(() => rmSync(work, { recursive: true, force: true })); // runs last (cleanups are LIFO)
  const folder = join(work, 'examples');
  cpSync(examples, folder, { recursive: true });
  // A file among the examples opens as its copy; any other file (--file) as it is.
  const inExamples = !relative(examples, asked).startsWith('..');
  const file = inExamples ? join(folder, relative(examples, asked)) : asked;
  console.log(`[start] examples copied to ${folder} (edits there are discarded on exit; the repository's stay as they are)`);
  const extensionsDir = join(work, 'extensions');
  const installed = installExtensionCopy(extensionsDir, root);
  console.log(`[start] extension installed as ${installed}`);

  const server = await startCodeServer({ work, root, extensionsDir, port, echo: !!process.env.GF_VERBOSE });
  const url = workbenchUrl(server, {
    folder,
    payload: existsSync(file) ? [['openFile', remoteUri(server, file)]] : undefined,
  });
  console.log(`\n  Gradient Flow in VS Code (code-server ${server.port}, loopback only, no auth):\n\n    ${url}\n`);
  console.log(`  (plain: ${server.url}/?folder=${encodeURIComponent(folder)})  log: ${server.logFile}`);
  console.log('  Ctrl+C to stop.\n');

  // Stay up until a signal (handled by the library's cleanup) or until code-server dies on its own.
  const timer = setInterval(async () => {
    if (!groupAlive(server.pid)) {
      clearInterval(timer);
      console.error(`[start] code-server exited on its own:\n${readFileSync(server.logFile, 'utf8').split('\n').slice(-30).join('\n')}`);
      await runCleanups();
      process.exit(1);
    }
  }, 1000);
} catch (e) {
  if (isStopping()) await new Promise(() => {}); // a signal is stopping us: its handler exits
  console.error(e instanceof MissingRequirement ? `\n[start] ${e.message}\n` : e);
  await runCleanups();
  process.exit(e instanceof MissingRequirement ? 2 : 1);
}
