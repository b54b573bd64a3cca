// The 'run' view: header, metric selector, heatmap with legend, histogram, loss, layers, findings.

import { recordCount, type PanelView, type RunSnapshot } from '../protocol';
import { hasAccuracy, lastEpoch } from './columns';
import { button, metricSelect, stateBadge, type MetricSelect } from './controls';
import { custom, h, setText } from './dom';
import { composeHeatmapPng } from './exportPng';
import { basename } from './format';
import { STATISTICS } from '../shared/vocabulary';
import { FindingsList } from './findings';
import { Heatmap, ownFrames, type CellInfo } from './heatmap';
import { heatmapScale, pinnedScale, type HeatmapScale } from './heatmapScale';
import { HistogramView } from './histogram';
import { LayerTable } from './layerTable';
import { LegendView } from './legend';
import { LossChart, type LossSeries } from './lossChart';
import { SpeedReadout } from './speedReadout';
import type { Actions, HistogramAnswer, RenderContext, View } from './view';

/**
 * While a run streams, the loss chart and the layer table are drawn in turns, one of them at most
 * every DETAILS_MS, never both in one frame (either costs more than the heatmap's new columns, with
 * the layout and paint it brings), unless progress comes so seldom that a frame has room for both.
 */
const DETAILS_MS = 150;

/** What one streaming turn draws: the loss chart (and an open histogram), or the layer table. */
type Details = 'all' | 'curves' | 'table';
type Turn = Exclude<Details, 'all'>;

export class RunView implements View {
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly legend = new LegendView();
  private readonly heatmap: Heatmap;
  private readonly speed = new SpeedReadout();
  private readonly histogramView: HistogramView;
  private readonly loss: LossChart;
  private readonly table: LayerTable;
  private readonly findings: FindingsList;
  private run: RunSnapshot | null = null;
  private ctx: RenderContext | null = null;
  private scale: HeatmapScale | null = null;
  private readonly select: MetricSelect;
  private readonly pin: HTMLElement & { checked?: boolean };
  private headerKey = '';
  private epochCount: HTMLElement = h('span');
  /** When the details (loss chart, table) were last drawn, and the draw waiting for its turn. */
  private detailsAt = -Infinity;
  private detailsTimer: ReturnType<typeof setTimeout> | undefined;
  /** The part the next streaming turn draws, and the draw waiting for its frame (null: none). */
  private nextTurn: Turn = 'curves';
  private pending: Details | null = null;
  /** A newly shown run's details wait for its heatmap's first draw. */
  private afterHeatmap = false;
  /**
   * The loss chart and the layer table out of the viewport (the observer's last report), and the
   * turns skipped for them: while a run streams, a part out of view is not drawn (a table below the
   * fold cost more than the heatmap's update), and is drawn when it comes into view.
   */
  private readonly outOfView = new Set<Element>();
  private readonly stale = new Set<Turn>();
  private readonly visibility: IntersectionObserver;

  constructor(private readonly actions: Actions) {
    this.header = h('header', { class: 'view-header' });
    this.toolbar = h('div', { class: 'toolbar' });
    this.select = metricSelect('gradRms', (m) => this.actions.setMetric(m));
    this.buildToolbar();
    this.heatmap = new Heatmap({ compact: false, onCell: (cell, run) => this.onCell(cell, run), onDrawn: () => this.heatmapDrawn() });
    this.histogramView = new HistogramView((request) => actions.requestHistogram(request));
    this.loss = new LossChart('Loss', (log) => actions.setLossLog(log));
    this.table = new LayerTable((fileName, line) => actions.revealLayer(fileName, line));
    this.findings = new FindingsList(
      (line) => this.run && actions.revealLayer(this.run.fileName, line),
      (finding, fix) => actions.applyFix(finding, fix),
    );
    this.pin = custom('vscode-checkbox', { label: 'Pin colour scale', title: 'Keep this colour scale for the next runs, so they compare by colour' });
    this.pin.addEventListener('change', () => {
      const scale = this.scale;
      const ctx = this.ctx;
      if (!ctx) return;
      this.actions.pinScale(this.pin.checked && scale ? { metric: ctx.metric, domain: scale.domain } : null);
    });
    this.element = h(
      'div',
      { class: 'run-view' },
      this.header,
      this.toolbar,
      h(
        'section',
        { class: 'heatmap-section card', 'aria-labelledby': 'heatmap-heading' },
        h('div', { class: 'section-head' }, h('h2', { id: 'heatmap-heading' }, 'Gradient flow by layer and epoch'), this.pin),
        this.legend.element,
        this.heatmap.element,
        this.speed.element,
      ),
      // The histogram of a clicked cell opens right under the heatmap, where the eye already is.
      this.histogramView.element,
      this.loss.element,
      this.table.element,
      this.findings.element,
    );
    this.visibility = new IntersectionObserver((entries) => this.onVisibility(entries));
    this.visibility.observe(this.loss.element);
    this.visibility.observe(this.table.element);
  }

