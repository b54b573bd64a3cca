// The gradient heatmap, drawn as an image: one pixel per cell in an ImageData, scaled to the plot
// without smoothing. Rows are layers in source order (L0, the input side, at the TOP, the output
// layer at the bottom, as the layers are written in the .nnspec file); columns are epochs, or
// buckets of epochs when the run is longer than the plot is wide, and rows are groups of layers
// when there are more layers than pixel rows. An `initial` record (the gradient before any step)
// is its own column, epoch 0. As records arrive only the columns they touch are aggregated and
// written again; the axes are redrawn only when the layout changes. Tooltips, click-to-line and the
// keyboard cursor find the cell under the pointer from the geometry.

import { recordCount, type HeatmapMetric, type RecordColumns, type RunSnapshot } from '../protocol';
import { lastValue } from './columns';
import { scaleKindFor, type ColorDomain } from './colorScale';
import { clearedCanvas, h, setText, uniqueId } from './dom';
import { bucketSize, maxColumnsFor } from './downsample';
import { niceStep } from './ticks';
import { epochRange, formatMetric, layerLabel } from './format';
import { STATISTICS } from '../shared/vocabulary';
import { CellGrid, cellValue, sameShape, type GridShape } from './heatmapGrid';
import { packedColor, packRow, paletteBytes } from './heatmapPalette';
import type { Theme } from './theme';

export interface CellInfo {
  /** The first layer of the cell's row, and one past its last (a row groups layers when there are many). */
  readonly layer: number;
  readonly layerEnd: number;
  /** Epoch numbers of the first and last epoch in the cell (0 for the initial record). */
  readonly first: number;
  readonly last: number;
  /** Indices into run.records, `to` exclusive; empty (from = to) for the initial record. */
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
  /** After each draw (the run view draws its details after the heatmap of a newly shown run). */
  readonly onDrawn?: () => void;
}

interface Layout {
  readonly cssW: number;
  readonly cssH: number;
  readonly dpr: number;
  /** The plot, in CSS pixels from the canvas' top left. */
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Values (layers × records) from which a newly shown run is drawn over several frames: its view,
 * its heatmap, its details (1,000 layers × 300 epochs is 300,000; each part then takes 50 to 90 ms
 * on a 2-core machine, where all in one frame took 170). Smaller runs are drawn in one frame:
 * each frame boundary costs its own layout and canvas copies (30 layers × 1,250 records in three
 * frames was painted 30 ms later than in one).
 */
const OWN_FRAMES_FROM = 100_000;

/** Whether a newly shown run's heatmap and details each take a frame of their own. */
export function ownFrames(run: RunSnapshot): boolean {
  return run.layers.length * recordCount(run.records) >= OWN_FRAMES_FROM;
}

const ROW_PX = { compact: 20, full: 28 };
const modeOf = (opts: HeatmapOptions): 'compact' | 'full' => (opts.compact ? 'compact' : 'full');
const MAX_PLOT_H = { compact: 240, full: 600 };
const AXIS_H = { compact: 18, full: 36 };
const TOP_PAD = 4;
/** The canvas' height in CSS pixels for a plot `plotH` high: the plot, its top pad and the epoch axis. */
const canvasHeight = (mode: 'compact' | 'full', plotH: number): number => plotH + TOP_PAD + AXIS_H[mode];
const RIGHT_PAD = { compact: 4, full: 8 };

export class Heatmap {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly box: HTMLDivElement;
  private readonly note: HTMLParagraphElement;
  private readonly tip: HTMLDivElement;
  private readonly summary: HTMLParagraphElement;
  private readonly live: HTMLParagraphElement;
  private readonly off: HTMLCanvasElement;
  private input: HeatmapInput | null = null;
  private layout: Layout | null = null;
  private grid: CellGrid | null = null;
  private gridRun = '';
  /** The initial record's value per row, when the run has one. */
  private initial: Float64Array | null = null;
  private image: ImageData | null = null;
  private pixels: Int32Array | null = null;
  private colorKey: unknown[] = [];
  private axesKey = '';
  private columns = 0;
  private bucket = 1;
  private cursor: { row: number; col: number } | null = null;
  private readonly resize: ResizeObserver;
  private observedWidth = -1;
  /** A draw waiting for the next frame (requestAnimationFrame's handle; 0: none). */
  private frame = 0;
  /** The widest row label; the run's layers and labels (by identity: they change with the run, not its epochs) and the font it was measured for; a count of the label sets seen, for the axes' key. */
  private measured: { layers: unknown; rowLabels: unknown; font: string; text: string; width: number; version: number } = {
    layers: null,
    rowLabels: null,
    font: '',
    text: '',
    width: 0,
    version: 0,
  };
  /** The run's first epoch and loss when the grid was made: different ones mean a different run's records. */
  private firstRecord: [number | undefined, number | undefined] = [undefined, undefined];

