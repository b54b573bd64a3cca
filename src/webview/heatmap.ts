// The gradient heatmap: one row per layer in source order (L0, the input side, at the TOP, the
// output layer at the bottom, as the layers are written in the .nnspec file), one column per
// epoch or per bucket of epochs when the run is longer than the plot is wide.

import type { ActiveElement, ChartEvent, Plugin, TooltipItem } from 'chart.js';
import type { HeatmapMetric, RunSnapshot } from '../protocol';
import { Chart, tooltipStyle } from './charts';
import { colorFor, scaleKindFor, type ColorDomain } from './colorScale';
import { h, uniqueId } from './dom';
import { aggregate, bucketSize, downsample, maxColumnsFor } from './downsample';
import { epochRange, formatMetric, layerLabel, METRIC_LABELS } from './format';
import type { Theme } from './theme';
import { series } from './verdict';

export interface CellInfo {
  readonly layer: number;
  /** Epoch numbers of the first and last epoch in the cell. */
  readonly first: number;
  readonly last: number;
  /** Indices into run.epochs, `to` exclusive. */
  readonly from: number;
  readonly to: number;
  readonly value: number;
}

export interface HeatmapInput {
  readonly run: RunSnapshot;
  readonly metric: HeatmapMetric;
  readonly domain: ColorDomain;
  readonly theme: Theme;
}

export interface HeatmapOptions {
  /** Small multiples in the compare grid: shorter rows, short labels, no axis titles. */
  readonly compact: boolean;
  readonly onCell: (cell: CellInfo, run: RunSnapshot) => void;
}

type MatrixChart = Chart<'matrix', { x: number; y: string; v: number }[], string>;

/** Left margin taken by the row labels; only used to size the buckets before the first layout. */
const LABEL_ALLOWANCE = { compact: 36, full: 150 };

export class Heatmap {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly box: HTMLDivElement;
  private readonly summary: HTMLParagraphElement;
  private readonly live: HTMLParagraphElement;
  private chart: MatrixChart | null = null;
  private chartTheme: Theme | null = null;
  private input: HeatmapInput | null = null;
  private cells: CellInfo[] = [];
  private columns = 0;
  private bucket = 1;
  private cursor: { layer: number; col: number } | null = null;

  constructor(private readonly opts: HeatmapOptions) {
    const summaryId = uniqueId('heatmap-summary');
    this.canvas = h('canvas', { role: 'img', tabindex: 0, 'aria-describedby': summaryId });
    this.box = h('div', { class: 'heatmap-box' }, this.canvas);
    this.summary = h('p', { id: summaryId, class: 'sr-only' });
    this.live = h('p', { class: 'sr-only', 'aria-live': 'polite' });
    this.element = h('div', { class: opts.compact ? 'heatmap compact' : 'heatmap' }, this.box, this.summary, this.live);
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    this.canvas.addEventListener('focus', () => this.chart?.draw());
    this.canvas.addEventListener('blur', () => this.chart?.draw());
  }

  update(input: HeatmapInput): void {
    const layersChanged = !this.input || this.input.run.layers.length !== input.run.layers.length;
    this.input = input;
    const rows = input.run.layers.length;
    const rowPx = this.opts.compact ? 20 : 28;
    this.box.style.height = `${rows * rowPx + (this.opts.compact ? 28 : 58)}px`;
    if (!this.chart || this.chartTheme !== input.theme || layersChanged) this.build(input.theme);
    this.refresh();
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
  }

  /** Recomputes the cells from the run (new epochs, metric, width) and redraws in place. */
  private refresh(): void {
    const input = this.input;
    const chart = this.chart;
    if (!input || !chart) return;
    const { run, metric, domain, theme } = input;
    const total = Math.max(run.totalEpochs, lastEpoch(run));
    const plotWidth = chart.chartArea ? chart.chartArea.width : this.box.clientWidth - LABEL_ALLOWANCE[this.opts.compact ? 'compact' : 'full'];
    // A long run arrives as records of `stride` epochs each: a column groups whole records.
    const stride = run.stride ?? 1;
    const perColumn = Math.max(1, Math.ceil(bucketSize(total, maxColumnsFor(plotWidth)) / stride));
    this.bucket = perColumn * stride;
    const kind = scaleKindFor(metric);
    const labels = this.rowLabels();
    const cells: CellInfo[] = [];
    run.layers.forEach((_, layer) => {
      for (const b of downsample(series(run, layer, metric), perColumn, kind)) {
        cells.push({ layer, first: firstEpochOf(run, b.from), last: epochAt(run, b.to - 1), from: b.from, to: b.to, value: b.value });
      }
    });
    this.cells = cells;
    this.columns = run.layers.length ? cells.length / run.layers.length : 0;
    const dataset = chart.data.datasets[0];
    if (!dataset) return;
    dataset.data = cells.map((c) => ({ x: (c.first + c.last) / 2, y: labels[c.layer] ?? '', v: c.value }));
    dataset.backgroundColor = cells.map((c) => colorFor(domain, c.value, theme));
    chart.data.labels = labels;
    const x = chart.options.scales?.x;
    if (x) {
      x.min = 0.5;
      x.max = total + 0.5;
    }
    this.canvas.setAttribute('aria-label', `Heatmap of ${METRIC_LABELS[metric].long} per layer and epoch`);
    this.summary.textContent = this.describe();
    this.box.dataset.rows = String(run.layers.length);
    this.box.dataset.columns = String(this.columns);
    this.box.dataset.bucket = String(this.bucket);
    chart.update('none');
  }

