// Loss (and accuracy) against epoch: one run's curves, or every compare variant's overlaid. Drawn
// on a canvas of its own rather than with chart.js: a chart.js update (option resolution, layout
// of its boxes) took 3 to 5 ms for a streaming run's two curves and its first build 60 ms or more,
// several times the heatmap's cost (issue 15). Axes, legend, tooltip and log scale are drawn here,
// by the rules chart.js applied: the epoch axis from 1 to the run's last epoch, the loss axis
// fitted to the data, accuracy 0..1 on the right when a series has it, and a legend only for more
// than one series.

import { clearedCanvas, custom, h, uniqueId } from './dom';
import { formatCount, formatValue } from './format';
import { niceStep } from './ticks';
import type { Theme } from './theme';

export interface LossSeries {
  readonly label: string;
  readonly color: string;
  /** The epochs (ascending) and the values at them, as the run's columns hold them: no object per point. */
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** 'y1' is the 0..1 accuracy axis on the right. */
  readonly axis: 'y' | 'y1';
  readonly dashed?: boolean;
}

interface Axis {
  readonly lo: number;
  readonly hi: number;
  readonly log: boolean;
  readonly ticks: readonly number[];
}

interface Plot {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  readonly x: Axis;
  readonly y: Axis;
  readonly y1: Axis | null;
}

const TICK_GAP = 6;
const TITLE_PX = 16;

