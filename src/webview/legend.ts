// The colour-scale legend. Drawn on a canvas (not built from DOM) because the PNG export draws
// the very same legend into the exported image; its text is repeated in an aria-label.

import { interpolate, legendTicks, position, type ColorDomain } from './colorScale';
import { formatTick } from './format';
import type { Theme } from './theme';

export interface LegendSpec {
  readonly domain: ColorDomain;
  readonly title: string;
  /** A value to mark on the scale, e.g. the healthy update ratio. */
  readonly reference?: { readonly value: number; readonly label: string };
  /** Whether the cells contain exact zeros / non-finite values, so their swatches are explained. */
  readonly showZero: boolean;
  readonly showNonFinite: boolean;
}

const BAR_MAX = 480;
const ROW = 16;
const BAR_H = 12;

export function legendHeight(spec: LegendSpec): number {
  return ROW + (spec.reference ? ROW : 0) + BAR_H + 4 + ROW;
}

/** Draws at (x, y) within `width` CSS pixels; the context is already scaled for the device. */
export function drawLegend(ctx: CanvasRenderingContext2D, x: number, y: number, width: number, spec: LegendSpec, theme: Theme): void {
  const font = `${Math.max(10, theme.fontSize - 1)}px ${theme.fontFamily}`;
  ctx.save();
  ctx.font = font;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = theme.foreground;
  ctx.textAlign = 'left';
  ctx.fillText(spec.title, x, y + ROW / 2);

  // Swatches for the colours that are not on the scale, right-aligned on the title row.
  let sx = x + width;
  const swatch = (color: string, label: string): void => {
    const w = ctx.measureText(label).width;
    sx -= w;
    ctx.fillStyle = theme.foreground;
    ctx.fillText(label, sx, y + ROW / 2);
    sx -= 14;
    ctx.fillStyle = color;
    ctx.fillRect(sx, y + 3, 10, 10);
    ctx.strokeStyle = theme.grid;
    ctx.strokeRect(sx + 0.5, y + 3.5, 9, 9);
    sx -= 14;
  };
  if (spec.showNonFinite) swatch(theme.nonFinite, 'NaN / ∞');
  if (spec.showZero) swatch(theme.zero, 'exactly 0');

  const barW = Math.max(60, Math.min(width, BAR_MAX));
  let by = y + ROW;
  const ref = spec.reference;
  const refPos = ref ? position(spec.domain, ref.value) : null;
  if (ref) by += ROW;

  const grad = ctx.createLinearGradient(x, 0, x + barW, 0);
  for (let i = 0; i <= 20; i++) grad.addColorStop(i / 20, interpolate(theme.palette, i / 20));
  ctx.fillStyle = grad;
  ctx.fillRect(x, by, barW, BAR_H);
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = theme.highContrast ? 2 : 1;
  ctx.strokeRect(x + 0.5, by + 0.5, barW - 1, BAR_H - 1);

  ctx.fillStyle = theme.foreground;
  ctx.strokeStyle = theme.foreground;
  ctx.lineWidth = 1;
  ctx.textAlign = 'center';
  let lastRight = -Infinity;
  for (const t of legendTicks(spec.domain)) {
    const tx = Math.round(x + t.pos * barW) + 0.5;
    ctx.beginPath();
    ctx.moveTo(tx, by + BAR_H);
    ctx.lineTo(tx, by + BAR_H + 4);
    ctx.stroke();
    const w = ctx.measureText(t.label).width;
    const left = Math.min(Math.max(tx - w / 2, x), x + barW - w);
    if (left < lastRight + 6) continue;
    ctx.textAlign = 'left';
    ctx.fillText(t.label, left, by + BAR_H + 4 + ROW / 2);
    lastRight = left + w;
  }

  if (ref && refPos !== null) {
    // A band of ±half a decade around the reference, then the line itself.
    const d = spec.domain;
    const span = d.hi - d.lo;
    const l = Math.log10(ref.value);
    const bx0 = x + Math.max(0, (l - 0.5 - d.lo) / span) * barW;
    const bx1 = x + Math.min(1, (l + 0.5 - d.lo) / span) * barW;
    ctx.strokeStyle = theme.reference;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([3, 2]);
    ctx.strokeRect(bx0, by - 2, Math.max(1, bx1 - bx0), BAR_H + 4);
    ctx.setLineDash([]);
    const rx = Math.round(x + refPos * barW) + 0.5;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(rx, by - 5);
    ctx.lineTo(rx, by + BAR_H + 2);
    ctx.stroke();
    const label = `${ref.label} ${formatTick(ref.value)}`;
    const w = ctx.measureText(label).width;
    ctx.fillStyle = theme.foreground;
    ctx.textAlign = 'left';
    ctx.fillText(label, Math.min(Math.max(rx - w / 2, x), x + barW - w), by - ROW / 2 - 2);
  }
  ctx.restore();
}

/** Words for screen readers: the same facts as the drawn legend. */
export function describeLegend(spec: LegendSpec): string {
  const ticks = legendTicks(spec.domain);
  const first = ticks[0];
  const last = ticks[ticks.length - 1];
  const scale = spec.domain.kind === 'log' ? 'logarithmic' : 'linear';
  let text = `Colour scale for ${spec.title}, ${scale}, from dark purple (low) to yellow (high)`;
  if (first && last) text += `, ticks ${ticks.map((t) => t.label).join(', ')}`;
  if (spec.reference) text += `; ${spec.reference.label} ${formatTick(spec.reference.value)} marked`;
  return `${text}.`;
}

/** An on-screen legend that keeps itself sized to its container. */
export class LegendView {
  readonly element: HTMLCanvasElement;
  private spec: LegendSpec | null = null;
  private theme: Theme | null = null;
  /** The element's width as the resize observer last reported it (reading it would lay the page out on every update). */
  private width = -1;

  constructor() {
    this.element = document.createElement('canvas');
    this.element.className = 'legend';
    this.element.setAttribute('role', 'img');
    new ResizeObserver((entries) => {
      const w = entries[entries.length - 1]?.contentRect.width;
      if (w === undefined || Math.round(w) === this.width) return;
      this.width = Math.round(w);
      this.draw();
    }).observe(this.element);
  }

  update(spec: LegendSpec, theme: Theme): void {
    if (theme === this.theme && this.spec && JSON.stringify(spec) === JSON.stringify(this.spec)) return;
    this.spec = spec;
    this.theme = theme;
    this.element.setAttribute('aria-label', describeLegend(spec));
    this.draw();
  }

  private draw(): void {
    const { spec, theme } = this;
    if (!spec || !theme) return;
    const cssH = legendHeight(spec);
    if (this.element.style.height !== `${cssH}px`) this.element.style.height = `${cssH}px`;
    // The resize observer's first report draws it: reading the width here would lay the page out in the middle of a show.
    if (this.width < 0) return;
    const cssW = this.width || 320;
    const dpr = window.devicePixelRatio || 1;
    if (this.element.width !== Math.round(cssW * dpr)) this.element.width = Math.round(cssW * dpr);
    // Assigned only when changed: any assignment, even of the same size, clears and reallocates the bitmap.
    if (this.element.height !== Math.round(cssH * dpr)) this.element.height = Math.round(cssH * dpr);
    const ctx = this.element.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    drawLegend(ctx, 0, 0, cssW, spec, theme);
  }
}
