// Per-layer numbers and verdicts for the layer table: pure functions of a run.

import type { FindingKind, Severity } from '../engine/types';
import type { RunSnapshot } from '../protocol';
import { lastValue } from './columns';

export interface LayerVerdict {
  /** Kinds of the findings naming this layer, in the findings' order, without repeats. */
  readonly kinds: readonly FindingKind[];
  /** The worst severity among them, or null when the layer is fine. */
  readonly severity: Severity | null;
  readonly text: string;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function layerVerdicts(run: Pick<RunSnapshot, 'layers' | 'findings'>): LayerVerdict[] {
  return run.layers.map((layer) => {
    const kinds: FindingKind[] = [];
    let severity: Severity | null = null;
    for (const f of run.findings) {
      if (!f.layers.includes(layer.index)) continue;
      if (!kinds.includes(f.kind)) kinds.push(f.kind);
      if (severity === null || RANK[f.severity] > RANK[severity]) severity = f.severity;
    }
    return { kinds, severity, text: kinds.length ? kinds.map((k) => k.replace(/_/g, ' ')).join(', ') : 'ok' };
  });
}

/** The last record's deltaRms of each layer relative to the output layer's (1 for the output layer). */
export function deltaRatios(run: Pick<RunSnapshot, 'records' | 'layers'>): number[] {
  const out = lastValue(run.records, 'deltaRms', run.layers.length - 1);
  return run.layers.map((_, i) => lastValue(run.records, 'deltaRms', i) / out);
}
