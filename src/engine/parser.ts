// The .nnspec parser. It never throws: every line is read, each mistake becomes a Problem with a
// stable code and a column range, and the spec is filled with defaults wherever a value was bad, so
// one pass shows every problem in the file.

import type {
  Activation,
  BiasInit,
  DataSpec,
  Init,
  LayerSpec,
  LossName,
  NormKind,
  OptimizerName,
  OptimizerSpec,
  Precision,
  Problem,
  ProblemCode,
  Severity,
  SourceRange,
  Spec,
  StatementKeyword,
  Thresholds,
  TrainSpec,
  WeightsRef,
} from './types';
import { lexLine, parseCall, parseNumber, type Token } from './lexer';
import { didYouMean } from './suggest';
import {
  ACTIVATIONS,
  DATA_SOURCES,
  DEFAULT_THRESHOLDS,
  DENSE_OPTIONS,
  DIAGNOSE_OPTIONS,
  INITS,
  LIMITS,
  LOSSES,
  OPTIMIZER_OPTIONS,
  OPTIMIZERS,
  STATEMENTS,
  TRAIN_OPTIONS,
  type OptionDef,
  type ValueType,
} from './vocabulary';
import { dataShape, MNIST_SHIPPED } from './data/sources';
import { dataMismatches, type MatchSites } from './dataMatch';

export interface ParseOptions {
  /** The file's name, for the default network name. */
  readonly fileName?: string;
}

export interface ParseResult {
  readonly spec: Spec;
  readonly problems: Problem[];
  /** Where the data is matched against the network once it is loaded. */
  readonly sites: MatchSites;
  /** The `data` line, where loading problems go; null when there is no valid one (spec.data is null). */
  readonly dataAt: SourceRange | null;
  /** The length of each line, for problems check() puts on a whole line. */
  readonly lineLengths: readonly number[];
}

interface Ctx {
  readonly problems: Problem[];
  readonly line: number;
}

function report(ctx: Ctx, severity: Severity, code: ProblemCode, message: string, start: number, end: number): void {
  ctx.problems.push({ severity, code, message, line: ctx.line, startColumn: start, endColumn: Math.max(end, start + 1) });
}

const tokenError = (ctx: Ctx, code: ProblemCode, message: string, t: Token): void => report(ctx, 'error', code, message, t.start, t.end);

function describe(type: ValueType): string {
  switch (type.kind) {
    case 'number': {
      const lo = type.minExclusive ? `greater than ${type.min}` : `at least ${type.min}`;
      const hi = type.maxExclusive ? `less than ${type.max}` : `at most ${fmt(type.max)}`;
      return `${type.integer ? 'a whole number' : 'a number'} ${lo} and ${hi}`;
    }
    case 'boolean':
      return '`true` or `false`';
    case 'enum':
      return type.values.map((v) => `\`${v}\``).join(', ');
    case 'column':
      return 'a name or a 0-based index';
    case 'path':
      return 'a path in double quotes';
  }
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e5 ? v.toLocaleString('en-US') : String(v);
}

type Parsed = number | boolean | string;

/** Reads a value of a type; reports and returns null when it does not fit. */
function readValue(ctx: Ctx, what: string, text: string, type: ValueType, start: number, end: number): Parsed | null {
  switch (type.kind) {
    case 'number': {
      const v = parseNumber(text);
      if (v === null) {
        report(ctx, 'error', 'bad-value', `${what} must be ${describe(type)}; \`${text}\` is not a number.`, start, end);
        return null;
      }
      const below = type.minExclusive ? v <= type.min : v < type.min;
      const above = type.maxExclusive ? v >= type.max : v > type.max;
      if (type.integer && !Number.isInteger(v)) {
        report(ctx, 'error', 'bad-value', `${what} must be ${describe(type)}; ${text} is not whole.`, start, end);
        return null;
      }
      if (below || above) {
        const code: ProblemCode = ['epochs', 'samples', 'units', 'input', 'the repeat count'].includes(what) ? 'limit' : 'out-of-range';
        report(ctx, 'error', code, `${what} must be ${describe(type)}; ${text} is ${below ? 'too small' : 'too large'}.`, start, end);
        return null;
      }
      return v;
    }
    case 'boolean':
      if (text === 'true') return true;
      if (text === 'false') return false;
      report(ctx, 'error', 'bad-value', `${what} must be \`true\` or \`false\`, not \`${text}\`.${didYouMean(text, ['true', 'false'])}`, start, end);
      return null;
    case 'enum':
      if (type.values.includes(text)) return text;
      report(ctx, 'error', 'bad-value', `${what} must be one of ${describe(type)}; \`${text}\` is not.${didYouMean(text, type.values)}`, start, end);
      return null;
    case 'path':
      if (text !== '') return text;
      report(ctx, 'error', 'bad-value', `${what} needs a path in double quotes.`, start, end);
      return null;
    case 'column': {
      const v = parseNumber(text);
      if (v !== null && Number.isInteger(v) && v >= 0) return v;
      if (text === '') {
        report(ctx, 'error', 'bad-value', `${what} needs a value: ${describe(type)}.`, start, end);
        return null;
      }
      return text;
    }
  }
}

