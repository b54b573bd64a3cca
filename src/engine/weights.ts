// Parameters in and out (Version 1.1): the JSON that `nnspec weights` prints and a `weights "PATH"`
// statement starts from. `{ "version": 1, "layers": [ { "W": [[…]], "b": […], "gamma": […], "beta": […] } ] }`,
// W indexed [input][unit]; gamma and beta only on `norm` layers; batch-norm layers may also carry
// their running statistics as "runningMean" and "runningVar". The file is read by the caller (I/O
// stays outside the engine); this module only turns text into checked parameters and back.

import type { LayerParams, LayerSpec } from './types';
import type { Network } from './network';

export type WeightsResult = { readonly ok: true; readonly params: LayerParams[] } | { readonly ok: false; readonly errors: string[] };

/** At most this many shape errors are listed; the rest are counted. */
const MAX_ERRORS = 8;

/** Parses a weights file and checks every array against the layers' shapes (fan-in × units). */
export function parseWeights(text: string, inputs: number, layers: readonly LayerSpec[]): WeightsResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`it is not JSON (${e instanceof Error ? e.message : String(e)})`] };
  }
  const errors: string[] = [];
  if (!isRecord(doc) || !Array.isArray(doc.layers)) return { ok: false, errors: ['it has no "layers" array; `nnspec weights FILE` prints the format'] };
  if (doc.version !== 1) errors.push(`"version" is ${JSON.stringify(doc.version)}; this format is version 1`);
  if (doc.layers.length !== layers.length) {
    return { ok: false, errors: [...errors, `it has ${doc.layers.length} layer${doc.layers.length === 1 ? '' : 's'} but the spec has ${layers.length}`] };
  }
  const params: LayerParams[] = [];
  let fanIn = inputs;
  doc.layers.forEach((raw: unknown, k: number) => {
    const spec = layers[k];
    const where = `layer ${k} (line ${spec.line})`;
    if (!isRecord(raw)) {
      errors.push(`${where} is not an object with "W" and "b"`);
      return;
    }
    const W = matrix(raw.W, fanIn, spec.units, `${where}: "W"`, errors);
    const b = vector(raw.b, spec.units, `${where}: "b"`, errors);
    const extra: { gamma?: Float64Array; beta?: Float64Array; runningMean?: Float64Array; runningVar?: Float64Array } = {};
    for (const key of ['gamma', 'beta', 'runningMean', 'runningVar'] as const) {
      if (raw[key] === undefined) continue;
      const allowed = key === 'gamma' || key === 'beta' ? spec.norm !== undefined : spec.norm === 'batch';
      if (!allowed) {
        errors.push(`${where} has "${key}" but the layer has no ${key === 'gamma' || key === 'beta' ? 'norm=' : 'norm=batch'}`);
        continue;
      }
      const v = vector(raw[key], spec.units, `${where}: "${key}"`, errors);
      if (v) extra[key] = v;
    }
    if (extra.runningVar?.some((v) => v < 0)) errors.push(`${where}: "runningVar" has a negative variance`);
    if (W && b) params.push({ W, b, ...extra });
    fanIn = spec.units;
  });
  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_ERRORS);
    if (errors.length > MAX_ERRORS) shown.push(`${errors.length - MAX_ERRORS} more like these`);
    return { ok: false, errors: shown };
  }
  return { ok: true, params };
}

/** A network's parameters as they stand (float32 values are exact in float64). */
export function paramsOf(net: Network): LayerParams[] {
  return net.layers.map((l) => {
    const p: LayerParams = { W: Float64Array.from(l.W), b: Float64Array.from(l.b) };
    if (!l.norm) return p;
    const gammaBeta = { ...p, gamma: Float64Array.from(l.norm.gamma), beta: Float64Array.from(l.norm.beta) };
    return l.norm.kind === 'batch'
      ? { ...gammaBeta, runningMean: Float64Array.from(l.norm.runningMean), runningVar: Float64Array.from(l.norm.runningVar) }
      : gammaBeta;
  });
}

/**
 * The weights file's text: one row of W a line, every number in its shortest exact form, so the
 * file loads back to the same bits. A non-finite number (a run that blew up) is written null,
 * which the loader rejects.
 */
export function weightsJson(params: readonly LayerParams[], inputs: number): string {
  const row = (v: ArrayLike<number>): string => `[${Array.from(v, (x) => (Number.isFinite(x) ? String(x) : 'null')).join(', ')}]`;
  let fanIn = inputs;
  const layers = params.map((p) => {
    const units = p.b.length;
    const rows: string[] = [];
    for (let i = 0; i < fanIn; i++) rows.push(row(p.W.subarray(i * units, (i + 1) * units)));
    fanIn = units;
    const fields = [`"W": [\n      ${rows.join(',\n      ')}\n    ]`, `"b": ${row(p.b)}`];
    for (const key of ['gamma', 'beta', 'runningMean', 'runningVar'] as const) {
      const v = p[key];
      if (v) fields.push(`"${key}": ${row(v)}`);
    }
    return `    { ${fields.join(',\n      ')} }`;
  });
  return `{ "version": 1, "layers": [\n${layers.join(',\n')}\n] }\n`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function vector(v: unknown, n: number, what: string, errors: string[]): Float64Array | null {
  if (!Array.isArray(v)) {
    errors.push(`${what} is missing or not an array (want ${n} numbers)`);
    return null;
  }
  if (v.length !== n) {
    errors.push(`${what} has ${v.length} numbers; the layer has ${n} units`);
    return null;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      errors.push(`${what}[${i}] is ${JSON.stringify(x)}, not a finite number`);
      return null;
    }
    out[i] = x;
  }
  return out;
}

function matrix(v: unknown, rows: number, cols: number, what: string, errors: string[]): Float64Array | null {
  if (!Array.isArray(v)) {
    errors.push(`${what} is missing or not an array (want ${rows} rows of ${cols})`);
    return null;
  }
  if (v.length !== rows) {
    errors.push(`${what} has ${v.length} rows; it needs ${rows} (one per input of the layer) of ${cols} (one per unit)`);
    return null;
  }
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = vector(v[i], cols, `${what}[${i}]`, errors);
    if (!r) return null;
    out.set(r, i * cols);
  }
  return out;
}