  constructor(private readonly opts: HeatmapOptions) {
    const summaryId = uniqueId('heatmap-summary');
    this.canvas = h('canvas', { role: 'img', tabindex: 0, 'aria-describedby': summaryId });
    this.tip = h('div', { class: 'heatmap-tip', role: 'tooltip', hidden: true });
    this.box = h('div', { class: 'heatmap-box' }, h('div', { class: 'canvas-clip' }, this.canvas), this.tip);
    this.note = h('p', { class: 'heatmap-note muted' });
    this.summary = h('p', { id: summaryId, class: 'sr-text' });
    this.live = h('p', { class: 'sr-only', 'aria-live': 'polite' });
    this.element = h('div', { class: opts.compact ? 'heatmap compact' : 'heatmap' }, this.box, opts.compact ? null : this.note, this.summary, this.live);
    this.off = document.createElement('canvas');
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    this.canvas.addEventListener('focus', () => this.drawPlot());
    this.canvas.addEventListener('blur', () => this.drawPlot());
    this.canvas.addEventListener('mousemove', (e) => this.onHover(e));
    this.canvas.addEventListener('mouseleave', () => (this.tip.hidden = true));
    this.canvas.addEventListener('click', (e) => {
      const cell = this.cellAt(e.offsetX, e.offsetY);
      if (cell) this.activate(cell.row, cell.col);
    });
    // Only a change of width changes the buckets; a height change is our own doing. The first report
    // brings the width the first draw waits for.
    this.resize = new ResizeObserver((entries) => {
      const w = Math.round(entries[entries.length - 1]?.contentRect.width ?? this.box.clientWidth);
      const first = this.observedWidth <= 0;
      if (w === this.observedWidth) return;
      this.observedWidth = w;
      // A view built ahead of its run: its bitmap is allocated now, at the tallest plot, rather
      // than by its first draw (about 10 ms on a 2-core machine).
      if (!this.input) {
        const mode = modeOf(opts);
        clearedCanvas(this.canvas, Math.max(60, w), canvasHeight(mode, MAX_PLOT_H[mode]), window.devicePixelRatio || 1);
        return;
      }
      // The first report comes in the frame that built and laid out the view: a large run's first
      // draw takes the next frame, so that neither is a long task.
      if (first && ownFrames(this.input.run)) this.drawNextFrame();
      else this.update(this.input);
    });
    this.resize.observe(this.box);
  }