interface OptionHit {
  readonly value: Parsed;
  readonly token: Token;
}

/**
 * Reads key=value options against their definitions. `skip` lets a statement handle some tokens
 * itself (such as `x6` on a dense line). Unknown options get a suggestion.
 */
function readOptions(
  ctx: Ctx,
  tokens: readonly Token[],
  defs: readonly OptionDef[],
  statement: string,
  custom?: Record<string, (t: Token) => Parsed | null>,
): Map<string, OptionHit> {
  const out = new Map<string, OptionHit>();
  const names = defs.map((d) => d.name);
  for (const t of tokens) {
    if (t.kind !== 'option') {
      tokenError(ctx, 'syntax', `Unexpected \`${t.text}\` on a \`${statement}\` line; options are written key=value (${names.join(', ')}).`, t);
      continue;
    }
    const key = t.key ?? '';
    const def = defs.find((d) => d.name === key);
    if (!def) {
      report(
        ctx,
        'error',
        'unknown-option',
        `\`${key}\` is not an option of \`${statement}\`; it takes ${names.join(', ')}.${didYouMean(key, names)}`,
        t.start,
        t.keyEnd ?? t.end,
      );
      continue;
    }
    if (out.has(key)) {
      report(ctx, 'error', 'duplicate-statement', `\`${key}\` is given twice on this line; keep one.`, t.start, t.end);
      continue;
    }
    const vs = t.valueStart ?? t.start;
    const handler = custom?.[key];
    const value = handler ? handler(t) : readValue(ctx, key, t.value ?? '', def.type, vs, t.end);
    if (value !== null) out.set(key, { value, token: t });
  }
  return out;
}

function parseActivation(ctx: Ctx, t: Token): Activation | null {
  const call = parseCall(t.text);
  const names = Object.keys(ACTIVATIONS);
  if (!call || !(call.name in ACTIVATIONS)) {
    const word = call?.name ?? t.text;
    const hint = INITS[word] ? ` \`${word}\` is an init: write init=${word} after the activation.` : didYouMean(word, names);
    tokenError(ctx, 'unknown-activation', `Unknown activation \`${word}\`; expected one of ${names.join(', ')}.${hint}`, t);
    return null;
  }
  const name = call.name as Activation['kind'];
  const doc = ACTIVATIONS[name];
  let param: number | undefined;
  if (call.args !== null) {
    if (!doc.parameter) {
      tokenError(ctx, 'bad-value', `\`${name}\` takes no parameter; write \`${name}\`.`, t);
      return null;
    }
    const p = doc.parameter;
    const v = call.args.length === 1 ? parseNumber(call.args[0]) : null;
    if (v === null || v < p.min || v > p.max) {
      tokenError(ctx, 'bad-value', `\`${name}(…)\` takes one number, its ${p.name}, from ${p.min} to ${p.max} (default ${p.default}).`, t);
      return null;
    }
    param = v;
  }
  switch (name) {
    case 'leaky_relu':
      return { kind: name, slope: param ?? 0.01 };
    case 'elu':
      return { kind: name, alpha: param ?? 1 };
    default:
      return { kind: name } as Activation;
  }
}

function parseInit(ctx: Ctx, text: string, start: number, end: number): Init | null {
  const call = parseCall(text);
  const names = Object.keys(INITS);
  const doc = call ? INITS[call.name] : undefined;
  if (!call || !doc) {
    // An unbalanced parenthesis was already reported by the lexer, on this same text.
    if ((text.match(/\(/g) ?? []).length > (text.match(/\)/g) ?? []).length) return null;
    const word = call?.name ?? text;
    report(ctx, 'error', 'unknown-init', `Unknown init \`${word}\`; expected one of ${names.join(', ')}.${didYouMean(word, names)}`, start, end);
    return null;
  }
  const want = doc.args ?? [];
  const got = call.args ?? [];
  if (want.length !== got.length) {
    const form = want.length ? `${call.name}(${want.map((a) => a.toUpperCase()).join(', ')})` : call.name;
    report(ctx, 'error', 'bad-value', `\`${call.name}\` takes ${want.length || 'no'} argument${want.length === 1 ? '' : 's'}: write ${form}.`, start, end);
    return null;
  }
  const args: number[] = [];
  for (let k = 0; k < got.length; k++) {
    const v = parseNumber(got[k]);
    if (v === null || Math.abs(v) > 1e6) {
      report(ctx, 'error', 'bad-value', `${want[k]} of \`${call.name}\` must be a number between -1e6 and 1e6, not \`${got[k]}\`.`, start, end);
      return null;
    }
    args.push(v);
  }
  switch (doc.canonical) {
    case 'normal':
      if (args[1] < 0) {
        report(ctx, 'error', 'out-of-range', `The standard deviation of normal(MEAN, STD) must be ≥ 0; it is ${args[1]}.`, start, end);
        return null;
      }
      return { kind: 'normal', mean: args[0], std: args[1] };
    case 'uniform':
      if (args[1] < args[0]) {
        report(ctx, 'error', 'out-of-range', `uniform(LOW, HIGH) needs LOW ≤ HIGH; here ${args[0]} > ${args[1]}.`, start, end);
        return null;
      }
      return { kind: 'uniform', low: args[0], high: args[1] };
    case 'constant':
      return { kind: 'constant', value: args[0] };
    default:
      return { kind: doc.canonical } as Init;
  }
}

