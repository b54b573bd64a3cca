// The page's state and how host messages change it. Pure (no DOM), so the reducer is unit-tested
// and the same state object is what setState saves for a reload.

import { recordCount, type HeatmapMetric, type HostToPanel, type PanelState, type PanelView, type RunSnapshot } from '../protocol';
import { appendColumns, emptyColumns, lastEpoch, plainColumns } from './columns';
import type { ColorDomain } from './colorScale';

/** PanelState plus what is only the page's business; the host may ignore the extra fields. */
export interface PageState extends PanelState {
  /** The loss chart's log-scale toggle. */
  readonly lossLog?: boolean;
  /** Runs whose epochs were left out of the saved state (too many to keep): their heatmap waits for the host. */
  readonly trimmed?: readonly string[];
  /** The file changed since the shown runs were trained: say so, and offer to re-run. */
  readonly outOfDate?: boolean;
  /** The colour scale kept fixed across runs, for one metric, so that runs compare by colour. */
  readonly pinned?: PinnedScale;
}

export interface PinnedScale {
  readonly metric: HeatmapMetric;
  readonly domain: ColorDomain;
}

export const INITIAL_STATE: PageState = { view: null, metric: 'gradRms' };

/**
 * What a message changed, so the page can redraw only that: 'same' is a message that changed
 * nothing (a progress without new records, findings or state), which draws nothing either.
 */
export type Change =
  | { readonly kind: 'none'; readonly reason: string }
  | { readonly kind: 'same' }
  | { readonly kind: 'view' }
  | { readonly kind: 'run'; readonly runId: string }
  /** Only the page's own flags (out of date) changed. */
  | { readonly kind: 'status' };

export function reduce(state: PageState, msg: HostToPanel): { state: PageState; change: Change } {
  // A histogram is not the page's state: it goes to the view that asked for it.
  if (msg.type === 'histogram') return { state, change: { kind: 'same' } };
  if (msg.type === 'show') {
    const { trimmed: _, ...rest } = state;
    return { state: { ...rest, view: msg.view, metric: msg.metric, outOfDate: false }, change: { kind: 'view' } };
  }
  if (msg.type === 'outOfDate') return { state: { ...state, outOfDate: msg.outOfDate }, change: { kind: 'status' } };
  const view = state.view;
  if (!view || view.kind === 'lrFind') return { state, change: { kind: 'none', reason: `no run view for progress of ${msg.runId}` } };
  const grow = (run: RunSnapshot): RunSnapshot => {
    // A 'show' snapshot can cross 'progress' messages already in flight; epochs the run already
    // has are skipped so none is drawn twice.
    const last = lastEpoch(run.records) ?? -Infinity;
    // Records of another stride (bucket aggregates of a long run, sent before the 'show' that
    // doubled it) do not fit this run's records; the 'show' already has their epochs.
    const fits = (msg.stride ?? 1) === (run.stride ?? 1) && msg.records.stats.gradRms.length === run.layers.length;
    const epochs = msg.records.epoch;
    let from = 0;
    while (from < epochs.length && (epochs[from] as number) <= last) from++;
    const records = fits && from < epochs.length ? appendColumns(run.records, msg.records, from) : run.records;
    return { ...run, records, findings: msg.findings, state: msg.state };
  };
  let next: PanelView | null = null;
  if (view.kind === 'run' && view.run.id === msg.runId) next = { ...view, run: grow(view.run) };
  if (view.kind === 'compare') {
    const i = view.variants.findIndex((v) => v.run.id === msg.runId);
    if (i >= 0) {
      const variants = view.variants.map((v, j) => (j === i ? { ...v, run: grow(v.run), verdict: msg.verdict ?? v.verdict } : v));
      next = { ...view, variants };
    }
  }
  if (!next) return { state, change: { kind: 'none', reason: `unknown run ${msg.runId}` } };
  if (sameRuns(view, next)) return { state, change: { kind: 'same' } };
  return { state: { ...state, view: next }, change: { kind: 'run', runId: msg.runId } };
}

export function withMetric(state: PageState, metric: HeatmapMetric): PageState {
  return { ...state, metric };
}

/** The runs a view draws, in order. */
export function runsOf(view: PanelView | null): RunSnapshot[] {
  if (!view) return [];
  if (view.kind === 'run') return [view.run];
  if (view.kind === 'compare') return view.variants.map((v) => v.run);
  return [];
}

/** Whether a progress left every run as it was: no new epochs, the same state, findings and verdicts. */
function sameRuns(before: PanelView, after: PanelView): boolean {
  const a = runsOf(before);
  const b = runsOf(after);
  if (before.kind === 'compare' && after.kind === 'compare' && before.variants.some((v, i) => v.verdict !== after.variants[i]?.verdict)) return false;
  return a.every((r, i) => {
    const n = b[i];
    return n !== undefined && n.records === r.records && n.state === r.state && JSON.stringify(n.findings) === JSON.stringify(r.findings);
  });
}

/** Most layer-records of statistics the saved state keeps (five statistics of about 22 characters each: under 1 MB in all). */
export const SAVED_CELLS = 2700;

/**
 * What setState keeps, as JSON-safe data (parseState reads it back): the view, with the records of
 * runs too long to keep left out (they are listed in `trimmed`, and the page says so until the host
 * sends the run again). A 'ready' brings the full run back from the host whenever it still has it.
 */
export function savedState(state: PageState): unknown {
  const view = state.view;
  if (!view || view.kind === 'lrFind') return state;
  const runs = runsOf(view);
  const cells = runs.reduce((n, r) => n + r.layers.length * (recordCount(r.records) + (r.initial ? 1 : 0)), 0);
  const keep = cells <= SAVED_CELLS;
  const trimmed = new Set(state.trimmed ?? []);
  const slim = (run: RunSnapshot): unknown => {
    if (!keep && recordCount(run.records) > 0) trimmed.add(run.id);
    const { initial, records, ...rest } = run;
    if (!keep) return { ...rest, records: plainColumns(emptyColumns(run.layers.length)) };
    return { ...rest, records: plainColumns(records), ...(initial ? { initial: plainColumns(initial) } : {}) };
  };
  const next = view.kind === 'run' ? { ...view, run: slim(view.run) } : { ...view, variants: view.variants.map((v) => ({ ...v, run: slim(v.run) })) };
  return { ...state, view: next, ...(trimmed.size ? { trimmed: [...trimmed] } : {}) };
}
