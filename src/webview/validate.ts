// Messages from the host and the state VS Code hands back after a reload are data from outside
// this page: they are checked field by field before any drawing code sees them. A message that
// does not fit is reported with the path of the first bad field and dropped.
//
// VS Code serialises both with JSON, so NaN and ±Infinity in the statistics arrive as null; the
// checks turn a null statistic back into NaN (the panel shows it as "non-finite").

import type { EpochRecord, Finding, Fix, LayerStats, ReportLayer } from '../engine/types';
import type { CompareVariantSnapshot, HostToPanel, LrFindSnapshot, PanelView, RunSnapshot } from '../protocol';
import { FINDING_KINDS, HEATMAP_METRICS, RUN_STATES, SEVERITIES, STAT_NAMES, STOP_REASONS, isOneOf, type HeatmapMetric } from '../shared/vocabulary';
import type { LrFindPoint } from '../protocol';
import type { PageState, PinnedScale } from './state';

class Invalid extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path.replace(/^\./, '') || 'message'}: expected ${expected}`);
  }
}

type Check<T> = (v: unknown, path: string) => T;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function obj(v: unknown, path: string): Record<string, unknown> {
  if (!isObject(v)) throw new Invalid(path, 'an object');
  return v;
}
const str: Check<string> = (v, path) => {
  if (typeof v !== 'string') throw new Invalid(path, 'a string');
  return v;
};
/** A number, where a JSON null stands for a non-finite value. */
const num: Check<number> = (v, path) => {
  if (v === null) return NaN;
  if (typeof v !== 'number') throw new Invalid(path, 'a number');
  return v;
};
/** A number that must be finite: indices, lines, counts. */
const finite: Check<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Invalid(path, 'a finite number');
  return v;
};
/** Epochs per record: a positive integer (absent means 1). */
const stride: Check<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Invalid(path, 'a positive integer');
  return v;
};
const bool: Check<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new Invalid(path, 'a boolean');
  return v;
};
function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, path) => (v === null || v === undefined ? null : check(v, path));
}
function arr<T>(check: Check<T>): Check<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) throw new Invalid(path, 'an array');
    return v.map((item, i) => check(item, `${path}[${i}]`));
  };
}
function oneOf<T extends string>(values: readonly T[]): Check<T> {
  return (v, path) => {
    if (!isOneOf(values, v)) throw new Invalid(path, values.join(' | '));
    return v;
  };
}

const metric: Check<HeatmapMetric> = oneOf(HEATMAP_METRICS);

const layerStats: Check<LayerStats> = (v, path) => {
  const o = obj(v, path);
  const out = {} as LayerStats;
  for (const k of STAT_NAMES) out[k] = num(o[k], `${path}.${k}`);
  return out;
};

const epochRecord: Check<EpochRecord> = (v, path) => {
  const o = obj(v, path);
  return {
    epoch: finite(o.epoch, `${path}.epoch`),
    loss: num(o.loss, `${path}.loss`),
    accuracy: o.accuracy === null || o.accuracy === undefined ? null : num(o.accuracy, `${path}.accuracy`),
    layers: arr(layerStats)(o.layers, `${path}.layers`),
    // Optional in practice: an engine that does not record histograms yet still gets a heatmap.
    histograms: o.histograms === undefined ? [] : arr(arr(num))(o.histograms, `${path}.histograms`),
  };
};

const fix: Check<Fix> = (v, path) => {
  const o = obj(v, path);
  const change = obj(o.change, `${path}.change`);
  str(change.kind, `${path}.change.kind`);
  return { title: str(o.title, `${path}.title`), change: change as unknown as Fix['change'] };
};

const finding: Check<Finding> = (v, path) => {
  const o = obj(v, path);
  return {
    kind: oneOf(FINDING_KINDS)(o.kind, `${path}.kind`),
    severity: oneOf(SEVERITIES)(o.severity, `${path}.severity`),
    layers: arr(finite)(o.layers, `${path}.layers`),
    line: finite(o.line, `${path}.line`),
    message: str(o.message, `${path}.message`),
    fixes: o.fixes === undefined ? [] : arr(fix)(o.fixes, `${path}.fixes`),
    evidence: o.evidence === undefined ? {} : obj(o.evidence, `${path}.evidence`),
  };
};

const reportLayer: Check<ReportLayer> = (v, path) => {
  const o = obj(v, path);
  const p = o.predicted === undefined ? {} : obj(o.predicted, `${path}.predicted`);
  return {
    index: finite(o.index, `${path}.index`),
    line: finite(o.line, `${path}.line`),
    units: finite(o.units, `${path}.units`),
    activation: str(o.activation, `${path}.activation`),
    init: str(o.init, `${path}.init`),
    params: o.params === undefined ? NaN : num(o.params, `${path}.params`),
    predicted: { actStd: num(p.actStd ?? null, `${path}.predicted.actStd`), deltaRatio: num(p.deltaRatio ?? null, `${path}.predicted.deltaRatio`) },
  };
};

const runSnapshot: Check<RunSnapshot> = (v, path) => {
  const o = obj(v, path);
  const layers = arr(reportLayer)(o.layers, `${path}.layers`);
  const epochs = arr(epochRecord)(o.epochs, `${path}.epochs`);
  epochs.forEach((e, i) => {
    if (e.layers.length !== layers.length) throw new Invalid(`${path}.epochs[${i}].layers`, `${layers.length} layers`);
  });
  const run: RunSnapshot = {
    id: str(o.id, `${path}.id`),
    label: str(o.label, `${path}.label`),
    fileName: str(o.fileName, `${path}.fileName`),
    name: str(o.name, `${path}.name`),
    layers,
    totalEpochs: finite(o.totalEpochs, `${path}.totalEpochs`),
    epochs,
    ...(o.stride === undefined || o.stride === 1 ? {} : { stride: stride(o.stride, `${path}.stride`) }),
    findings: arr(finding)(o.findings, `${path}.findings`),
    state: oneOf(RUN_STATES)(o.state, `${path}.state`),
    stopped: o.stopped === null || o.stopped === undefined ? null : oneOf(STOP_REASONS)(o.stopped, `${path}.stopped`),
  };
  const initial = o.initial === undefined || o.initial === null ? undefined : epochRecord(o.initial, `${path}.initial`);
  if (initial && initial.layers.length !== layers.length) throw new Invalid(`${path}.initial.layers`, `${layers.length} layers`);
  const rowLabels = o.rowLabels === undefined ? undefined : arr(str)(o.rowLabels, `${path}.rowLabels`);
  if (rowLabels && rowLabels.length !== layers.length) throw new Invalid(`${path}.rowLabels`, `${layers.length} labels`);
  return {
    ...run,
    ...(typeof o.error === 'string' ? { error: o.error } : {}),
    ...(initial ? { initial } : {}),
    ...(rowLabels ? { rowLabels } : {}),
  };
};

const variant: Check<CompareVariantSnapshot> = (v, path) => {
  const o = obj(v, path);
  return { variantId: str(o.variantId, `${path}.variantId`), verdict: str(o.verdict, `${path}.verdict`), run: runSnapshot(o.run, `${path}.run`) };
};

const lrPoint: Check<LrFindPoint> = (v, path) => {
  const o = obj(v, path);
  return { lr: finite(o.lr, `${path}.lr`), loss: num(o.loss, `${path}.loss`), smoothed: num(o.smoothed, `${path}.smoothed`) };
};

const lrFind: Check<LrFindSnapshot> = (v, path) => {
  const o = obj(v, path);
  return {
    fileName: str(o.fileName, `${path}.fileName`),
    points: arr(lrPoint)(o.points, `${path}.points`),
    suggested: nullable(finite)(o.suggested, `${path}.suggested`),
    currentLr: finite(o.currentLr, `${path}.currentLr`),
  };
};

const view: Check<PanelView> = (v, path) => {
  const o = obj(v, path);
  const kind = oneOf(['run', 'compare', 'lrFind'] as const)(o.kind, `${path}.kind`);
  switch (kind) {
    case 'run':
      return { kind, run: runSnapshot(o.run, `${path}.run`) };
    case 'compare':
      return { kind, fileName: str(o.fileName, `${path}.fileName`), variants: arr(variant)(o.variants, `${path}.variants`) };
    case 'lrFind':
      return { kind, lrFind: lrFind(o.lrFind, `${path}.lrFind`) };
  }
};

const hostMessage: Check<HostToPanel> = (v, path) => {
  const o = obj(v, path);
  const type = oneOf(['show', 'progress', 'outOfDate'] as const)(o.type, `${path}.type`);
  if (type === 'show') return { type, view: view(o.view, `${path}.view`), metric: metric(o.metric, `${path}.metric`) };
  if (type === 'outOfDate') return { type, outOfDate: bool(o.outOfDate, `${path}.outOfDate`) };
  const msg: HostToPanel = {
    type,
    runId: str(o.runId, `${path}.runId`),
    records: arr(epochRecord)(o.records, `${path}.records`),
    ...(o.stride === undefined || o.stride === 1 ? {} : { stride: stride(o.stride, `${path}.stride`) }),
    findings: arr(finding)(o.findings, `${path}.findings`),
    state: oneOf(RUN_STATES)(o.state, `${path}.state`),
  };
  return o.verdict === undefined ? msg : { ...msg, verdict: str(o.verdict, `${path}.verdict`) };
};

const pinned: Check<PinnedScale> = (v, path) => {
  const o = obj(v, path);
  const d = obj(o.domain, `${path}.domain`);
  const lo = finite(d.lo, `${path}.domain.lo`);
  const hi = finite(d.hi, `${path}.domain.hi`);
  if (!(hi > lo)) throw new Invalid(`${path}.domain.hi`, 'a number above lo');
  return { metric: metric(o.metric, `${path}.metric`), domain: { kind: oneOf(['log', 'linear'] as const)(d.kind, `${path}.domain.kind`), lo, hi } };
};

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

function run<T>(check: Check<T>, v: unknown): Parsed<T> {
  try {
    return { ok: true, value: check(v, '') };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    throw e;
  }
}

export function parseHostMessage(v: unknown): Parsed<HostToPanel> {
  return run(hostMessage, v);
}

/** The saved state; an older or damaged one is dropped rather than half-drawn. */
export function parseState(v: unknown): Parsed<PageState> {
  return run((s, path) => {
    const o = obj(s, path);
    const base: PageState = { view: o.view === null || o.view === undefined ? null : view(o.view, 'view'), metric: metric(o.metric, 'metric') };
    return {
      ...base,
      ...(o.lossLog === undefined ? {} : { lossLog: bool(o.lossLog, 'lossLog') }),
      ...(o.trimmed === undefined ? {} : { trimmed: arr(str)(o.trimmed, 'trimmed') }),
      ...(o.outOfDate === undefined ? {} : { outOfDate: bool(o.outOfDate, 'outOfDate') }),
      ...(o.pinned === undefined ? {} : { pinned: pinned(o.pinned, 'pinned') }),
    };
  }, v);
}