/** `bias=B`, `bias=normal(MEAN, STD)` or `bias=uniform(LOW, HIGH)`; the calls are read as the inits of the same name. */
function parseBias(ctx: Ctx, text: string, start: number, end: number): BiasInit | null {
  const call = parseCall(text);
  if (call && call.args !== null && (call.name === 'normal' || call.name === 'uniform')) return parseInit(ctx, text, start, end) as BiasInit | null;
  const v = call && call.args === null ? parseNumber(text) : null;
  if (v === null || Math.abs(v) > 1e6) {
    report(
      ctx,
      'error',
      'bad-value',
      `bias must be a number between -1e6 and 1e6, normal(MEAN, STD) or uniform(LOW, HIGH); \`${text}\` is none of these.`,
      start,
      end,
    );
    return null;
  }
  return { kind: 'constant', value: v };
}

const num = (m: Map<string, OptionHit>, key: string, fallback: number): number => {
  const h = m.get(key);
  return h && typeof h.value === 'number' ? h.value : fallback;
};
const flag = (m: Map<string, OptionHit>, key: string, fallback: boolean): boolean => {
  const h = m.get(key);
  return h && typeof h.value === 'boolean' ? h.value : fallback;
};

interface DenseLine {
  readonly line: number;
  readonly units: number;
  readonly unitsToken: Token;
  readonly activation: Activation;
  readonly activationToken: Token;
  readonly init: Init;
  readonly initText: string;
  readonly bias: BiasInit;
  readonly name?: string;
  readonly count: number;
  readonly countToken?: Token;
  readonly norm?: { readonly kind: NormKind; readonly token: Token };
  readonly residual?: Token;
}

/** What the file's statements say, filled in line by line; the whole-file checks read it afterwards. */
interface Draft {
  /** The line each statement but `dense` is on (a file has at most one of each). */
  readonly seen: Map<StatementKeyword, number>;
  readonly dense: DenseLine[];
  name: string | null;
  data: DataSpec | null;
  dataLine: number;
  dataLineEnd: number;
  input: number | null;
  inputToken: Token | null;
  inputLineNo: number;
  loss: LossName | null;
  lossToken: Token | null;
  /**
   * A `dense` or `loss` line with an error: the output layer or the loss is not what the user meant
   * (`dense 1 sigmod` drops that layer), so checks of one against the other would only be knock-ons.
   */
  knockOn: boolean;
  optimizer: OptimizerSpec;
  train: TrainSpec;
  diagnose: Thresholds;
  weights: WeightsRef | null;
}

/** One statement's line: its keyword, the tokens after it, and where its problems start. */
interface Statement {
  readonly ctx: Ctx;
  readonly head: Token;
  readonly rest: readonly Token[];
  readonly lineLength: number;
  /** The number of problems before this line's (a data line with errors is not loaded). */
  readonly lineStart: number;
}

