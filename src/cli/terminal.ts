// Terminal rendering for the CLI: a colour-coded heatmap of gradient magnitude (layers × epochs,
// log scale), a layer table and the findings. Pure string building, so it is testable.

import type { EpochRecord, Finding, InitialRecord, LayerStatName, ReportLayer } from '../engine/types';
import { sci } from '../shared/numbers';
import { slowerPhrase, speedOfLearning } from '../shared/speedOfLearning';
import { thin, type RunStats } from '../engine/findings';
import { layerCures } from '../engine/layerCures';

export interface Style {
  readonly color: boolean;
}

const RAMP = ' ▁▂▃▄▅▆▇█';
// A perceptual ramp (viridis-like) as 256-colour codes, dark (small gradients) to bright (large).
const COLOURS = [17, 18, 24, 30, 36, 42, 78, 114, 150, 186, 226];

function paint(s: string, code: number, style: Style): string {
  return style.color ? `\x1b[48;5;${code}m${s}\x1b[0m` : s;
}

/** Layers × epochs, each column an epoch or, in a long run, a bucket of epochs averaged in log space. */
export function heatmap(layers: readonly ReportLayer[], run: RunStats, stat: LayerStatName, width: number, style: Style): string {
  if (run.length === 0) return '(no epochs)\n';
  const rows = layers.map((_, k) => thin(run.stat(k, stat), width, true));
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows)
    for (const v of r)
      if (v > 0 && Number.isFinite(v)) {
        lo = Math.min(lo, Math.log10(v));
        hi = Math.max(hi, Math.log10(v));
      }
  if (lo === Infinity) {
    lo = -1;
    hi = 0;
  }
  if (hi - lo < 1e-9) hi = lo + 1;
  const level = (v: number): number => (v > 0 && Number.isFinite(v) ? Math.min(1, Math.max(0, (Math.log10(v) - lo) / (hi - lo))) : -1);
  // A residual or normalized layer's row says so; the labels widen to fit it, never cut it.
  const names = layers.map((l) => [`L${l.index} ${l.activation}`, layerCures(l)].filter(Boolean).join(', '));
  const nameWidth = Math.max(14, ...names.map((n) => n.length));
  const label = (k: number) => `${names[k].padEnd(nameWidth)} :${String(layers[k].line).padEnd(4)}`;
  const indent = ' '.repeat(nameWidth + 7);
  const lines: string[] = [];
  // Input layer on top, output layer at the bottom, as the layers are written in the file and as
  // the panel's heatmap draws them (one order everywhere).
  for (let k = 0; k < layers.length; k++) {
    const cells = rows[k].map((v) => {
      const t = level(v);
      if (t < 0) return style.color ? paint(' ', 52, style) : '·';
      return style.color ? paint(' ', COLOURS[Math.round(t * (COLOURS.length - 1))], style) : RAMP[1 + Math.round(t * (RAMP.length - 2))];
    });
    lines.push(`${label(k)} ${cells.join('')}`);
  }
  const cols = rows[0].length;
  const lastEpoch = run.epochAt(run.length - 1);
  const axis = `epoch 1${' '.repeat(Math.max(1, cols - 7 - String(lastEpoch).length))}${lastEpoch}`;
  lines.push(`${indent}${axis}`);
  const legend = style.color ? COLOURS.map((c) => paint('  ', c, style)).join('') : RAMP.slice(1);
  lines.push(`${indent}${stat} (log10): ${sci(Math.pow(10, lo))} ${legend} ${sci(Math.pow(10, hi))}`);
  lines.push(`${indent}rows: input layer (L0) at the top, output layer at the bottom, as in the file`);
  return lines.join('\n') + '\n';
}

