// The per-layer table. A plain <table> (better understood by screen readers than a grid of custom
// elements); each row is focusable and reveals its layer's line on click or Enter. A network of
// many layers is virtualised: the table scrolls in a box of its own and only the rows in view (and
// a few around them) exist, between two spacer rows that keep the scroll height, so 1,000 layers
// cost what about 30 do.

import { recordCount, type RunSnapshot } from '../protocol';
import { lastValue } from './columns';
import { h } from './dom';
import { formatFraction, formatValue } from './format';
import { deltaRatios, layerVerdicts, type LayerVerdict } from './verdict';

const COLUMNS = ['Layer', 'Line', 'Units', 'Activation', 'Init', '∂L/∂W RMS', '∂L/∂z ÷ output', 'Dead', 'Saturated', 'Verdict'];
const NUMERIC = new Set([1, 2, 5, 6, 7, 8]);
/**
 * The columns whose numbers change as a run streams, and the class of the fixed-size box each
 * number sits in (media/panel.css): a new value then lays out its box alone, where plain cell text
 * made the automatic table layout measure every cell of the table again, a few times a second.
 */
const LIVE: ReadonlyMap<number, string> = new Map([
  [5, 'val'],
  [6, 'val'],
  [7, 'val fraction'],
  [8, 'val fraction'],
]);

/** Up to this many layers every row exists (and the table grows with the page); beyond, only those in view. */
export const VIRTUAL_FROM = 100;
/** Rows drawn beyond each edge of the view, so a scroll by a wheel notch shows no blank. */
const OVERSCAN = 8;
/** A row's height before one could be measured (CSS pixels). */
const DEFAULT_ROW_PX = 27;

export class LayerTable {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly above: HTMLTableRowElement;
  private readonly below: HTMLTableRowElement;
  private run: RunSnapshot | null = null;
  private verdicts: LayerVerdict[] = [];
  private ratios: number[] = [];
  private rowPx = 0;
  /** The scroller's scroll offset and height, as its scroll events and resize observer last gave them (reading them would lay the page out). */
  private top = 0;
  private viewPx = 0;
  private frame = 0;
  /** The text each row's cells were last given. */
  private readonly shown = new WeakMap<HTMLTableRowElement, readonly string[]>();

