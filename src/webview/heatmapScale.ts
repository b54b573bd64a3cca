// One colour scale for a set of runs: a single run, or every compare variant at once so that the
// same colour means the same number in every heatmap of the grid.

import type { EpochRecord } from '../engine/types';
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
  count: number;
  min: number;
  max: number;
  zero: boolean;
  nonFinite: boolean;
}

// A run's records only grow between messages (the same objects, in the same order), so the extent
// of its first `count` records is kept and extended with the new ones only. Keyed by the run's
// first record, then the metric.
const extents = new WeakMap<EpochRecord, Map<HeatmapMetric, Extent>>();

function extentOf(run: RunSnapshot, metric: HeatmapMetric): Extent {
  const records: EpochRecord[] = run.initial ? [run.initial, ...run.epochs] : [...run.epochs];
  const first = records[0];
  if (!first) return { count: 0, min: Infinity, max: -Infinity, zero: false, nonFinite: false };
  let byMetric = extents.get(first);
  if (!byMetric) extents.set(first, (byMetric = new Map()));
  let x = byMetric.get(metric);
  if (!x || x.count > records.length) byMetric.set(metric, (x = { count: 0, min: Infinity, max: -Infinity, zero: false, nonFinite: false }));
  for (let i = x.count; i < records.length; i++) {
    for (const l of (records[i] as EpochRecord).layers) {
      const v = l[metric];
      if (!Number.isFinite(v)) x.nonFinite = true;
      else if (v === 0) x.zero = true;
      else if (v > 0) {
        if (v < x.min) x.min = v;
        if (v > x.max) x.max = v;
      }
    }
  }
  x.count = records.length;
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
