// The panel page served as VS Code would serve it into a webview, for the Chromium page tests.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/vscode/index.mjs';
import type { HostToPanel } from '../../src/protocol';
import { panelHtml } from '../../src/panel/html';

const ROOT = resolve(__dirname, '../../..');

/** Serves the panel's page (from the repository at `root`) (panelHtml with its CSP), dist/webview.js and media/panel.css on loopback. */
export function servePanel(root = ROOT): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const files: Record<string, [string, string]> = {
      '/dist/webview.js': ['dist/webview.js', 'text/javascript'],
      '/media/panel.css': ['media/panel.css', 'text/css'],
    };
    const file = files[req.url ?? ''];
    if (req.url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        panelHtml({
          cspSource: origin,
          nonce: 'bm9uY2UtZm9yLXRlc3Q',
          scriptUri: `${origin}/dist/webview.js`,
          styleUri: `${origin}/media/panel.css`,
          title: 'Gradient Flow',
        }),
      );
    } else if (file) {
      res.writeHead(200, { 'content-type': file[1] });
      res.end(readFileSync(join(root, file[0])));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

/** A headless Chromium (the browser tests' binary and flags) with one page, in a fresh profile. */
export async function launchPanelBrowser(
  profilePrefix: string,
  options: { viewport: { width: number; height: number }; deviceScaleFactor?: number },
): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), profilePrefix));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, ...options });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A host message as JSON for the page, as VS Code's webview transport sends it: each distinct
 * ArrayBuffer once (as base64 here), and each typed array a view of one of them (so the columns of
 * a run, views of one buffer, arrive as views of one buffer, NaN and Infinity included); REVIVE,
 * evaluated in the page, reads it back.
 */
export function encodeMessage(msg: unknown): string {
  const buffers: ArrayBufferLike[] = [];
  const json = JSON.stringify(msg, (_k, v: unknown) => {
    if (!(v instanceof Float32Array || v instanceof Int32Array)) return v;
    let index = buffers.indexOf(v.buffer);
    if (index < 0) index = buffers.push(v.buffer) - 1;
    return { $view: v instanceof Float32Array ? 'f32' : 'i32', buffer: index, byteOffset: v.byteOffset, length: v.length };
  });
  return JSON.stringify({ buffers: buffers.map((b) => Buffer.from(b).toString('base64')), json });
}

/** Page-side source of the decoder of encodeMessage: `(${REVIVE})(encoded)` is the message. */
export const REVIVE = `(encoded) => {
  const { buffers, json } = JSON.parse(encoded);
  // A loop over the decoded string, not Uint8Array.from(string, …), which makes a string per byte:
  // garbage the page (and the bench measuring it) would collect later.
  const bytes = buffers.map((b) => {
    const s = atob(b);
    const u = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
    return u.buffer;
  });
  return JSON.parse(json, (_k, v) => {
    if (typeof v !== 'object' || v === null || typeof v.$view !== 'string') return v;
    return v.$view === 'i32' ? new Int32Array(bytes[v.buffer], v.byteOffset, v.length) : new Float32Array(bytes[v.buffer], v.byteOffset, v.length);
  });
}`;

/** Posts a host message to the page, as the webview would receive it. */
export async function send(page: Page, msg: HostToPanel): Promise<void> {
  await page.evaluate(`window.postMessage((${REVIVE})(${JSON.stringify(encodeMessage(msg))}), '*')`);
}

/** Runs in the page before its scripts: a fake VS Code API that records what the page posts and keeps its state in sessionStorage. */
function installRecordingVsCodeApi(): void {
  (window as unknown as { acquireVsCodeApi: unknown }).acquireVsCodeApi = () => ({
    postMessage: (m: unknown) => ((window as unknown as { __posted: unknown[] }).__posted ??= []).push(m),
    getState: () => undefined,
    setState: (s: unknown) => sessionStorage.setItem('gf-state', JSON.stringify(s)),
  });
}

/**
 * The served page in a fresh Chromium with installRecordingVsCodeApi: what the page posts is in
 * `window.__posted`, its saved state in sessionStorage's 'gf-state', and its errors (uncaught or
 * console.error) in `errors`.
 */
export async function openRecordingPanel(
  profilePrefix: string,
  viewport: { width: number; height: number },
): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const { server, origin } = await servePanel();
  let browser: Awaited<ReturnType<typeof launchPanelBrowser>> | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    server.close();
  };
  try {
    browser = await launchPanelBrowser(profilePrefix, { viewport });
    await browser.context.addInitScript(installRecordingVsCodeApi);
    const { page } = browser;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(origin);
    return { page, errors, close };
  } catch (e) {
    await close();
    throw e;
  }
}
