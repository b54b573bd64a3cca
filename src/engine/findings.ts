// Findings: what the recorded statistics say about each layer, with the numbers and the fixes.
// The rules and thresholds are documented in docs/nnspec.md ("How Gradient Flow decides").

import type { EpochRecord, Finding, FindingKind, Fix, LayerSpec, LayerStatName, Severity, Spec, StopReason } from './types';
import { geoMean, sci } from '../shared/numbers';
import { LR_MAX } from '../shared/vocabulary';
import { bypassNote, sigmoidBound } from './sigmoidBound';
import { residualLines } from './variants';

const RELU_FIX: Fix = { title: 'Use relu with he_normal init', change: { kind: 'layer', lines: [], activation: 'relu', init: 'he_normal' } };

/**
 * A run's per-epoch numbers, by column: an EpochHistory is one, and `statsOfRecords` makes one of
 * an array of records. The findings read nothing else, so a long run never needs its records.
 */
export interface RunStats {
  readonly length: number;
  /** The 1-based epoch number of the i-th stored epoch. */
  epochAt(i: number): number;
  loss(): ArrayLike<number>;
  /** NaN where there is no accuracy (regression). */
  accuracy(): ArrayLike<number>;
  stat(layer: number, name: LayerStatName): ArrayLike<number>;
}

export function statsOfRecords(records: readonly EpochRecord[]): RunStats {
  const cache = new Map<string, Float64Array>();
  const column = (key: string, get: (r: EpochRecord) => number): Float64Array => {
    let c = cache.get(key);
    if (!c) {
      c = Float64Array.from(records, get);
      cache.set(key, c);
    }
    return c;
  };
  return {
    length: records.length,
    epochAt: (i) => records[i].epoch,
    loss: () => column('loss', (r) => r.loss),
    accuracy: () => column('accuracy', (r) => r.accuracy ?? NaN),
    stat: (layer, name) => column(`${layer}.${name}`, (r) => r.layers[layer][name]),
  };
}

/** The first index of the epochs a verdict looks at: the last quarter of the run (at least one epoch). */
export function windowStart(length: number): number {
  return length - Math.max(1, Math.ceil(length / 4));
}

function mean(values: ArrayLike<number>, from: number, to = values.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += values[i];
  return to > from ? s / (to - from) : 0;
}

function max(values: ArrayLike<number>, from = 0, to = values.length): number {
  let m = -Infinity;
  for (let i = from; i < to; i++) if (values[i] > m) m = values[i];
  return m;
}

function min(values: ArrayLike<number>, from = 0, to = values.length): number {
  let m = Infinity;
  for (let i = from; i < to; i++) if (values[i] < m) m = values[i];
  return m;
}

/** At most `points` values for a sparkline: bucket means (in log space when `log`), never cut. */
export function thin(values: ArrayLike<number>, points = 240, log = false): number[] {
  const n = values.length;
  if (n <= points) return Array.from(values);
  const out: number[] = [];
  for (let c = 0; c < points; c++) {
    const a = Math.floor((c * n) / points);
    const b = Math.max(a + 1, Math.floor(((c + 1) * n) / points));
    out.push(log ? geoMean(values, a, b) : mean(values, a, b));
  }
  return out;
}

/** Groups flagged layers by their source line, so a `dense … x6` line gets one finding. */
function byLine(layers: readonly LayerSpec[], flagged: readonly number[]): number[][] {
  const groups = new Map<number, number[]>();
  for (const k of flagged) {
    const line = layers[k].line;
    const g = groups.get(line);
    if (g) g.push(k);
    else groups.set(line, [k]);
  }
  return [...groups.values()];
}

function layerNames(ks: readonly number[]): string {
  if (ks.length === 1) return `Layer ${ks[0]}`;
  const contiguous = ks.every((k, i) => i === 0 || k === ks[i - 1] + 1);
  return contiguous ? `Layers ${ks[0]}–${ks[ks.length - 1]}` : `Layers ${ks.join(', ')}`;
}

/** A layer fix without lines of its own applies to the finding's line. */
function withLines(fix: Fix, lines: readonly number[]): Fix {
  return fix.change.kind === 'layer' && fix.change.lines.length === 0 ? { title: fix.title, change: { ...fix.change, lines } } : fix;
}

/** Whether applying the change would alter the spec at all: a fix that changes nothing is not offered. */
function changesSpec(spec: Spec, change: Fix['change']): boolean {
  if (change.kind === 'layer') {
    return spec.layers.some(
      (l) =>
        change.lines.includes(l.line) &&
        ((change.activation !== undefined && l.activation.kind !== change.activation) ||
          (change.init !== undefined && l.initText !== change.init) ||
          (change.bias !== undefined && !(l.bias.kind === 'constant' && l.bias.value === Number(change.bias))) ||
          (change.norm !== undefined && l.norm !== change.norm) ||
          (change.residual !== undefined && String(l.residual === true) !== change.residual)),
    );
  }
  const statement: Record<string, unknown> | null | undefined =
    change.statement === 'optimizer'
      ? { ...spec.optimizer }
      : change.statement === 'train'
        ? { ...spec.train }
        : change.statement === 'data'
          ? spec.data && { ...spec.data }
          : undefined;
  const current = statement?.[change.key];
  return current === undefined || String(current) !== change.value;
}

