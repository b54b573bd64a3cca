// The host side of the Gradient Flow panel: one WebviewPanel beside the editor that shows the last
// run, comparison or learning-rate sweep (a PanelContent). It serves the page (src/panel/html.ts) under a Content-Security-Policy with a fresh nonce,
// limits the webview to dist/ and media/, keeps the run's data and re-posts a full `show` whenever
// the page says `ready` (after being hidden, or reloaded: no retainContextWhenHidden), batches
// progress to at most ~10 messages a second in all (a comparison's runs share them), and answers the page's requests (a clicked
// cell's histogram among them: histograms travel only on demand), every one of which is validated first.

import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { panelHtml } from '../../panel/html';
import { isPanelToHost, type HeatmapMetric, type HostToPanel, type PanelToHost } from '../../protocol';
import { applyFix } from '../language/codeActions';
import { statementLineMap } from '../language/staleness';
import { baseName, type PanelContent } from './panelContent';
import { decodePngDataUrl, progressMessage, type RunData } from './runData';
import { Batcher } from './throttle';
import { notice } from '../notice';

const PROGRESS_INTERVAL_MS = 100;
/** How long a visible panel's page may take to say 'ready' before it is loaded again, and how many times. */
const PAGE_READY_MS = 15_000;
const PAGE_RELOADS = 3;

