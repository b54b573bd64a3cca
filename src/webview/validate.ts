// Messages from the host and the state VS Code hands back after a reload are data from outside
// this page: they are checked field by field before any drawing code sees them. A message that
// does not fit is reported with the path of the first bad field and dropped.
//
// A run's records arrive as typed arrays (webview.postMessage carries them as binary), checked for
// their type and length; the saved state is JSON, where they are arrays of numbers, NaN and
// ±Infinity written as null: the checks turn a null statistic back into NaN (the panel shows it as
// "non-finite").

import type { Finding, Fix, ReportLayer } from '../engine/types';
import type { CompareVariantSnapshot, HeatmapMetric, HostToPanel, LrFindSnapshot, PanelView, RecordColumns, RunSnapshot } from '../protocol';
import { FINDING_KINDS, HEATMAP_METRICS, RUN_STATES, SEVERITIES, STOP_REASONS, isOneOf } from '../shared/vocabulary';
import type { LrFindPoint, LrTrialRow } from '../protocol';
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
/** An index (a record's, a layer's): an integer from 0. */
const index: Check<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Invalid(path, 'an integer from 0');
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

/** A column of `n` values: a Float32Array as the host posts it, or (the saved state) an array of numbers and nulls. */
function valuesColumn(n: number): Check<Float32Array> {
  return (v, path) => {
    if (v instanceof Float32Array) {
      if (v.length !== n) throw new Invalid(path, `${n} values`);
      return v;
    }
    if (!Array.isArray(v) || v.length !== n) throw new Invalid(path, `a Float32Array or an array of ${n} numbers`);
    const out = new Float32Array(n);
    // The path is only spelled out for a bad value: a thousand-layer run has millions of good ones.
    for (let i = 0; i < n; i++) {
      const x: unknown = v[i];
      out[i] = typeof x === 'number' ? x : num(x, `${path}[${i}]`);
    }
    return out;
  };
}

/** The records' epochs: whole numbers from 0, ascending (the reducer appends by them). */
const epochColumn: Check<Int32Array> = (v, path) => {
  const epochs =
    v instanceof Int32Array
      ? v
      : Array.isArray(v)
        ? Int32Array.from(v, (x: unknown, i) => (Number.isFinite(x) ? (x as number) : finite(x, `${path}[${i}]`)))
        : null;
  if (!epochs) throw new Invalid(path, 'an Int32Array or an array of epochs');
  for (let i = 0; i < epochs.length; i++) {
    const e = epochs[i] as number;
    if (e < 0 || (i > 0 && e <= (epochs[i - 1] as number)) || (Array.isArray(v) && v[i] !== e))
      throw new Invalid(`${path}[${i}]`, 'an epoch after the one before');
  }
  return epochs;
};

/** A run's records by column, for `layers` layers. */
function recordColumns(layers: number): Check<RecordColumns> {
  return (v, path) => {
    const o = obj(v, path);
    const epoch = epochColumn(o.epoch, `${path}.epoch`);
    const column = valuesColumn(epoch.length);
    const s = obj(o.stats, `${path}.stats`);
    const stats = {} as Record<HeatmapMetric, Float32Array[]>;
    for (const m of HEATMAP_METRICS) {
      const columns = arr(column)(s[m], `${path}.stats.${m}`);
      if (columns.length !== layers) throw new Invalid(`${path}.stats.${m}`, `${layers} layers`);
      stats[m] = columns;
    }
    return { epoch, loss: column(o.loss, `${path}.loss`), accuracy: column(o.accuracy, `${path}.accuracy`), stats };
  };
}

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
  const records = recordColumns(layers.length)(o.records, `${path}.records`);
  const run: RunSnapshot = {
    id: str(o.id, `${path}.id`),
    label: str(o.label, `${path}.label`),
    fileName: str(o.fileName, `${path}.fileName`),
    name: str(o.name, `${path}.name`),
    layers,
    totalEpochs: finite(o.totalEpochs, `${path}.totalEpochs`),
    records,
    ...(o.stride === undefined || o.stride === 1 ? {} : { stride: stride(o.stride, `${path}.stride`) }),
    findings: arr(finding)(o.findings, `${path}.findings`),
    state: oneOf(RUN_STATES)(o.state, `${path}.state`),
    stopped: o.stopped === null || o.stopped === undefined ? null : oneOf(STOP_REASONS)(o.stopped, `${path}.stopped`),
  };
  const initial = o.initial === undefined || o.initial === null ? undefined : recordColumns(layers.length)(o.initial, `${path}.initial`);
  if (initial && initial.epoch.length !== 1) throw new Invalid(`${path}.initial.epoch`, 'one record');
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

const lrTrial: Check<LrTrialRow> = (v, path) => {
  const o = obj(v, path);
  return {
    lr: finite(o.lr, `${path}.lr`),
    roles: str(o.roles, `${path}.roles`),
    result: str(o.result, `${path}.result`),
    best: bool(o.best, `${path}.best`),
    isFile: bool(o.isFile, `${path}.isFile`),
  };
};

const lrCheck: Check<NonNullable<LrFindSnapshot['check']>> = (v, path) => {
  const o = obj(v, path);
  return { steps: finite(o.steps, `${path}.steps`), trials: arr(lrTrial)(o.trials, `${path}.trials`), summary: str(o.summary, `${path}.summary`) };
};

const lrFind: Check<LrFindSnapshot> = (v, path) => {
  const o = obj(v, path);
  return {
    fileName: str(o.fileName, `${path}.fileName`),
    points: arr(lrPoint)(o.points, `${path}.points`),
    suggested: nullable(finite)(o.suggested, `${path}.suggested`),
    currentLr: finite(o.currentLr, `${path}.currentLr`),
    check: nullable(lrCheck)(o.check, `${path}.check`),
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
  const type = oneOf(['show', 'progress', 'outOfDate', 'histogram'] as const)(o.type, `${path}.type`);
  if (type === 'show') return { type, view: view(o.view, `${path}.view`), metric: metric(o.metric, `${path}.metric`) };
  if (type === 'outOfDate') return { type, outOfDate: bool(o.outOfDate, `${path}.outOfDate`) };
  if (type === 'histogram') {
    return {
      type,
      runId: str(o.runId, `${path}.runId`),
      stride: stride(o.stride, `${path}.stride`),
      record: index(o.record, `${path}.record`),
      layer: index(o.layer, `${path}.layer`),
      epoch: finite(o.epoch, `${path}.epoch`),
      counts: nullable(arr(num))(o.counts, `${path}.counts`),
    };
  }
  // Progress records are checked against the layers of the run they grow, in the reducer's terms:
  // their columns' layer count is compared there (a progress for another run shape is skipped).
  const records = o.records;
  const stats = isObject(records) && isObject(records.stats) ? records.stats : {};
  const layers = Array.isArray(stats.gradRms) ? stats.gradRms.length : 0;
  const msg: HostToPanel = {
    type,
    runId: str(o.runId, `${path}.runId`),
    records: recordColumns(layers)(o.records, `${path}.records`),
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
