// The PNG export: the heatmap as drawn, with a title and its colour legend so the image stands on
// its own in a report or an issue.

import { drawLegend, legendHeight, type LegendSpec } from './legend';
import type { Theme } from './theme';

/** `size`: the part of the canvas the heatmap was drawn in, in CSS pixels (its bitmap may be larger, see clearedCanvas). */
export function composeHeatmapPng(
  heatmap: HTMLCanvasElement,
  size: { width: number; height: number },
  legend: LegendSpec,
  title: string,
  theme: Theme,
): string {
  const cssW = size.width;
  const cssH = size.height;
  const dpr = heatmap.width / (heatmap.clientWidth || heatmap.width) || 1;
  const pad = 12;
  const titleH = 24;
  const legendH = legendHeight(legend);
  const out = document.createElement('canvas');
  out.width = Math.round((cssW + 2 * pad) * dpr);
  out.height = Math.round((pad + titleH + legendH + 8 + cssH + pad) * dpr);
  const ctx = out.getContext('2d');
  if (!ctx) return heatmap.toDataURL('image/png');
  ctx.scale(dpr, dpr);
  // The page's canvases are transparent; an exported image needs the background it was seen on.
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, cssW + 2 * pad, out.height / dpr);
  ctx.fillStyle = theme.foreground;
  ctx.font = `600 ${theme.fontSize + 1}px ${theme.fontFamily}`;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, pad, pad + titleH / 2);
  drawLegend(ctx, pad, pad + titleH, cssW, legend, theme);
  ctx.drawImage(heatmap, 0, 0, Math.round(cssW * dpr), Math.round(cssH * dpr), pad, pad + titleH + legendH + 8, cssW, cssH);
  return out.toDataURL('image/png');
}
