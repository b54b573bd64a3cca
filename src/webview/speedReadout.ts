// The "speed of learning" readout under the heatmap when it shows ‖∂L/∂b‖: each hidden layer's
// value at the initial weights and at the last record, and how many times slower the first hidden
// layer learns than the last, read the way the CLI reads it (src/shared/speedOfLearning.ts). The
// heatmap's colours show the gap; this says it in numbers a user can quote.

import { recordCount, type HeatmapMetric, type RecordColumns, type RunSnapshot } from '../protocol';
import { slowerPhrase, speedOfLearning, type SpeedOfLearning } from '../shared/speedOfLearning';
import { h } from './dom';
import { epochRange, formatValue } from './format';

interface Row {
  readonly label: string;
  readonly epoch: number;
  readonly speed: SpeedOfLearning;
}

/** The ‖∂L/∂b‖ of every layer at record `i` of `columns`. */
function biasGradNorms(columns: RecordColumns, i: number): number[] {
  return columns.stats.biasGradNorm.map((column) => column[i] ?? NaN);
}

/** The readout's rows: the initial record (epoch 0) and the last record, those the run has. */
export function speedRows(run: RunSnapshot): Row[] {
  const rows: Row[] = [];
  const initial = run.initial && recordCount(run.initial) > 0 ? speedOfLearning(biasGradNorms(run.initial, 0)) : null;
  if (initial) rows.push({ label: 'epoch 0 (initial weights)', epoch: 0, speed: initial });
  const n = recordCount(run.records);
  const last = n > 0 ? speedOfLearning(biasGradNorms(run.records, n - 1)) : null;
  if (last) {
    const epoch = run.records.epoch[n - 1] as number;
    // A bucket of epochs (a long run) holds their geometric mean, not the last epoch's value.
    const bucketed = (run.stride ?? 1) > 1;
    const first = n > 1 ? (run.records.epoch[n - 2] as number) + 1 : 1;
    rows.push({ label: bucketed ? `${epochRange(first, epoch)} (geometric mean)` : `epoch ${epoch}`, epoch, speed: last });
  }
  return rows;
}

export class SpeedReadout {
  readonly element: HTMLElement;
  private key = '';

  constructor() {
    this.element = h('div', { class: 'speed-of-learning', hidden: true });
  }

  update(run: RunSnapshot, metric: HeatmapMetric): void {
    const rows = metric === 'biasGradNorm' ? speedRows(run) : [];
    const hidden = rows[0]?.speed.hidden.length ?? 0;
    const cells = rows.map((r) => [r.label, ...r.speed.hidden.map((v) => formatValue(v))]);
    const phrases = rows.map((r) => `${r.label}: ${slowerPhrase(r.speed) || 'no ratio (a value is 0 or not finite)'}`);
    // Rebuilt only when its text changes: progress arrives many times a second.
    const key = JSON.stringify([run.id, cells, phrases]);
    if (key === this.key) return;
    this.key = key;
    this.element.hidden = rows.length === 0;
    if (rows.length === 0) {
      this.element.replaceChildren();
      return;
    }
    const layers = run.layers.slice(0, hidden).map((l) => h('th', { scope: 'col', class: 'num' }, `L${l.index}`));
    const body = rows.map((r, k) =>
      h('tr', { 'data-epoch': r.epoch }, ...(cells[k] ?? []).map((text, j) => (j === 0 ? h('th', { scope: 'row' }, text) : h('td', { class: 'num' }, text)))),
    );
    this.element.replaceChildren(
      h('h3', {}, 'Speed of learning: ‖∂L/∂b‖ of the hidden layers, input side first'),
      h(
        'div',
        { class: 'speed-scroll' },
        h('table', { class: 'speed-table' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Record'), ...layers)), h('tbody', {}, ...body)),
      ),
      h('ul', { class: 'speed-phrases' }, ...rows.map((r, k) => h('li', { 'data-epoch': r.epoch }, phrases[k]))),
    );
  }
}
