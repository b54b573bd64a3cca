// One colour scale for a set of runs: a single run, or every compare variant at once so that the
// same colour means the same number in every heatmap of the grid.

import type { HeatmapMetric, RunSnapshot } from '../protocol';
import { computeDomain, HEALTHY_UPDATE_RATIO, scaleKindFor, type ColorDomain } from './colorScale';
import { STATISTICS } from '../shared/vocabulary';
import type { LegendSpec } from './legend';
import type { PinnedScale } from './state';

export interface HeatmapScale {
  readonly domain: ColorDomain;
  readonly legend: LegendSpec;
}

/** The smallest and largest finite positive value of a metric over some records, and whether zeros or non-finite values occur. */
interface Extent {
  min: number;
  max: number;
  zero: boolean;
  nonFinite: boolean;
}

// A scan of the run's columns: 1,000 layers × 300 records is 300,000 floats, about a millisecond,
// so nothing is cached between updates.
function extentOf(run: RunSnapshot, metric: HeatmapMetric): Extent {
  const x: Extent = { min: Infinity, max: -Infinity, zero: false, nonFinite: false };
  const columns = run.initial ? [...run.records.stats[metric], ...run.initial.stats[metric]] : run.records.stats[metric];
  for (const column of columns) {
    for (let i = 0; i < column.length; i++) {
      const v = column[i] as number;
      if (!Number.isFinite(v)) x.nonFinite = true;
      else if (v === 0) x.zero = true;
      else if (v > 0) {
        if (v < x.min) x.min = v;
        if (v > x.max) x.max = v;
      }
    }
  }
  return x;
}

export function heatmapScale(runs: readonly RunSnapshot[], metric: HeatmapMetric): HeatmapScale {
  const kind = scaleKindFor(metric);
  const all = runs.map((r) => extentOf(r, metric));
  const ends = all.flatMap((x) => (x.min <= x.max ? [x.min, x.max] : []));
  // The reference is pulled into the scale so the legend can always show where "healthy" is.
  const include = metric === 'updateRatio' ? [HEALTHY_UPDATE_RATIO] : [];
  const domain = computeDomain(ends, kind, include);
  const legend: LegendSpec = {
    domain,
    title: `${STATISTICS[metric].long}${kind === 'log' ? ', log scale' : ''}`,
    showZero: kind === 'log' && all.some((x) => x.zero),
    showNonFinite: all.some((x) => x.nonFinite),
    ...(metric === 'updateRatio' ? { reference: { value: HEALTHY_UPDATE_RATIO, label: 'healthy SGD ≈' } } : {}),
  };
  return { domain, legend };
}

/** The run's own scale, or the pinned one when it is for this metric (the legend says so). */
export function pinnedScale(own: HeatmapScale, pinned: PinnedScale | null, metric: HeatmapMetric): HeatmapScale {
  if (!pinned || pinned.metric !== metric) return own;
  return {
    domain: pinned.domain,
    legend: { ...own.legend, domain: pinned.domain, title: `${own.legend.title}, pinned (values beyond it take its end colours)` },
  };
}
