// Mapping metric values to colours, and the legend's ticks. Pure: the DOM-side code passes in
// the palette it read from CSS.

import type { HeatmapMetric } from '../protocol';
import { formatFraction, formatTick } from './format';

export type ScaleKind = 'log' | 'linear';

export function scaleKindFor(metric: HeatmapMetric): ScaleKind {
  return metric === 'dead' || metric === 'saturated' ? 'linear' : 'log';
}

/** The healthy SGD update ratio ‖ΔW‖/‖W‖, drawn as a reference in the legend. */
export const HEALTHY_UPDATE_RATIO = 1e-3;

/** For 'log', lo and hi are log10 of the values; for 'linear' they are the values. */
export interface ColorDomain {
  readonly kind: ScaleKind;
  readonly lo: number;
  readonly hi: number;
}

/**
 * The span of the finite positive values (log) or the fixed 0..1 of a fraction (linear).
 * `include` widens the span to show reference values (the 1e-3 update ratio) even when the data
 * sits far from them. A single value gets half a decade either side so it lands mid-palette.
 */
export function computeDomain(values: Iterable<number>, kind: ScaleKind, include: readonly number[] = []): ColorDomain {
  if (kind === 'linear') return { kind, lo: 0, hi: 1 };
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number): void => {
    if (Number.isFinite(v) && v > 0) {
      const l = Math.log10(v);
      if (l < lo) lo = l;
      if (l > hi) hi = l;
    }
  };
  for (const v of values) see(v);
  if (lo === Infinity) return { kind, lo: -4, hi: 0 };
  for (const v of include) see(v);
  if (hi - lo < 1e-9) return { kind, lo: lo - 0.5, hi: hi + 0.5 };
  return { kind, lo, hi };
}

/** Where a value sits on the palette, 0..1 (clamped), or null for values it cannot show. */
export function position(domain: ColorDomain, v: number): number | null {
  if (!Number.isFinite(v)) return null;
  let x: number;
  if (domain.kind === 'log') {
    if (v <= 0) return null;
    x = Math.log10(v);
  } else x = v;
  const t = (x - domain.lo) / (domain.hi - domain.lo);
  return Math.min(1, Math.max(0, t));
}

export interface Tick {
  readonly value: number;
  /** 0..1 along the legend. */
  readonly pos: number;
  readonly label: string;
}

const EPS = 1e-9;

/** Round-number ticks inside the domain, for the legend. */
export function legendTicks(domain: ColorDomain): Tick[] {
  const { lo, hi } = domain;
  const span = hi - lo;
  const at = (value: number, x: number, label: string): Tick => ({ value, pos: (x - lo) / span, label });
  if (domain.kind === 'linear') {
    const out: Tick[] = [];
    for (let i = 0; i <= 4; i++) {
      const v = lo + (span * i) / 4;
      out.push(at(v, v, formatFraction(v)));
    }
    return out;
  }
  // Decades when there are at least three of them; else 1-3, 1-2-5 or every integer mantissa,
  // whichever first gives three to ten ticks.
  const step = Math.max(1, Math.ceil(span / 6));
  const decades: Tick[] = [];
  for (let k = Math.ceil((lo - EPS) / step) * step; k <= hi + EPS; k += step) decades.push(at(10 ** k, k, formatTick(10 ** k)));
  if (decades.length >= 3) return decades;
  for (const mantissas of [
    [1, 3],
    [1, 2, 5],
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  ]) {
    const out: Tick[] = [];
    for (let k = Math.floor(lo) - 1; k <= Math.ceil(hi); k++) {
      for (const m of mantissas) {
        const x = Math.log10(m) + k;
        if (x >= lo - EPS && x <= hi + EPS) out.push(at(m * 10 ** k, x, formatTick(m * 10 ** k)));
      }
    }
    if (out.length >= 3 && out.length <= 10) return out;
  }
  if (decades.length >= 2) return decades;
  return [at(10 ** lo, lo, formatTick(10 ** lo)), at(10 ** hi, hi, formatTick(10 ** hi))];
}

export type Rgb = readonly [number, number, number];

/** Viridis (matplotlib), sampled at 16 stops: perceptually uniform and readable on light and dark. */
export const VIRIDIS: readonly string[] = [
  '#440154',
  '#481a6c',
  '#472f7d',
  '#414487',
  '#39568c',
  '#31688e',
  '#2a788e',
  '#23888e',
  '#1f988b',
  '#22a884',
  '#35b779',
  '#54c568',
  '#7ad151',
  '#a5db36',
  '#d2e21b',
  '#fde725',
];

export function parseHex(color: string): Rgb | null {
  const m = /^#?([0-9a-f]{6})$/i.exec(color.trim());
  if (!m || !m[1]) return null;
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** A palette written in CSS as hex colours separated by spaces or commas; viridis if unusable. */
export function parsePalette(text: string): Rgb[] {
  const stops = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(parseHex);
  if (stops.length >= 2 && stops.every((s): s is Rgb => s !== null)) return stops;
  return VIRIDIS.map((c) => parseHex(c) as Rgb);
}

/** Linear interpolation between the palette's stops; t in 0..1. */
export function interpolate(palette: readonly Rgb[], t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (palette.length - 1);
  const i = Math.min(palette.length - 2, Math.floor(x));
  const f = x - i;
  const a = palette[i] as Rgb;
  const b = palette[i + 1] as Rgb;
  const c = (k: 0 | 1 | 2): number => Math.round(a[k] + (b[k] - a[k]) * f);
  return `rgb(${c(0)}, ${c(1)}, ${c(2)})`;
}

export interface CellColors {
  readonly palette: readonly Rgb[];
  /** An exact zero on a log scale: no gradient at all. */
  readonly zero: string;
  readonly nonFinite: string;
}

export function colorFor(domain: ColorDomain, v: number, colors: CellColors): string {
  if (Number.isNaN(v) || v === Infinity || v === -Infinity) return colors.nonFinite;
  const t = position(domain, v);
  return t === null ? colors.zero : interpolate(colors.palette, t);
}
