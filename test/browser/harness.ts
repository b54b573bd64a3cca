// Helpers for the browser tests: a real VS Code workbench (code-server, with the built extension
// installed as a copy and a fresh copy of examples/ as the folder) in headless Chromium, plus the
// interactions tests need. Each *.test.ts here is a Node mocha file (run by scripts/test.mjs); a typical
// one opens the workbench in before(), closes it in after() and screenshots failures in afterEach():
//
//   let wb: Workbench;
//   before(async () => { wb = await openWorkbench('my-feature', { files: { 'bad.nnspec': '…' } }); });
//   afterEach(function () { return wb?.screenshotOnFailure(this); });
//   after(() => wb?.close());
//
// then openFile(page, 'bad.nnspec'), runCommand(page, 'Gradient Flow: Train & Inspect'), hoverAt(page, line,
// col), findFrameWith(page, 'canvas') + readCanvas(frame, 'canvas'), wb.screenshot('name').
// Selectors are VS Code 1.100's (code-server 4.100.3).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import {
  copyExamples,
  freshWorkDir,
  installExtensionCopy,
  installVsix,
  launchChromium,
  repoRoot,
  sleep,
  startCodeServer,
  waitForWorkbench,
  workbenchUrl,
  type CodeServer,
  type Chromium,
} from '../../scripts/vscode/index.mjs';

export const ROOT = repoRoot();
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

export interface Workbench {
  page: Page;
  server: CodeServer;
  /** The opened folder (a fresh copy of examples/; tests may edit it). */
  workspace: string;
  /** Screenshot into test-artifacts/<name>.png; returns the path. */
  screenshot(name: string): Promise<string>;
  /** For afterEach: a screenshot named after the failed test. */
  screenshotOnFailure(ctx: Mocha.Context): Promise<void>;
  close(): Promise<void>;
}

/**
 * Start code-server with the built extension installed, open the workbench on a fresh copy of examples/
 * and wait until it has rendered. Run the build first (scripts/test.mjs does).
 */
export interface WorkbenchOptions {
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Files to add to the workspace before it opens: { 'sub/a.nnspec': 'text' } (files written later may
   *  take a moment to reach the explorer; openFile refreshes it if needed). */
  files?: Record<string, string | Uint8Array>;
  /** Install this .vsix with code-server's --install-extension instead of copying the built tree. */
  vsix?: string;
}

