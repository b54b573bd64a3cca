// The 'compare' view: the variants' heatmaps side by side on ONE shared colour scale, a verdict and
// an Apply button under each, and their loss curves overlaid.

import type { CompareVariantSnapshot, PanelView, RunSnapshot } from '../protocol';
import { button, metricSelect, stateBadge, type MetricSelect } from './controls';
import { h, uniqueId } from './dom';
import { basename } from './format';
import { Heatmap, type CellInfo } from './heatmap';
import { heatmapScale } from './heatmapScale';
import { HistogramView } from './histogram';
import { LegendView } from './legend';
import { LossChart } from './lossChart';
import type { Actions, HistogramAnswer, RenderContext, View } from './view';

interface Card {
  readonly element: HTMLElement;
  readonly heading: HTMLElement;
  readonly verdict: HTMLElement;
  readonly heatmap: Heatmap;
}

export class CompareView implements View {
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly toolbar: HTMLElement;
  private readonly legend = new LegendView();
  private readonly grid: HTMLElement;
  private readonly histogramView: HistogramView;
  private readonly loss: LossChart;
  private cards = new Map<string, Card>();
  private select: MetricSelect | null = null;
  private ctx: RenderContext | null = null;

  constructor(private readonly actions: Actions) {
    this.header = h('header', { class: 'view-header' });
    this.toolbar = h('div', { class: 'toolbar' });
    this.grid = h('div', { class: 'compare-grid' });
    this.loss = new LossChart('Loss of every variant', (log) => actions.setLossLog(log));
    this.histogramView = new HistogramView((request) => actions.requestHistogram(request));
    this.element = h(
      'div',
      { class: 'compare-view' },
      this.header,
      this.toolbar,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'compare-heading' },
        h('h2', { id: 'compare-heading' }, 'Gradient flow of each variant (one shared colour scale)'),
        this.legend.element,
        this.grid,
      ),
      h('div', { class: 'chart-row' }, this.loss.element, this.histogramView.element),
    );
  }

  render(view: PanelView, ctx: RenderContext): void {
    if (view.kind !== 'compare') return;
    this.ctx = ctx;
    const running = view.variants.filter((v) => v.run.state === 'running').length;
    this.header.replaceChildren(
      h('h1', {}, `Compare · ${basename(view.fileName)}`),
      h(
        'p',
        { class: 'meta' },
        h('span', { class: 'file', title: view.fileName }, `${view.variants.length} variants`),
        running ? h('span', {}, `${running} still training`) : null,
      ),
    );
    if (!this.select) {
      this.select = metricSelect(ctx.metric, (m) => this.actions.setMetric(m));
      this.toolbar.replaceChildren(this.select.element);
    }
    this.select.set(ctx.metric);
    const scale = heatmapScale(
      view.variants.map((v) => v.run),
      ctx.metric,
    );
    this.legend.update(scale.legend, ctx.theme);
    const ids = view.variants.map((v) => v.variantId).join('\n');
    if (ids !== [...this.cards.keys()].join('\n')) this.rebuildCards(view.variants);
    for (const v of view.variants) {
      const card = this.cards.get(v.variantId);
      if (!card) continue;
      card.heading.replaceChildren(h('span', {}, v.run.label), stateBadge(v.run.state));
      card.verdict.textContent = v.verdict;
      card.heatmap.update({ run: v.run, metric: ctx.metric, domain: scale.domain, theme: ctx.theme });
    }
    const maxEpoch = Math.max(1, ...view.variants.map((v) => v.run.totalEpochs));
    this.loss.update(
      view.variants.map((v, i) => ({
        label: v.run.label,
        color: ctx.theme.series[i % ctx.theme.series.length] ?? ctx.theme.foreground,
        axis: 'y' as const,
        x: v.run.records.epoch,
        y: v.run.records.loss,
      })),
      ctx.theme,
      ctx.lossLog,
      maxEpoch,
    );
    const hist = this.histogramView.current;
    const histRun = hist && view.variants.find((v) => v.run.id === hist.run.id)?.run;
    if (hist && histRun) this.histogramView.show({ ...hist, run: histRun }, ctx.theme);
  }

  private rebuildCards(variants: readonly CompareVariantSnapshot[]): void {
    for (const c of this.cards.values()) c.heatmap.destroy();
    this.cards = new Map();
    for (const v of variants) {
      const headingId = uniqueId('variant');
      const heading = h('h3', { id: headingId });
      const verdict = h('p', { class: 'verdict-line' });
      const heatmap = new Heatmap({ compact: true, onCell: (cell, run) => this.onCell(cell, run) });
      const apply = button('Apply', () => this.actions.applyVariant(v.variantId), { title: `Apply ${v.run.label} to the spec` });
      const element = h(
        'article',
        { class: 'variant', 'aria-labelledby': headingId },
        heading,
        heatmap.element,
        h('div', { class: 'variant-foot' }, verdict, apply),
      );
      this.cards.set(v.variantId, { element, heading, verdict, heatmap });
    }
    this.grid.replaceChildren(...[...this.cards.values()].map((c) => c.element));
  }

  private onCell(cell: CellInfo, run: RunSnapshot): void {
    const layer = run.layers[cell.layer];
    if (layer) this.actions.revealLayer(run.fileName, layer.line);
    if (this.ctx && cell.to > cell.from) this.histogramView.show({ run, layer: cell.layer, record: cell.to - 1 }, this.ctx.theme);
  }

  histogram(answer: HistogramAnswer): void {
    this.histogramView.receive(answer);
  }

  destroy(): void {
    for (const c of this.cards.values()) c.heatmap.destroy();
    this.histogramView.destroy();
    this.loss.destroy();
  }
}
