// Number and label formatting shared by the heatmap, tooltips, legend and table. Pure, so the
// unit tests can pin the exact strings a user reads.

import type { ReportLayer } from '../engine/types';
import { STATISTICS, type HeatmapMetric } from '../shared/vocabulary';

/**
 * A statistic for people: plain decimals where they are short (0.0123, 12.3), scientific notation
 * otherwise (1.23e-5), and words for what is not a number, because gradients can be NaN or ∞.
 */
export function formatValue(v: number, digits = 3): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(digits)));
  return formatSci(v, digits);
}

/** 1.23e-5; a mantissa of exactly 1 is dropped to 1e-5 so decade ticks read cleanly. */
export function formatSci(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return formatValue(v);
  if (v === 0) return '0';
  const [mant, exp] = v.toExponential(Math.max(0, digits - 1)).split('e') as [string, string];
  const m = String(Number(mant));
  const e = String(Number(exp));
  return `${m}e${e}`;
}

/**
 * A whole number with thousands separated (10,000), as chart.js's own ticks read; written out here
 * because its formatter builds an Intl.NumberFormat, which costs tens of milliseconds on a first show.
 */
export function formatCount(v: number): string {
  if (!Number.isFinite(v)) return formatValue(v);
  const s = String(Math.round(Math.abs(v))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return v < 0 ? `-${s}` : s;
}

/** Legend tick labels on a log scale: 1e-3, 2e-3, but 1 and 10 rather than 1e0 and 1e1. */
export function formatTick(v: number): string {
  if (v >= 1 && v < 1000) return String(Number(v.toPrecision(3)));
  return formatSci(v, 2);
}

/** Fractions (dead, saturated) as percentages with two significant digits. */
export function formatFraction(v: number): string {
  if (!Number.isFinite(v)) return formatValue(v);
  if (v === 0) return '0%';
  return `${Number((v * 100).toPrecision(2))}%`;
}

export function formatMetric(metric: HeatmapMetric, v: number): string {
  return STATISTICS[metric].format === 'fraction' ? formatFraction(v) : formatValue(v);
}

export function layerLabel(layer: Pick<ReportLayer, 'index' | 'line' | 'activation'>): string {
  return `L${layer.index} · line ${layer.line} · ${layer.activation}`;
}

export function epochRange(first: number, last: number): string {
  return first === last ? `epoch ${first}` : `epochs ${first}–${last}`;
}

/** File names arrive as host paths, which may be Windows paths even though the page is not. */
export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
