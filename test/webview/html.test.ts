import * as assert from 'node:assert/strict';
import { panelHtml } from '../../src/panel/html';

describe('panel html', () => {
  const opts = {
    cspSource: 'vscode-webview://abc',
    nonce: 'N0nce',
    scriptUri: 'vscode-webview://abc/dist/webview.js',
    styleUri: 'vscode-webview://abc/media/panel.css',
    title: 'Gradient Flow <net>',
  };

  it('has a strict Content-Security-Policy', () => {
    const html = panelHtml(opts);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    assert.equal(
      csp,
      "default-src 'none'; img-src vscode-webview://abc data:; style-src vscode-webview://abc; script-src 'nonce-N0nce'; font-src vscode-webview://abc",
    );
    assert.ok(!html.includes('unsafe-inline'));
    assert.ok(!html.includes('unsafe-eval'));
  });

  it('loads exactly one script, the nonce’d bundle, and the stylesheet', () => {
    const html = panelHtml(opts);
    assert.deepEqual(html.match(/<script[^>]*>/g), ['<script nonce="N0nce" src="vscode-webview://abc/dist/webview.js">']);
    assert.ok(html.includes('<link rel="stylesheet" href="vscode-webview://abc/media/panel.css">'));
    assert.ok(!html.includes('codicon'));
    assert.ok(panelHtml({ ...opts, codiconsUri: 'x/codicon.css' }).includes('id="vscode-codicon-stylesheet" href="x/codicon.css"'));
  });

  it('has a main landmark and escapes the title', () => {
    const html = panelHtml(opts);
    assert.ok(html.includes('<main id="app" aria-busy="true" aria-label="Gradient Flow &lt;net&gt;">'));
    assert.ok(html.includes('<title>Gradient Flow &lt;net&gt;</title>'));
  });
});