  update(input: HeatmapInput): void {
    this.input = input;
    const { run, metric, domain, theme } = input;
    const mode = modeOf(this.opts);
    const layers = run.layers.length;
    const plotH = Math.max(1, Math.min(layers * ROW_PX[mode], MAX_PLOT_H[mode]));
    const cssH = canvasHeight(mode, plotH);
    if (this.box.style.height !== `${cssH}px`) this.box.style.height = `${cssH}px`;
    // The width comes from the resize observer: reading it would lay the page out in the middle of a show
    // (and per update). Until its first report, in the frame after this, after the layout, the draw waits.
    if (this.observedWidth <= 0) return;
    const cssW = Math.max(60, this.observedWidth);
    const labelW = this.labelWidth(run, theme);
    const layout: Layout = {
      cssW,
      cssH,
      dpr: window.devicePixelRatio || 1,
      left: labelW,
      top: TOP_PAD,
      width: Math.max(10, cssW - labelW - RIGHT_PAD[mode]),
      height: plotH,
    };

    // Columns: records grouped so that a column is at least 3 px wide; rows: layers grouped so a row is at least 1 px.
    const total = totalEpochs(run);
    const stride = run.stride ?? 1;
    const perColumn = Math.max(1, Math.ceil(bucketSize(total, maxColumnsFor(layout.width)) / stride));
    this.bucket = perColumn * stride;
    const perRow = Math.max(1, Math.ceil(layers / Math.max(1, Math.floor(plotH))));
    const shape: GridShape = { layers, perRow, perColumn, metric, kind: scaleKindFor(metric) };
    const runKey = `${run.id}|${stride}`;
    const count = recordCount(run.records);
    const first: [number | undefined, number | undefined] = [run.records.epoch[0], run.records.loss[0]];
    const sameFirst = Object.is(first[0], this.firstRecord[0]) && Object.is(first[1], this.firstRecord[1]);
    if (!this.grid || this.gridRun !== runKey || !sameShape(this.grid.shape, shape) || count < this.grid.records || !sameFirst) {
      this.grid = new CellGrid(shape);
      this.gridRun = runKey;
      this.image = null;
    }
    this.firstRecord = first;
    const grid = this.grid;
    const changedFrom = grid.update(run.records);
    this.columns = grid.columns + (run.initial ? 1 : 0);
    this.initial = run.initial ? initialValues(run.initial, shape, grid.rows) : null;

    // Pixels: the whole image when the colours or its size changed, else the columns that did.
    const lead = this.initial ? 1 : 0;
    const width = Math.max(lead + grid.columnsFor(Math.ceil(total / stride)), lead + grid.columns, 1);
    const colorKey = [domain.kind, domain.lo, domain.hi, theme, lead];
    // A run with no layers yet (a Compare variant still queued) still gets a one-pixel-high image.
    const height = Math.max(grid.rows, 1);
    const recolor = !this.image || this.image.width < width || this.image.height !== height || colorKey.some((k, i) => k !== this.colorKey[i]);
    if (recolor) {
      if (!this.image || this.image.width < width || this.image.height !== height) {
        this.image = new ImageData(width, height);
        this.pixels = new Int32Array(this.image.data.buffer);
        this.off.width = width;
        this.off.height = height;
      }
      this.colorKey = colorKey;
    }
    this.paint(recolor ? 0 : changedFrom, domain, theme);

    const axesKey = [
      cssW,
      cssH,
      layout.dpr,
      labelW,
      total,
      lead,
      layers,
      perRow,
      theme.foreground,
      theme.muted,
      theme.grid,
      theme.fontSize,
      run.id,
      this.measured.version,
    ].join('|');
    this.layout = layout;
    if (axesKey !== this.axesKey) {
      this.axesKey = axesKey;
      this.drawAll();
    } else this.drawPlot();

    // Written only when changed: each write would lay the page out again.
    setText(this.summary, this.describe());
    setText(this.note, this.noteText(perRow));
    const label = `Heatmap of ${STATISTICS[metric].long} per layer and epoch`;
    if (this.canvas.getAttribute('aria-label') !== label) this.canvas.setAttribute('aria-label', label);
    const data: Record<string, string> = {
      rows: String(layers),
      columns: String(this.columns),
      bucket: String(this.bucket),
      // The colour scale, so a test can check that Compare's heatmaps share one.
      domain: `${domain.kind} ${domain.lo} ${domain.hi}`,
      layersPerRow: String(perRow),
      plot: [layout.left, layout.top, layout.width, layout.height].map((n) => Math.round(n)).join(','),
    };
    for (const [k, v] of Object.entries(data)) if (this.box.dataset[k] !== v) this.box.dataset[k] = v;
    this.opts.onDrawn?.();
  }

  /** The part of the canvas drawn, in CSS pixels (null before the first draw). */
  get drawnSize(): { width: number; height: number } | null {
    return this.layout ? { width: this.layout.cssW, height: this.layout.cssH } : null;
  }

  destroy(): void {
    this.resize.disconnect();
    cancelAnimationFrame(this.frame);
    this.input = null;
  }