  private partElement(part: Turn): Element {
    return part === 'table' ? this.table.element : this.loss.element;
  }

  /** Parts coming into view that skipped turns are drawn in the next frame. */
  private onVisibility(entries: readonly IntersectionObserverEntry[]): void {
    for (const e of entries) {
      if (e.isIntersecting) this.outOfView.delete(e.target);
      else this.outOfView.add(e.target);
    }
    const due = [...this.stale].filter((part) => !this.outOfView.has(this.partElement(part)));
    const [first] = due;
    if (!first || this.pending === 'all') return;
    this.detailsLater(due.length > 1 || (this.pending !== null && this.pending !== first) ? 'all' : first, 0);
  }

  /** Whether a streaming turn passes over `part`, out of view (it is then drawn when it comes into view). */
  private skips(part: Turn): boolean {
    if (!this.outOfView.has(this.partElement(part))) {
      this.stale.delete(part);
      return false;
    }
    this.stale.add(part);
    return true;
  }

  render(view: PanelView, ctx: RenderContext): void {
    if (view.kind !== 'run') return;
    const run = view.run;
    const before = this.run;
    const beforeCtx = this.ctx;
    this.run = run;
    this.ctx = ctx;
    // A newly shown run's details are drawn after its heatmap (see heatmapDrawn), which on a page's
    // first show waits for the layout to give it a width.
    const fresh = before?.id !== run.id;
    if (fresh) {
      clearTimeout(this.detailsTimer);
      this.pending = 'all';
      this.afterHeatmap = true;
    }
    this.renderHeader(run, ctx);
    this.select.set(ctx.metric);
    this.scale = pinnedScale(heatmapScale([run], ctx.metric), ctx.pinned, ctx.metric);
    const pinned = ctx.pinned?.metric === ctx.metric;
    if (this.pin.checked !== pinned) this.pin.checked = pinned;
    this.legend.update(this.scale.legend, ctx.theme);
    this.heatmap.update({ run, metric: ctx.metric, domain: this.scale.domain, theme: ctx.theme });
    this.speed.update(run, ctx.metric);
    // The rest depends on the epochs, findings, state and theme only: a metric switch leaves it be.
    const sameData =
      before !== null && before.id === run.id && before.records === run.records && before.findings === run.findings && before.state === run.state;
    const sameLook = beforeCtx?.theme === ctx.theme && beforeCtx.lossLog === ctx.lossLog;
    if (sameData && sameLook) return;
    this.findings.update(run.findings, run.state === 'running');
    // A new run's details come with its heatmap; details already waiting draw the latest run.
    if (fresh || this.pending === 'all') return;
    // While a run streams, the details follow in turns (DETAILS_MS), so every progress fits in a frame.
    // A turn that is due is drawn in this progress's frame: a frame of its own would lay out, paint
    // and commit the page once more (about 2.5 ms of a 9 ms table turn on a 2-core machine). Progress
    // that stops before the next turn is due leaves it to a timer.
    const streaming = run.state === 'running' && before?.state === 'running' && sameLook;
    if (streaming) {
      const since = performance.now() - this.detailsAt;
      // Progress this far apart (a slow run, an epoch a second or slower): both parts, in this frame.
      // One part a progress would leave the other an epoch behind until the next, seconds later.
      if (since >= 2 * DETAILS_MS) {
        this.renderDetails('curves');
        this.renderDetails('table');
        return;
      }
      const wait = DETAILS_MS - since;
      // A part waiting for its frame (one that came into view) goes first.
      if (wait <= 0) this.renderDetails(this.pending ?? this.nextTurn);
      else if (!this.pending) this.detailsLater(this.nextTurn, wait + DETAILS_MS);
      return;
    }
    this.renderDetails('all');
  }

  /** The heatmap drew: a new run's details follow in this task, or for a large run in the next frame. */
  private heatmapDrawn(): void {
    if (!this.afterHeatmap || !this.run) return;
    this.afterHeatmap = false;
    if (ownFrames(this.run)) this.detailsLater('all', 0);
    else this.renderDetails('all');
  }

  /** Draws `part` in the first frame after `wait` milliseconds. */
  private detailsLater(part: Details, wait: number): void {
    clearTimeout(this.detailsTimer);
    this.pending = part;
    this.detailsTimer = setTimeout(
      () =>
        requestAnimationFrame(() => {
          if (this.pending) this.renderDetails(this.pending);
        }),
      Math.max(0, wait),
    );
  }