export function parseSpec(text: string, options: ParseOptions = {}): ParseResult {
  const problems: Problem[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  const d = readStatements(lines, problems);
  const fileCtx = (line: number): Ctx => ({ problems, line });
  checkMissingStatements(d, lines, problems, fileCtx);
  const layers = expandLayers(d, fileCtx);
  checkSoftmaxPlacement(d.dense, fileCtx);
  checkCures(d.dense, d.input, d.train.batch, fileCtx);
  const { out, loss } = resolveLoss(d, fileCtx);
  const sites = matchSites(d, out, loss);
  const shape = d.data === null ? null : dataShape(d.data);
  if (shape) problems.push(...dataMismatches(shape, sites));
  return {
    spec: specOf(d, layers, loss, options),
    problems: clampedProblems(problems, lines),
    sites,
    lineLengths: lines.map((l) => l.length),
    dataAt: d.data === null ? null : { line: d.dataLine, startColumn: 0, endColumn: d.dataLineEnd },
  };
}

/** Reads every line: the lexer's problems, the keyword, a second statement of a kind, then the statement's own reader. */
function readStatements(lines: readonly string[], problems: Problem[]): Draft {
  const d: Draft = {
    seen: new Map(),
    dense: [],
    name: null,
    data: null,
    dataLine: 0,
    dataLineEnd: 0,
    input: null,
    inputToken: null,
    inputLineNo: 0,
    loss: null,
    lossToken: null,
    knockOn: false,
    optimizer: defaultOptimizer('sgd'),
    train: { epochs: 100, batch: 32, seed: 1, shuffle: true, precision: 'float32' },
    diagnose: { ...DEFAULT_THRESHOLDS },
    weights: null,
  };
  const keywords = Object.keys(STATEMENTS) as StatementKeyword[];
  for (let li = 0; li < lines.length; li++) {
    const ctx: Ctx = { problems, line: li + 1 };
    const lineStart = problems.length;
    const lexed = lexLine(lines[li]);
    for (const p of lexed.problems) report(ctx, 'error', 'syntax', p.message, p.start, p.end);
    const tokens = lexed.tokens;
    if (tokens.length === 0) continue;
    const head = tokens[0];
    if (head.kind !== 'word' || !(keywords as string[]).includes(head.text)) {
      const word = head.kind === 'option' ? (head.key ?? head.text) : head.text;
      tokenError(ctx, 'unknown-keyword', `Unknown statement \`${word}\`; a line starts with one of ${keywords.join(', ')}.${didYouMean(word, keywords)}`, head);
      continue;
    }
    const keyword = head.text as StatementKeyword;
    if (keyword !== 'dense') {
      const first = d.seen.get(keyword);
      if (first !== undefined) {
        tokenError(ctx, 'duplicate-statement', `\`${keyword}\` is already given on line ${first}; a file has at most one. Remove one of them.`, head);
        continue;
      }
      d.seen.set(keyword, ctx.line);
    }
    READERS[keyword]({ ctx, head, rest: tokens.slice(1), lineLength: lines[li].length, lineStart }, d);
  }
  return d;
}

/** Each statement's reader: it reports the line's problems and fills in its part of the draft. */
const READERS: { readonly [K in StatementKeyword]: (s: Statement, d: Draft) => void } = {
  network: readNetwork,
  data: readData,
  input: readInput,
  dense: readDense,
  loss: readLoss,
  optimizer: readOptimizer,
  train: readTrain,
  weights: readWeights,
  diagnose: readDiagnose,
};

function readNetwork({ ctx, head, rest }: Statement, d: Draft): void {
  const [n0, ...more] = rest;
  if (!n0 || n0.kind === 'option') report(ctx, 'error', 'syntax', '`network` needs a name: network NAME.', head.start, head.end);
  else d.name = n0.text;
  for (const t of more) tokenError(ctx, 'syntax', `Unexpected \`${t.text}\`: \`network\` takes only a name (use quotes for a name with spaces).`, t);
}

function readData({ ctx, head, rest, lineLength, lineStart }: Statement, d: Draft): void {
  d.dataLine = ctx.line;
  d.dataLineEnd = lineLength;
  const src = rest[0];
  const sources = Object.keys(DATA_SOURCES);
  if (!src || src.kind !== 'word') {
    report(ctx, 'error', 'syntax', `\`data\` needs a source: one of ${sources.join(', ')}.`, head.start, head.end);
    return;
  }
  if (!(src.text in DATA_SOURCES)) {
    tokenError(ctx, 'unknown-data-source', `Unknown data source \`${src.text}\`; expected one of ${sources.join(', ')}.${didYouMean(src.text, sources)}`, src);
    return;
  }
  const source = src.text as DataSpec['source'];
  let optTokens = rest.slice(1);
  let path = '';
  if (source === 'csv' || source === 'idx') {
    const p = rest[1];
    if (!p || p.kind !== 'string') {
      const example = source === 'csv' ? 'data csv "data/iris.csv"' : 'data idx "train-images-idx3-ubyte.gz" labels="train-labels-idx1-ubyte.gz"';
      report(ctx, 'error', 'syntax', `A ${source} source needs its path in double quotes: ${example}.`, src.start, p ? p.end : src.end);
      return;
    }
    path = p.text;
    optTokens = rest.slice(2);
  }
  const m = readOptions(ctx, optTokens, DATA_SOURCES[source].options, `data ${source}`);
  d.data = dataSource(ctx, source, path, src, m);
  // A data line with errors (a path without its closing quote among them) must not be loaded:
  // its samples would not be what the user meant.
  if (ctx.problems.slice(lineStart).some((p) => p.severity === 'error')) d.data = null;
}

/** The data source of a `data` line from its options, with the problems only a whole source can have. */
function dataSource(ctx: Ctx, source: DataSpec['source'], path: string, src: Token, m: Map<string, OptionHit>): DataSpec {
  const seed = num(m, 'seed', 1);
  const samples = num(m, 'samples', 200);
  const noise = (dflt: number) => num(m, 'noise', dflt);
  switch (source) {
    case 'xor':
      return { source, samples, noise: noise(0), seed };
    case 'circles':
      return { source, samples, noise: noise(0.05), factor: num(m, 'factor', 0.5), seed };
    case 'moons':
      return { source, samples, noise: noise(0.1), seed };
    case 'spiral':
      return { source, samples, noise: noise(0.1), classes: num(m, 'classes', 2), seed };
    case 'gaussians':
      return { source, samples, classes: num(m, 'classes', 2), spread: num(m, 'spread', 1), seed };
    case 'sine':
      return { source, samples, noise: noise(0), seed };
    case 'normal': {
      const classes = num(m, 'classes', 2);
      if (!m.has('features'))
        report(ctx, 'error', 'bad-value', "`data normal` needs features=N, the number of input features (the model's input width).", src.start, src.end);
      else if (classes === 1)
        report(
          ctx,
          'error',
          'out-of-range',
          'classes must be 0 (a real target) or at least 2; 1 is not a classification.',
          m.get('classes')?.token.start ?? src.start,
          m.get('classes')?.token.end ?? src.end,
        );
      return { source, samples, features: num(m, 'features', 1), classes, seed };
    }
    case 'mnist': {
      const data = { source, samples: num(m, 'samples', 1000), offset: num(m, 'offset', 0) };
      if (data.offset + data.samples > MNIST_SHIPPED) {
        const at = m.get('samples')?.token ?? m.get('offset')?.token ?? src;
        report(
          ctx,
          'error',
          'out-of-range',
          `samples=${data.samples} from offset=${data.offset} asks for digits up to ${data.offset + data.samples}; ${MNIST_SHIPPED.toLocaleString('en-US')} are shipped.`,
          at.start,
          at.end,
        );
      }
      return data;
    }
    case 'idx': {
      const labels = m.get('labels');
      if (!labels) report(ctx, 'error', 'bad-value', '`data idx` needs labels="LABELS", the IDX labels file that goes with the images.', src.start, src.end);
      const given = m.get('samples');
      return {
        source,
        path,
        labels: labels ? String(labels.value) : '',
        samples: given ? (given.value as number) : null,
        offset: num(m, 'offset', 0),
        scale: num(m, 'scale', 255),
      };
    }
    case 'csv': {
      const target = m.get('target');
      return {
        source,
        path,
        target: target ? (target.value as string | number) : null,
        header: flag(m, 'header', true),
        normalize: flag(m, 'normalize', false),
        seed,
      };
    }
  }
}

function readInput({ ctx, head, rest }: Statement, d: Draft): void {
  d.inputLineNo = ctx.line;
  const t = rest[0];
  if (!t || t.kind !== 'word') {
    report(ctx, 'error', 'syntax', '`input` needs the number of features: input N.', head.start, head.end);
    return;
  }
  const v = readValue(ctx, 'input', t.text, { kind: 'number', min: 1, max: LIMITS.unitsPerLayer, integer: true }, t.start, t.end);
  if (typeof v === 'number') {
    d.input = v;
    d.inputToken = t;
  }
  for (const extra of rest.slice(1)) tokenError(ctx, 'syntax', `Unexpected \`${extra.text}\`: \`input\` takes one number.`, extra);
  if (d.dense.length > 0) tokenError(ctx, 'order', '`input` must come before the first `dense` line; move it up.', head);
}

function readDense({ ctx, head, rest }: Statement, d: Draft): void {
  const [u, a, ...opts] = rest;
  if (!u || u.kind !== 'word') {
    report(ctx, 'error', 'syntax', '`dense` needs a number of units and an activation: dense 16 relu.', head.start, head.end);
    return;
  }
  const units = readValue(ctx, 'units', u.text, { kind: 'number', min: 1, max: LIMITS.unitsPerLayer, integer: true }, u.start, u.end);
  let activation: Activation | null = null;
  if (!a || a.kind !== 'word') {
    report(ctx, 'error', 'syntax', `\`dense\` needs an activation after the units: one of ${Object.keys(ACTIVATIONS).join(', ')}.`, u.start, (a ?? u).end);
  } else {
    activation = parseActivation(ctx, a);
  }
  let count = 1;
  let countToken: Token | undefined;
  const optionTokens: Token[] = [];
  for (const t of opts) {
    if (t.kind === 'word' && /^x/.test(t.text) && (t.text.length === 1 || /^x[-+\d.]/.test(t.text))) {
      const v = readValue(ctx, 'the repeat count', t.text.slice(1), { kind: 'number', min: 1, max: LIMITS.layers, integer: true }, t.start, t.end);
      if (typeof v === 'number') {
        count = v;
        countToken = t;
      }
    } else optionTokens.push(t);
  }
  let initText = 'glorot_uniform';
  let init: Init | null = { kind: 'glorot_uniform' };
  let bias: BiasInit | null = { kind: 'constant', value: 0 };
  const m = readOptions(ctx, optionTokens, DENSE_OPTIONS, 'dense', {
    bias: (t) => {
      bias = parseBias(ctx, t.value ?? '', t.valueStart ?? t.start, t.end);
      return bias ? (t.value ?? '') : null;
    },
    init: (t) => {
      initText = t.value ?? '';
      init = parseInit(ctx, initText, t.valueStart ?? t.start, t.end);
      return init ? initText : null;
    },
    name: (t) => t.value ?? '',
  });
  const nameHit = m.get('name');
  const normHit = m.get('norm');
  const residualHit = m.get('residual');
  if (typeof units === 'number' && activation && init && bias) {
    d.dense.push({
      line: ctx.line,
      units,
      unitsToken: u,
      activation,
      activationToken: a,
      init,
      initText,
      bias,
      name: nameHit ? String(nameHit.value) : undefined,
      count,
      countToken,
      norm: normHit ? { kind: normHit.value as NormKind, token: normHit.token } : undefined,
      residual: residualHit?.value === true ? residualHit.token : undefined,
    });
  } else d.knockOn = true;
}

function readLoss({ ctx, head, rest }: Statement, d: Draft): void {
  const t = rest[0];
  const names = Object.keys(LOSSES);
  if (!t || t.kind !== 'word') report(ctx, 'error', 'syntax', `\`loss\` needs one of ${names.join(', ')}.`, head.start, head.end);
  else if (!(t.text in LOSSES)) {
    tokenError(ctx, 'unknown-loss', `Unknown loss \`${t.text}\`; expected one of ${names.join(', ')}.${didYouMean(t.text, names)}`, t);
    d.knockOn = true;
  } else {
    d.loss = t.text as LossName;
    d.lossToken = t;
  }
  for (const extra of rest.slice(1)) tokenError(ctx, 'syntax', `Unexpected \`${extra.text}\`: \`loss\` takes one name.`, extra);
}

function readOptimizer({ ctx, head, rest }: Statement, d: Draft): void {
  const t = rest[0];
  const names = Object.keys(OPTIMIZERS);
  let kind: OptimizerName = 'sgd';
  let opts = rest;
  if (t && t.kind === 'word') {
    opts = rest.slice(1);
    if (t.text in OPTIMIZERS) kind = t.text as OptimizerName;
    else tokenError(ctx, 'unknown-optimizer', `Unknown optimizer \`${t.text}\`; expected one of ${names.join(', ')}.${didYouMean(t.text, names)}`, t);
  } else {
    report(ctx, 'error', 'syntax', `\`optimizer\` needs one of ${names.join(', ')} before its options.`, head.start, head.end);
  }
  const m = readOptions(ctx, opts, OPTIMIZER_OPTIONS, 'optimizer');
  for (const [key, hit] of m) {
    const def = OPTIMIZER_OPTIONS.find((o) => o.name === key);
    if (def && !def.for.includes(kind)) {
      report(ctx, 'warning', 'unknown-option', `\`${key}\` has no effect with ${kind}; it applies to ${def.for.join(', ')}.`, hit.token.start, hit.token.end);
    }
  }
  const dflt = defaultOptimizer(kind);
  d.optimizer = {
    kind,
    lr: num(m, 'lr', dflt.lr),
    momentum: num(m, 'momentum', dflt.momentum),
    nesterov: flag(m, 'nesterov', false),
    beta1: num(m, 'beta1', dflt.beta1),
    beta2: num(m, 'beta2', dflt.beta2),
    eps: num(m, 'eps', dflt.eps),
    rho: num(m, 'rho', dflt.rho),
    clip: num(m, 'clip', 0),
    weightDecay: num(m, 'weight_decay', 0),
  };
  const nesterov = m.get('nesterov');
  if (d.optimizer.nesterov && d.optimizer.momentum === 0 && nesterov) {
    report(ctx, 'warning', 'bad-value', 'nesterov=true has no effect without momentum; add momentum=0.9.', nesterov.token.start, nesterov.token.end);
  }
}

function readTrain({ ctx, rest }: Statement, d: Draft): void {
  const m = readOptions(ctx, rest, TRAIN_OPTIONS, 'train');
  d.train = {
    epochs: num(m, 'epochs', 100),
    batch: num(m, 'batch', 32),
    seed: num(m, 'seed', 1),
    shuffle: flag(m, 'shuffle', true),
    precision: (m.get('precision')?.value as Precision | undefined) ?? 'float32',
  };
}

function readWeights({ ctx, head, rest, lineLength }: Statement, d: Draft): void {
  const [p, ...extra] = rest;
  if (!p || p.kind !== 'string') {
    report(ctx, 'error', 'syntax', '`weights` needs the path of a parameters file in double quotes: weights "net.weights.json".', head.start, (p ?? head).end);
    return;
  }
  d.weights = { path: p.text, at: { line: ctx.line, startColumn: 0, endColumn: lineLength }, params: null };
  for (const t of extra) tokenError(ctx, 'syntax', `Unexpected \`${t.text}\`: \`weights\` takes one path in double quotes.`, t);
}

function readDiagnose({ ctx, rest }: Statement, d: Draft): void {
  const m = readOptions(ctx, rest, DIAGNOSE_OPTIONS, 'diagnose');
  const t = DEFAULT_THRESHOLDS;
  d.diagnose = {
    vanishing: num(m, 'vanishing', t.vanishing),
    exploding: num(m, 'exploding', t.exploding),
    dead: num(m, 'dead', t.dead),
    saturated: num(m, 'saturated', t.saturated),
    lrHigh: num(m, 'lr_high', t.lrHigh),
    lrLow: num(m, 'lr_low', t.lrLow),
    underflow: num(m, 'underflow', t.underflow),
  };
}

/** A file without a `data`, `input` or `dense` line: a problem on the first line, which can fix each. */
function checkMissingStatements(d: Draft, lines: readonly string[], problems: readonly Problem[], fileCtx: (line: number) => Ctx): void {
  const firstLineEnd = Math.max(1, (lines[0] ?? '').length);
  if (!d.seen.has('data'))
    report(fileCtx(1), 'error', 'missing-statement', 'The file has no `data` line; add one, for example: data spiral samples=400.', 0, firstLineEnd);
  if (!d.seen.has('input'))
    report(
      fileCtx(1),
      'error',
      'missing-statement',
      'The file has no `input` line; add `input N` (the number of features) before the first `dense`.',
      0,
      firstLineEnd,
    );
  // A misspelt keyword or a bad dense line may be the layer the user wrote; one problem there is enough.
  if (d.dense.length === 0 && !problems.some((p) => p.code === 'unknown-keyword' || lines[p.line - 1]?.trim().startsWith('dense'))) {
    report(fileCtx(1), 'error', 'missing-statement', 'The file has no `dense` layer; add at least one (the last is the output layer).', 0, firstLineEnd);
  }
}

/**
 * The layers, each `dense … xN` line repeated N times; none when the layer count or parameter
 * limit is passed (counted before anything is expanded or allocated, and reported on the line
 * that passes it).
 */
function expandLayers(d: Draft, fileCtx: (line: number) => Ctx): LayerSpec[] {
  let total = 0;
  let params = 0;
  let fanIn = d.input ?? 0;
  for (const line of d.dense) {
    const ctx = fileCtx(line.line);
    if (total + line.count > LIMITS.layers) {
      const t = line.countToken ?? line.unitsToken;
      tokenError(ctx, 'limit', `This line brings the network to ${total + line.count} layers; the limit is ${LIMITS.layers}.`, t);
      return [];
    }
    const lineParams =
      line.count * (fanIn * line.units + line.units + (line.norm ? 2 * line.units : 0)) + (line.count - 1) * (line.units * line.units - fanIn * line.units);
    if (params + lineParams > LIMITS.params) {
      tokenError(
        ctx,
        'limit',
        `This line brings the network to ${(params + lineParams).toLocaleString('en-US')} parameters; the limit is ${LIMITS.params.toLocaleString('en-US')}.`,
        line.unitsToken,
      );
      return [];
    }
    params += lineParams;
    total += line.count;
    fanIn = line.units;
  }
  const layers: LayerSpec[] = [];
  for (const line of d.dense) {
    for (let r = 0; r < line.count; r++) {
      layers.push({
        index: layers.length,
        line: line.line,
        units: line.units,
        activation: line.activation,
        init: line.init,
        initText: line.initText,
        bias: line.bias,
        name: line.name,
        ...(line.norm ? { norm: line.norm.kind } : {}),
        ...(line.residual ? { residual: true } : {}),
      });
    }
  }
  return layers;
}

/** softmax only on the output layer. */
function checkSoftmaxPlacement(dense: readonly DenseLine[], fileCtx: (line: number) => Ctx): void {
  dense.forEach((line, k) => {
    const last = k === dense.length - 1;
    if (line.activation.kind === 'softmax' && (!last || line.count > 1)) {
      tokenError(
        fileCtx(line.line),
        'softmax-not-last',
        'softmax belongs on the output layer only (with cross_entropy); use relu, tanh or another activation for hidden layers.',
        line.activationToken,
      );
    }
  });
}

/** The loss: the `loss` line's, or defaulted from the output layer; checked against the output layer. */
function resolveLoss(d: Draft, fileCtx: (line: number) => Ctx): { out: DenseLine | undefined; loss: LossName } {
  const out = d.knockOn ? undefined : d.dense[d.dense.length - 1];
  const outAct = out?.activation.kind;
  const loss: LossName = d.loss ?? (outAct === 'softmax' ? 'cross_entropy' : outAct === 'sigmoid' && out?.units === 1 ? 'bce' : 'mse');
  if (!out) return { out, loss };
  const lossLine = d.seen.get('loss');
  const lc = lossLine !== undefined ? fileCtx(lossLine) : fileCtx(out.line);
  const lt = d.lossToken ?? out.activationToken;
  if (outAct === 'softmax' && loss !== 'cross_entropy') {
    tokenError(lc, 'loss-mismatch', `A softmax output goes with \`loss cross_entropy\`, not ${loss}.`, lt);
  } else if (loss === 'cross_entropy' && outAct !== 'softmax') {
    tokenError(
      lc,
      'loss-mismatch',
      `cross_entropy needs a softmax output layer; the output layer (line ${out.line}) is ${outAct}. Write \`dense K softmax\` with K the number of classes, or use \`loss bce\` / \`loss mse\`.`,
      lt,
    );
  }
  // bce on K > 1 units (one sigmoid per class) is checked against the data's classes below.
  if (loss === 'bce' && outAct !== 'sigmoid') {
    report(
      fileCtx(out.line),
      'warning',
      'bce-without-sigmoid',
      `bce expects probabilities from a sigmoid output; this output layer is ${outAct}, whose values can leave (0, 1). Use \`dense 1 sigmoid\`.`,
      out.activationToken.start,
      out.activationToken.end,
    );
  }
  if (loss === 'mse' && out.units !== 1 && outAct !== 'softmax' && d.data !== null) {
    tokenError(
      fileCtx(out.line),
      'output-mismatch',
      `mse compares each output unit with one target number; this output layer has ${out.units} units. Use \`dense 1 …\`, or softmax with cross_entropy for classes.`,
      out.unitsToken,
    );
  }
  return { out, loss };
}

/**
 * Where the data is matched against input, the output and the loss: by parseSpec when the source
 * knows its shape without files, else by check() once they are loaded.
 */
function matchSites(d: Draft, out: DenseLine | undefined, loss: LossName): MatchSites {
  const range = (line: number, t: Token): SourceRange => ({ line, startColumn: t.start, endColumn: t.end });
  return {
    input: d.input !== null && d.inputToken ? { value: d.input, at: range(d.inputLineNo, d.inputToken) } : null,
    output: out
      ? {
          units: out.units,
          activation: out.activation.kind,
          unitsAt: range(out.line, out.unitsToken),
          lossAt: range(d.seen.get('loss') ?? out.line, d.lossToken ?? out.activationToken),
        }
      : null,
    loss,
  };
}

function specOf(d: Draft, layers: LayerSpec[], loss: LossName, options: ParseOptions): Spec {
  const lineOf = (k: Exclude<StatementKeyword, 'dense'>) => d.seen.get(k);
  const lines: Spec['lines'] = Object.fromEntries(
    (['network', 'data', 'input', 'loss', 'optimizer', 'train', 'diagnose', 'weights'] as const)
      .filter((k) => lineOf(k) !== undefined)
      .map((k) => [k, lineOf(k)]),
  );
  return {
    name: d.name ?? defaultName(options.fileName),
    data: d.data,
    input: d.input,
    layers,
    loss,
    optimizer: d.optimizer,
    train: d.train,
    diagnose: d.diagnose,
    weights: d.weights,
    lines,
  };
}

/**
 * The problems by line and column, every range inside its line: a problem about an empty line (or
 * the file as a whole) gets an empty range at its start rather than columns past the text.
 */
function clampedProblems(problems: readonly Problem[], lines: readonly string[]): Problem[] {
  const clamped = problems.map((p) => {
    const len = (lines[p.line - 1] ?? '').length;
    const start = Math.min(p.startColumn, len);
    return { ...p, startColumn: start, endColumn: Math.max(start, Math.min(p.endColumn, len)) };
  });
  clamped.sort((p, q) => p.line - q.line || p.startColumn - q.startColumn);
  return clamped;
}

/**
 * The problems of `norm` and `residual` (Version 1.1): a residual add needs the layer as wide as its
 * input; batch statistics need at least two samples; softmax's outputs must stay a distribution; and
 * the output layer's values are the prediction the loss reads, so no identity is added to them.
 */
function checkCures(dense: readonly DenseLine[], input: number | null, batch: number, fileCtx: (line: number) => Ctx): void {
  let fanIn = input;
  dense.forEach((d, k) => {
    const ctx = fileCtx(d.line);
    const last = k === dense.length - 1;
    if (d.residual) {
      const from = k === 0 ? 'the input' : `line ${dense[k - 1].line}`;
      if (last && d.count === 1) {
        tokenError(
          ctx,
          'residual-width',
          'residual=true cannot be on the output layer: the loss reads its values as the prediction, and x + f(ẑ) is not one. Remove it here and put it on the hidden layers.',
          d.residual,
        );
      } else if (fanIn !== null && fanIn !== d.units) {
        const repeat = d.count > 1 ? ` (the first of this line's ${d.count} layers; the others take ${d.units} and would fit)` : '';
        tokenError(
          ctx,
          'residual-width',
          `residual=true adds the layer's input to its output, so they must be as wide: this layer has ${d.units} units but its input (${from}) has ${fanIn}${repeat}. Remove residual=true, or make the layer ${fanIn} units wide.`,
          d.residual,
        );
      } else if (last) {
        tokenError(
          ctx,
          'residual-width',
          `residual=true cannot be on the output layer (the last of this line's ${d.count}): the loss reads its values as the prediction. Put the output layer on a line of its own.`,
          d.residual,
        );
      }
    }
    if (d.norm) {
      if (d.activation.kind === 'softmax') {
        tokenError(
          ctx,
          'norm',
          `norm=${d.norm.kind} cannot be on a softmax output: the loss needs the class scores themselves. Remove it, and normalize the hidden layers instead.`,
          d.norm.token,
        );
      } else if (d.norm.kind === 'batch' && batch === 1) {
        tokenError(
          ctx,
          'norm',
          'norm=batch needs at least 2 samples per batch: with `train batch=1` each unit is normalized over one sample, so z − μ = 0 and the layer outputs β. Use norm=layer, or a larger batch.',
          d.norm.token,
        );
      } else if (d.norm.kind === 'layer' && d.units === 1) {
        report(
          ctx,
          'warning',
          'norm',
          'norm=layer on 1 unit normalizes it by itself: z − μ = 0, so the layer outputs β and its weights get no gradient. Use norm=batch, or no norm here.',
          d.norm.token.start,
          d.norm.token.end,
        );
      }
    }
    fanIn = d.units;
  });
}

export function defaultOptimizer(kind: OptimizerName): OptimizerSpec {
  return {
    kind,
    lr: kind === 'sgd' ? 0.1 : 0.001,
    momentum: 0,
    nesterov: false,
    beta1: 0.9,
    beta2: 0.999,
    eps: kind === 'adam' ? 1e-8 : 1e-7,
    rho: 0.9,
    clip: 0,
    weightDecay: 0,
  };
}

function defaultName(fileName: string | undefined): string {
  if (!fileName) return 'network';
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.nnspec$/i, '') || 'network';
}
