// The gradient histogram of one layer at one epoch, opened by clicking a heatmap cell. Histograms
// are not part of the run the page holds: the view asks the host for the clicked one and draws it
// when the answer comes (issue 15: histograms travel on demand).

import type { TooltipItem } from 'chart.js';
import type { HistogramRequest, RunSnapshot } from '../protocol';
import { Chart, tooltipStyle } from './charts';
import { custom, h } from './dom';
import { formatTick, layerLabel } from './format';
import { binRangeLabel, HISTOGRAM, histogramEdges } from './histogramBins';
import type { Theme } from './theme';
import type { HistogramAnswer } from './view';

export interface HistogramTarget {
  readonly run: RunSnapshot;
  readonly layer: number;
  /** Index into run.records. */
  readonly record: number;
}

function requestOf(t: HistogramTarget): HistogramRequest {
  return { runId: t.run.id, stride: t.run.stride ?? 1, record: t.record, layer: t.layer };
}

function sameRequest(a: HistogramRequest, b: HistogramRequest): boolean {
  return a.runId === b.runId && a.stride === b.stride && a.record === b.record && a.layer === b.layer;
}

export class HistogramView {
  readonly element: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly note: HTMLParagraphElement;
  private readonly canvas: HTMLCanvasElement;
  private chart: Chart<'bar', number[], string> | null = null;
  private chartTheme: Theme | null = null;
  private target: HistogramTarget | null = null;
  /** The host's answer for the target, once it came. */
  private answer: HistogramAnswer | null = null;
  private theme: Theme | null = null;

  constructor(private readonly request: (request: HistogramRequest) => void) {
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

  /** Shows a layer's histogram at a record: asked of the host unless it is the one already shown. */
  show(target: HistogramTarget, theme: Theme): void {
    const asked = this.target && this.answer && sameRequest(requestOf(this.target), requestOf(target));
    this.target = target;
    this.theme = theme;
    this.element.hidden = false;
    if (!asked) {
      this.answer = null;
      this.request(requestOf(target));
    }
    this.render(theme);
  }

  /** The host's answer: drawn if it is for the histogram still shown. */
  receive(answer: HistogramAnswer): void {
    const t = this.target;
    if (!t || !this.theme || !sameRequest(requestOf(t), answer)) return;
    this.answer = answer;
    this.render(this.theme);
  }

  hide(): void {
    this.target = null;
    this.answer = null;
    this.element.hidden = true;
  }

  render(theme: Theme): void {
    const t = this.target;
    if (!t) return;
    const layer = t.run.layers[t.layer];
    const epoch = this.answer?.epoch ?? t.run.records.epoch[t.record];
    if (!layer || epoch === undefined) return this.hide();
    this.heading.textContent = `Gradient histogram · ${layerLabel(layer)} · epoch ${epoch}`;
    const counts = this.answer?.counts;
    const usable = counts !== null && counts !== undefined && counts.length === HISTOGRAM.bins;
    const total = usable ? counts.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0) : 0;
    this.note.textContent = usable
      ? `log10 |∂L/∂W| of the ${total} non-zero weight gradients at the last step of the epoch, in bins of half a decade.`
      : !this.answer
        ? `Loading the histogram of epoch ${epoch}…`
        : (t.run.stride ?? 1) > 1
          ? `No histogram was kept for epoch ${epoch}: a run this long keeps those of some epochs only.`
          : 'No histogram was recorded for this layer at this epoch.';
    this.element.dataset.state = usable ? 'shown' : this.answer ? 'none' : 'loading';
    this.canvas.setAttribute('aria-label', usable ? this.describe(counts, layer.index, epoch) : 'No histogram');
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
