// The per-layer table. A plain <table> (better understood by screen readers than a grid of custom
// elements); each row is focusable and reveals its layer's line on click or Enter.

import { recordCount, type RunSnapshot } from '../protocol';
import { lastValue } from './columns';
import { h } from './dom';
import { formatFraction, formatValue } from './format';
import { deltaRatios, layerVerdicts } from './verdict';

const COLUMNS = ['Layer', 'Line', 'Units', 'Activation', 'Init', '∂L/∂W RMS', '∂L/∂z ÷ output', 'Dead', 'Saturated', 'Verdict'];
const NUMERIC = new Set([1, 2, 5, 6, 7, 8]);

export class LayerTable {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;

  constructor(private readonly onReveal: (fileName: string, line: number) => void) {
    this.body = h('tbody');
    const head = h('tr', {}, ...COLUMNS.map((c, i) => h('th', { scope: 'col', class: NUMERIC.has(i) ? 'num' : undefined }, c)));
    this.element = h(
      'section',
      { class: 'layers card', 'aria-labelledby': 'layers-heading' },
      h('h2', { id: 'layers-heading' }, 'Layers'),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'layer-table' },
          h('caption', { class: 'sr-only' }, 'Layers, last epoch statistics and verdicts; press Enter on a row to reveal its line'),
          h('thead', {}, head),
          this.body,
        ),
      ),
    );
  }

  update(run: RunSnapshot): void {
    const has = recordCount(run.records) > 0;
    const last = (m: 'gradRms' | 'dead' | 'saturated', i: number): number => lastValue(run.records, m, i);
    const verdicts = layerVerdicts(run);
    const ratios = deltaRatios(run);
    // Rows are rebuilt only when the layers change, so keyboard focus survives progress updates.
    if (this.body.rows.length !== run.layers.length || this.body.dataset.run !== run.id) {
      this.body.replaceChildren(...run.layers.map(() => this.row(run)));
      this.body.dataset.run = run.id;
    }
    run.layers.forEach((layer, i) => {
      const tr = this.body.rows[i];
      if (!tr) return;
      const verdict = verdicts[i];
      tr.dataset.line = String(layer.line);
      tr.title = `Reveal line ${layer.line}`;
      const values = [
        `L${layer.index}`,
        String(layer.line),
        String(layer.units),
        layer.activation,
        layer.init,
        has ? formatValue(last('gradRms', i)) : '–',
        has ? formatValue(ratios[i] ?? NaN) : '–',
        has ? formatFraction(last('dead', i)) : '–',
        has ? formatFraction(last('saturated', i)) : '–',
        verdict?.text ?? 'ok',
      ];
      values.forEach((v, j) => {
        const cell = tr.cells[j];
        if (cell && cell.textContent !== v) cell.textContent = v;
      });
      const vc = tr.cells[COLUMNS.length - 1];
      if (vc) vc.className = `verdict ${verdict?.severity ?? 'ok'}`;
    });
  }

  private row(run: RunSnapshot): HTMLTableRowElement {
    const tr = h('tr', { tabindex: 0, class: 'clickable' }, ...COLUMNS.map((_, i) => h('td', { class: NUMERIC.has(i) ? 'num' : undefined })));
    const reveal = (): void => this.onReveal(run.fileName, Number(tr.dataset.line));
    tr.addEventListener('click', reveal);
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        reveal();
      }
    });
    return tr;
  }
}