  /** The loss chart and the open histogram, the layer table, or all three, for the run and context last rendered. */
  private renderDetails(part: Details): void {
    clearTimeout(this.detailsTimer);
    this.detailsTimer = undefined;
    this.pending = null;
    this.afterHeatmap = false;
    this.detailsAt = performance.now();
    if (part !== 'all') this.nextTurn = part === 'curves' ? 'table' : 'curves';
    const { run, ctx } = this;
    if (!run || !ctx) return;
    if (part === 'all') this.stale.clear();
    if (part === 'all' || (part === 'table' && !this.skips('table'))) this.table.update(run);
    if (part === 'table') return;
    const hist = this.histogramView.current;
    if (hist) this.histogramView.show({ ...hist, run }, ctx.theme);
    if (part === 'curves' && this.skips('curves')) return;
    const { records } = run;
    const series: LossSeries[] = [{ label: 'loss', color: ctx.theme.series[0] ?? ctx.theme.foreground, axis: 'y', x: records.epoch, y: records.loss }];
    if (hasAccuracy(records)) {
      series.push({
        label: 'accuracy',
        color: ctx.theme.series[2] ?? ctx.theme.foreground,
        axis: 'y1',
        dashed: true,
        x: records.epoch,
        y: records.accuracy,
      });
    }
    this.loss.update(series, ctx.theme, ctx.lossLog, run.totalEpochs);
  }

  private renderHeader(run: RunSnapshot, ctx: RenderContext): void {
    const trimmed = ctx.trimmed.has(run.id);
    const epoch = String(lastEpoch(run.records) ?? 0);
    // Rebuilt only when more than the epoch changed: new DOM each progress would make the page lay out again.
    const key = JSON.stringify([run.name, run.fileName, run.state, run.totalEpochs, run.error, trimmed, ctx.outOfDate]);
    if (key === this.headerKey) {
      setText(this.epochCount, epoch);
      return;
    }
    this.headerKey = key;
    // The epoch changes with every progress: in a box as wide as the last epoch's digits, it lays out alone (media/panel.css).
    this.epochCount = h('span', { class: 'count' }, epoch);
    this.epochCount.style.width = `${Math.max(String(run.totalEpochs).length, epoch.length)}ch`;
    const epochs = h('span', { class: 'epochs' }, 'epoch ', this.epochCount, ` of ${run.totalEpochs}`);
    const meta = h('p', { class: 'meta' }, h('span', { class: 'file', title: run.fileName }, basename(run.fileName)), stateBadge(run.state), epochs);
    const title = h('h1', {}, run.name);
    const notes = [
      run.error ? h('p', { class: 'error', role: 'alert' }, run.error) : null,
      trimmed && recordCount(run.records) === 0
        ? h('p', { class: 'notice' }, 'This run was too long to keep across the reload; its epochs are unavailable. Run Train & Inspect again to see them.')
        : null,
      ctx.outOfDate ? this.outOfDateNotice() : null,
    ];
    this.header.replaceChildren(title, meta, ...notes.filter((n): n is HTMLElement => n !== null));
    this.element.classList.toggle('out-of-date', ctx.outOfDate);
  }

  private outOfDateNotice(): HTMLElement {
    return h(
      'div',
      { class: 'notice out-of-date-notice', role: 'status' },
      h('span', {}, h('strong', {}, 'Out of date'), ' — the file changed since this run; its heatmap and findings describe the old text.'),
      button('Re-run', () => this.actions.rerun(), { title: 'Train the file as it is now' }),
    );
  }

  /** The toolbar, made with the view (so a view built ahead of its run has its controls rendered too). */
  private buildToolbar(): void {
    this.toolbar.replaceChildren(
      this.select.element,
      h(
        'div',
        { class: 'exports', role: 'group', 'aria-label': 'Export' },
        button('Export PNG', () => this.exportPng(), { secondary: true, title: 'Save the heatmap as a PNG image' }),
        button('CSV', () => this.actions.exportData('csv'), { secondary: true, title: 'Save every epoch statistic as CSV' }),
        button('JSON', () => this.actions.exportData('json'), { secondary: true, title: 'Save the report as JSON' }),
      ),
    );
  }

  private exportPng(): void {
    const { run, ctx, scale } = this;
    const size = this.heatmap.drawnSize;
    if (!run || !ctx || !scale || !size) return;
    const title = `${run.name} · ${STATISTICS[ctx.metric].long}`;
    this.actions.exportPng(composeHeatmapPng(this.heatmap.canvas, size, scale.legend, title, ctx.theme));
  }

  private onCell(cell: CellInfo, run: RunSnapshot): void {
    const layer = run.layers[cell.layer];
    if (layer) this.actions.revealLayer(run.fileName, layer.line);
    // A bucket of epochs shows the histogram of its last epoch: the most recent state it summarises.
    if (this.ctx && cell.to > cell.from) {
      this.histogramView.show({ run, layer: cell.layer, record: cell.to - 1 }, this.ctx.theme);
      this.histogramView.element.scrollIntoView({ block: 'nearest' });
    }
  }

  histogram(answer: HistogramAnswer): void {
    this.histogramView.receive(answer);
  }

  destroy(): void {
    clearTimeout(this.detailsTimer);
    this.detailsTimer = undefined;
    this.pending = null;
    this.run = null;
    this.visibility.disconnect();
    this.heatmap.destroy();
    this.histogramView.destroy();
    this.loss.destroy();
  }
}