export interface PanelContext {
  readonly extensionUri: vscode.Uri;
  metric(): HeatmapMetric;
  setMetric(metric: HeatmapMetric): void;
  /** Asks where to save an export (the save dialog; tests put their own here). */
  pickSaveTarget(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined>;
  /** Sees every message posted to the page and received from it (the test build only). */
  readonly observer?: PanelObserver;
}

export interface PanelObserver {
  posted(panel: InspectorPanel, message: HostToPanel): void;
  /** A message from the page: the validated message, or undefined when it was dropped as malformed. */
  received(panel: InspectorPanel, message: PanelToHost | undefined): void;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class InspectorPanel implements vscode.Disposable {
  private content: PanelContent | undefined;
  /** The panel stride of each run shown, as of the last `show`. */
  private readonly strides = new Map<RunData, number>();
  private batcher: Batcher<Progress>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly ctx: PanelContext,
    /** Called once when the panel goes (closed by the user, or disposed). */
    private readonly onDisposed: (panel: InspectorPanel) => void,
  ) {
    panel.webview.options = webviewOptions(ctx.extensionUri);
    this.batcher = this.newBatcher(1);
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e.document)),
    );
    // Shown again after being hidden, the page loads anew (no retainContextWhenHidden): watch that load.
    let wasVisible = panel.visible;
    this.subscriptions.push(
      panel.onDidChangeViewState(() => {
        if (panel.visible !== wasVisible) this.watchPage();
        wasVisible = panel.visible;
      }),
    );
    this.load();
  }

  /** Page loads without a 'ready' yet (reset by each 'ready'). */
  private unanswered = 0;
  private pageTimer: ReturnType<typeof setTimeout> | undefined;

  private load(): void {
    this.panel.webview.html = this.html();
    this.watchPage();
  }

  /**
   * A page whose script never runs stays at "Loading…" for good (seen in code-server under load: the
   * webview's first load stalled). While the panel is visible, a page that has not said 'ready' within
   * PAGE_READY_MS is loaded again, a few times at most; a hidden panel has no page to wait for.
   */
  private watchPage(): void {
    if (this.pageTimer !== undefined) clearTimeout(this.pageTimer);
    this.pageTimer = undefined;
    if (this.disposed || !this.panel.visible || this.unanswered >= PAGE_RELOADS) return;
    this.pageTimer = setTimeout(() => {
      this.pageTimer = undefined;
      if (this.disposed || !this.panel.visible) return;
      this.unanswered++;
      console.warn(`Gradient Flow: the panel's page did not say ready within ${PAGE_READY_MS / 1000} s; loading it again`);
      this.load();
    }, PAGE_READY_MS);
  }

  /** The run shown, when the panel shows a single run. */
  get shownRun(): RunData | undefined {
    return this.content?.kind === 'run' ? this.content.runs[0] : undefined;
  }

  get shown(): PanelContent | undefined {
    return this.content;
  }

  /**
   * Switches the panel to a content (a new one, or the same again after it changed shape). Progress
   * is batched so the page gets at most ~10 messages a second in all: one message per run with news,
   * so the interval grows with the number of runs.
   */
  show(content: PanelContent): void {
    this.batcher.dispose();
    if (content !== this.content) {
      this.batcher = this.newBatcher(content.runs.length);
      this.outOfDate = false;
    }
    this.content = content;
    this.panel.title = content.title();
    this.postShow();
  }

  /**
   * Posts the content from scratch, noting each run's panel stride: a long run's records are bucket
   * aggregates, and when its stride doubles the page gets a fresh `show` instead of progress.
   */
  private postShow(): void {
    const content = this.content;
    if (!content) return;
    this.strides.clear();
    for (const run of content.runs) this.strides.set(run, run.panelStride);
    this.post({ type: 'show', view: content.view(), metric: this.ctx.metric() });
    if (this.outOfDate) this.post({ type: 'outOfDate', outOfDate: true });
  }

  /** Whether the shown runs' file changed its statements since they were trained (as the findings' staleness). */
  private outOfDate = false;

  private edited(doc: vscode.TextDocument): void {
    const content = this.content;
    const trained = content?.runs[0]?.text;
    if (!content || trained === undefined || doc.fileName !== content.fileName) return;
    const outOfDate = statementLineMap(trained, doc.getText()) === null;
    if (outOfDate === this.outOfDate) return;
    this.outOfDate = outOfDate;
    this.post({ type: 'outOfDate', outOfDate });
  }

  /** Whether a run's stride moved on since the page got its records. */
  private strideChanged(runs: Iterable<RunData>): boolean {
    for (const run of runs) if (this.strides.has(run) && this.strides.get(run) !== run.panelStride) return true;
    return false;
  }

  /** `added` new epochs of a run: batched. */
  progress(run: RunData, added: number): void {
    if (!this.content?.runs.includes(run)) return;
    this.panel.title = this.content.title();
    this.batcher.push({ run, added });
  }

  /** A run ended: what is pending goes out now, with the run's final state and findings. */
  runEnded(run: RunData): void {
    const content = this.content;
    if (!content?.runs.includes(run)) return;
    this.batcher.flush();
    if (this.strideChanged([run])) this.postShow();
    else this.post(progressOf(content, run, 0));
  }

  private newBatcher(runs: number): Batcher<Progress> {
    return new Batcher((items) => this.postProgress(items), PROGRESS_INTERVAL_MS * Math.max(1, runs));
  }

  private postProgress(items: Progress[]): void {
    const content = this.content;
    if (!content) return;
    const byRun = new Map<RunData, number>();
    for (const { run, added } of items) byRun.set(run, (byRun.get(run) ?? 0) + added);
    if (this.strideChanged(byRun.keys())) {
      this.postShow();
      return;
    }
    for (const [run, added] of byRun) if (content.runs.includes(run)) this.post(progressOf(content, run, added));
  }

  private post(message: HostToPanel): void {
    if (this.disposed) return;
    this.ctx.observer?.posted(this, message);
    void this.panel.webview.postMessage(message);
  }

  /** A message from the page: validated, then answered. (Public so tests can post as the page does.) */
  async receive(raw: unknown): Promise<void> {
    const valid = isPanelToHost(raw);
    this.ctx.observer?.received(this, valid ? raw : undefined);
    if (!valid) {
      console.warn('Gradient Flow: ignored a malformed message from the panel');
      return;
    }
    try {
      await this.handle(raw);
    } catch (e) {
      void vscode.window.showErrorMessage(notice(`Gradient Flow: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  private async handle(msg: PanelToHost): Promise<void> {
    switch (msg.type) {
      case 'ready':
        if (this.pageTimer !== undefined) clearTimeout(this.pageTimer);
        this.pageTimer = undefined;
        this.unanswered = 0;
        this.batcher.dispose();
        this.postShow();
        return;
      case 'metricChanged':
        this.ctx.setMetric(msg.metric);
        return;
      case 'revealLayer':
        await this.revealLayer(msg.fileName, msg.line);
        return;
      case 'export': {
        const run = this.requireRun();
        if (!run) return;
        // Streamed from the run's columns, a piece at a time: a long run is never one string.
        await this.save(run, msg.format, msg.format === 'csv' ? run.csvChunks() : run.jsonChunks());
        return;
      }
      case 'exportPng': {
        const run = this.requireRun();
        if (!run) return;
        const bytes = decodePngDataUrl(msg.dataUrl);
        if (!bytes) {
          void vscode.window.showErrorMessage('Gradient Flow: the heatmap image was not a PNG.');
          return;
        }
        await this.save(run, 'png', bytes);
        return;
      }
      case 'applyVariant': {
        const content = this.content;
        if (content?.applyVariant) await content.applyVariant(msg.variantId);
        else void vscode.window.showInformationMessage('Gradient Flow: this panel no longer holds that comparison. Run Compare Activations… again.');
        return;
      }
      case 'applyFix': {
        const run = this.shownRun;
        const fix = run?.findings[msg.findingIndex]?.fixes[msg.fixIndex];
        if (!run || !fix) {
          void vscode.window.showInformationMessage('Gradient Flow: that fix is no longer offered. Run Train & Inspect again.');
          return;
        }
        const doc = vscode.workspace.textDocuments.find((d) => d.fileName === run.fileName);
        await applyFix({ uri: (doc?.uri ?? vscode.Uri.file(run.fileName)).toString(), change: fix.change });
        return;
      }
      case 'rerun': {
        const content = this.content;
        if (content?.rerun) content.rerun();
        else void vscode.window.showInformationMessage('Gradient Flow: run the command again to refresh this view.');
        return;
      }
      case 'histogram': {
        // Histograms travel only when asked for: a clicked cell's, from the run the page names.
        const run = this.content?.runs.find((r) => r.id === msg.runId);
        const found = run?.histogram(msg.stride, msg.record, msg.layer);
        if (found) this.post({ type: 'histogram', runId: msg.runId, stride: msg.stride, record: msg.record, layer: msg.layer, ...found });
        return;
      }
      case 'applyLr': {
        const content = this.content;
        if (content?.applyLr) await content.applyLr(msg.lr);
        else void vscode.window.showInformationMessage('Gradient Flow: this panel no longer holds that learning-rate sweep. Run Find Learning Rate again.');
        return;
      }
    }
  }

  private requireRun(): RunData | undefined {
    const run = this.content?.exportRun;
    if (!run) void vscode.window.showInformationMessage('Gradient Flow: no single run in this window to export. Run Train & Inspect first.');
    return run;
  }

  /** Reveals a layer's line, for a file this panel shows (the page names it; nothing else is opened). */
  private async revealLayer(fileName: string, line: number): Promise<void> {
    if (!this.content || this.content.fileName !== fileName) return;
    const open = vscode.workspace.textDocuments.find((d) => d.fileName === fileName || d.uri.toString() === fileName);
    const doc = open ?? (isAbsolute(fileName) ? await vscode.workspace.openTextDocument(vscode.Uri.file(fileName)) : undefined);
    if (!doc) return;
    const target = Math.min(Math.max(0, line - 1), doc.lineCount - 1);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    const range = doc.lineAt(target).range;
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async save(run: RunData, ext: 'csv' | 'json' | 'png', content: Uint8Array | Iterable<string>): Promise<void> {
    const base = `${(run.name || baseName(run.fileName)).replace(/[^\w.-]+/g, '_')}-${ext === 'png' ? 'heatmap' : 'stats'}.${ext}`;
    const defaultUri = isAbsolute(run.fileName) ? vscode.Uri.file(join(dirname(run.fileName), base)) : undefined;
    const label = ext === 'png' ? 'PNG image' : ext.toUpperCase();
    const target = await this.ctx.pickSaveTarget({ ...(defaultUri ? { defaultUri } : {}), filters: { [label]: [ext] }, saveLabel: 'Export' });
    if (!target) return;
    if (content instanceof Uint8Array) await vscode.workspace.fs.writeFile(target, content);
    else if (target.scheme === 'file') await writeChunks(target.fsPath, content);
    else await vscode.workspace.fs.writeFile(target, Buffer.concat([...content].map((c) => Buffer.from(c, 'utf8'))));
    void vscode.window.showInformationMessage(`Gradient Flow: saved ${vscode.workspace.asRelativePath(target)}.`);
  }

  private html(): string {
    const webview = this.panel.webview;
    const root = this.ctx.extensionUri;
    return panelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('hex'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'media', 'panel.css')).toString(),
      title: 'Gradient Flow',
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.pageTimer !== undefined) clearTimeout(this.pageTimer);
    this.onDisposed(this);
    this.batcher.dispose();
    const content = this.content;
    for (const s of this.subscriptions) s.dispose();
    this.panel.dispose();
    content?.closed();
  }
}

/** Writes the pieces to a local file one after the other (the whole text is never held at once). */
async function writeChunks(path: string, chunks: Iterable<string>): Promise<void> {
  const file = await open(path, 'w');
  try {
    for (const chunk of chunks) await file.write(chunk, null, 'utf8');
  } finally {
    await file.close();
  }
}

function progressOf(content: PanelContent, run: RunData, added: number): HostToPanel {
  return content.progress ? content.progress(run, added) : progressMessage(run, added);
}

interface Progress {
  readonly run: RunData;
  /** Epochs received. */
  readonly added: number;
}