export async function openWorkbench(name = 'browser', { settings = {}, files = {}, vsix }: WorkbenchOptions = {}): Promise<Workbench> {
  const work = freshWorkDir(name, ROOT);
  const workspace = copyExamples(work, ROOT, 'workspace');
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
    fs.writeFileSync(path.join(workspace, rel), content);
  }
  const extensionsDir = path.join(work, 'extensions');
  if (vsix) installVsix(vsix, extensionsDir, work, ROOT);
  else installExtensionCopy(extensionsDir, ROOT);
  let server: CodeServer | undefined;
  let chromium: Chromium | undefined;
  try {
    server = await startCodeServer({ work, root: ROOT, extensionsDir, settings });
    chromium = await launchChromium({ work });
    const { page } = chromium;
    page.on('pageerror', (e) => console.log(`    [page error] ${e.message}`));
    // The panel's page says why it dropped a message (console.warn): shown, so a failure explains itself.
    page.on('console', (m) => {
      if (m.type() === 'warning' && m.text().startsWith('Gradient Flow:')) console.log(`    [panel] ${m.text().slice(0, 300)}`);
    });
    await page.goto(workbenchUrl(server, { folder: workspace }), { timeout: 120_000 }); // a loaded machine takes longer than the default 30 s
    await waitForWorkbench(page);
    const wb: Workbench = {
      page,
      server,
      workspace,
      async screenshot(shotName) {
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        const file = path.join(ARTIFACTS, `${shotName.replace(/[^\w.-]+/g, '_')}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      async screenshotOnFailure(ctx) {
        const t = ctx.currentTest;
        if (t && t.state === 'failed') {
          const file = await wb.screenshot(`FAILED-${t.fullTitle()}`).catch(() => null);
          if (file) console.log(`    screenshot: ${path.relative(ROOT, file)}`);
        }
      },
      async close() {
        await chromium?.close();
        await server?.stop();
        if (!process.env.GF_KEEP_WORK) fs.rmSync(work, { recursive: true, force: true });
      },
    };
    return wb;
  } catch (e) {
    await chromium?.close();
    await server?.stop();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------
// Waiting

/** Poll `fn` until it returns a truthy value (errors count as "not yet"); throws after `timeout` ms. */
export async function poll<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeout = 20_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastErr ? ` (last error: ${String(lastErr)})` : ''}`);
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------------
// Explorer, editors, status bar

function exactText(s: string): RegExp {
  return new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** The explorer row of `name` (a file or folder label, as shown). */
export function explorerRow(page: Page, name: string): Locator {
  return page.locator('.explorer-folders-view .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactText(name) }) });
}

/** The editor tab titled `name`. */
export function editorTab(page: Page, name: string): Locator {
  return page.locator('.tabs-container .tab').filter({ has: page.locator('.label-name', { hasText: exactText(name) }) });
}

/**
 * Open `relPath` (relative to the workspace folder, '/'-separated) by clicking through the explorer,
 * expanding folders on the way; waits for its editor tab to be the active one.
 */
export async function openFile(page: Page, relPath: string): Promise<void> {
  const parts = relPath.split('/').filter(Boolean);
  for (const [i, part] of parts.entries()) {
    const row = explorerRow(page, part).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 10_000 });
    } catch {
      // A file created just now, not seen by the watcher yet. VS Code 1.100 lists the command as "Refresh
      // Explorer" (no "File:" category), so match that.
      await runCommand(page, 'Refresh Explorer');
      await row.waitFor({ state: 'visible', timeout: 15_000 });
    }
    const isLast = i === parts.length - 1;
    if (!isLast) {
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      continue;
    }
    await row.dblclick(); // double click: a pinned editor rather than a preview
  }
  const name = parts[parts.length - 1]!;
  await editorTab(page, name).and(page.locator('.tab.active')).first().waitFor({ timeout: 20_000 });
  await activeEditor(page).waitFor({ timeout: 20_000 });
}

/** The focused/visible text editor of the active editor group. */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/** The language id of the active editor, read from its tab's icon class (`<id>-lang-file-icon`). */
export async function activeEditorLanguage(page: Page): Promise<string | null> {
  const label = page.locator('.editor-group-container.active .tabs-container .tab.active .monaco-icon-label').first();
  if (!(await label.count())) return null;
  const m = /(?:^|\s)(\S+)-lang-file-icon(?:\s|$)/.exec((await label.getAttribute('class')) ?? '');
  return m ? m[1]! : null;
}

/** The status bar's language indicator text (e.g. "nnspec"), or null when it is not shown. */
export async function statusBarLanguage(page: Page): Promise<string | null> {
  const item = page.locator('[id="status.editor.mode"]');
  if (!(await item.count())) return null;
  return (await item.first().innerText()).trim();
}

// ---------------------------------------------------------------------------------------------------
// Commands, cursor, hovers

/**
 * Run a command from the palette by its title (as shown there, e.g. "Gradient Flow: Train & Inspect").
 * Commands with an `editorLangId` when-clause are listed only while the editor has the focus; if the
 * title does not show (focus still in a webview, say), the palette is closed, the editor focused, and
 * it is tried once more. `opensQuickInput`: the command shows a picker of its own (don't wait for the palette to close).
 */
export async function runCommand(page: Page, title: string, { opensQuickInput = false }: { opensQuickInput?: boolean } = {}): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    try {
      // Inside the try: a webview that takes the focus as it settles closes the palette under us.
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 10_000 });
      await row.waitFor({ state: 'visible', timeout: attempt === 1 ? 5_000 : 10_000 });
      break;
    } catch (e) {
      if (attempt > 1) throw e;
      await page.keyboard.press('Escape');
      await activeEditor(page)
        .locator('.view-lines')
        .first()
        .click({ position: { x: 5, y: 5 } })
        .catch(() => {});
    }
  }
  await row.click();
  if (opensQuickInput) return; // the command's own picker now holds the same widget
  await page
    .locator('.quick-input-widget')
    .waitFor({ state: 'hidden', timeout: 10_000 })
    .catch(() => {});
}

