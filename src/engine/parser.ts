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

export function parseSpec(text: string, options: ParseOptions = {}): ParseResult {
  const problems: Problem[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  const seen = new Map<StatementKeyword, number>();
  const dense: DenseLine[] = [];
  let name: string | null = null;
  let data: DataSpec | null = null;
  let dataLine = 0;
  let dataLineEnd = 0;
  let input: number | null = null;
  let inputToken: Token | null = null;
  let loss: LossName | null = null;
  let lossToken: Token | null = null;
  // A `dense` or `loss` line with an error: the output layer or the loss is not what the user meant
  // (`dense 1 sigmod` drops that layer), so checks of one against the other would only be knock-ons.
  let knockOn = false;
  let optimizer: OptimizerSpec = defaultOptimizer('sgd');
  let train: TrainSpec = { epochs: 100, batch: 32, seed: 1, shuffle: true, precision: 'float32' };
  let diagnose: Thresholds = { ...DEFAULT_THRESHOLDS };
  let inputLineNo = 0;
  let weights: WeightsRef | null = null;

  for (let li = 0; li < lines.length; li++) {
    const ctx: Ctx = { problems, line: li + 1 };
    const lineStart = problems.length;
    const lexed = lexLine(lines[li]);
    for (const p of lexed.problems) report(ctx, 'error', 'syntax', p.message, p.start, p.end);
    const tokens = lexed.tokens;
    if (tokens.length === 0) continue;
    const head = tokens[0];
    const keywords = Object.keys(STATEMENTS) as StatementKeyword[];
    if (head.kind !== 'word' || !(keywords as string[]).includes(head.text)) {
      const word = head.kind === 'option' ? (head.key ?? head.text) : head.text;
      tokenError(ctx, 'unknown-keyword', `Unknown statement \`${word}\`; a line starts with one of ${keywords.join(', ')}.${didYouMean(word, keywords)}`, head);
      continue;
    }
    const keyword = head.text as StatementKeyword;
    if (keyword !== 'dense') {
      const first = seen.get(keyword);
      if (first !== undefined) {
        tokenError(ctx, 'duplicate-statement', `\`${keyword}\` is already given on line ${first}; a file has at most one. Remove one of them.`, head);
        continue;
      }
      seen.set(keyword, ctx.line);
    }
    const rest = tokens.slice(1);
    switch (keyword) {
      case 'network': {
        const [n0, ...more] = rest;
        if (!n0 || n0.kind === 'option') report(ctx, 'error', 'syntax', '`network` needs a name: network NAME.', head.start, head.end);
        else name = n0.text;
        for (const t of more) tokenError(ctx, 'syntax', `Unexpected \`${t.text}\`: \`network\` takes only a name (use quotes for a name with spaces).`, t);
        break;
      }
      case 'data': {
        dataLine = ctx.line;
        dataLineEnd = lines[li].length;
        const src = rest[0];
        const sources = Object.keys(DATA_SOURCES);
        if (!src || src.kind !== 'word') {
          report(ctx, 'error', 'syntax', `\`data\` needs a source: one of ${sources.join(', ')}.`, head.start, head.end);
          break;
        }
        if (!(src.text in DATA_SOURCES)) {
          tokenError(
            ctx,
            'unknown-data-source',
            `Unknown data source \`${src.text}\`; expected one of ${sources.join(', ')}.${didYouMean(src.text, sources)}`,
            src,
          );
          break;
        }
        const source = src.text as DataSpec['source'];
        let optTokens = rest.slice(1);
        let path = '';
        if (source === 'csv' || source === 'idx') {
          const p = rest[1];
          if (!p || p.kind !== 'string') {
            const example = source === 'csv' ? 'data csv "data/iris.csv"' : 'data idx "train-images-idx3-ubyte.gz" labels="train-labels-idx1-ubyte.gz"';
            report(ctx, 'error', 'syntax', `A ${source} source needs its path in double quotes: ${example}.`, src.start, p ? p.end : src.end);
            break;
          }
          path = p.text;
          optTokens = rest.slice(2);
        }
        const defs = DATA_SOURCES[source].options;
        const m = readOptions(ctx, optTokens, defs, `data ${source}`);
        const seed = num(m, 'seed', 1);
        const samples = num(m, 'samples', 200);
        const noise = (d: number) => num(m, 'noise', d);
        switch (source) {
          case 'xor':
            data = { source, samples, noise: noise(0), seed };
            break;
          case 'circles':
            data = { source, samples, noise: noise(0.05), factor: num(m, 'factor', 0.5), seed };
            break;
          case 'moons':
            data = { source, samples, noise: noise(0.1), seed };
            break;
          case 'spiral':
            data = { source, samples, noise: noise(0.1), classes: num(m, 'classes', 2), seed };
            break;
          case 'gaussians':
            data = { source, samples, classes: num(m, 'classes', 2), spread: num(m, 'spread', 1), seed };
            break;
          case 'sine':
            data = { source, samples, noise: noise(0), seed };
            break;
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
            data = { source, samples, features: num(m, 'features', 1), classes, seed };
            break;
          }
          case 'mnist':
            data = { source, samples: num(m, 'samples', 1000), offset: num(m, 'offset', 0) };
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
            break;
          case 'idx': {
            const labels = m.get('labels');
            if (!labels)
              report(ctx, 'error', 'bad-value', '`data idx` needs labels="LABELS", the IDX labels file that goes with the images.', src.start, src.end);
            const given = m.get('samples');
            data = {
              source,
              path,
              labels: labels ? String(labels.value) : '',
              samples: given ? (given.value as number) : null,
              offset: num(m, 'offset', 0),
              scale: num(m, 'scale', 255),
            };
            break;
          }
          case 'csv': {
            const target = m.get('target');
            data = {
              source,
              path,
              target: target ? (target.value as string | number) : null,
              header: flag(m, 'header', true),
              normalize: flag(m, 'normalize', false),
              seed,
            };
            break;
          }
        }
        // A data line with errors (a path without its closing quote among them) must not be loaded:
        // its samples would not be what the user meant.
        if (problems.slice(lineStart).some((p) => p.severity === 'error')) data = null;
        break;
      }
      case 'input': {
        inputLineNo = ctx.line;
        const t = rest[0];
        if (!t || t.kind !== 'word') {
          report(ctx, 'error', 'syntax', '`input` needs the number of features: input N.', head.start, head.end);
          break;
        }
        const v = readValue(ctx, 'input', t.text, { kind: 'number', min: 1, max: LIMITS.unitsPerLayer, integer: true }, t.start, t.end);
        if (typeof v === 'number') {
          input = v;
          inputToken = t;
        }
        for (const extra of rest.slice(1)) tokenError(ctx, 'syntax', `Unexpected \`${extra.text}\`: \`input\` takes one number.`, extra);
        if (dense.length > 0) tokenError(ctx, 'order', '`input` must come before the first `dense` line; move it up.', head);
        break;
      }
      case 'dense': {
        const [u, a, ...opts] = rest;
        if (!u || u.kind !== 'word') {
          report(ctx, 'error', 'syntax', '`dense` needs a number of units and an activation: dense 16 relu.', head.start, head.end);
          break;
        }
        const units = readValue(ctx, 'units', u.text, { kind: 'number', min: 1, max: LIMITS.unitsPerLayer, integer: true }, u.start, u.end);
        let activation: Activation | null = null;
        if (!a || a.kind !== 'word') {
          report(
            ctx,
            'error',
            'syntax',
            `\`dense\` needs an activation after the units: one of ${Object.keys(ACTIVATIONS).join(', ')}.`,
            u.start,
            (a ?? u).end,
          );
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
          dense.push({
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
        } else knockOn = true;
        break;
      }
      case 'loss': {
        const t = rest[0];
        const names = Object.keys(LOSSES);
        if (!t || t.kind !== 'word') report(ctx, 'error', 'syntax', `\`loss\` needs one of ${names.join(', ')}.`, head.start, head.end);
        else if (!(t.text in LOSSES)) {
          tokenError(ctx, 'unknown-loss', `Unknown loss \`${t.text}\`; expected one of ${names.join(', ')}.${didYouMean(t.text, names)}`, t);
          knockOn = true;
        } else {
          loss = t.text as LossName;
          lossToken = t;
        }
        for (const extra of rest.slice(1)) tokenError(ctx, 'syntax', `Unexpected \`${extra.text}\`: \`loss\` takes one name.`, extra);
        break;
      }
      case 'optimizer': {
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
          const def = OPTIMIZER_OPTIONS.find((d) => d.name === key);
          if (def && !def.for.includes(kind)) {
            report(
              ctx,
              'warning',
              'unknown-option',
              `\`${key}\` has no effect with ${kind}; it applies to ${def.for.join(', ')}.`,
              hit.token.start,
              hit.token.end,
            );
          }
        }
        const d = defaultOptimizer(kind);
        optimizer = {
          kind,
          lr: num(m, 'lr', d.lr),
          momentum: num(m, 'momentum', d.momentum),
          nesterov: flag(m, 'nesterov', false),
          beta1: num(m, 'beta1', d.beta1),
          beta2: num(m, 'beta2', d.beta2),
          eps: num(m, 'eps', d.eps),
          rho: num(m, 'rho', d.rho),
          clip: num(m, 'clip', 0),
          weightDecay: num(m, 'weight_decay', 0),
        };
        const nesterov = m.get('nesterov');
        if (optimizer.nesterov && optimizer.momentum === 0 && nesterov) {
          report(ctx, 'warning', 'bad-value', 'nesterov=true has no effect without momentum; add momentum=0.9.', nesterov.token.start, nesterov.token.end);
        }
        break;
      }
      case 'train': {
        const m = readOptions(ctx, rest, TRAIN_OPTIONS, 'train');
        train = {
          epochs: num(m, 'epochs', 100),
          batch: num(m, 'batch', 32),
          seed: num(m, 'seed', 1),
          shuffle: flag(m, 'shuffle', true),
          precision: (m.get('precision')?.value as Precision | undefined) ?? 'float32',
        };
        break;
      }
      case 'weights': {
        const [p, ...extra] = rest;
        if (!p || p.kind !== 'string') {
          report(
            ctx,
            'error',
            'syntax',
            '`weights` needs the path of a parameters file in double quotes: weights "net.weights.json".',
            head.start,
            (p ?? head).end,
          );
          break;
        }
        weights = { path: p.text, at: { line: ctx.line, startColumn: 0, endColumn: lines[li].length }, params: null };
        for (const t of extra) tokenError(ctx, 'syntax', `Unexpected \`${t.text}\`: \`weights\` takes one path in double quotes.`, t);
        break;
      }
      case 'diagnose': {
        const m = readOptions(ctx, rest, DIAGNOSE_OPTIONS, 'diagnose');
        const t = DEFAULT_THRESHOLDS;
        diagnose = {
          vanishing: num(m, 'vanishing', t.vanishing),
          exploding: num(m, 'exploding', t.exploding),
          dead: num(m, 'dead', t.dead),
          saturated: num(m, 'saturated', t.saturated),
          lrHigh: num(m, 'lr_high', t.lrHigh),
          lrLow: num(m, 'lr_low', t.lrLow),
          underflow: num(m, 'underflow', t.underflow),
        };
        break;
      }
    }
  }

  // Whole-file checks, on the line that can fix each.
  const fileCtx = (line: number): Ctx => ({ problems, line });
  const firstLineEnd = Math.max(1, (lines[0] ?? '').length);
  if (!seen.has('data'))
    report(fileCtx(1), 'error', 'missing-statement', 'The file has no `data` line; add one, for example: data spiral samples=400.', 0, firstLineEnd);
  if (!seen.has('input'))
    report(
      fileCtx(1),
      'error',
      'missing-statement',
      'The file has no `input` line; add `input N` (the number of features) before the first `dense`.',
      0,
      firstLineEnd,
    );
  // A misspelt keyword or a bad dense line may be the layer the user wrote; one problem there is enough.
  if (dense.length === 0 && !problems.some((p) => p.code === 'unknown-keyword' || lines[p.line - 1]?.trim().startsWith('dense'))) {
    report(fileCtx(1), 'error', 'missing-statement', 'The file has no `dense` layer; add at least one (the last is the output layer).', 0, firstLineEnd);
  }

  // Layer count and parameter limits, counted before anything is expanded or allocated.
  const layers: LayerSpec[] = [];
  let total = 0;
  let params = 0;
  let fanIn = input ?? 0;
  let overLimit = false;
  for (const d of dense) {
    const ctx = fileCtx(d.line);
    if (total + d.count > LIMITS.layers) {
      const t = d.countToken ?? d.unitsToken;
      tokenError(ctx, 'limit', `This line brings the network to ${total + d.count} layers; the limit is ${LIMITS.layers}.`, t);
      overLimit = true;
      break;
    }
    const lineParams = d.count * (fanIn * d.units + d.units + (d.norm ? 2 * d.units : 0)) + (d.count - 1) * (d.units * d.units - fanIn * d.units);
    if (params + lineParams > LIMITS.params) {
      tokenError(
        ctx,
        'limit',
        `This line brings the network to ${(params + lineParams).toLocaleString('en-US')} parameters; the limit is ${LIMITS.params.toLocaleString('en-US')}.`,
        d.unitsToken,
      );
      overLimit = true;
      break;
    }
    params += lineParams;
    total += d.count;
    fanIn = d.units;
  }
  if (!overLimit) {
    for (const d of dense) {
      for (let r = 0; r < d.count; r++) {
        layers.push({
          index: layers.length,
          line: d.line,
          units: d.units,
          activation: d.activation,
          init: d.init,
          initText: d.initText,
          bias: d.bias,
          name: d.name,
          ...(d.norm ? { norm: d.norm.kind } : {}),
          ...(d.residual ? { residual: true } : {}),
        });
      }
    }
  }

  // softmax only on the output layer.
  dense.forEach((d, k) => {
    const last = k === dense.length - 1;
    if (d.activation.kind === 'softmax' && (!last || d.count > 1)) {
      tokenError(
        fileCtx(d.line),
        'softmax-not-last',
        'softmax belongs on the output layer only (with cross_entropy); use relu, tanh or another activation for hidden layers.',
        d.activationToken,
      );
    }
  });

  checkCures(dense, input, train.batch, fileCtx);

  // The loss: defaulted from the output layer, checked against it and the data.
  const out = knockOn ? undefined : dense[dense.length - 1];
  const outAct = out?.activation.kind;
  const resolvedLoss: LossName = loss ?? (outAct === 'softmax' ? 'cross_entropy' : outAct === 'sigmoid' && out?.units === 1 ? 'bce' : 'mse');
  if (out) {
    const lossLine = seen.get('loss');
    const lc = lossLine !== undefined ? fileCtx(lossLine) : fileCtx(out.line);
    const lt = lossToken ?? out.activationToken;
    if (outAct === 'softmax' && resolvedLoss !== 'cross_entropy') {
      tokenError(lc, 'loss-mismatch', `A softmax output goes with \`loss cross_entropy\`, not ${resolvedLoss}.`, lt);
    } else if (resolvedLoss === 'cross_entropy' && outAct !== 'softmax') {
      tokenError(
        lc,
        'loss-mismatch',
        `cross_entropy needs a softmax output layer; the output layer (line ${out.line}) is ${outAct}. Write \`dense K softmax\` with K the number of classes, or use \`loss bce\` / \`loss mse\`.`,
        lt,
      );
    }
    // bce on K > 1 units (one sigmoid per class) is checked against the data's classes below.
    if (resolvedLoss === 'bce' && outAct !== 'sigmoid') {
      report(
        fileCtx(out.line),
        'warning',
        'bce-without-sigmoid',
        `bce expects probabilities from a sigmoid output; this output layer is ${outAct}, whose values can leave (0, 1). Use \`dense 1 sigmoid\`.`,
        out.activationToken.start,
        out.activationToken.end,
      );
    }
    if (resolvedLoss === 'mse' && out.units !== 1 && outAct !== 'softmax' && data !== null) {
      tokenError(
        fileCtx(out.line),
        'output-mismatch',
        `mse compares each output unit with one target number; this output layer has ${out.units} units. Use \`dense 1 …\`, or softmax with cross_entropy for classes.`,
        out.unitsToken,
      );
    }
  }

  // Where the data is matched against input, the output and the loss: now when the source knows its
  // shape without files, else by check() once they are loaded.
  const range = (line: number, t: Token): SourceRange => ({ line, startColumn: t.start, endColumn: t.end });
  const sites: MatchSites = {
    input: input !== null && inputToken ? { value: input, at: range(inputLineNo, inputToken) } : null,
    output: out
      ? {
          units: out.units,
          activation: out.activation.kind,
          unitsAt: range(out.line, out.unitsToken),
          lossAt: range(seen.get('loss') ?? out.line, lossToken ?? out.activationToken),
        }
      : null,
    loss: resolvedLoss,
  };
  const shape = data === null ? null : dataShape(data);
  if (shape) problems.push(...dataMismatches(shape, sites));

  const lineOf = (k: Exclude<StatementKeyword, 'dense'>) => seen.get(k);
  const stmtLines: Spec['lines'] = Object.fromEntries(
    (['network', 'data', 'input', 'loss', 'optimizer', 'train', 'diagnose', 'weights'] as const)
      .filter((k) => lineOf(k) !== undefined)
      .map((k) => [k, lineOf(k)]),
  );
  const spec: Spec = {
    name: name ?? defaultName(options.fileName),
    data,
    input,
    layers,
    loss: resolvedLoss,
    optimizer,
    train,
    diagnose,
    weights,
    lines: stmtLines,
  };
  // Every range inside its line: a problem about an empty line (or the file as a whole) gets an
  // empty range at its start rather than columns past the text.
  const clamped = problems.map((p) => {
    const len = (lines[p.line - 1] ?? '').length;
    const start = Math.min(p.startColumn, len);
    return { ...p, startColumn: start, endColumn: Math.max(start, Math.min(p.endColumn, len)) };
  });
  clamped.sort((p, q) => p.line - q.line || p.startColumn - q.startColumn);
  return {
    spec,
    problems: clamped,
    sites,
    lineLengths: lines.map((l) => l.length),
    dataAt: data === null ? null : { line: dataLine, startColumn: 0, endColumn: dataLineEnd },
  };
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