export function layerTable(layers: readonly ReportLayer[], last: EpochRecord | undefined, findings: readonly Finding[]): string {
  const out = last ? last.layers[layers.length - 1] : undefined;
  const head = ['layer', 'line', 'units', 'activation', 'init', 'gradRms', '÷output', 'deltaRms', '÷output', 'dead', 'saturated', 'verdict'];
  const rows = layers.map((l, k) => {
    const s = last?.layers[k];
    const verdict =
      findings
        .filter((f) => f.layers.includes(k))
        .map((f) => f.kind)
        .join(', ') || 'ok';
    return [
      String(k),
      String(l.line),
      String(l.units),
      [l.activation, layerCures(l)].filter(Boolean).join(', '),
      l.init,
      s ? sci(s.gradRms) : '-',
      s && out && out.gradRms > 0 ? sci(s.gradRms / out.gradRms) : '-',
      s ? sci(s.deltaRms) : '-',
      s && out && out.deltaRms > 0 ? sci(s.deltaRms / out.deltaRms) : '-',
      s ? `${Math.round(s.dead * 100)}%` : '-',
      s ? `${Math.round(s.saturated * 100)}%` : '-',
      verdict,
    ];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const fmt = (r: string[]) =>
    r
      .map((v, c) => v.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n') + '\n';
}

/**
 * Nielsen's "speed of learning" of each hidden layer, ‖∂L/∂b‖, at initialisation and in the last
 * epoch, input side first, with the first hidden layer's relative to the last's. Empty without
 * two hidden layers or an initial record.
 */
export function speedOfLearningText(initial: InitialRecord | null, last: EpochRecord | undefined): string {
  const row = (label: string, record: InitialRecord | EpochRecord): string => {
    const speed = speedOfLearning(record.layers.map((l) => l.biasGradNorm));
    if (!speed) return '';
    const phrase = slowerPhrase(speed);
    return `  ${label.padEnd(16)}${speed.hidden.map((v) => sci(v)).join('  ')}${phrase ? ` (${phrase})` : ''}\n`;
  };
  const first = initial ? row('initial weights', initial) : '';
  if (!first) return '';
  return `Speed of learning ‖∂L/∂b‖ of the hidden layers, input side first:\n${first}${last ? row(`epoch ${last.epoch}`, last) : ''}`;
}

export function progressBar(done: number, total: number, loss: number, width = 30): string {
  const f = total > 0 ? done / total : 1;
  const fill = Math.round(f * width);
  return `[${'#'.repeat(fill)}${'-'.repeat(width - fill)}] epoch ${done}/${total} loss ${Number.isFinite(loss) ? loss.toFixed(4) : String(loss)}`;
}

/** A text plot of the smoothed loss against log10 lr, with the suggestion marked. */
/**
 * The range test's smoothed loss against lr (log axis) in text: the y axis labelled at its top,
 * middle and bottom, the x axis at every decade (a ┬ on the axis, its value under it), the
 * suggestion drawn as a column of |, the file's own lr as a column of : (where both fall on one
 * column, the suggestion's mark wins and the legend says so).
 */
export function lrPlot(
  points: readonly { lr: number; smoothed: number }[],
  marks: { suggested: number | null; current: number },
  width: number,
  height: number,
): string {
  if (points.length === 0) return '(no points)\n';
  const xs = points.map((p) => Math.log10(p.lr));
  const ys = points.map((p) => p.smoothed);
  const x0 = xs[0];
  const x1 = xs[xs.length - 1];
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys.slice(0, Math.max(1, Math.ceil(ys.length * 0.95))));
  const grid = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  const col = (x: number) => Math.min(width - 1, Math.max(0, Math.round(((x - x0) / Math.max(1e-12, x1 - x0)) * (width - 1))));
  const row = (y: number) => Math.min(height - 1, Math.max(0, Math.round((1 - (y - y0) / Math.max(1e-12, y1 - y0)) * (height - 1))));
  const inRange = (lr: number) => lr > 0 && Math.log10(lr) >= x0 && Math.log10(lr) <= x1;
  const legend: string[] = ['log scale'];
  if (inRange(marks.current)) {
    for (let r = 0; r < height; r++) grid[r][col(Math.log10(marks.current))] = ':';
    legend.push(`: the file's lr ${sci(marks.current)}`);
  } else legend.push(`the file's lr ${sci(marks.current)} is off the plot`);
  if (marks.suggested !== null) {
    for (let r = 0; r < height; r++) grid[r][col(Math.log10(marks.suggested))] = '|';
    legend.push(`| suggested ${sci(marks.suggested)}`);
  }
  points.forEach((_, i) => (grid[row(ys[i])][col(xs[i])] = '•'));
  const mid = Math.floor((height - 1) / 2);
  const yLabel = (i: number) => (i === 0 ? sci(y1) : i === height - 1 ? sci(y0) : i === mid ? sci(y1 - ((y1 - y0) * mid) / (height - 1)) : '');
  const lines = grid.map((r, i) => `${yLabel(i).padStart(8)} ┤${r.join('')}`);
  // Decade ticks on the x axis, each value centred under its tick where it fits.
  const axis = new Array<string>(width).fill('─');
  const labels = new Array<string>(width + 8).fill(' ');
  for (let d = Math.ceil(x0 - 1e-9); d <= x1 + 1e-9; d++) {
    const c = col(d);
    axis[c] = '┬';
    const text = d >= -3 && d <= 3 ? sci(10 ** d) : `1e${d}`;
    const at = Math.max(0, c - Math.floor(text.length / 2));
    if (labels.slice(Math.max(0, at - 1), at + text.length + 1).every((ch) => ch === ' ')) for (let k = 0; k < text.length; k++) labels[at + k] = text[k];
  }
  lines.push(`${' '.repeat(9)}└${axis.join('')}`);
  lines.push(`${' '.repeat(10)}${labels.join('').trimEnd()}`);
  lines.push(`${' '.repeat(10)}learning rate (${legend.join('; ')})`);
  return 'Smoothed loss against learning rate:\n' + lines.join('\n') + '\n';
}
