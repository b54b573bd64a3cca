// What every view (run, compare, lrFind) offers the page controller.

import type { HeatmapMetric, HistogramRequest, HostToPanel, PanelView } from '../protocol';
import type { PinnedScale } from './state';
import type { Theme } from './theme';

export interface RenderContext {
  readonly theme: Theme;
  readonly metric: HeatmapMetric;
  readonly lossLog: boolean;
  /** Runs whose epochs the saved state could not keep (after a reload, until the host sends them). */
  readonly trimmed: ReadonlySet<string>;
  readonly outOfDate: boolean;
  readonly pinned: PinnedScale | null;
}

export interface Actions {
  revealLayer(fileName: string, line: number): void;
  setMetric(metric: HeatmapMetric): void;
  setLossLog(log: boolean): void;
  exportData(format: 'csv' | 'json'): void;
  exportPng(dataUrl: string): void;
  applyVariant(variantId: string): void;
  applyLr(lr: number): void;
  applyFix(findingIndex: number, fixIndex: number): void;
  rerun(): void;
  /** Keeps this colour scale for the metric across runs, or (null) lets each run fit its own. */
  pinScale(pinned: PinnedScale | null): void;
  /** Asks the host for a layer's gradient histogram at a record (a clicked cell); the answer comes to View.histogram. */
  requestHistogram(request: HistogramRequest): void;
}

export type HistogramAnswer = Extract<HostToPanel, { type: 'histogram' }>;

export interface View {
  readonly element: HTMLElement;
  /** Draws `view`, reusing the charts already made (in-place updates). */
  render(view: PanelView, ctx: RenderContext): void;
  /** The host's answer to requestHistogram (views that show histograms draw it if it is still wanted). */
  histogram?(answer: HistogramAnswer): void;
  destroy(): void;
}