  private drawNextFrame(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.input) this.update(this.input);
    });
  }

  /** Writes the cells of columns `from`.. into the image and the offscreen canvas. */
  private paint(from: number, domain: ColorDomain, theme: Theme): void {
    const grid = this.grid;
    const image = this.image;
    const px = this.pixels;
    if (!grid || !image || !px) return;
    const p = paletteBytes(theme);
    const lead = this.initial ? 1 : 0;
    const w = image.width;
    if (from === 0 && this.initial) for (let r = 0; r < grid.rows; r++) px[r * w] = packedColor(p, domain, this.initial[r] ?? NaN);
    for (let r = 0; r < grid.rows; r++) packRow(p, domain, grid.row(r), from, grid.columns, px, r * w + lead + from);
    const x0 = from === 0 ? 0 : lead + from;
    const ctx = this.off.getContext('2d');
    if (ctx && lead + grid.columns > x0) ctx.putImageData(image, 0, 0, x0, 0, lead + grid.columns - x0, grid.rows);
  }

  /** Axes, labels and the plot: after a change of size, labels or span. */
  private drawAll(): void {
    const input = this.input;
    const layout = this.layout;
    if (!input || !layout) return;
    const ctx = clearedCanvas(this.canvas, layout.cssW, layout.cssH, layout.dpr);
    if (!ctx) return;
    this.drawAxes(ctx, layout, input);
    this.drawPlot();
  }

  private drawAxes(ctx: CanvasRenderingContext2D, l: Layout, input: HeatmapInput): void {
    const { run, theme } = input;
    const compact = this.opts.compact;
    const grid = this.grid;
    if (!grid) return;
    ctx.font = `${theme.fontSize - (compact ? 2 : 1)}px ${theme.fontFamily}`;
    // Row labels: every row when there is room, else every k-th so they do not overlap.
    const rowPx = l.height / grid.rows;
    const every = Math.max(1, Math.ceil((theme.fontSize + 2) / rowPx));
    const labels = this.rowLabelsFor(run, grid.shape.perRow);
    ctx.fillStyle = theme.foreground;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let r = 0; r < grid.rows; r += every) ctx.fillText(labels[r] ?? '', l.left - 6, l.top + (r + 0.5) * rowPx);
    // The epoch axis: the plot spans x0 - 0.5 .. total + 0.5, with integer ticks.
    const total = totalEpochs(run);
    const x0 = run.initial ? 0 : 1;
    const span = total - x0 + 1;
    ctx.strokeStyle = theme.grid;
    ctx.beginPath();
    ctx.moveTo(l.left, l.top + l.height + 0.5);
    ctx.lineTo(l.left + l.width, l.top + l.height + 0.5);
    ctx.stroke();
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const step = niceStep(span, compact ? 5 : 11, 1); // whole epochs
    for (let e = Math.ceil(x0 / step) * step; e <= total; e += step) {
      if (e < x0) continue;
      const x = l.left + ((e - x0 + 0.5) / span) * l.width;
      // The last label may not run past the canvas' edge.
      const half = ctx.measureText(String(e)).width / 2;
      ctx.fillText(String(e), Math.min(x, l.cssW - half - 1), l.top + l.height + 4);
    }
    if (!compact) ctx.fillText('epoch', l.left + l.width / 2, l.top + l.height + 20);
  }

  /** The plot area only: the image scaled to it, gaps between rows, the keyboard cursor. */
  private drawPlot(): void {
    const input = this.input;
    const l = this.layout;
    const grid = this.grid;
    const ctx = this.canvas.getContext('2d');
    if (!input || !l || !grid || !ctx) return;
    const { theme } = input;
    ctx.setTransform(l.dpr, 0, 0, l.dpr, 0, 0);
    ctx.clearRect(l.left, l.top, l.width, l.height);
    ctx.fillStyle = theme.empty;
    ctx.fillRect(l.left, l.top, l.width, l.height);
    ctx.save();
    ctx.beginPath();
    ctx.rect(l.left, l.top, l.width, l.height);
    ctx.clip();
    ctx.imageSmoothingEnabled = false;
    const geo = this.geometry();
    if (this.initial) ctx.drawImage(this.off, 0, 0, 1, grid.rows, geo.initialX, l.top, geo.initialW, l.height);
    if (grid.columns > 0) ctx.drawImage(this.off, geo.lead, 0, grid.columns, grid.rows, geo.x, l.top, grid.columns * geo.colW, l.height);
    ctx.restore();
    // Gaps between rows (and between the epoch-0 column and the rest) when they are wide enough to keep.
    const rowPx = l.height / grid.rows;
    // At least one device pixel: a thinner gap rounds away and the rows run together.
    const gap = Math.max(this.opts.compact ? 0.5 : 1, 1 / l.dpr);
    if (rowPx >= 5) for (let r = 1; r < grid.rows; r++) ctx.clearRect(l.left, l.top + r * rowPx - gap / 2, l.width, gap);
    if (this.initial && geo.initialW >= 5) ctx.clearRect(geo.x - gap / 2, l.top, gap, l.height);
    if (this.cursor && document.activeElement === this.canvas) {
      const r = this.cellRect(this.cursor.row, this.cursor.col);
      ctx.strokeStyle = theme.focus;
      ctx.lineWidth = 2;
      ctx.strokeRect(r.x - 1, r.y - 1, r.w + 2, r.h + 2);
    }
  }

  /** Where the columns go: the epoch-0 column (if any) one epoch wide, then columns of `bucket` epochs. */
  private geometry(): { lead: number; initialX: number; initialW: number; x: number; colW: number } {
    const l = this.layout as Layout;
    const run = (this.input as HeatmapInput).run;
    const x0 = run.initial ? 0 : 1;
    const pxPerEpoch = l.width / (totalEpochs(run) - x0 + 1);
    const lead = run.initial ? 1 : 0;
    return { lead, initialX: l.left, initialW: pxPerEpoch, x: l.left + lead * pxPerEpoch, colW: this.bucket * pxPerEpoch };
  }

  private cellRect(row: number, col: number): { x: number; y: number; w: number; h: number } {
    const l = this.layout as Layout;
    const geo = this.geometry();
    const rowH = l.height / (this.grid?.rows ?? 1);
    const x = col < geo.lead ? geo.initialX : geo.x + (col - geo.lead) * geo.colW;
    const w = col < geo.lead ? geo.initialW : Math.min(geo.colW, l.left + l.width - x);
    return { x, y: l.top + row * rowH, w, h: rowH };
  }

  /** The (row, column) under a point of the canvas, in CSS pixels. */
  private cellAt(px: number, py: number): { row: number; col: number } | null {
    const l = this.layout;
    const grid = this.grid;
    if (!l || !grid || !this.input) return null;
    if (px < l.left || px >= l.left + l.width || py < l.top || py >= l.top + l.height) return null;
    const row = Math.min(grid.rows - 1, Math.floor(((py - l.top) / l.height) * grid.rows));
    const geo = this.geometry();
    let col: number;
    if (geo.lead && px < geo.x) col = 0;
    else col = geo.lead + Math.floor((px - geo.x) / geo.colW);
    return col < this.columns ? { row, col } : null;
  }

  /** A cell's layers, epochs and record indices. */
  cell(row: number, col: number): CellInfo | null {
    const input = this.input;
    const grid = this.grid;
    if (!input || !grid) return null;
    const { run } = input;
    const perRow = grid.shape.perRow;
    const layer = row * perRow;
    const layerEnd = Math.min(run.layers.length, layer + perRow);
    const lead = this.initial ? 1 : 0;
    if (col < lead) return { layer, layerEnd, first: 0, last: 0, from: 0, to: 0, value: this.initial?.[row] ?? NaN };
    const c = col - lead;
    const from = c * grid.shape.perColumn;
    const to = Math.min(recordCount(run.records), from + grid.shape.perColumn);
    if (from >= to) return null;
    return { layer, layerEnd, first: firstEpochOf(run, from), last: epochAt(run, to - 1), from, to, value: grid.at(row, c) };
  }

  /** The title of a cell's tooltip: its layer, or its range of layers. */
  cellTitle(c: CellInfo): string {
    const layers = this.input?.run.layers ?? [];
    const labels = this.input?.run.rowLabels;
    const one = (i: number): string => labels?.[i] ?? (layers[i] ? layerLabel(layers[i]) : `L${i}`);
    if (c.layerEnd - c.layer <= 1) return one(c.layer);
    const a = layers[c.layer];
    const b = layers[c.layerEnd - 1];
    return `L${c.layer}–L${c.layerEnd - 1}${a && b ? ` · lines ${a.line}–${b.line}` : ''} (${c.layerEnd - c.layer} layers)`;
  }

  /** The exact numbers behind a cell: the shown metric first, then the three magnitudes. */
  tooltipLines(c: CellInfo): string[] {
    const input = this.input;
    if (!input) return [];
    const { run } = input;
    const initial = c.to === c.from;
    // Epochs in the cell: its records, or the epochs they aggregate.
    const n = initial ? 1 : (run.stride ?? 1) > 1 ? c.last - c.first + 1 : c.to - c.from;
    const head = initial ? 'epoch 0 (at initialisation, before any step)' : epochRange(c.first, c.last);
    const layersNote = c.layerEnd - c.layer > 1 ? `, ${c.layerEnd - c.layer} layers` : '';
    const lines = [n > 1 || layersNote ? `${head} (mean of ${n}${layersNote}, in log space for magnitudes)` : head];
    const metrics: HeatmapMetric[] = [input.metric, ...(['gradRms', 'deltaRms', 'updateRatio'] as const).filter((m) => m !== input.metric)];
    for (const m of metrics) {
      const v =
        initial && run.initial
          ? cellValue(run.initial, 0, 1, c.layer, c.layerEnd, m, scaleKindFor(m))
          : cellValue(run.records, c.from, c.to, c.layer, c.layerEnd, m, scaleKindFor(m));
      lines.push(`${m === input.metric ? '▸ ' : '   '}${STATISTICS[m].label}: ${formatMetric(m, v)}`);
    }
    return lines;
  }

  private onHover(e: MouseEvent): void {
    const at = this.cellAt(e.offsetX, e.offsetY);
    const c = at && this.cell(at.row, at.col);
    this.canvas.style.cursor = c ? 'pointer' : 'default';
    if (!c) {
      this.tip.hidden = true;
      return;
    }
    const footer = this.opts.compact ? 'Click to reveal the layer' : 'Click: reveal the layer, show its gradient histogram';
    this.tip.textContent = [this.cellTitle(c), ...this.tooltipLines(c), footer].join('\n');
    this.tip.hidden = false;
    const boxW = this.box.clientWidth;
    const tipW = this.tip.offsetWidth;
    const x = e.offsetX + 14 + tipW > boxW ? Math.max(0, e.offsetX - 14 - tipW) : e.offsetX + 14;
    this.tip.style.left = `${x}px`;
    this.tip.style.top = `${Math.max(0, e.offsetY + 10)}px`;
  }

  private activate(row: number, col: number): void {
    const c = this.cell(row, col);
    if (!c || !this.input) return;
    this.cursor = { row, col };
    this.drawPlot();
    this.opts.onCell(c, this.input.run);
  }

  private onKey(e: KeyboardEvent): void {
    const rows = this.grid?.rows ?? 0;
    if (!rows || !this.columns) return;
    const cur = this.cursor ?? { row: 0, col: this.columns - 1 };
    let { row, col } = cur;
    switch (e.key) {
      case 'ArrowUp':
        row--;
        break;
      case 'ArrowDown':
        row++;
        break;
      case 'ArrowLeft':
        col--;
        break;
      case 'ArrowRight':
        col++;
        break;
      case 'Home':
        col = 0;
        break;
      case 'End':
        col = this.columns - 1;
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.activate(row, col);
        return;
      default:
        return;
    }
    e.preventDefault();
    this.cursor = { row: clamp(row, 0, rows - 1), col: clamp(col, 0, this.columns - 1) };
    this.drawPlot();
    const c = this.cell(this.cursor.row, this.cursor.col);
    if (c) this.live.textContent = `${this.cellTitle(c)}, ${this.tooltipLines(c).join(', ')}`;
  }

  private rowLabelsFor(run: RunSnapshot, perRow: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < run.layers.length; i += perRow) {
      const l = run.layers[i] as RunSnapshot['layers'][number];
      if (perRow > 1) out.push(`L${i}–L${Math.min(run.layers.length, i + perRow) - 1}`);
      else if (this.opts.compact) out.push(`L${l.index}`);
      else out.push(run.rowLabels?.[i] ?? layerLabel(l));
    }
    return out;
  }

  private labelWidth(run: RunSnapshot, theme: Theme): number {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return 40;
    const font = `${theme.fontSize - (this.opts.compact ? 2 : 1)}px ${theme.fontFamily}`;
    const m = this.measured;
    if (m.layers !== run.layers || m.rowLabels !== run.rowLabels || m.font !== font) {
      const labels = this.rowLabelsFor(run, 1);
      const text = labels.join('\u0000');
      ctx.font = font;
      const width = text === m.text && font === m.font ? m.width : widestText(ctx, labels);
      this.measured = { layers: run.layers, rowLabels: run.rowLabels, font, text, width, version: m.version + (text === m.text ? 0 : 1) };
    }
    const cap = (this.observedWidth > 0 ? this.observedWidth : 300) * 0.4;
    return Math.ceil(Math.min(cap, this.measured.width) + 12);
  }

  private noteText(perRow: number): string {
    const parts = ['Rows: input layer (L0) at the top, output layer at the bottom, as in the file.'];
    if (this.bucket > 1) parts.push(`Each column: ${this.bucket} epochs (their mean).`);
    if (perRow > 1) parts.push(`Each row: ${perRow} layers (their mean), the plot being shorter than the layers are many.`);
    if (this.initial) parts.push('Epoch 0: the gradient at initialisation.');
    return parts.join(' ');
  }

  private describe(): string {
    const input = this.input;
    if (!input) return '';
    const { run, metric } = input;
    const count = recordCount(run.records);
    const shown = (run.stride ?? 1) > 1 ? lastEpoch(run) : count;
    const head = `${STATISTICS[metric].long} for ${run.layers.length} layers (input side at the top), ${shown} of ${run.totalEpochs} epochs${this.bucket > 1 ? `, ${this.bucket} epochs per column` : ''}.`;
    if (count === 0) return `${head} No epochs yet.`;
    const named = run.layers.slice(0, 40);
    const values = named.map((l, i) => `L${l.index} ${formatMetric(metric, lastValue(run.records, metric, i))}`).join(', ');
    return `${head} Epoch ${lastEpoch(run)}: ${values}${named.length < run.layers.length ? ', …' : ''}. Arrow keys move between cells, Enter reveals the layer.`;
  }
}