const offerable =
  (spec: Spec) =>
  (f: Finding): Finding => ({ ...f, fixes: f.fixes.filter((x) => changesSpec(spec, x.change)) });

// Activations whose derivative is below 1 almost everywhere: each one between a layer and the output
// shrinks the error that reaches it, so a vanishing layer's fix has to change them too.
const SHRINKING = new Set(['sigmoid', 'tanh', 'softsign']);

const lowerLr = (spec: Spec, factor: number): Fix => {
  const lr = Number((spec.optimizer.lr / factor).toPrecision(2));
  return { title: `Lower the learning rate to ${lr} (÷${factor})`, change: { kind: 'option', statement: 'optimizer', key: 'lr', value: String(lr) } };
};
const clip: Fix = { title: 'Clip the gradient to norm 1 (clip=1)', change: { kind: 'option', statement: 'optimizer', key: 'clip', value: '1' } };

/**
 * Version 1.1's cures for a vanishing layer, after the activation fixes, where they help (as measured
 * in docs/nnspec.md): residual connections on the cause's lines whose widths allow (the identity
 * carries the error past f′); normalization unless a cause layer is sigmoid, whose f′ ≤ 1/4 no
 * rescaling of z lifts. Layer norm lifts the error at initialisation but a deep tanh stack trained
 * with it can still collapse (deep-layernorm.nnspec), so its title says it may not heal on its own.
 */
function cureFixes(spec: Spec, cause: readonly LayerSpec[], lines: readonly number[]): Fix[] {
  const out: Fix[] = [];
  const residual = residualLines(spec, lines);
  const on = (ls: readonly number[]) => (ls.length === 1 ? `line ${ls[0]}` : `lines ${ls.join(', ')}`);
  if (residual.length > 0)
    out.push({ title: `Add residual connections (residual=true on ${on(residual)})`, change: { kind: 'layer', lines: residual, residual: 'true' } });
  if (cause.some((l) => l.activation.kind === 'sigmoid')) return out;
  if (spec.train.batch > 1) out.push({ title: `Add batch normalization (norm=batch on ${on(lines)})`, change: { kind: 'layer', lines, norm: 'batch' } });
  out.push({
    title: `Add layer normalization (norm=layer on ${on(lines)}; lifts the error at initialisation, may not heal on its own)`,
    change: { kind: 'layer', lines, norm: 'layer' },
  });
  return out;
}

export interface DiagnoseInput {
  readonly spec: Spec;
  /** The recorded epochs: the records themselves, or a columnar store such as EpochHistory. */
  readonly records: readonly EpochRecord[] | RunStats;
  readonly stopped: StopReason;
}

const asStats = (records: DiagnoseInput['records']): RunStats =>
  Array.isArray(records) ? statsOfRecords(records as readonly EpochRecord[]) : (records as RunStats);

/** Findings that later epochs cannot undo, for streaming during a run: the non-finite one. */
export function certainFindings({ spec, records, stopped }: DiagnoseInput): Finding[] {
  const run = asStats(records);
  return run.length === 0 || spec.layers.length === 0 ? [] : nonfinite(spec, run, stopped);
}

function nonfinite(spec: Spec, run: RunStats, stopped: StopReason): Finding[] {
  const layers = spec.layers;
  const L = layers.length - 1;
  const E = run.length;
  const counts = layers.map((_, k) => run.stat(k, 'nonFinite'));
  const nonfiniteLayers = layers.map((_, k) => k).filter((k) => max(counts[k]) > 0);
  if (stopped !== 'nonfinite' && nonfiniteLayers.length === 0) return [];
  const losses = run.loss();
  let at = E - 1;
  for (let i = 0; i < E; i++) {
    if (!Number.isFinite(losses[i]) || counts.some((c) => c[i] > 0)) {
      at = i;
      break;
    }
  }
  const k = nonfiniteLayers.length > 0 ? nonfiniteLayers[0] : L;
  let count = 0;
  for (let i = 0; i < E; i++) count += counts[k][i];
  const line = layers[k].line;
  return [
    {
      kind: 'nonfinite',
      severity: 'error',
      layers: [k],
      line,
      message: `Training produced NaN or Infinity at epoch ${run.epochAt(at)}${count > 0 ? `: ${count} non-finite entries in layer ${k}'s weight gradient` : ' (the loss)'}. The gradient overflowed; clip it or lower the learning rate.`,
      fixes: [clip, lowerLr(spec, 10)],
      evidence: { series: [thin(run.stat(k, 'gradRms'), 240, true)], epochs: E },
    },
  ];
}

