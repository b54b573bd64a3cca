// One colour scale for a set of runs: a single run, or every compare variant at once so that the
// same colour means the same number in every heatmap of the grid.

import type { HeatmapMetric, RunSnapshot } from '../protocol';
import { computeDomain, HEALTHY_UPDATE_RATIO, scaleKindFor, type ColorDomain } from './colorScale';
import { METRIC_LABELS } from './format';
import type { LegendSpec } from './legend';

export interface HeatmapScale {
  readonly domain: ColorDomain;
  readonly legend: LegendSpec;
}

export function heatmapScale(runs: readonly RunSnapshot[], metric: HeatmapMetric): HeatmapScale {
  const kind = scaleKindFor(metric);
  const values: number[] = [];
  for (const run of runs) for (const e of run.epochs) for (const l of e.layers) values.push(l[metric]);
  // The reference is pulled into the scale so the legend can always show where "healthy" is.
  const include = metric === 'updateRatio' ? [HEALTHY_UPDATE_RATIO] : [];
  const domain = computeDomain(values, kind, include);
  const legend: LegendSpec = {
    domain,
    title: `${METRIC_LABELS[metric].long}${kind === 'log' ? ', log scale' : ''}`,
    showZero: kind === 'log' && values.some((v) => v === 0),
    showNonFinite: values.some((v) => !Number.isFinite(v)),
    ...(metric === 'updateRatio' ? { reference: { value: HEALTHY_UPDATE_RATIO, label: 'healthy SGD ≈' } } : {}),
  };
  return { domain, legend };
}
