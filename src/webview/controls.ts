// Small pieces of UI shared by the views: the metric selector, the run-state badge, buttons.

import { HEATMAP_METRICS, type HeatmapMetric, type RunState } from '../protocol';
import { custom, h } from './dom';
import { STATISTICS } from '../shared/vocabulary';

type SelectElement = HTMLElement & { value: string };

export interface MetricSelect {
  readonly element: HTMLElement;
  /** Shows a metric chosen elsewhere (a 'show' from the host) without firing onChange. */
  set(metric: HeatmapMetric): void;
}

export function metricSelect(current: HeatmapMetric, onChange: (metric: HeatmapMetric) => void): MetricSelect {
  const select = custom('vscode-single-select', { id: 'metric', 'aria-label': 'Heatmap metric' }) as SelectElement;
  for (const m of HEATMAP_METRICS) select.append(custom('vscode-option', { value: m, selected: m === current }, STATISTICS[m].long));
  select.addEventListener('change', () => {
    const value = select.value;
    const metric = HEATMAP_METRICS.find((m) => m === value);
    if (metric) onChange(metric);
  });
  return {
    element: h('div', { class: 'metric-field' }, custom('vscode-label', { for: 'metric' }, 'Metric'), select),
    set: (metric) => {
      if (select.value !== metric) select.value = metric;
    },
  };
}

export function stateBadge(state: RunState): HTMLElement {
  return h('span', { class: `state-badge ${state}` }, state === 'nonfinite' ? 'non-finite' : state);
}

export function button(label: string, onClick: () => void, attrs: Record<string, string | boolean> = {}): HTMLElement {
  const b = custom('vscode-button', attrs, label);
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}