export function diagnoseRun(input: DiagnoseInput): Finding[] {
  return rawFindings(input).map(offerable(input.spec));
}

/** What every layer rule reads: the run, its last quarter, and how a finding about layers is added. */
interface LayerRun {
  readonly spec: Spec;
  readonly run: RunStats;
  readonly layers: readonly LayerSpec[];
  readonly th: Spec['diagnose'];
  /** Stored epochs. */
  readonly E: number;
  /** The output layer's index. */
  readonly L: number;
  /** The first stored epoch of the last quarter (windowStart). */
  readonly from: number;
  readonly lastEpoch: number;
  /** The last quarter, as a message says it: "epochs 76–100". */
  readonly span: string;
  add(kind: FindingKind, severity: Severity, ks: readonly number[], message: string, fixes: readonly Fix[], evidence: Finding['evidence']): void;
  /** A layer's statistic over the run, thinned to at most 240 points. */
  series(k: number, name?: LayerStatName): number[];
  /** A layer's statistic at the last epoch. */
  at(k: number, name: LayerStatName): number;
}

function rawFindings({ spec, records, stopped }: DiagnoseInput): Finding[] {
  const run = asStats(records);
  const layers = spec.layers;
  const E = run.length;
  if (E === 0 || layers.length === 0) return [];
  // nonfinite: certain the moment it happens. After a NaN the other statistics describe garbage,
  // so the non-finite finding says all there is.
  const bad = nonfinite(spec, run, stopped);
  if (bad.length > 0) return bad;

  const from = windowStart(E);
  const first = run.epochAt(from);
  const lastEpoch = run.epochAt(E - 1);
  const findings: Finding[] = [];
  const c: LayerRun = {
    spec,
    run,
    layers,
    th: spec.diagnose,
    E,
    L: layers.length - 1,
    from,
    lastEpoch,
    span: first === lastEpoch ? `epoch ${first}` : `epochs ${first}–${lastEpoch}`,
    // `epochs`: how many epochs the evidence's series cover (they are thinned to at most 240 points).
    add: (kind, severity, ks, message, fixes, evidence) =>
      findings.push({
        kind,
        severity,
        layers: ks,
        line: layers[ks[0]].line,
        message,
        fixes: fixes.map((f) => withLines(f, [layers[ks[0]].line])),
        evidence: { ...evidence, epochs: E },
      }),
    series: (k, name = 'gradRms') => thin(run.stat(k, name), 240, name === 'gradRms'),
    at: (k, name) => run.stat(k, name)[E - 1],
  };
  const isDead = (k: number) => c.at(k, 'dead') >= c.th.dead && layers[k].activation.kind !== 'softmax';
  vanishingFindings(c, isDead);
  explodingFindings(c);
  deadFindings(c, isDead);
  saturatedFindings(c);
  underflowFindings(c);
  findings.push(...runFindings(spec, run, findings));
  findings.sort((a, b) => a.line - b.line || a.kind.localeCompare(b.kind));
  return findings;
}

/** Each layer's geometric-mean ∂L/∂W and ∂L/∂z RMS over the last quarter, and their ratios to the output layer's. */
function windowRatios({ run, layers, L, from }: LayerRun): { g: number; d: number; gRatio: number; dRatio: number }[] {
  const gOut = geoMean(run.stat(L, 'gradRms'), from);
  const dOut = geoMean(run.stat(L, 'deltaRms'), from);
  return layers.map((_, k) => {
    const g = geoMean(run.stat(k, 'gradRms'), from);
    const d = geoMean(run.stat(k, 'deltaRms'), from);
    return { g, d, gRatio: gOut > 0 ? g / gOut : NaN, dRatio: dOut > 0 ? d / dOut : NaN };
  });
}