/** How many labels are measured exactly: the widest by estimate (see widestText). */
const MEASURED_LABELS = 16;

/**
 * The width of the widest of `texts` in the context's font. A thousand row labels measured one by
 * one take about 20 ms, so beyond a few each is estimated as the sum of its characters' widths (each
 * distinct character measured once) and only the widest by estimate are measured: the estimate
 * leaves out kerning, a fraction of a pixel on a label, which only orders labels of nearly equal width.
 */
function widestText(ctx: CanvasRenderingContext2D, texts: readonly string[]): number {
  let candidates = texts;
  if (texts.length > MEASURED_LABELS) {
    // By UTF-16 unit, not code point: no string per character, and an estimate only orders the labels.
    const units = new Map<number, number>();
    const estimate = texts.map((s) => {
      let w = 0;
      for (let i = 0; i < s.length; i++) {
        const u = s.charCodeAt(i);
        let uw = units.get(u);
        if (uw === undefined) units.set(u, (uw = ctx.measureText(String.fromCharCode(u)).width));
        w += uw;
      }
      return w;
    });
    const order = texts.map((_, i) => i).sort((a, b) => (estimate[b] as number) - (estimate[a] as number));
    candidates = order.slice(0, MEASURED_LABELS).map((i) => texts[i] as string);
  }
  let widest = 0;
  for (const s of candidates) widest = Math.max(widest, ctx.measureText(s).width);
  return widest;
}

/** The initial record's value per row. */
function initialValues(initial: RecordColumns, shape: GridShape, rows: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = cellValue(initial, 0, 1, r * shape.perRow, Math.min(shape.layers, (r + 1) * shape.perRow), shape.metric, shape.kind);
  return out;
}

function totalEpochs(run: RunSnapshot): number {
  return Math.max(run.totalEpochs, lastEpoch(run), 1);
}

function lastEpoch(run: RunSnapshot): number {
  const n = recordCount(run.records);
  return n > 0 ? (run.records.epoch[n - 1] as number) : 0;
}

function epochAt(run: RunSnapshot, index: number): number {
  return run.records.epoch[index] ?? index + 1;
}

/** The first epoch a record covers: itself, or (bucket aggregates) the one after the previous record's. */
function firstEpochOf(run: RunSnapshot, index: number): number {
  if ((run.stride ?? 1) <= 1) return epochAt(run, index);
  return index === 0 ? 1 : epochAt(run, index - 1) + 1;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
