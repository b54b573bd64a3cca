// The 'lrFind' view: smoothed loss against learning rate on a log axis with the suggestion and the
// file's lr marked; then the short trainings that check the suggestion (a row per lr, the one that
// trained best marked, each with a button that writes it into the spec) and what they found.

import type { Plugin, TooltipItem } from 'chart.js';
import type { LrFindSnapshot, LrTrialRow, PanelView } from '../protocol';
import { Chart, tooltipStyle } from './charts';
import { button } from './controls';
import { h } from './dom';
import { basename, formatValue } from './format';
import { withAlpha, type Theme } from './theme';
import type { Actions, RenderContext, View } from './view';

interface Point {
  readonly x: number;
  readonly y: number;
}

interface Marker {
  readonly lr: number;
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
}

export class LrFindView implements View {
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly actionsBar: HTMLElement;
  private readonly trials: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private chart: Chart<'line', Point[], unknown> | null = null;
  private chartTheme: Theme | null = null;
  private markers: Marker[] = [];

  constructor(private readonly actions: Actions) {
    this.header = h('header', { class: 'view-header' });
    this.actionsBar = h('div', { class: 'toolbar' });
    this.trials = h('section', { class: 'card lr-trials', 'aria-labelledby': 'lr-trials-heading' });
    this.canvas = h('canvas', { role: 'img' });
    this.element = h(
      'div',
      { class: 'lrfind-view' },
      this.header,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'lr-heading' },
        h('h2', { id: 'lr-heading' }, 'Smoothed loss against learning rate'),
        h('div', { class: 'chart-box lr-box' }, this.canvas),
      ),
      this.trials,
      this.actionsBar,
    );
  }

  render(view: PanelView, ctx: RenderContext): void {
    if (view.kind !== 'lrFind') return;
    const lr = view.lrFind;
    const theme = ctx.theme;
    this.header.replaceChildren(
      h('h1', {}, 'Learning-rate finder'),
      h(
        'p',
        { class: 'meta' },
        h('span', { class: 'file', title: lr.fileName }, basename(lr.fileName)),
        h('span', {}, `current lr = ${formatValue(lr.currentLr)}`),
      ),
    );
    const suggested = lr.suggested;
    this.renderTrials(lr.check);
    // With the check, each trained lr has its own button in the table; without it (cancelled), the suggestion here.
    const action =
      suggested === null
        ? h('p', { class: 'muted' }, 'No learning rate stood out: the loss never fell steadily over the sweep.')
        : lr.check
          ? null
          : button(`Use lr = ${formatValue(suggested)}`, () => this.actions.applyLr(suggested), {
              title: 'Write this learning rate into the optimizer statement',
            });
    this.actionsBar.replaceChildren(...(action ? [action] : []));
    this.actionsBar.hidden = !action;
    this.markers = [
      ...(suggested === null
        ? []
        : [{ lr: suggested, label: `suggested ${formatValue(suggested)}`, color: theme.series[2] ?? theme.foreground, dashed: false }]),
      { lr: lr.currentLr, label: `current ${formatValue(lr.currentLr)}`, color: theme.muted, dashed: true },
      // The short trainings' winner, where it is neither of the two above.
      ...(lr.check?.trials
        .filter((t) => t.best && !t.isFile && !/^suggested$|^suggested,/.test(t.roles))
        .map((t) => ({ lr: t.lr, label: `trained best ${formatValue(t.lr)}`, color: theme.series[1] ?? theme.foreground, dashed: false })) ?? []),
    ];
    if (!this.chart || this.chartTheme !== theme) this.build(theme);
    const chart = this.chart;
    if (!chart) return;
    const [smoothed, raw] = chart.data.datasets;
    if (smoothed) smoothed.data = lr.points.map((p) => ({ x: p.lr, y: p.smoothed }));
    if (raw) raw.data = lr.points.map((p) => ({ x: p.lr, y: p.loss }));
    this.canvas.setAttribute('aria-label', this.describe(lr));
    chart.update('none');
  }

  private renderTrials(check: LrFindSnapshot['check']): void {
    this.trials.hidden = check === null;
    if (!check) return this.trials.replaceChildren();
    const row = (t: LrTrialRow) =>
      h(
        'tr',
        { class: t.best ? 'best' : '' },
        h('td', { class: 'num' }, formatValue(t.lr)),
        h('td', {}, t.roles),
        h('td', { class: 'num' }, t.result),
        h('td', {}, t.best ? 'trained best' : ''),
        h(
          'td',
          {},
          t.isFile
            ? h('span', { class: 'muted' }, 'in the file')
            : button(`Use lr = ${formatValue(t.lr)}`, () => this.actions.applyLr(t.lr), { title: 'Write this learning rate into the optimizer statement' }),
        ),
      );
    this.trials.replaceChildren(
      h('h2', { id: 'lr-trials-heading' }, `Short trainings: ${check.steps} steps each from the same initial weights`),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'layer-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { class: 'num' }, 'lr'),
              h('th', {}, 'tried as'),
              h('th', { class: 'num' }, 'loss, training set'),
              h('th', {}, ''),
              h('th', {}, ''),
            ),
          ),
          h('tbody', {}, ...check.trials.map(row)),
        ),
      ),
      h('p', { class: 'lr-summary' }, check.summary),
    );
  }

  private describe(lr: LrFindSnapshot): string {
    const first = lr.points[0];
    const last = lr.points[lr.points.length - 1];
    const range = first && last ? `from lr ${formatValue(first.lr)} to ${formatValue(last.lr)}` : 'with no points';
    return `Smoothed loss against learning rate, ${range}; ${lr.suggested === null ? 'no suggestion' : `suggested lr ${formatValue(lr.suggested)}`}; current lr ${formatValue(lr.currentLr)}.`;
  }

  private build(theme: Theme): void {
    this.chart?.destroy();
    this.chartTheme = theme;
    const markers: Plugin<'line'> = {
      id: 'gfMarkers',
      afterDatasetsDraw: (chart) => {
        const x = chart.scales.x;
        const a = chart.chartArea;
        if (!x) return;
        const ctx = chart.ctx;
        ctx.save();
        ctx.font = `${Math.max(10, theme.fontSize - 1)}px ${theme.fontFamily}`;
        ctx.textBaseline = 'top';
        this.markers.forEach((m, i) => {
          const px = x.getPixelForValue(m.lr);
          if (!(px >= a.left && px <= a.right)) return;
          ctx.strokeStyle = m.color;
          ctx.fillStyle = m.color;
          ctx.lineWidth = m.dashed ? 1 : 2;
          ctx.setLineDash(m.dashed ? [4, 3] : []);
          ctx.beginPath();
          ctx.moveTo(px, a.top);
          ctx.lineTo(px, a.bottom);
          ctx.stroke();
          const w = ctx.measureText(m.label).width;
          const tx = px + 4 + w > a.right ? px - 4 - w : px + 4;
          ctx.fillText(m.label, tx, a.top + 4 + i * 16);
        });
        ctx.restore();
      },
    };
    this.chart = new Chart<'line', Point[], unknown>(this.canvas, {
      type: 'line',
      data: {
        datasets: [
          {
            label: 'smoothed loss',
            data: [],
            borderColor: theme.series[0],
            backgroundColor: theme.series[0],
            borderWidth: theme.highContrast ? 2.5 : 2,
            pointRadius: 0,
            pointHoverRadius: 3,
          },
          {
            label: 'loss',
            data: [],
            borderColor: withAlpha(theme.muted, 0.5),
            backgroundColor: withAlpha(theme.muted, 0.5),
            borderWidth: 0,
            showLine: false,
            pointRadius: 1.5,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: {
            type: 'logarithmic',
            grid: { color: theme.grid },
            ticks: { color: theme.muted, maxRotation: 0, autoSkip: false, callback: (v: string | number) => logTick(Number(v)) },
            title: { display: true, text: 'learning rate', color: theme.muted },
          },
          y: { type: 'linear', grid: { color: theme.grid }, ticks: { color: theme.muted }, title: { display: true, text: 'loss', color: theme.muted } },
        },
        plugins: {
          legend: { display: true, position: 'top', align: 'end', labels: { boxWidth: 12, boxHeight: 2, color: theme.foreground } },
          tooltip: {
            ...tooltipStyle(theme),
            callbacks: {
              title: (items: TooltipItem<'line'>[]) => `lr = ${formatValue(items[0]?.parsed.x ?? NaN)}`,
              label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${formatValue(item.parsed.y ?? NaN, 4)}`,
            },
          },
        },
      },
      plugins: [markers],
    });
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
  }
}

/** Only decades are labelled on the lr axis; the minor ticks stay as unlabelled grid lines. */
function logTick(v: number): string {
  const l = Math.log10(v);
  return Math.abs(l - Math.round(l)) < 1e-9 ? formatValue(v) : '';
}