/** vanishing: a layer whose error or weight gradient over the last quarter is a tiny fraction of the output layer's. */
function vanishingFindings(c: LayerRun, isDead: (k: number) => boolean): void {
  const { layers, th, L, span, add, series } = c;
  // A dead layer blocks the gradient of every layer below it; the dead finding explains those.
  const blocked = (k: number) => layers.some((_, j) => j >= k && j <= L && isDead(j));
  const ratios = windowRatios(c);
  const vanishing: number[] = [];
  // ∂L/∂W = xᵀ·∂L/∂z grows with a layer's input. When the output layer reads a residual stream, whose
  // scale grows with depth (each layer adds its f(ẑ) to it), the output's ∂L/∂W is large because its
  // input is, not because the error reaching a lower layer is small: ∂L/∂z alone decides there.
  const outputReadsStream = L > 0 && layers[L - 1].residual === true;
  for (let k = 0; k < L; k++) {
    const r = ratios[k];
    if (!blocked(k) && (r.dRatio < th.vanishing || (!outputReadsStream && r.gRatio < th.vanishing))) vanishing.push(k);
  }
  for (const ks of byLine(layers, vanishing)) {
    const worst = ks.reduce((a, b) => (Math.min(ratios[b].dRatio, ratios[b].gRatio) < Math.min(ratios[a].dRatio, ratios[a].gRatio) ? b : a));
    const sb = sigmoidBound(layers, ks[0]);
    const above = sb.count;
    const bound = above > 0 ? { text: `(1/4)^${above}`, value: Math.pow(0.25, above) } : undefined;
    const r = ratios[worst];
    const why = bound
      ? ` ${above} sigmoid layer${above === 1 ? '' : 's'} from here to the output${bypassNote(sb)} bound the backpropagated factor by ${bound.text} = ${sci(bound.value)}.`
      : '';
    const act = layers[ks[0]].activation.kind;
    // The cause is this layer's derivative and every shrinking one above it, up to the output.
    const cause = layers.slice(ks[0], L).filter((l, i) => i === 0 || SHRINKING.has(l.activation.kind));
    const causeLines = [...new Set(cause.map((l) => l.line))];
    const scope = causeLines.length > 1 ? ` on layers ${cause[0].index}–${cause[cause.length - 1].index}` : '';
    // Normalized layers already rescale z, so a vanishing error there comes from training, not from
    // the activation's derivative: a new activation is worth trying but is not promised to heal.
    const normalized = cause.some((l) => l.norm !== undefined);
    const caveat = normalized ? ' (these layers are normalized: may not heal on its own)' : '';
    const onCause = (activation: string, init: string): Fix => ({
      title: `Use ${activation} with ${init} init${scope}${caveat}`,
      change: { kind: 'layer', lines: causeLines, activation, init },
    });
    const fixes: Fix[] = [onCause('relu', 'he_normal'), onCause('leaky_relu', 'he_normal'), ...(act !== 'tanh' ? [onCause('tanh', 'glorot_uniform')] : [])];
    fixes.push(...cureFixes(c.spec, cause, causeLines));
    add(
      'vanishing',
      'warning',
      ks,
      `${layerNames(ks)} vanishing: the backpropagated error ∂L/∂z is ${sci(r.dRatio)} of the output layer's and the weight gradient ∂L/∂W ${sci(r.gRatio)} of it (${span}; threshold ${th.vanishing}).${why} These layers barely learn.`,
      fixes,
      {
        series: ks.map((k) => series(k)),
        gradRatio: r.gRatio,
        deltaRatio: r.dRatio,
        ...(bound ? { bound } : {}),
        // Each named layer's own ratios, since the message quotes the worst one only.
        gradRatios: ks.map((k) => ratios[k].gRatio),
        deltaRatios: ks.map((k) => ratios[k].dRatio),
      },
    );
  }
}

/** exploding: an event, not a steady state: the worst epoch of the run counts, not only the last quarter. */
function explodingFindings(c: LayerRun): void {
  const { spec, run, layers, th, E, L, from, add, series } = c;
  const exploding: number[] = [];
  const outG = run.stat(L, 'gradRms');
  const outD = run.stat(L, 'deltaRms');
  const peak = layers.map((_, k) => {
    const g = run.stat(k, 'gradRms');
    const d = run.stat(k, 'deltaRms');
    let worst = { epoch: 0, dRatio: 0, gRatio: 0, g: 0 };
    for (let i = 0; i < E; i++) {
      const e = { epoch: run.epochAt(i), dRatio: outD[i] > 0 ? d[i] / outD[i] : 0, gRatio: outG[i] > 0 ? g[i] / outG[i] : 0, g: g[i] };
      if (Math.max(e.dRatio, e.gRatio) > Math.max(worst.dRatio, worst.gRatio) || (e.g > worst.g && e.g > th.exploding)) worst = e;
    }
    return worst;
  });
  // The epochs (indices) in which each layer exploded: one early burst the run recovers from is a
  // warning that says so, an explosion still there in the last quarter an error.
  const explodedAt = layers.map((_, k) => {
    const g = run.stat(k, 'gradRms');
    const d = run.stat(k, 'deltaRms');
    const at: number[] = [];
    for (let i = 0; i < E; i++) {
      const ratioHigh = k < L && ((outD[i] > 0 && d[i] / outD[i] > th.exploding) || (outG[i] > 0 && g[i] / outG[i] > th.exploding));
      if (ratioHigh || g[i] > th.exploding) at.push(i);
    }
    return at;
  });
  for (let k = 0; k <= L; k++) if (explodedAt[k].length > 0) exploding.push(k);

  for (const ks of byLine(layers, exploding)) {
    const worst = ks.reduce((a, b) => (Math.max(peak[b].dRatio, peak[b].gRatio) > Math.max(peak[a].dRatio, peak[a].gRatio) ? b : a));
    const r = peak[worst];
    const l = layers[ks[0]];
    const fixes: Fix[] = [clip, lowerLr(spec, 10)];
    if (l.init.kind === 'normal' || l.init.kind === 'uniform' || l.init.kind === 'constant') {
      const init = ['relu', 'leaky_relu', 'elu'].includes(l.activation.kind) ? 'he_normal' : 'glorot_uniform';
      fixes.unshift({ title: `Use ${init} init (scaled to the layer's fan-in)`, change: { kind: 'layer', lines: [], init } });
    }
    const at = [...new Set(ks.flatMap((k) => explodedAt[k]))].sort((a, b) => a - b);
    const lastAt = at[at.length - 1];
    const persistent = lastAt >= from;
    const burst = at[0] === lastAt ? `epoch ${run.epochAt(at[0])}` : `epochs ${run.epochAt(at[0])}–${run.epochAt(lastAt)}`;
    const verdict = persistent
      ? `${layerNames(ks)} exploding (in ${at.length} of ${E} epochs, the last quarter included)`
      : `${layerNames(ks)} exploded in ${burst}, settled by epoch ${run.epochAt(lastAt + 1)}`;
    add(
      'exploding',
      persistent ? 'error' : 'warning',
      ks,
      `${verdict}: at epoch ${r.epoch} the backpropagated error ∂L/∂z was ${sci(r.dRatio)} times the output layer's and the weight gradient ∂L/∂W RMS ${sci(r.g)}, ${sci(r.gRatio)} times the output layer's (threshold ${th.exploding}). The gradient grows at every layer on its way to the input${persistent ? '.' : '; this run recovered, a larger lr or a deeper network may not.'}`,
      fixes,
      {
        series: ks.map((k) => series(k)),
        gradRatio: r.gRatio,
        deltaRatio: r.dRatio,
        epoch: r.epoch,
        explodedEpochs: at.map((i) => run.epochAt(i)),
        persistent,
        gradRatios: ks.map((k) => peak[k].gRatio),
        deltaRatios: ks.map((k) => peak[k].dRatio),
      },
    );
  }
}