/** Move the cursor of the active editor to line:column (1-based), via "Go to Line/Column" (Ctrl+G). */
export async function gotoLine(page: Page, line: number, column = 1): Promise<void> {
  await activeEditor(page)
    .click({ position: { x: 200, y: 5 } })
    .catch(() => {});
  await page.keyboard.press('Control+g');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`); // the ":" prefix keeps the quick input in go-to-line mode
  await page.keyboard.press('Enter');
  await page
    .locator('.quick-input-widget')
    .waitFor({ state: 'hidden', timeout: 5_000 })
    .catch(() => {});
}

/** Screen coordinates of the character at line:column (1-based) of the active editor; scrolls it into view. */
export async function positionOf(page: Page, line: number, column: number): Promise<{ x: number; y: number }> {
  await gotoLine(page, line, column);
  return poll(`line ${line} to be rendered`, () =>
    page.evaluate(
      ({ line, column }) => {
        const editor = document.querySelector('.editor-group-container.active .monaco-editor');
        if (!editor) return null;
        const numbers = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')];
        const num = numbers.find((n) => n.textContent?.trim() === String(line));
        if (!num) return null;
        const top = num.getBoundingClientRect().top;
        const viewLine = [...editor.querySelectorAll('.view-lines .view-line')].find((l) => Math.abs(l.getBoundingClientRect().top - top) < 2);
        if (!viewLine) return null;
        // Find the text node holding character `column - 1` and measure it.
        let offset = column - 1;
        const walker = document.createTreeWalker(viewLine, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const len = n.textContent?.length ?? 0;
          if (offset < len) {
            const range = document.createRange();
            range.setStart(n, offset);
            range.setEnd(n, offset + 1);
            const r = range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
          offset -= len;
        }
        const r = viewLine.getBoundingClientRect(); // past the end of the line: its end
        return { x: r.right - 2, y: r.top + r.height / 2 };
      },
      { line, column },
    ),
  );
}

/** Hover the mouse over line:column (1-based) of the active editor and return the hover's text. */
export async function hoverAt(page: Page, line: number, column: number): Promise<string> {
  const { x, y } = await positionOf(page, line, column);
  await page.mouse.move(x - 30, y - 30);
  await page.mouse.move(x, y, { steps: 5 });
  return hoverText(page);
}

/** Hover the vertical centre of an element (e.g. a `.squiggly-warning`) and return the hover's text. */
export async function hoverOver(page: Page, target: Locator): Promise<string> {
  const box = await target.boundingBox();
  if (!box) throw new Error('element to hover is not visible');
  await page.mouse.move(box.x + Math.min(box.width / 2, 10), box.y + box.height / 2, { steps: 5 });
  return hoverText(page);
}

async function hoverText(page: Page): Promise<string> {
  const hover = page.locator('.monaco-hover:not(.hidden)').first();
  await hover.waitFor({ state: 'visible', timeout: 10_000 });
  return (await hover.innerText()).trim();
}

// ---------------------------------------------------------------------------------------------------
// Webviews

/**
 * The frame (among all nested ones, e.g. a webview's inner iframe) that has an element matching
 * `selector`. Polls until `timeout`.
 */
export async function findFrameWith(page: Page, selector: string, timeout = 30_000): Promise<Frame> {
  return poll(
    `a frame with ${selector}`,
    async () => {
      for (const frame of page.frames()) {
        try {
          if (await frame.$(selector)) return frame;
        } catch {
          /* detached or navigating */
        }
      }
      return null;
    },
    timeout,
  );
}

/**
 * The pixels of a 2D canvas in `frame` (e.g. the webview's heatmap): RGBA bytes, row-major.
 * Use pixelAt(c, x, y) to read one pixel.
 */
export async function readCanvas(frame: Frame, selector: string): Promise<{ width: number; height: number; data: number[] }> {
  return frame.$eval(selector, (el) => {
    const canvas = el as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('not a 2D canvas');
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return { width: img.width, height: img.height, data: Array.from(img.data) };
  });
}

export function pixelAt(c: { width: number; data: number[] }, x: number, y: number): [number, number, number, number] {
  const i = (Math.floor(y) * c.width + Math.floor(x)) * 4;
  return [c.data[i]!, c.data[i + 1]!, c.data[i + 2]!, c.data[i + 3]!];
}

/**
 * Per heatmap of the panel matching `selector` (each a `.heatmap-box`): the runs of opaque pixels
 * down the middle of its plot, one per painted row (-1 while a heatmap has not laid out yet).
 */
export async function paintedHeatmapRows(frame: Frame, selector = '.heatmap-box'): Promise<number[]> {
  return frame.evaluate(
    (sel) =>
      [...document.querySelectorAll<HTMLElement>(sel)].map((box) => {
        const canvas = box.querySelector('canvas');
        const ctx = canvas?.getContext('2d');
        if (!canvas || !ctx || !box.dataset.plot || canvas.clientWidth === 0) return -1;
        const [left = 0, top = 0, width = 0, height = 0] = box.dataset.plot.split(',').map(Number);
        const dpr = canvas.width / canvas.clientWidth;
        // A strip a few pixels wide, so a one-pixel gap between columns cannot hide a cell.
        const strip = 4;
        const px = ctx.getImageData(Math.round((left + width / 2) * dpr), Math.round(top * dpr), strip, Math.max(1, Math.round(height * dpr))).data;
        let runs = 0;
        let inRun = false;
        for (let row = 0; row * strip * 4 < px.length; row++) {
          let solid = false;
          for (let c = 0; c < strip; c++) solid ||= px[(row * strip + c) * 4 + 3] === 255;
          if (solid && !inRun) runs++;
          inRun = solid;
        }
        return runs;
      }),
    selector,
  );
}