export class LossChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly box: HTMLElement;
  private readonly tip: HTMLDivElement;
  private readonly logBox: HTMLElement & { checked?: boolean };
  private readonly resize: ResizeObserver;
  private series: readonly LossSeries[] = [];
  private theme: Theme | null = null;
  private log = false;
  private maxEpoch = 1;
  private size = { width: -1, height: -1 };
  private plot: Plot | null = null;
  /** The epoch under the pointer, whose values the tooltip shows and the curves mark. */
  private hover: number | null = null;

  constructor(
    title: string,
    private readonly onLogChange: (log: boolean) => void,
  ) {
    const headingId = uniqueId('loss-heading');
    this.canvas = h('canvas', { role: 'img', 'aria-label': title });
    this.tip = h('div', { class: 'chart-tip', role: 'tooltip', hidden: true });
    this.logBox = custom('vscode-checkbox', { label: 'Log scale' });
    this.logBox.addEventListener('change', () => this.onLogChange(Boolean(this.logBox.checked)));
    this.box = h('div', { class: 'chart-box loss-box' }, h('div', { class: 'canvas-clip' }, this.canvas), this.tip);
    this.element = h(
      'section',
      { class: 'loss card', 'aria-labelledby': headingId },
      h('div', { class: 'section-head' }, h('h2', { id: headingId }, title), this.logBox),
      this.box,
    );
    this.canvas.addEventListener('mousemove', (e) => this.onHover(e.offsetX, e.offsetY));
    this.canvas.addEventListener('mouseleave', () => this.onHover(-1, -1));
    // The size comes from the observer (reading it on every update would lay the page out each time).
    this.resize = new ResizeObserver((entries) => {
      const r = entries[entries.length - 1]?.contentRect;
      if (!r || (Math.round(r.width) === this.size.width && Math.round(r.height) === this.size.height)) return;
      this.size = { width: Math.round(r.width), height: Math.round(r.height) };
      // A chart not yet given a run (a view built ahead of it) allocates its bitmap now, not in its first draw.
      if (!this.theme) clearedCanvas(this.canvas, this.size.width, this.size.height, window.devicePixelRatio || 1);
      this.draw();
    });
    this.resize.observe(this.box);
  }

  update(series: readonly LossSeries[], theme: Theme, log: boolean, maxEpoch: number): void {
    if (Boolean(this.logBox.checked) !== log) this.logBox.checked = log;
    this.series = series;
    this.theme = theme;
    this.log = log;
    this.maxEpoch = Math.max(1, maxEpoch);
    this.canvas.setAttribute('aria-label', describe(series));
    this.draw();
  }

  private draw(): void {
    const theme = this.theme;
    if (!theme) return;
    const { width: cssW, height: cssH } = this.size;
    if (cssW <= 0 || cssH <= 0) return;
    const ctx = clearedCanvas(this.canvas, cssW, cssH, window.devicePixelRatio || 1);
    if (!ctx) return;
    ctx.font = `${Math.max(10, theme.fontSize - 1)}px ${theme.fontFamily}`;

    const series = this.series;
    const y = valueAxis(
      series.filter((s) => s.axis === 'y'),
      this.log,
    );
    const y1: Axis | null = series.some((s) => s.axis === 'y1') ? { lo: 0, hi: 1, log: false, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] } : null;
    const x: Axis = { lo: 1, hi: this.maxEpoch, log: false, ticks: epochTicks(this.maxEpoch) };
    const widest = (axis: Axis | null, format: (v: number) => string): number =>
      axis ? Math.max(0, ...axis.ticks.map((t) => ctx.measureText(format(t)).width)) : 0;
    const fontPx = Math.max(10, theme.fontSize - 1);
    const legendH = series.length > 1 ? fontPx + 8 : 0;
    const left = TITLE_PX + widest(y, formatValue) + TICK_GAP + 2;
    const right = y1 ? TITLE_PX + widest(y1, formatValue) + TICK_GAP + 2 : 8;
    const top = legendH + fontPx / 2 + 2;
    const bottom = fontPx + TICK_GAP + TITLE_PX + 4;
    const plot: Plot = { left, top, width: Math.max(10, cssW - left - right), height: Math.max(10, cssH - top - bottom), x, y, y1 };
    this.plot = plot;
    // Where the plot is and what its value axis spans, for tests (written only when changed: an attribute write restyles the page).
    const data: Record<string, string> = {
      plot: [plot.left, plot.top, plot.width, plot.height].map((n) => Math.round(n)).join(','),
      y: `${y.log ? 'log' : 'linear'} ${y.lo} ${y.hi}`,
    };
    for (const [k, v] of Object.entries(data)) if (this.box.dataset[k] !== v) this.box.dataset[k] = v;

    drawAxes(ctx, plot, theme, cssW);
    if (legendH) drawLegend(ctx, series, theme, cssW, fontPx);

    ctx.save();
    ctx.beginPath();
    ctx.rect(plot.left, plot.top - 2, plot.width, plot.height + 4);
    ctx.clip();
    for (const s of series) {
      const axis = s.axis === 'y1' && plot.y1 ? plot.y1 : plot.y;
      ctx.strokeStyle = s.color;
      ctx.lineWidth = theme.highContrast ? 2.5 : 1.5;
      ctx.setLineDash(s.dashed ? [5, 3] : []);
      ctx.beginPath();
      let pen = false;
      const n = Math.min(s.x.length, s.y.length);
      for (let i = 0; i < n; i++) {
        const py = posY(plot, axis, s.y[i] as number);
        if (py === null) {
          pen = false;
          continue;
        }
        const px = posX(plot, s.x[i] as number);
        if (pen) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
        pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    if (this.hover !== null) {
      for (const s of series) {
        const i = nearest(s.x, this.hover);
        const py = i === undefined ? null : posY(plot, s.axis === 'y1' && plot.y1 ? plot.y1 : plot.y, s.y[i] as number);
        if (i === undefined || py === null) continue;
        ctx.fillStyle = s.color;
        ctx.beginPath();
        ctx.arc(posX(plot, s.x[i] as number), py, 3, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    ctx.restore();
  }

  private onHover(px: number, py: number): void {
    const plot = this.plot;
    const inside = plot !== null && px >= plot.left && px <= plot.left + plot.width && py >= plot.top && py <= plot.top + plot.height;
    const first = this.series.find((s) => s.x.length > 0);
    const at = inside && first ? nearest(first.x, plot.x.lo + ((px - plot.left) / plot.width) * (plot.x.hi - plot.x.lo)) : undefined;
    const epoch = first && at !== undefined ? (first.x[at] as number) : null;
    if (epoch === this.hover) return;
    this.hover = epoch;
    this.draw();
    if (epoch === null) {
      this.tip.hidden = true;
      return;
    }
    const lines = [`epoch ${epoch}`];
    for (const s of this.series) {
      const i = nearest(s.x, epoch);
      if (i !== undefined && s.x[i] === epoch) lines.push(`${s.label}: ${formatValue(s.y[i] as number, 4)}`);
    }
    this.tip.textContent = lines.join('\n');
    this.tip.hidden = false;
    const boxW = this.size.width;
    const tipW = this.tip.offsetWidth;
    this.tip.style.left = `${px + 14 + tipW > boxW ? Math.max(0, px - 14 - tipW) : px + 14}px`;
    this.tip.style.top = `${Math.max(0, py + 10)}px`;
  }

  destroy(): void {
    this.resize.disconnect();
    this.theme = null;
  }
}

function describe(series: readonly LossSeries[]): string {
  return series
    .map((s) => {
      const n = s.x.length;
      return n > 0 ? `${s.label} ${formatValue(s.y[n - 1] as number)} at epoch ${s.x[n - 1]}` : `${s.label}: no data`;
    })
    .join('; ');
}

/** The loss axis: fitted to the finite values (positive ones on a log scale), with round ticks. */
function valueAxis(series: readonly LossSeries[], log: boolean): Axis {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series)
    for (let i = 0; i < s.y.length; i++) {
      const y = s.y[i] as number;
      if (!Number.isFinite(y) || (log && y <= 0)) continue;
      if (y < lo) lo = y;
      if (y > hi) hi = y;
    }
  if (!(lo <= hi)) return log ? { lo: 0.1, hi: 1, log, ticks: [0.1, 1] } : { lo: 0, hi: 1, log, ticks: [0, 0.5, 1] };
  if (log) {
    const a = Math.floor(Math.log10(lo));
    const b = Math.max(a + 1, Math.ceil(Math.log10(hi)));
    const decades = b - a;
    const ticks: number[] = [];
    for (let e = a; e <= b; e++) for (const m of decades <= 2 ? [1, 2, 5] : [1]) if (m === 1 || e < b) ticks.push(Number((m * 10 ** e).toPrecision(3)));
    return { lo: 10 ** a, hi: 10 ** b, log, ticks };
  }
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  const step = niceStep(hi - lo, 6);
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= end + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { lo: start, hi: end, log, ticks };
}

function epochTicks(max: number): number[] {
  const step = niceStep(Math.max(1, max - 1), 10, 1); // whole epochs
  const ticks = [1];
  for (let e = step; e <= max; e += step) if (e > 1) ticks.push(e);
  return ticks;
}

function posX(plot: Plot, x: number): number {
  const span = plot.x.hi - plot.x.lo;
  return plot.left + (span > 0 ? ((x - plot.x.lo) / span) * plot.width : plot.width / 2);
}

/** The y pixel of a value, or null for a gap (not finite, or not positive on a log axis). */
function posY(plot: Plot, axis: Axis, v: number): number | null {
  if (!Number.isFinite(v) || (axis.log && v <= 0)) return null;
  const t = axis.log ? (Math.log10(v) - Math.log10(axis.lo)) / (Math.log10(axis.hi) - Math.log10(axis.lo)) : (v - axis.lo) / (axis.hi - axis.lo);
  return plot.top + (1 - t) * plot.height;
}

/** The index of the epoch nearest `x` (epochs ascend), or undefined when there are none. */
function nearest(epochs: ArrayLike<number>, x: number): number | undefined {
  let a = 0;
  let b = epochs.length - 1;
  if (b < 0) return undefined;
  while (b - a > 1) {
    const m = (a + b) >> 1;
    if ((epochs[m] as number) <= x) a = m;
    else b = m;
  }
  return Math.abs((epochs[b] as number) - x) < Math.abs((epochs[a] as number) - x) ? b : a;
}

function drawAxes(ctx: CanvasRenderingContext2D, plot: Plot, theme: Theme, cssW: number): void {
  const { left, top, width, height } = plot;
  ctx.lineWidth = 1;
  ctx.strokeStyle = theme.grid;
  ctx.fillStyle = theme.muted;
  // Grid lines at the loss ticks, with their labels on the left.
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of plot.y.ticks) {
    const y = posY(plot, plot.y, t);
    if (y === null) continue;
    const yy = Math.round(y) + 0.5;
    ctx.beginPath();
    ctx.moveTo(left, yy);
    ctx.lineTo(left + width, yy);
    ctx.stroke();
    ctx.fillText(formatValue(t), left - TICK_GAP, y);
  }
  if (plot.y1) {
    ctx.textAlign = 'left';
    for (const t of plot.y1.ticks) {
      const y = posY(plot, plot.y1, t);
      if (y !== null) ctx.fillText(formatValue(t), left + width + TICK_GAP, y);
    }
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of plot.x.ticks) {
    const label = formatCount(t);
    const half = ctx.measureText(label).width / 2;
    ctx.fillText(label, Math.min(posX(plot, t), cssW - half - 1), top + height + TICK_GAP);
  }
  ctx.beginPath();
  ctx.moveTo(left, top + height + 0.5);
  ctx.lineTo(left + width, top + height + 0.5);
  ctx.stroke();
  const fontPx = Math.max(10, theme.fontSize - 1);
  ctx.fillText('epoch', left + width / 2, top + height + TICK_GAP + fontPx + 4);
  const vertical = (text: string, x: number, angle: number): void => {
    ctx.save();
    ctx.translate(x, top + height / 2);
    ctx.rotate(angle);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, 0, 0);
    ctx.restore();
  };
  vertical('loss', TITLE_PX / 2, -Math.PI / 2);
  if (plot.y1) vertical('accuracy', cssW - TITLE_PX / 2, Math.PI / 2);
}

/** The series' names, right-aligned above the plot, each after a short line of its colour. */
function drawLegend(ctx: CanvasRenderingContext2D, series: readonly LossSeries[], theme: Theme, cssW: number, fontPx: number): void {
  const y = 2 + fontPx / 2;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  let x = cssW - 8;
  for (let i = series.length - 1; i >= 0; i--) {
    const s = series[i] as LossSeries;
    const w = ctx.measureText(s.label).width;
    x -= w;
    ctx.fillStyle = theme.foreground;
    ctx.fillText(s.label, x, y);
    x -= 18;
    ctx.fillStyle = s.color;
    ctx.fillRect(x, y - 1, 12, 2);
    x -= 10;
  }
}