/** dead: most units of a layer had a zero derivative on every sample of the last epoch. */
function deadFindings(c: LayerRun, isDead: (k: number) => boolean): void {
  const { spec, layers, th, lastEpoch, add, series, at } = c;
  const dead = layers.map((_, k) => k).filter(isDead);
  for (const ks of byLine(layers, dead)) {
    const frac = Math.max(...ks.map((k) => at(k, 'dead')));
    const l = layers[ks[0]];
    const negativeBias = l.bias.kind === 'constant' && l.bias.value < 0 ? l.bias.value : null;
    const fixes: Fix[] = [{ title: 'Use leaky_relu with he_normal init', change: { kind: 'layer', lines: [], activation: 'leaky_relu', init: 'he_normal' } }];
    if (negativeBias !== null) fixes.unshift({ title: 'Start the biases at 0 (bias=0)', change: { kind: 'layer', lines: [], bias: '0' } });
    fixes.push(lowerLr(spec, 10));
    add(
      'dead',
      frac >= 1 ? 'error' : 'warning',
      ks,
      `${layerNames(ks)} dead: ${Math.round(frac * 100)}% of the units had a zero derivative on every sample of epoch ${lastEpoch} (threshold ${Math.round(th.dead * 100)}%), so no gradient flows through them${negativeBias !== null ? `; bias=${negativeBias} pushes their inputs below zero` : ''}.`,
      fixes,
      { series: ks.map((k) => series(k, 'dead')), dead: frac },
    );
  }
}

/** saturated: the units sit in the flat tails of their activation over the last quarter. */
function saturatedFindings(c: LayerRun): void {
  const { spec, run, layers, th, from, span, add, series } = c;
  const saturated = layers.map((_, k) => k).filter((k) => mean(run.stat(k, 'saturated'), from) >= th.saturated);
  for (const ks of byLine(layers, saturated)) {
    const frac = Math.max(...ks.map((k) => mean(run.stat(k, 'saturated'), from)));
    const l = layers[ks[0]];
    const fixes: Fix[] = [];
    if (l.init.kind === 'normal' || l.init.kind === 'uniform' || l.init.kind === 'constant')
      fixes.push({ title: 'Use glorot_uniform init', change: { kind: 'layer', lines: [], init: 'glorot_uniform' } });
    fixes.push(RELU_FIX);
    if (spec.data?.source === 'csv' && !spec.data.normalize)
      fixes.push({ title: 'Normalize the features (normalize=true)', change: { kind: 'option', statement: 'data', key: 'normalize', value: 'true' } });
    add(
      'saturated',
      'warning',
      ks,
      `${layerNames(ks)} saturated: ${Math.round(frac * 100)}% of (sample, unit) pairs have ${l.activation.kind}′ below 5% of its maximum (${span}; threshold ${Math.round(th.saturated * 100)}%): the units sit in the flat tails and pass almost no gradient.`,
      fixes,
      { series: ks.map((k) => series(k, 'saturated')), saturated: frac },
    );
  }
}

