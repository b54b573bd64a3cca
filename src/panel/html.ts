// The panel's HTML document: a pure function of the URIs the host resolved, so it can be tested
// and served outside VS Code. All code comes from the one nonce'd bundle; all styling from the
// stylesheet. Chart.js and @vscode-elements only touch styles through the CSSOM (element.style,
// adoptedStyleSheets), which CSP does not govern, so style-src needs no 'unsafe-inline'.

export interface PanelHtmlOptions {
  /** webview.cspSource */
  readonly cspSource: string;
  /** A fresh random nonce per render. */
  readonly nonce: string;
  /** asWebviewUri of dist/webview.js */
  readonly scriptUri: string;
  /** asWebviewUri of media/panel.css */
  readonly styleUri: string;
  /** asWebviewUri of codicon.css, if the host ships it (the page does not need it). */
  readonly codiconsUri?: string;
  readonly title: string;
}

export function panelHtml(opts: PanelHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `img-src ${opts.cspSource} data:`,
    `style-src ${opts.cspSource}`,
    `script-src 'nonce-${opts.nonce}'`,
    `font-src ${opts.cspSource}`,
  ].join('; ');
  // vscode-elements looks the codicon stylesheet up by this id.
  const codicons = opts.codiconsUri ? `\n  <link rel="stylesheet" id="vscode-codicon-stylesheet" href="${attr(opts.codiconsUri)}">` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attr(opts.styleUri)}">${codicons}
  <title>${text(opts.title)}</title>
</head>
<body>
  <main id="app" aria-busy="true" aria-label="${attr(opts.title)}">
    <p class="placeholder">Loading…</p>
  </main>
  <script nonce="${attr(opts.nonce)}" src="${attr(opts.scriptUri)}"></script>
</body>
</html>
`;
}

function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;');
}