  private rowLabels(): string[] {
    const layers = this.input?.run.layers ?? [];
    return layers.map((l) => (this.opts.compact ? `L${l.index}` : layerLabel(l)));
  }

  private build(theme: Theme): void {
    this.chart?.destroy();
    this.chartTheme = theme;
    const compact = this.opts.compact;
    const gap = compact ? 0.5 : 1;
    const background: Plugin<'matrix'> = {
      id: 'gfBackground',
      beforeDatasetsDraw: (chart) => {
        const a = chart.chartArea;
        chart.ctx.save();
        chart.ctx.fillStyle = theme.empty;
        chart.ctx.fillRect(a.left, a.top, a.width, a.height);
        chart.ctx.restore();
      },
      afterDatasetsDraw: (chart) => this.drawCursor(chart as MatrixChart, theme),
      afterRender: (chart) => {
        const a = chart.chartArea;
        this.box.dataset.plot = [a.left, a.top, a.width, a.height].map((n) => Math.round(n)).join(',');
      },
      resize: () => queueMicrotask(() => this.refreshIfBucketChanged()),
    };
    this.chart = new Chart<'matrix', { x: number; y: string; v: number }[], string>(this.canvas, {
      type: 'matrix',
      data: { labels: [], datasets: [{ label: 'heatmap', data: [], borderWidth: 0, width: (ctx) => this.cellWidth(ctx.chart as MatrixChart, ctx.dataIndex, gap), height: (ctx) => this.cellHeight(ctx.chart as MatrixChart, gap) }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { top: 2, right: compact ? 4 : 8 } },
        scales: {
          x: {
            type: 'linear',
            offset: false,
            grid: { display: false },
            border: { color: theme.grid },
            ticks: { precision: 0, maxTicksLimit: compact ? 5 : 11, maxRotation: 0, color: theme.muted },
            // The axis runs from 0.5 to N + 0.5 so the cells sit on the epochs; label epochs only.
            afterBuildTicks: (axis) => {
              axis.ticks = axis.ticks.filter((t) => Number.isInteger(t.value) && t.value >= 1);
            },
            title: { display: !compact, text: 'epoch', color: theme.muted },
          },
          y: {
            type: 'category',
            offset: true,
            reverse: false,
            grid: { display: false },
            border: { display: false },
            ticks: { color: theme.foreground, padding: 6, autoSkip: false },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            ...tooltipStyle(theme),
            callbacks: {
              title: (items: TooltipItem<'matrix'>[]) => this.tooltipTitle(items),
              label: (item: TooltipItem<'matrix'>) => this.tooltipLines(item.dataIndex),
              footer: () => (compact ? 'Click to reveal the layer' : 'Click: reveal the layer, show its gradient histogram'),
            },
          },
        },
        onClick: (_e: ChartEvent, elements: ActiveElement[]) => {
          const el = elements[0];
          if (el) this.activate(el.index);
        },
        onHover: (_e: ChartEvent, elements: ActiveElement[]) => {
          this.canvas.style.cursor = elements.length ? 'pointer' : 'default';
        },
      },
      plugins: [background],
    });
  }

  private refreshIfBucketChanged(): void {
    const input = this.input;
    const chart = this.chart;
    if (!input || !chart?.chartArea) return;
    const total = Math.max(input.run.totalEpochs, lastEpoch(input.run));
    const stride = input.run.stride ?? 1;
    if (Math.max(1, Math.ceil(bucketSize(total, maxColumnsFor(chart.chartArea.width)) / stride)) * stride !== this.bucket) this.refresh();
  }

  private cellWidth(chart: MatrixChart, index: number, gap: number): number {
    const c = this.cells[index];
    const x = chart.scales.x;
    if (!c || !x) return 0;
    const w = Math.abs(x.getPixelForValue(c.last + 0.5) - x.getPixelForValue(c.first - 0.5));
    return Math.max(1, w >= 5 ? w - gap : w);
  }

  private cellHeight(chart: MatrixChart, gap: number): number {
    const a = chart.chartArea;
    const rows = this.input?.run.layers.length ?? 1;
    return a ? Math.max(1, a.height / rows - gap) : 0;
  }

  private tooltipTitle(items: TooltipItem<'matrix'>[]): string {
    const item = items[0];
    const c = item ? this.cells[item.dataIndex] : undefined;
    const layer = c && this.input?.run.layers[c.layer];
    return layer ? layerLabel(layer) : '';
  }

