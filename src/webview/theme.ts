// Colours and fonts for the canvases, read from CSS so the charts follow the VS Code theme like
// the rest of the page. media/panel.css defines the --gf-* variables in terms of --vscode-* ones.

import { parsePalette, type CellColors, type Rgb } from './colorScale';

export interface Theme extends CellColors {
  readonly foreground: string;
  readonly muted: string;
  readonly background: string;
  readonly grid: string;
  readonly focus: string;
  /** Plot area not yet reached by a running training. */
  readonly empty: string;
  readonly reference: string;
  readonly fontFamily: string;
  readonly fontSize: number;
  /** Line colours for loss curves, from --vscode-charts-*. */
  readonly series: readonly string[];
  readonly tooltip: { readonly background: string; readonly foreground: string; readonly border: string };
  readonly highContrast: boolean;
  readonly palette: readonly Rgb[];
}

export function readTheme(): Theme {
  const body = document.body;
  const cs = getComputedStyle(body);
  const v = (name: string, fallback: string): string => cs.getPropertyValue(name).trim() || fallback;
  const foreground = cs.color || '#cccccc';
  return {
    foreground,
    muted: v('--gf-muted', foreground),
    background: v('--gf-background', '#1e1e1e'),
    grid: withAlpha(v('--gf-grid', foreground), 0.15),
    focus: v('--gf-focus', '#0078d4'),
    empty: withAlpha(v('--gf-empty', foreground), 0.06),
    reference: v('--gf-reference', foreground),
    zero: v('--gf-zero', '#000000'),
    nonFinite: v('--gf-nonfinite', '#f14c4c'),
    fontFamily: cs.fontFamily || 'sans-serif',
    fontSize: parseFloat(cs.fontSize) || 13,
    series: ['--gf-series-1', '--gf-series-2', '--gf-series-3', '--gf-series-4', '--gf-series-5', '--gf-series-6'].map((n) => v(n, foreground)),
    tooltip: {
      background: v('--gf-tooltip-background', '#252526'),
      foreground: v('--gf-tooltip-foreground', foreground),
      border: v('--gf-tooltip-border', '#454545'),
    },
    highContrast: body.classList.contains('vscode-high-contrast') || body.classList.contains('vscode-high-contrast-light'),
    palette: parsePalette(v('--gf-palette', '')),
  };
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour with its alpha multiplied; canvas parsing normalises the input for us. */
export function withAlpha(color: string, alpha: number): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return color;
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  const norm = String(probe.fillStyle);
  const hex = /^#([0-9a-f]{6})$/i.exec(norm);
  if (hex && hex[1]) {
    const n = parseInt(hex[1], 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgba = /^rgba?\(([^)]+)\)$/.exec(norm);
  if (rgba && rgba[1]) {
    const [r, g, b, a = '1'] = rgba[1].split(',').map((s) => s.trim());
    return `rgba(${r}, ${g}, ${b}, ${Number(a) * alpha})`;
  }
  return color;
}

/** Calls back when VS Code switches theme (it rewrites the body class and the CSS variables). */
export function watchTheme(onChange: () => void): void {
  let queued = false;
  const fire = (): void => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      onChange();
    });
  };
  const observer = new MutationObserver(fire);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['style', 'class'] });
}
