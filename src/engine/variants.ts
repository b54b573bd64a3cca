// Variants of a spec for Compare: the same file with another activation and init on every hidden
// layer, with residual connections or normalization, another optimizer, or another learning rate. Activation and learning-rate variants are
// made by the same edits a quick fix makes; every variant carries its full text, so "Apply"
// writes exactly what was trained.

import type { Change, EpochRecord, Finding, Spec } from './types';
import { applyEdits, editsForChange } from './edits';
import { sci } from '../shared/numbers';
import { LR_MAX } from '../shared/vocabulary';

export interface Variant {
  readonly id: string;
  readonly label: string;
  /** The changes that turn the file into this variant (none for the file as written). */
  readonly changes: readonly Change[];
  readonly text: string;
}

export type VariantKind = 'activations' | 'cures' | 'optimizers' | 'learningRates';

/** Lines of the hidden layers: every dense line but the output layer's. */
export function hiddenLines(spec: Spec): number[] {
  const out = spec.layers[spec.layers.length - 1];
  return [...new Set(spec.layers.filter((l) => l !== out && l.line !== out?.line).map((l) => l.line))];
}

export const DEFAULT_ACTIVATIONS: readonly { readonly activation: string; readonly init: string }[] = [
  { activation: 'relu', init: 'he_normal' },
  { activation: 'leaky_relu', init: 'he_normal' },
  { activation: 'tanh', init: 'glorot_uniform' },
];

function make(text: string, id: string, label: string, changes: readonly Change[]): Variant {
  let t = text;
  for (const c of changes) t = applyEdits(t, editsForChange(t, c));
  return { id, label, changes, text: t };
}

export function variantsOf(text: string, spec: Spec, kind: VariantKind = 'activations'): Variant[] {
  const asWritten: Variant = { id: 'as-written', label: 'as written', changes: [], text };
  const lines = hiddenLines(spec);
  switch (kind) {
    case 'activations':
      return [
        asWritten,
        ...DEFAULT_ACTIVATIONS.map(({ activation, init }) =>
          make(text, `${activation}+${init}`, `${activation} + ${init}`, [{ kind: 'layer', lines, activation, init }]),
        ),
      ];
    case 'cures':
      return [asWritten, ...cureVariants(text, spec, lines)];
    case 'optimizers':
      return [
        asWritten,
        ...(['sgd', 'adam', 'rmsprop'] as const)
          .filter((o) => o !== spec.optimizer.kind)
          .map((o) => {
            const line = optimizerLine(o, spec);
            return { id: o, label: line.replace(/^optimizer /, ''), changes: [], text: withOptimizerLine(text, line) };
          }),
      ];
    case 'learningRates':
      return [
        asWritten,
        ...[0.1, 10, 0.01]
          .map((f) => ({ f, lr: Number((spec.optimizer.lr * f).toPrecision(2)) }))
          // None past the format's limit: a variant must itself be a valid spec.
          .filter(({ lr }) => lr <= LR_MAX)
          .map(({ f, lr }) => make(text, `lr=${lr}`, `lr=${lr} (×${f})`, [{ kind: 'option', statement: 'optimizer', key: 'lr', value: String(lr) }])),
      ];
  }
}

/**
 * The cures next to the activations: residual connections on the hidden lines whose widths allow
 * them (a line's first layer as wide as its input), layer norm, and batch norm (with batches of 2
 * or more) on every hidden line. Each only when it changes something.
 */
function cureVariants(text: string, spec: Spec, lines: readonly number[]): Variant[] {
  const out: Variant[] = [];
  const residual = residualLines(spec, lines);
  if (residual.length > 0 && residual.some((n) => !spec.layers.find((l) => l.line === n)?.residual)) {
    out.push(make(text, 'residual', '+ residual', [{ kind: 'layer', lines: residual, residual: 'true' }]));
  }
  if (lines.length > 0) {
    out.push(make(text, 'norm=layer', '+ layer norm', [{ kind: 'layer', lines, norm: 'layer' }]));
    if (spec.train.batch > 1) out.push(make(text, 'norm=batch', '+ batch norm', [{ kind: 'layer', lines, norm: 'batch' }]));
  }
  return out.filter((v) => v.text !== text);
}

/** Hidden lines whose first layer takes an input as wide as itself, so `residual=true` fits. */
export function residualLines(spec: Spec, lines: readonly number[]): number[] {
  return lines.filter((line) => {
    const k = spec.layers.findIndex((l) => l.line === line);
    const fanIn = k === 0 ? spec.input : spec.layers[k - 1].units;
    return k >= 0 && fanIn === spec.layers[k].units;
  });
}

/** An optimizer line with that optimizer's default lr, keeping the options every optimizer shares. */
function optimizerLine(kind: 'sgd' | 'adam' | 'rmsprop', spec: Spec): string {
  const o = spec.optimizer;
  const shared = `${o.clip > 0 ? ` clip=${o.clip}` : ''}${o.weightDecay > 0 ? ` weight_decay=${o.weightDecay}` : ''}`;
  return `optimizer ${kind} lr=${kind === 'sgd' ? 0.1 : 0.001}${shared}`;
}

/** The text with its optimizer line replaced by `line` (or `line` added at the end). */
function withOptimizerLine(text: string, line: string): string {
  const lines = text.split(/\r?\n/);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const k = lines.findIndex((l) => /^\s*optimizer\b/.test(l));
  if (k >= 0) lines[k] = line;
  else lines.splice(lines[lines.length - 1] === '' ? lines.length - 1 : lines.length, 0, line);
  return lines.join(eol);
}

/** One line under a variant's heatmap: its problems, or how well it trained. */
export function verdict(records: readonly EpochRecord[], findings: readonly Finding[]): string {
  const serious = findings.filter((f) => f.severity !== 'info');
  if (serious.length > 0) {
    const byKind = new Map<string, number[]>();
    for (const f of serious) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), ...f.layers]);
    return [...byKind].map(([kind, ls]) => (ls.length ? `${kind} (layer${ls.length === 1 ? '' : 's'} ${ls.join(', ')})` : kind)).join('; ');
  }
  const last = records[records.length - 1];
  if (!last) return 'not trained';
  return `healthy: final loss ${sci(last.loss)}${last.accuracy !== null ? `, accuracy ${(last.accuracy * 100).toFixed(1)}%` : ''}`;
}