  /** The exact numbers behind a cell: the shown metric first, then the three magnitudes. */
  tooltipLines(index: number): string[] {
    const c = this.cells[index];
    const input = this.input;
    if (!c || !input) return [];
    // Epochs in the cell: its records, or the epochs they aggregate.
    const n = (input.run.stride ?? 1) > 1 ? c.last - c.first + 1 : c.to - c.from;
    const lines = [n > 1 ? `${epochRange(c.first, c.last)} (mean of ${n}, in log space for magnitudes)` : epochRange(c.first, c.last)];
    const metrics: HeatmapMetric[] = [input.metric, ...(['gradRms', 'deltaRms', 'updateRatio'] as const).filter((m) => m !== input.metric)];
    for (const m of metrics) {
      const v = aggregate(series(input.run, c.layer, m).slice(c.from, c.to), scaleKindFor(m));
      lines.push(`${m === input.metric ? '▸ ' : '   '}${METRIC_LABELS[m].short}: ${formatMetric(m, v)}`);
    }
    return lines;
  }

  private activate(index: number): void {
    const c = this.cells[index];
    if (!c || !this.input) return;
    this.cursor = { layer: c.layer, col: index - c.layer * this.columns };
    this.chart?.draw();
    this.opts.onCell(c, this.input.run);
  }

  private onKey(e: KeyboardEvent): void {
    const rows = this.input?.run.layers.length ?? 0;
    if (!rows || !this.columns) return;
    const cur = this.cursor ?? { layer: 0, col: this.columns - 1 };
    let { layer, col } = cur;
    switch (e.key) {
      case 'ArrowUp': layer--; break;
      case 'ArrowDown': layer++; break;
      case 'ArrowLeft': col--; break;
      case 'ArrowRight': col++; break;
      case 'Home': col = 0; break;
      case 'End': col = this.columns - 1; break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.activate(layer * this.columns + col);
        return;
      default:
        return;
    }
    e.preventDefault();
    this.cursor = { layer: clamp(layer, 0, rows - 1), col: clamp(col, 0, this.columns - 1) };
    this.showTooltip();
  }

  private showTooltip(): void {
    const chart = this.chart;
    if (!chart || !this.cursor) return;
    const index = this.cursor.layer * this.columns + this.cursor.col;
    const el = chart.getDatasetMeta(0).data[index];
    if (!el) return;
    chart.tooltip?.setActiveElements([{ datasetIndex: 0, index }], el.tooltipPosition(false));
    chart.update('none');
    const title = this.tooltipTitle([{ dataIndex: index } as TooltipItem<'matrix'>]);
    this.live.textContent = `${title}, ${this.tooltipLines(index).join(', ')}`;
  }

  private drawCursor(chart: MatrixChart, theme: Theme): void {
    if (!this.cursor || document.activeElement !== this.canvas) return;
    const el = chart.getDatasetMeta(0).data[this.cursor.layer * this.columns + this.cursor.col] as unknown as
      | { getProps(p: string[]): { x: number; y: number; width: number; height: number } }
      | undefined;
    if (!el) return;
    // The matrix element's x and y are its top-left corner once resolved.
    const { x, y, width, height } = el.getProps(['x', 'y', 'width', 'height']);
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = theme.focus;
    ctx.lineWidth = 2;
    ctx.strokeRect(x - 1, y - 1, width + 2, height + 2);
    ctx.restore();
  }

  private describe(): string {
    const input = this.input;
    if (!input) return '';
    const { run, metric } = input;
    const last = run.epochs[run.epochs.length - 1];
    const shown = (run.stride ?? 1) > 1 ? lastEpoch(run) : run.epochs.length;
    const head = `${METRIC_LABELS[metric].long} for ${run.layers.length} layers (input side at the top), ${shown} of ${run.totalEpochs} epochs${this.bucket > 1 ? `, ${this.bucket} epochs per column` : ''}.`;
    if (!last) return `${head} No epochs yet.`;
    const values = run.layers.map((l, i) => `L${l.index} ${formatMetric(metric, last.layers[i]?.[metric] ?? NaN)}`).join(', ');
    return `${head} Epoch ${last.epoch}: ${values}. Arrow keys move between cells, Enter reveals the layer.`;
  }
}

function lastEpoch(run: RunSnapshot): number {
  return run.epochs.length ? (run.epochs[run.epochs.length - 1] as { epoch: number }).epoch : 0;
}

function epochAt(run: RunSnapshot, index: number): number {
  return run.epochs[index]?.epoch ?? index + 1;
}

/** The first epoch a record covers: itself, or (bucket aggregates) the one after the previous record's. */
function firstEpochOf(run: RunSnapshot, index: number): number {
  if ((run.stride ?? 1) <= 1) return epochAt(run, index);
  return index === 0 ? 1 : epochAt(run, index - 1) + 1;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