/** underflow: weight-gradient entries exactly 0 where the activation's derivative never is. */
function underflowFindings(c: LayerRun): void {
  const { spec, run, layers, th, from, span, add, series } = c;
  const smooth = new Set(['sigmoid', 'tanh', 'softsign', 'softplus', 'elu', 'selu', 'gelu', 'silu', 'softmax']);
  const underflow = layers
    .map((_, k) => k)
    .filter((k) => {
      const below = k === 0 ? null : layers[k - 1].activation.kind;
      return smooth.has(layers[k].activation.kind) && (below === null || smooth.has(below)) && mean(run.stat(k, 'zeroGrad'), from) >= th.underflow;
    });
  for (const ks of byLine(layers, underflow)) {
    const frac = Math.max(...ks.map((k) => mean(run.stat(k, 'zeroGrad'), from)));
    const l = layers[ks[0]];
    const entries = ks.reduce((s, k) => s + (k === 0 ? (spec.input ?? 0) : layers[k - 1].units) * layers[k].units, 0);
    const precise = spec.train.precision === 'float32';
    const fixes: Fix[] = [];
    if (precise)
      fixes.push({ title: 'Train in float64 (precision=float64)', change: { kind: 'option', statement: 'train', key: 'precision', value: 'float64' } });
    if (l.init.kind === 'normal' || l.init.kind === 'uniform')
      fixes.push({ title: 'Use glorot_uniform init', change: { kind: 'layer', lines: [], init: 'glorot_uniform' } });
    fixes.push(RELU_FIX);
    add(
      'underflow',
      'warning',
      ks,
      `${layerNames(ks)} underflow: ${Math.round(frac * entries)} of ${entries} weight-gradient entries (${(frac * 100).toFixed(1)}%) are exactly 0, though ${l.activation.kind}′ is never 0 in exact arithmetic: in ${spec.train.precision} ${l.activation.kind === 'sigmoid' ? 'sigmoid(z) rounds to exactly 1 for z above about ' + (precise ? '16.6' : '36.7') + ', so its derivative rounds to 0' : 'the derivative in the flat tails rounds to 0'} (${span}; threshold ${(th.underflow * 100).toFixed(0)}%).`,
      fixes,
      { series: ks.map((k) => series(k, 'zeroGrad')), zeroGrad: frac },
    );
  }
}

/** Largest update ratio over the layers, per epoch. */
function maxUpdateRatio(spec: Spec, run: RunStats): Float64Array {
  const out = new Float64Array(run.length);
  spec.layers.forEach((_, k) => {
    const u = run.stat(k, 'updateRatio');
    for (let i = 0; i < run.length; i++) if (u[i] > out[i] || !Number.isFinite(u[i])) out[i] = u[i];
  });
  return out;
}

const nice = (v: number): number => Number(v.toPrecision(2));
const pow10 = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Math.pow(10, Math.round(Math.log10(v)))));

/** What every rule about the run as a whole reads: the losses, their last quarter, and where a finding goes. */
interface LossRun {
  readonly spec: Spec;
  readonly run: RunStats;
  readonly th: Spec['diagnose'];
  readonly E: number;
  readonly losses: ArrayLike<number>;
  readonly from: number;
  readonly winLength: number;
  /** The mean loss over the last quarter. */
  readonly winMean: number;
  /** The loss of the first epoch. */
  readonly first: number;
  readonly optLine: number;
  readonly trainLine: number;
  readonly lr: number;
  readonly outUnits: number;
  readonly lossEvidence: { readonly losses: number[]; readonly updateRatios: number[]; readonly epochs: number };
  setLr(value: number, title: string): Fix;
}

/** Findings about the run as a whole: the step size, a plateau and the epoch budget; at most one, in that order. */
function runFindings(spec: Spec, run: RunStats, layerFindings: readonly Finding[]): Finding[] {
  const E = run.length;
  const losses = run.loss();
  const from = windowStart(E);
  const optLine = spec.lines.optimizer ?? spec.lines.train ?? spec.layers[spec.layers.length - 1].line;
  const updateRatios = maxUpdateRatio(spec, run);
  const c: LossRun = {
    spec,
    run,
    th: spec.diagnose,
    E,
    losses,
    from,
    winLength: E - from,
    winMean: mean(losses, from),
    first: losses[0],
    optLine,
    trainLine: spec.lines.train ?? optLine,
    lr: spec.optimizer.lr,
    outUnits: spec.layers[spec.layers.length - 1].units,
    lossEvidence: { losses: thin(losses), updateRatios: thin(updateRatios, 240, true), epochs: E },
    setLr: (value, title) => ({ title, change: { kind: 'option', statement: 'optimizer', key: 'lr', value: String(value) } }),
  };
  const found = lrTooHigh(c, updateRatios, layerFindings) ?? lrTooLow(c) ?? plateau(c) ?? (layerFindings.length === 0 ? budget(c) : null);
  return found ? [found] : [];
}

