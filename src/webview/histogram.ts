// The gradient histogram of one layer at one epoch, opened by clicking a heatmap cell.

import type { TooltipItem } from 'chart.js';
import type { RunSnapshot } from '../protocol';
import { Chart, tooltipStyle } from './charts';
import { custom, h } from './dom';
import { formatTick, layerLabel } from './format';
import { binRangeLabel, HISTOGRAM, histogramEdges } from './histogramBins';
import type { Theme } from './theme';

export interface HistogramTarget {
  readonly run: RunSnapshot;
  readonly layer: number;
  /** Index into run.epochs. */
  readonly epochIndex: number;
}

export class HistogramView {
  readonly element: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly note: HTMLParagraphElement;
  private readonly canvas: HTMLCanvasElement;
  private chart: Chart<'bar', number[], string> | null = null;
  private chartTheme: Theme | null = null;
  private target: HistogramTarget | null = null;

  constructor() {
    this.heading = h('h2', { id: 'histogram-heading' }, 'Gradient histogram');
    this.note = h('p', { class: 'muted' });
    this.canvas = h('canvas', { role: 'img' });
    const close = custom('vscode-button', { secondary: true, class: 'close' }, 'Close');
    close.addEventListener('click', () => this.hide());
    this.element = h(
      'section',
      { class: 'histogram card', 'aria-labelledby': 'histogram-heading', hidden: true },
      h('div', { class: 'section-head' }, this.heading, close),
      this.note,
      h('div', { class: 'chart-box histogram-box' }, this.canvas),
    );
  }

  get current(): HistogramTarget | null {
    return this.target;
  }

  show(target: HistogramTarget, theme: Theme): void {
    this.target = target;
    this.element.hidden = false;
    this.render(theme);
  }

  hide(): void {
    this.target = null;
    this.element.hidden = true;
  }

  render(theme: Theme): void {
    const t = this.target;
    if (!t) return;
    const layer = t.run.layers[t.layer];
    const record = t.run.epochs[t.epochIndex];
    if (!layer || !record) return this.hide();
    this.heading.textContent = `Gradient histogram · ${layerLabel(layer)} · epoch ${record.epoch}`;
    const counts = record.histograms[t.layer];
    const usable = counts !== undefined && counts.length === HISTOGRAM.bins;
    const total = usable ? counts.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0) : 0;
    this.note.textContent = usable
      ? `log10 |∂L/∂W| of the ${total} non-zero weight gradients at the last step of the epoch, in bins of half a decade.`
      : (t.run.stride ?? 1) > 1
        ? `No histogram was kept for epoch ${record.epoch}: a run this long keeps those of some epochs only.`
        : 'No histogram was recorded for this layer at this epoch.';
    this.canvas.setAttribute('aria-label', usable ? this.describe(counts, layer.index, record.epoch) : 'No histogram');
    if (!this.chart || this.chartTheme !== theme) this.build(theme);
    const chart = this.chart;
    const ds = chart?.data.datasets[0];
    if (!chart || !ds) return;
    ds.data = usable ? counts.map((c) => (Number.isFinite(c) ? c : 0)) : [];
    chart.update('none');
  }

  private describe(counts: readonly number[], layer: number, epoch: number): string {
    let peak = 0;
    counts.forEach((c, i) => {
      if (c > (counts[peak] ?? 0)) peak = i;
    });
    return `Histogram of |∂L/∂W| for layer ${layer} at epoch ${epoch}; most gradients in ${binRangeLabel(peak)}.`;
  }

  private build(theme: Theme): void {
    this.chart?.destroy();
    this.chartTheme = theme;
    const labels = histogramEdges()
      .slice(0, HISTOGRAM.bins)
      .map((e) => (Number.isInteger(e) && e % 2 === 0 ? formatTick(10 ** e) : ''));
    this.chart = new Chart<'bar', number[], string>(this.canvas, {
      type: 'bar',
      data: {
        labels,
        datasets: [{ label: 'weights', data: [], backgroundColor: theme.series[0], borderWidth: 0, barPercentage: 1, categoryPercentage: 0.92 }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: {
            grid: { display: false },
            ticks: { autoSkip: false, maxRotation: 0, color: theme.muted },
            title: { display: true, text: '|∂L/∂W| (log10 bins)', color: theme.muted },
          },
          y: { beginAtZero: true, ticks: { precision: 0, color: theme.muted }, title: { display: true, text: 'weights', color: theme.muted } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            ...tooltipStyle(theme),
            callbacks: {
              title: (items: TooltipItem<'bar'>[]) => binRangeLabel(items[0]?.dataIndex ?? 0),
              label: (item: TooltipItem<'bar'>) => `${item.formattedValue} weights`,
            },
          },
        },
      },
    });
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
  }
}