  constructor(private readonly onReveal: (fileName: string, line: number) => void) {
    this.body = h('tbody');
    this.above = spacer();
    this.below = spacer();
    const head = h('tr', {}, ...COLUMNS.map((c, i) => h('th', { scope: 'col', class: NUMERIC.has(i) ? 'num' : undefined }, c)));
    this.scroller = h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'layer-table' },
        h('caption', { class: 'sr-only' }, 'Layers, last epoch statistics and verdicts; press Enter on a row to reveal its line'),
        h('thead', {}, head),
        this.body,
      ),
    );
    this.scroller.addEventListener(
      'scroll',
      () => {
        if (this.frame) return;
        this.frame = requestAnimationFrame(() => {
          this.frame = 0;
          this.top = this.scroller.scrollTop;
          this.draw();
        });
      },
      { passive: true },
    );
    // After a layout: the box's height, and the height of a real row, which the spacers follow.
    new ResizeObserver(() => {
      if (!this.scroller.classList.contains('virtual')) return;
      const viewPx = this.scroller.clientHeight;
      const row = this.body.rows[this.body.rows[0] === this.above ? 1 : 0];
      const rowPx = row?.offsetHeight || this.rowPx;
      if (viewPx === this.viewPx && rowPx === this.rowPx) return;
      this.viewPx = viewPx;
      this.rowPx = rowPx;
      this.draw();
    }).observe(this.scroller);
    this.element = h('section', { class: 'layers card', 'aria-labelledby': 'layers-heading' }, h('h2', { id: 'layers-heading' }, 'Layers'), this.scroller);
  }

  update(run: RunSnapshot): void {
    if (this.body.dataset.run !== run.id) {
      this.body.dataset.run = run.id;
      // Written only when scrolled: the write lays the page out at once, in the middle of a show.
      if (this.top !== 0) this.scroller.scrollTop = 0;
      this.top = 0;
    }
    this.run = run;
    this.verdicts = layerVerdicts(run);
    this.ratios = deltaRatios(run);
    this.scroller.classList.toggle('virtual', run.layers.length > VIRTUAL_FROM);
    this.draw();
  }

  /** The rows in view, filled in; rows are reused, so keyboard focus survives progress updates. */
  private draw(): void {
    const run = this.run;
    if (!run) return;
    const n = run.layers.length;
    const virtual = n > VIRTUAL_FROM;
    let first = 0;
    let last = n;
    if (virtual) {
      const rowPx = this.rowPx || DEFAULT_ROW_PX;
      first = Math.max(0, Math.floor(this.top / rowPx) - OVERSCAN);
      last = Math.min(n, Math.ceil((this.top + (this.viewPx || 480)) / rowPx) + OVERSCAN);
    }
    const rows = this.rows(last - first, virtual);
    for (let k = 0; k < rows.length; k++) this.fill(rows[k] as HTMLTableRowElement, run, first + k);
    const rowPx = this.rowPx || DEFAULT_ROW_PX;
    this.above.style.height = `${first * rowPx}px`;
    this.below.style.height = `${(n - last) * rowPx}px`;
    this.body.dataset.first = String(first);
    this.body.dataset.shown = String(rows.length);
  }

  /** `count` layer rows (between the spacers when virtualised), made or removed as needed. */
  private rows(count: number, virtual: boolean): HTMLTableRowElement[] {
    const rows = [...this.body.rows].filter((r) => r !== this.above && r !== this.below);
    while (rows.length > count) rows.pop()?.remove();
    while (rows.length < count) rows.push(this.row());
    const children = virtual ? [this.above, ...rows, this.below] : rows;
    if (this.body.children.length !== children.length || children.some((c, i) => this.body.children[i] !== c)) this.body.replaceChildren(...children);
    return rows;
  }

  private fill(tr: HTMLTableRowElement, run: RunSnapshot, i: number): void {
    const layer = run.layers[i];
    if (!layer) return;
    const has = recordCount(run.records) > 0;
    const verdict = this.verdicts[i];
    tr.dataset.line = String(layer.line);
    tr.dataset.layer = String(i);
    tr.title = `Reveal line ${layer.line}`;
    const values = [
      `L${layer.index}`,
      String(layer.line),
      String(layer.units),
      layer.activation,
      layer.init,
      has ? formatValue(lastValue(run.records, 'gradRms', i)) : '–',
      has ? formatValue(this.ratios[i] ?? NaN) : '–',
      has ? formatFraction(lastValue(run.records, 'dead', i)) : '–',
      has ? formatFraction(lastValue(run.records, 'saturated', i)) : '–',
      verdict?.text ?? 'ok',
    ];
    // Compared with what the row last showed, not read back from the DOM: a streaming run refills
    // every row a few times a second, and most of its cells say what they said.
    const shown = this.shown.get(tr) ?? [];
    this.shown.set(tr, values);
    values.forEach((v, j) => {
      if (shown[j] === v) return;
      const cell = tr.cells[j];
      const box = LIVE.has(j) ? cell?.firstElementChild : cell;
      if (box instanceof HTMLElement) box.textContent = v;
    });
    const vc = tr.cells[COLUMNS.length - 1];
    const verdictClass = `verdict ${verdict?.severity ?? 'ok'}`;
    if (vc && vc.className !== verdictClass) vc.className = verdictClass;
  }

  private row(): HTMLTableRowElement {
    const tr = h(
      'tr',
      { tabindex: 0, class: 'clickable' },
      ...COLUMNS.map((_, i) => {
        const live = LIVE.get(i);
        return h('td', { class: NUMERIC.has(i) ? 'num' : undefined }, live ? h('span', { class: live }) : null);
      }),
    );
    const reveal = (): void => {
      if (this.run) this.onReveal(this.run.fileName, Number(tr.dataset.line));
    };
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

/** An empty row standing for the rows out of view. */
function spacer(): HTMLTableRowElement {
  return h('tr', { class: 'spacer', 'aria-hidden': 'true' }, h('td', { colspan: COLUMNS.length }));
}
