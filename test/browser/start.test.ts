// `npm start` as a newcomer runs it: the server answers on loopback, the page is a VS Code workbench
// with examples/deep-sigmoid.nnspec open, and Ctrl+C (SIGINT to the process group) stops everything.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { freePort, freshWorkDir, groupAlive, launchChromium, sleep, waitForWorkbench, type Chromium } from '../../scripts/vscode/index.mjs';
import { ROOT, editorTab, poll } from './harness';

describe('npm start (scripts/start.mjs)', function () {
  this.timeout(240_000);
  let child: ChildProcess;
  let output = '';
  let chromium: Chromium | undefined;

  before(async () => {
    const port = await freePort();
    // Built already by the test run; its own process group, as a terminal gives it.
    child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs'), '--no-build', '--port', String(port)], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  });
  after(async () => {
    await chromium?.close();
    if (child.pid && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
  });

  it('prints a loopback URL that answers, with the workbench and deep-sigmoid.nnspec open', async () => {
    const url = await poll('the URL on stdout', () => /(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(output)?.[1], 60_000);
    const health = await fetch(new URL('/healthz', url));
    assert.equal(health.status, 200);
    chromium = await launchChromium({ work: freshWorkDir('browser-start', ROOT) });
    await chromium.page.goto(url, { timeout: 120_000 }); // a loaded machine takes longer than the default 30 s
    await waitForWorkbench(chromium.page);
    await editorTab(chromium.page, 'deep-sigmoid.nnspec').and(chromium.page.locator('.tab.active')).first().waitFor({ timeout: 30_000 });
    // The tab shows before its lines are rendered: wait for them (under load that takes a moment).
    const lines = chromium.page.locator('.editor-group-container.active .view-lines').first();
    const text = await poll(
      "the editor's lines",
      async () => {
        const t = await lines.innerText();
        return /dense\s16\ssigmoid/.test(t) ? t : null; // Monaco renders spaces as no-break spaces
      },
      20_000,
    );
    assert.match(text, /dense\s16\ssigmoid/);
    await chromium.page.screenshot({ path: path.join(ROOT, 'test-artifacts', 'npm-start.png') });
    await chromium.close();
    chromium = undefined;
  });

  it('stops the whole process group on Ctrl+C', async () => {
    const pgid = child.pid!;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    process.kill(-pgid, 'SIGINT');
    await exited;
    // code-server and its extension host are in the same group: none of them may linger.
    const deadline = Date.now() + 15_000;
    while (groupAlive(pgid) && Date.now() < deadline) await sleep(200);
    assert.equal(groupAlive(pgid), false, 'no process of the group is left');
  });
});