function lrTooHigh(c: LossRun, updateRatios: Float64Array, layerFindings: readonly Finding[]): Finding | null {
  const { spec, th, E, losses, from, winMean, first, optLine, lr, outUnits, lossEvidence, setLr } = c;
  // The loss of a constant guess at the class frequencies; a run that ends there learnt nothing.
  // (K one-hot sigmoids guessing 1/K each: the binary entropy of 1/K.)
  const chanceLoss =
    spec.loss === 'bce'
      ? outUnits > 1
        ? -(Math.log(outUnits) / outUnits + (1 - 1 / outUnits) * Math.log(1 - 1 / outUnits))
        : Math.LN2
      : spec.loss === 'cross_entropy'
        ? Math.log(outUnits)
        : Infinity;
  // lr_too_high: the largest step moved weights by far more than the healthy ~1e-3 of their norm,
  // and the loss never settled (no real progress, a rise above its best, or repeated jumps).
  let peakRatio = 0;
  for (let i = 0; i < E; i++) if (Number.isFinite(updateRatios[i]) && updateRatios[i] > peakRatio) peakRatio = updateRatios[i];
  const bestBefore = min(losses, 0, Math.max(1, from));
  let jumps = 0;
  for (let i = 1; i < E; i++) if (losses[i] > losses[i - 1] * 1.1) jumps++;
  const noProgress = winMean >= 0.95 * Math.min(first, chanceLoss);
  const rose = from > 0 && winMean > 1.1 * bestBefore;
  // Vanishing layers also stop progress; then only a rising or jumping loss blames the step size.
  const vanishing = layerFindings.some((f) => f.kind === 'vanishing');
  const unsettled = (noProgress && !vanishing) || rose || jumps >= 3;
  // An exploding layer makes big steps at any learning rate; its finding already offers a lower lr.
  const exploding = layerFindings.some((f) => f.kind === 'exploding');
  if (peakRatio > th.lrHigh && unsettled && !exploding) {
    const factor = pow10(peakRatio / 1e-2, 10, 1000);
    const how = noProgress
      ? `the loss made no real progress (${sci(first)} at epoch 1, ${sci(winMean)} over the last quarter)`
      : rose
        ? `the loss rose from its best of ${sci(bestBefore)} to ${sci(winMean)}`
        : `the loss jumped up by more than 10% ${jumps} times`;
    return {
      kind: 'lr_too_high',
      severity: 'warning',
      layers: [],
      line: optLine,
      message: `The learning rate ${lr} is too high: steps moved the weights by up to ${sci(peakRatio)} of their norm (‖ΔW‖/‖W‖; about 1e-3 is healthy for SGD, threshold ${th.lrHigh}) and ${how}. Try lr=${nice(lr / factor)} (÷${factor}).`,
      fixes: [
        setLr(nice(lr / factor), `Lower the learning rate to ${nice(lr / factor)} (÷${factor})`),
        { title: 'Clip the gradient to norm 1 (clip=1)', change: { kind: 'option', statement: 'optimizer', key: 'clip', value: '1' } },
      ],
      evidence: { ...lossEvidence, peakRatio },
    };
  }

  return null;
}

function lrTooLow(c: LossRun): Finding | null {
  const { spec, run, th, E, from, winMean, first, optLine, lr, lossEvidence, setLr } = c;
  // lr_too_low: every layer's steps are tiny and the loss falls, if at all, slowly.
  const winRatio = Math.max(...spec.layers.map((_, k) => geoMean(run.stat(k, 'updateRatio'), from)));
  const slowFall = winMean <= first * 1.01 && winMean > first * 0.8;
  // Raised no further than the format allows: a power of ten up to LR_MAX / lr (none when under 10).
  const roomToRaise = Math.pow(10, Math.floor(Math.log10(LR_MAX / lr) + 1e-9));
  if (winRatio > 0 && winRatio < th.lrLow && slowFall && roomToRaise >= 10) {
    const factor = Math.min(pow10(1e-3 / winRatio, 10, 10000), roomToRaise);
    return {
      kind: 'lr_too_low',
      severity: 'warning',
      layers: [],
      line: optLine,
      message: `The learning rate ${lr} is too low: the largest update ratio ‖ΔW‖/‖W‖ over the last quarter is ${sci(winRatio)} (about 1e-3 is healthy for SGD, threshold ${th.lrLow}), and the loss only went from ${sci(first)} to ${sci(winMean)} in ${E} epochs. Try lr=${nice(lr * factor)} (×${factor}).`,
      fixes: [setLr(nice(lr * factor), `Raise the learning rate to ${nice(lr * factor)} (×${factor})`)],
      evidence: { ...lossEvidence, updateRatio: winRatio },
    };
  }

  return null;
}

