// Loss (and accuracy) against epoch: one run's curves, or every compare variant's overlaid.
// Updated in place as epochs arrive; the chart is only rebuilt when the theme changes.

import type { ScaleOptionsByType, TooltipItem } from 'chart.js';
import { Chart, tooltipStyle } from './charts';
import { custom, h, uniqueId } from './dom';
import { formatCount, formatValue } from './format';
import type { Theme } from './theme';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface LossSeries {
  readonly label: string;
  readonly color: string;
  readonly points: readonly Point[];
  /** 'y1' is the 0..1 accuracy axis on the right. */
  readonly axis: 'y' | 'y1';
  readonly dashed?: boolean;
}

type LineChart = Chart<'line', Point[], unknown>;

export class LossChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly logBox: HTMLElement & { checked?: boolean };
  private chart: LineChart | null = null;
  private chartTheme: Theme | null = null;

  constructor(
    title: string,
    private readonly onLogChange: (log: boolean) => void,
  ) {
    const headingId = uniqueId('loss-heading');
    this.canvas = h('canvas', { role: 'img', 'aria-label': title });
    this.logBox = custom('vscode-checkbox', { label: 'Log scale' });
    this.logBox.addEventListener('change', () => this.onLogChange(Boolean(this.logBox.checked)));
    this.element = h(
      'section',
      { class: 'loss card', 'aria-labelledby': headingId },
      h('div', { class: 'section-head' }, h('h2', { id: headingId }, title), this.logBox),
      h('div', { class: 'chart-box loss-box' }, this.canvas),
    );
  }

  update(series: readonly LossSeries[], theme: Theme, log: boolean, maxEpoch: number): void {
    if (!this.chart || this.chartTheme !== theme) this.build(theme);
    const chart = this.chart;
    if (!chart) return;
    this.logBox.checked = log;
    const clean = (p: Point): Point => ({ x: p.x, y: Number.isFinite(p.y) && (!log || p.y > 0) ? p.y : NaN });
    const same = chart.data.datasets.length === series.length && chart.data.datasets.every((d, i) => d.label === series[i]?.label);
    if (same) {
      chart.data.datasets.forEach((d, i) => {
        const s = series[i];
        if (s) d.data = s.points.map(clean);
      });
    } else {
      chart.data.datasets = series.map((s) => ({
        label: s.label,
        data: s.points.map(clean),
        borderColor: s.color,
        backgroundColor: s.color,
        borderWidth: theme.highContrast ? 2.5 : 1.5,
        borderDash: s.dashed ? [5, 3] : [],
        pointRadius: 0,
        pointHoverRadius: 3,
        yAxisID: s.axis,
        spanGaps: false,
      }));
    }
    const scales = chart.options.scales;
    if (scales) {
      scales.y = this.lossAxis(theme, log);
      const y1 = scales.y1;
      if (y1) y1.display = series.some((s) => s.axis === 'y1');
      const x = scales.x;
      if (x) x.max = Math.max(1, maxEpoch);
    }
    const legend = chart.options.plugins?.legend;
    if (legend) legend.display = series.length > 1;
    this.canvas.setAttribute('aria-label', this.describe(series));
    chart.update('none');
  }

  private describe(series: readonly LossSeries[]): string {
    return series
      .map((s) => {
        const last = s.points[s.points.length - 1];
        return last ? `${s.label} ${formatValue(last.y)} at epoch ${last.x}` : `${s.label}: no data`;
      })
      .join('; ');
  }

  private lossAxis(theme: Theme, log: boolean): ScaleOptionsByType<'linear' | 'logarithmic'> {
    const axis = {
      type: log ? 'logarithmic' : 'linear',
      position: 'left',
      grid: { color: theme.grid },
      ticks: { color: theme.muted, callback: (v: string | number) => formatValue(Number(v)) },
      title: { display: true, text: 'loss', color: theme.muted },
    };
    return axis as unknown as ScaleOptionsByType<'linear' | 'logarithmic'>;
  }

  private build(theme: Theme): void {
    this.chart?.destroy();
    this.chartTheme = theme;
    this.chart = new Chart<'line', Point[], unknown>(this.canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: {
            type: 'linear',
            min: 1,
            grid: { display: false },
            ticks: { precision: 0, color: theme.muted, callback: (v: string | number) => formatCount(Number(v)) },
            title: { display: true, text: 'epoch', color: theme.muted },
          },
          y: this.lossAxis(theme, false),
          y1: {
            type: 'linear',
            position: 'right',
            min: 0,
            max: 1,
            grid: { display: false },
            ticks: { color: theme.muted, callback: (v: string | number) => formatValue(Number(v)) },
            title: { display: true, text: 'accuracy', color: theme.muted },
          },
        },
        plugins: {
          legend: { display: false, position: 'top', align: 'end', labels: { boxWidth: 12, boxHeight: 2, color: theme.foreground } },
          tooltip: {
            ...tooltipStyle(theme),
            displayColors: true,
            callbacks: {
              title: (items: TooltipItem<'line'>[]) => `epoch ${items[0]?.parsed.x ?? ''}`,
              label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${formatValue(item.parsed.y ?? NaN, 4)}`,
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
