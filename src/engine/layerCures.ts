// How a layer's row is told apart when it is residual or normalized (Version 1.1's cures): one
// wording for the CLI's heatmap and table and the panel's row labels.

import type { ReportLayer } from './types';

/** "residual, layer norm", "batch norm", or "" for a layer without cures. */
export function layerCures(layer: Pick<ReportLayer, 'norm' | 'residual'>): string {
  return [layer.residual ? 'residual' : '', layer.norm ? `${layer.norm} norm` : ''].filter(Boolean).join(', ');
}