function plateau(c: LossRun): Finding | null {
  const { spec, run, E, losses, from, winMean, first, trainLine, lr, outUnits, lossEvidence, setLr } = c;
  // plateau: a flat loss with accuracy at chance, when the step size does not already explain it.
  const accuracy = run.accuracy()[E - 1];
  const classes = outUnits === 1 ? 2 : outUnits;
  const chance = 1 / classes;
  const winMin = min(losses, from);
  const winMax = max(losses, from);
  // Flat over the window, and still above 80% of where it started: it never got anywhere.
  const flat = E >= 8 && winMax - winMin <= 0.02 * winMean && winMean > 0.8 * first;
  if (flat && !Number.isNaN(accuracy) && accuracy <= chance + 0.05) {
    const L = spec.layers.length - 1;
    const gOut = geoMean(run.stat(L, 'gradRms'), from);
    const small = spec.layers
      .map((_, k) => k)
      .filter((k) => {
        const g = geoMean(run.stat(k, 'gradRms'), from);
        return k < L && (g === 0 || g < 0.1 * gOut);
      });
    const named = small.length
      ? ` ${layerNames(small)} ${small.length === 1 ? 'has a gradient' : 'have gradients'} of zero or under a tenth of the output layer's.`
      : " No layer's gradient is much smaller than the output layer's; the step size or the data may be at fault.";
    const fixes: Fix[] = small.length
      ? [
          {
            title: 'Use relu with he_normal init on those layers',
            change: { kind: 'layer', lines: [...new Set(small.map((k) => spec.layers[k].line))], activation: 'relu', init: 'he_normal' },
          },
        ]
      : [];
    // With small-gradient layers the step size is not the cause; without them it may be.
    if (small.length === 0) fixes.push(setLr(nice(lr * 10), `Raise the learning rate to ${nice(lr * 10)} (×10)`));
    return {
      kind: 'plateau',
      severity: 'warning',
      layers: small,
      line: trainLine,
      message: `Plateau: the loss stayed within ${sci(((winMax - winMin) / winMean) * 100)}% of ${sci(winMean)} over the last quarter while accuracy is ${(accuracy * 100).toFixed(1)}%, chance level for ${classes} classes.${named}`,
      fixes,
      evidence: { ...lossEvidence, smallLayers: small },
    };
  }

  return null;
}

function budget(c: LossRun): Finding | null {
  const { E, losses, winLength, winMean, trainLine, lossEvidence } = c;
  // budget: still improving at the end, or converged long before it.
  if (E >= 2) {
    const n = Math.min(E, Math.max(3, winLength));
    const tail = Array.from(losses).slice(E - n);
    const rate = logSlope(tail);
    const relPerEpoch = Math.expm1(rate);
    if (rate < 0 && -relPerEpoch > 1e-3 && tail[tail.length - 1] < tail[0] * 0.99) {
      const more = Math.min(100000 - E, Math.ceil(Math.log(0.75) / rate));
      const target = nice(losses[E - 1] * 0.75);
      const epochs = Math.min(100000, E + more);
      return {
        kind: 'budget',
        severity: 'info',
        layers: [],
        line: trainLine,
        message: `Still improving at the last epoch: the loss fell ${(-relPerEpoch * 100).toFixed(1)}% per epoch over epochs ${E - n + 1}–${E}. At that rate, about ${more} more epochs would reach ${target} (25% lower).`,
        fixes: [{ title: `Train for ${epochs} epochs`, change: { kind: 'option', statement: 'train', key: 'epochs', value: String(epochs) } }],
        evidence: { ...lossEvidence, moreEpochs: more, target },
      };
    } else if (E >= 20) {
      // The first epoch from which the loss never again rose above 2% over its final level.
      let settled = 1;
      for (let i = E - 1; i >= 0; i--) {
        if (losses[i] > winMean * 1.02) {
          settled = i + 2;
          break;
        }
      }
      if (settled <= E / 2) {
        const epochs = Math.max(1, Math.ceil((settled * 1.2) / 10) * 10);
        return {
          kind: 'budget',
          severity: 'info',
          layers: [],
          line: trainLine,
          message: `Converged by epoch ${settled} of ${E}: the loss was within 2% of its final level (${sci(winMean)}) from then on; epochs=${epochs} would do.`,
          fixes: [{ title: `Train for ${epochs} epochs`, change: { kind: 'option', statement: 'train', key: 'epochs', value: String(epochs) } }],
          evidence: { ...lossEvidence, convergedAt: settled },
        };
      }
    }
  }
  return null;
}

/** Least-squares slope of log(loss) per epoch. */
function logSlope(values: readonly number[]): number {
  const n = values.length;
  let sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    const y = Math.log(Math.max(values[i], 1e-300));
    sx += i;
    sy += y;
    sxx += i * i;
    sxy += i * y;
  }
  const d = n * sxx - sx * sx;
  return d === 0 ? 0 : (n * sxy - sx * sy) / d;
}
